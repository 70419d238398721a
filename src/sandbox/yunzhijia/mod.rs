//! Yunzhijia as its servers behave: OAuth2 token endpoints (secret and 3-minute timestamp
//! checked), `?accessToken=` on every API call, JSON bodies, `{success, errorCode, error, data}`
//! answers. Meetings, room bookings and groups keep state in memory and feed each other: a
//! meeting with a `roomId` books the room, so `bookInfo`, `hasNew` and `freeRooms` see it.

mod groups;
mod meetings;
mod rooms;

use super::{Request, Response};
use crate::core::json::{self, Json};

pub struct Credentials<'a> {
    pub eid: &'a str,
    pub app_id: &'a str,
    pub secret: &'a str,
}

const TOKEN_LIFE_S: f64 = 7200.0;
const TIMESTAMP_WINDOW_MS: f64 = 180_000.0;

pub struct State {
    access_tokens: Vec<(String, f64)>,
    refresh_tokens: Vec<String>,
    token_requests: u32,
    refresh_requests: u32,
    next_id: u64,
    /// Strictly increasing change times, so bookings never share an `updateTime`.
    last_change: f64,
    meetings: meetings::Meetings,
    rooms: rooms::Rooms,
    groups: groups::Groups,
}

pub fn ok(data: Json) -> Response {
    Response::json(
        200,
        Json::Obj(vec![
            ("success".into(), Json::Bool(true)),
            ("errorCode".into(), Json::Num(0.0)),
            ("error".into(), Json::Null),
            ("data".into(), data),
        ]),
    )
}

pub fn fail(code: f64, message: &str) -> Response {
    Response::json(
        200,
        Json::Obj(vec![
            ("success".into(), Json::Bool(false)),
            ("errorCode".into(), Json::Num(code)),
            ("error".into(), Json::str(message)),
            ("data".into(), Json::Null),
        ]),
    )
}

/// Reads a JSON time as the seeds send it: a number, or a string of digits.
pub fn time(v: Option<&Json>) -> Option<f64> {
    match v? {
        Json::Num(n) if *n >= 0.0 => Some(*n),
        Json::Str(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => s.parse().ok(),
        _ => None,
    }
}

pub fn text<'a>(body: &'a Json, key: &str) -> Option<&'a str> {
    body.get(key).and_then(Json::as_str).filter(|s| !s.is_empty())
}

pub fn strings(v: Option<&Json>) -> Vec<String> {
    v.and_then(Json::as_array).unwrap_or_default().iter().filter_map(|s| s.as_str().map(str::to_string)).collect()
}

impl State {
    pub fn seeded(eid: &str) -> State {
        let mut s = State {
            access_tokens: Vec::new(),
            refresh_tokens: Vec::new(),
            token_requests: 0,
            refresh_requests: 0,
            next_id: 1,
            last_change: 0.0,
            meetings: meetings::Meetings::default(),
            rooms: rooms::Rooms::seeded(),
            groups: groups::Groups::default(),
        };
        meetings::seed(&mut s, eid);
        s
    }

    /// An id shaped like the vendor's (24 hex digits).
    pub fn id(&mut self) -> String {
        self.next_id += 1;
        format!("5c{:022x}", 0x1d3e_55a0_u64 * 1_000 + self.next_id)
    }

    /// A change time: `now`, or just after the previous change if the clock hasn't moved.
    pub fn change_time(&mut self, now: f64) -> f64 {
        self.last_change = now.max(self.last_change + 1.0);
        self.last_change
    }

