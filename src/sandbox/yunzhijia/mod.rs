//! Yunzhijia as its servers behave: OAuth2 token endpoints (secret and 3-minute timestamp
//! checked), `?accessToken=` on every API call (a `resGroupSecret` token, as the group, meeting
//! and room-booking APIs require), JSON bodies, `{success, errorCode, error, data}` answers.
//! Meetings carry their room bookings, so `bookInfo`, `hasNew`, `freeRooms` and `getActors`
//! read the meetings themselves and can never disagree with them.
//!
//! Every answer is HTTP 200 with the envelope, refusals included: the seeds document only that
//! (and their one error sample, YTX's, is HTTP 200 too). A bad or expired token is
//! `errorCode` 401, a token of the wrong scope 403, a wrong method 405, an unknown path 404.

mod groups;
mod meetings;
mod models;
mod people;
mod rooms;
mod signon;

use serde::Serialize;
use serde_json::Value;

use self::models::{Envelope, ErrorField, TokenData};
use super::{Request, Response};

pub struct Credentials<'a> {
    pub eid: &'a str,
    pub app_id: &'a str,
    pub secret: &'a str,
}

/// The operations, wire path to the name in the client's table.
pub const ROUTES: &[(&str, &str)] = &[
    ("gateway/cloudwork/meeting/create", "meeting.create"),
    ("gateway/cloudwork/meeting/modify", "meeting.modify"),
    ("gateway/cloudwork/meeting/cancel", "meeting.cancel"),
    ("gateway/cloudwork/meeting/repeatMeeting", "meeting.repeatMeeting"),
    ("gateway/cloudwork/meeting/batchModify", "meeting.batchModify"),
    ("gateway/cloudwork/meeting/batchCancel", "meeting.batchCancel"),
    ("gateway/cloudwork/meeting/queryByDay", "meeting.queryByDay"),
    ("api/roomBook/third/hasNew", "roomBook.hasNew"),
    ("api/roomBook/third/bookInfo", "roomBook.bookInfo"),
    ("api/roomBook/third/freeRooms", "roomBook.freeRooms"),
    ("api/roomBook/third/getActors", "roomBook.getActors"),
    ("gateway/xtinterface/group/createGroup", "group.createGroup"),
    ("gateway/xtinterface/group/addGroupUser", "group.addGroupUser"),
    ("gateway/xtinterface/group/groupUsers", "group.groupUsers"),
    ("gateway/xtinterface/notice/create", "notice.create"),
    ("gateway/xtinterface/banner/create", "banner.create"),
    ("gateway/xtinterface/message/merge/createForCloudflow", "message.createForCloudflow"),
];

/// The token endpoints: not operations of the client's table (its runtime calls them), named
/// for fault rules as `yunzhijia.token.getAccessToken` and `yunzhijia.token.refreshToken`.
const TOKEN_ROUTES: &[(&str, &str)] =
    &[("gateway/oauth2/token/getAccessToken", "token.getAccessToken"), ("gateway/oauth2/token/refreshToken", "token.refreshToken")];

/// Light-app sign-on (see `signon`): an app-scope call, not an operation of the client's table
/// (the relay makes it), named for fault rules as `yunzhijia.ticket.acquirecontext`.
const SIGN_ON_ROUTES: &[(&str, &str)] = &[("gateway/ticket/user/acquirecontext", "ticket.acquirecontext")];

/// Every name a fault rule may scope to, without the `yunzhijia.` prefix.
pub fn operation_names() -> impl Iterator<Item = &'static str> {
    ROUTES.iter().chain(TOKEN_ROUTES).chain(SIGN_ON_ROUTES).map(|(_, op)| *op)
}

pub fn operation(path: &str) -> Option<&'static str> {
    ROUTES.iter().chain(TOKEN_ROUTES).chain(SIGN_ON_ROUTES).find(|(p, _)| *p == path).map(|(_, op)| *op)
}

const TOKEN_LIFE_S: i64 = 7200;
const TIMESTAMP_WINDOW_MS: i64 = 180_000;
/// The scope the group, meeting and room-booking APIs require (the seeds' README; seed 004).
const API_SCOPE: &str = "resGroupSecret";
/// The scope acquirecontext requires: the light app's own token.
const APP_SCOPE: &str = "app";

struct Token {
    access: String,
    scope: &'static str,
    until: i64,
}