    pub fn handle(&mut self, creds: &Credentials, req: &Request, path: &str, query: &str) -> Response {
        match (req.method, path) {
            ("GET", "_sandbox/stats") => {
                return Response::json(
                    200,
                    Json::Obj(vec![
                        ("tokenRequests".into(), Json::Num(f64::from(self.token_requests))),
                        ("refreshRequests".into(), Json::Num(f64::from(self.refresh_requests))),
                    ]),
                )
            }
            ("POST", "_sandbox/expireTokens") => {
                self.access_tokens.clear();
                return ok(Json::Null);
            }
            _ => {}
        }
        if req.method != "POST" {
            return Response::json(405, Json::Obj(vec![("error".into(), Json::str("POST only"))]));
        }
        let Ok(body @ Json::Obj(_)) = json::parse(req.body) else {
            return fail(400.0, "请求体应为 JSON 对象 (the body must be a JSON object)");
        };
        match path {
            "gateway/oauth2/token/getAccessToken" => return self.get_token(creds, &body, req.now_ms, false),
            "gateway/oauth2/token/refreshToken" => return self.get_token(creds, &body, req.now_ms, true),
            _ => {}
        }
        let token = query.split('&').find_map(|kv| kv.strip_prefix("accessToken="));
        if !token.is_some_and(|t| self.access_tokens.iter().any(|(a, until)| a == t && *until > req.now_ms)) {
            let mut res = fail(401.0, "accessToken 无效或已过期 (invalid or expired accessToken)");
            res.status = 401;
            return res;
        }
        let now = req.now_ms;
        if let Some(name) = path.strip_prefix("gateway/cloudwork/meeting/") {
            return meetings::handle(self, name, &body, now);
        }
        if let Some(name) = path.strip_prefix("api/roomBook/third/") {
            return rooms::handle(self, creds.eid, name, &body);
        }
        if let Some(name) = path.strip_prefix("gateway/xtinterface/") {
            return groups::handle(self, name, &body, now);
        }
        Response::json(404, Json::Obj(vec![("success".into(), Json::Bool(false)), ("error".into(), Json::str("接口不存在 (no such API)"))]))
    }

    fn get_token(&mut self, creds: &Credentials, body: &Json, now: f64, refresh: bool) -> Response {
        if refresh {
            self.refresh_requests += 1;
        } else {
            self.token_requests += 1;
        }
        let Some(ts) = time(body.get("timestamp")) else {
            return fail(1002.0, "timestamp 为必填的13位毫秒时间戳");
        };
        if (now - ts).abs() > TIMESTAMP_WINDOW_MS {
            return fail(1002.0, "timestamp 已过期: 有效期 3 分钟 (outside the 3-minute window)");
        }
        let scope = text(body, "scope").unwrap_or("");
        let (need_eid, need_app) = match scope {
            "resGroupSecret" => (true, false),
            "app" => (false, true),
            "team" => (true, true),
            _ => return fail(1003.0, "scope 应为 app、team 或 resGroupSecret"),
        };
        if (need_eid && text(body, "eid") != Some(creds.eid)) || (need_app && text(body, "appId") != Some(creds.app_id)) {
            return fail(1004.0, "eid 或 appId 无效 (unknown eid or appId)");
        }
        if refresh {
            let Some(given) = text(body, "refreshToken") else {
                return fail(1005.0, "refreshToken 无效");
            };
            let Some(at) = self.refresh_tokens.iter().position(|r| r == given) else {
                return fail(1005.0, "refreshToken 无效");
            };
            self.refresh_tokens.remove(at);
        } else if text(body, "secret") != Some(creds.secret) {
            return fail(1001.0, "secret 错误 (wrong secret)");
        }
        let n = self.token_requests + self.refresh_requests;
        let (access, refresh_token) = (format!("sbx-at-{n}-{}", now as u64 % 100_000), format!("sbx-rt-{n}-{}", now as u64 % 100_000));
        self.access_tokens.push((access.clone(), now + TOKEN_LIFE_S * 1000.0));
        self.refresh_tokens.push(refresh_token.clone());
        ok(Json::Obj(vec![
            ("accessToken".into(), Json::Str(access)),
            ("expireIn".into(), Json::Num(TOKEN_LIFE_S)),
            ("refreshToken".into(), Json::Str(refresh_token)),
        ]))
    }
}