pub struct State {
    access_tokens: Vec<Token>,
    refresh_tokens: Vec<(String, &'static str)>,
    token_requests: u32,
    refresh_requests: u32,
    next_id: u64,
    /// Strictly increasing change times, so bookings never share an `updateTime`.
    last_change: i64,
    meetings: meetings::Meetings,
    rooms: rooms::Rooms,
    groups: groups::Groups,
    /// How a refused token is answered: `errorCode` 401 by default; `POST
    /// /_sandbox/tokenRefusal {errorCode, error, always?}` sets another code and words (the
    /// real gateway's are unknown), and `always` refuses every token, fresh ones too (a
    /// revoked secret's), until it is posted again without.
    token_refusal: Option<(i64, String)>,
    refuse_every_token: bool,
    tickets: signon::Tickets,
}

/// A successful answer with the `error` member this API's samples show.
pub fn answer<T: Serialize>(error: ErrorField, data: T) -> Response {
    Response::serde(200, &Envelope { success: true, error_code: 0, error, data })
}

/// A refusal: `success` false, the code, the reason in `error`, `data` null.
pub fn fail(code: i64, message: &str) -> Response {
    Response::serde(200, &Envelope { success: false, error_code: code, error: ErrorField::Text(message), data: () })
}

/// Reads a JSON time as the seeds send it: a whole number, or a string of digits.
pub fn time(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)).filter(|t| *t >= 0),
        Value::String(s) if !s.is_empty() && s.len() < 19 && s.bytes().all(|b| b.is_ascii_digit()) => s.parse().ok(),
        _ => None,
    }
}

/// A non-empty string member.
pub fn text<'a>(body: &'a Value, key: &str) -> Option<&'a str> {
    body.get(key).and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// A list of ids: an array of strings (anything else in it is refused by `check_ids`).
pub fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default().iter().filter_map(|s| s.as_str().map(str::to_string)).collect()
}

/// `key`, if present, must be an array of strings.
pub fn check_ids(body: &Value, key: &str) -> Result<(), String> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(()),
        Some(Value::Array(a)) if a.iter().all(Value::is_string) => Ok(()),
        Some(_) => Err(format!("{key} 应为字符串数组 (must be an array of strings)")),
    }
}

impl State {
    pub fn seeded(_eid: &str) -> State {
        let mut s = State {
            access_tokens: Vec::new(),
            refresh_tokens: Vec::new(),
            token_requests: 0,
            refresh_requests: 0,
            next_id: 1,
            last_change: 0,
            meetings: meetings::Meetings::default(),
            rooms: rooms::Rooms::seeded(),
            groups: groups::Groups::seeded(),
            token_refusal: None,
            refuse_every_token: false,
            tickets: signon::Tickets::default(),
        };
        meetings::seed(&mut s);
        s
    }

    /// An id shaped like the vendor's (24 hex digits).
    pub fn id(&mut self) -> String {
        self.next_id += 1;
        format!("5c{:022x}", 0x1d3e_55a0_u64 * 1_000 + self.next_id)
    }

    /// A change time: `now`, or just after the previous change if the clock hasn't moved.
    pub fn change_time(&mut self, now: i64) -> i64 {
        self.last_change = now.max(self.last_change + 1);
        self.last_change
    }

    /// `random` gives the bits of sign-on tickets (see `signon`).
    pub fn handle(&mut self, creds: &Credentials, req: &Request, path: &str, query: &str, random: &mut dyn FnMut() -> u64) -> Response {
        match (req.method, path) {
            ("GET", "sandbox/ticket") => return self.tickets.issue(query, creds.app_id, req.now_ms as i64, random),
            ("GET", "_sandbox/stats") => {
                return Response::serde(
                    200,
                    &serde_json::json!({ "tokenRequests": self.token_requests, "refreshRequests": self.refresh_requests }),
                )
            }
            ("POST", "_sandbox/expireTokens") => {
                self.access_tokens.clear();
                return answer(ErrorField::Null, ());
            }
            ("POST", "_sandbox/tokenRefusal") => {
                let body = serde_json::from_str::<Value>(req.body).unwrap_or(Value::Null);
                self.token_refusal = match (body.get("errorCode").and_then(Value::as_i64), text(&body, "error")) {
                    (Some(code), Some(words)) => Some((code, words.to_string())),
                    _ => None,
                };
                self.refuse_every_token = body.get("always").and_then(Value::as_bool) == Some(true);
                return answer(ErrorField::Null, ());
            }
            _ => {}
        }
        let Some(op) = operation(path) else {
            return fail(404, "接口不存在 (no such API)");
        };
        if req.method != "POST" {
            return fail(405, "请求方式错误: 应为 POST (this API takes POST)");
        }
        let now = req.now_ms as i64;
        if let Some(kind) = op.strip_prefix("token.") {
            let Some(body) = serde_json::from_str::<Value>(req.body).ok().filter(Value::is_object) else {
                return fail(400, "请求体应为 JSON 对象 (the body must be a JSON object)");
            };
            return self.get_token(creds, &body, now, kind == "refreshToken");
        }
        let token = query.split('&').find_map(|kv| kv.strip_prefix("accessToken="));
        let known = token.and_then(|t| self.access_tokens.iter().find(|a| a.access == t && a.until > now));
        let Some(token) = known.filter(|_| !self.refuse_every_token) else {
            return match &self.token_refusal {
                Some((code, words)) => fail(*code, words),
                None => fail(401, "accessToken 无效或已过期 (invalid or expired accessToken)"),
            };
        };
        if op == "ticket.acquirecontext" {
            if token.scope != APP_SCOPE {
                let why = format!("accessToken 的授权级别为 {}, 此接口需要 {APP_SCOPE} (this API needs an app token)", token.scope);
                return fail(403, &why);
            }
            let Some(body) = serde_json::from_str::<Value>(req.body).ok().filter(Value::is_object) else {
                return fail(400, "请求体应为 JSON 对象 (the body must be a JSON object)");
            };
            return self.tickets.acquire(&body, creds.app_id, creds.eid, now);
        }
        if token.scope != API_SCOPE {
            let why = format!("accessToken 的授权级别为 {}, 此接口需要 {API_SCOPE} (this API needs a {API_SCOPE} token)", token.scope);
            return fail(403, &why);
        }
        let Some(body) = serde_json::from_str::<Value>(req.body).ok().filter(Value::is_object) else {
            return fail(400, "请求体应为 JSON 对象 (the body must be a JSON object)");
        };
        match op.split_once('.') {
            Some(("meeting", name)) => meetings::handle(self, name, &body, now),
            Some(("roomBook", name)) => rooms::handle(self, creds.eid, name, &body),
            _ => groups::handle(self, op, &body, now),
        }
    }

    fn get_token(&mut self, creds: &Credentials, body: &Value, now: i64, refresh: bool) -> Response {
        if refresh {
            self.refresh_requests += 1;
        } else {
            self.token_requests += 1;
        }
        let Some(ts) = time(body.get("timestamp")) else {
            return fail(1002, "timestamp 为必填的13位毫秒时间戳");
        };
        if (now - ts).abs() > TIMESTAMP_WINDOW_MS {
            return fail(1002, "timestamp 已过期: 有效期 3 分钟 (outside the 3-minute window)");
        }
        let (scope, need_eid, need_app) = match text(body, "scope") {
            Some("resGroupSecret") => ("resGroupSecret", true, false),
            Some("app") => ("app", false, true),
            Some("team") => ("team", true, true),
            _ => return fail(1003, "scope 应为 app、team 或 resGroupSecret"),
        };
        if (need_eid && text(body, "eid") != Some(creds.eid)) || (need_app && text(body, "appId") != Some(creds.app_id)) {
            return fail(1004, "eid 或 appId 无效 (unknown eid or appId)");
        }
        if refresh {
            let given = text(body, "refreshToken").unwrap_or("");
            let Some(at) = self.refresh_tokens.iter().position(|(r, _)| r == given) else {
                return fail(1005, "refreshToken 无效");
            };
            if self.refresh_tokens[at].1 != scope {
                return fail(1005, "refreshToken 与 scope 不符 (the refreshToken was issued for another scope)");
            }
            self.refresh_tokens.remove(at);
        } else if text(body, "secret") != Some(creds.secret) {
            return fail(1001, "secret 错误 (wrong secret)");
        }
        let n = self.token_requests + self.refresh_requests;
        let (access, refresh_token) = (format!("sbx-at-{n}-{}", now % 100_000), format!("sbx-rt-{n}-{}", now % 100_000));
        self.access_tokens.push(Token { access: access.clone(), scope, until: now + TOKEN_LIFE_S * 1000 });
        self.refresh_tokens.push((refresh_token.clone(), scope));
        // The seeds' README gives this answer as `{success, errorCode, data}`: no `error` member.
        answer(ErrorField::Omitted, TokenData { access_token: access, expire_in: TOKEN_LIFE_S, refresh_token })
    }
}
