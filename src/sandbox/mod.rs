//! The vendor emulator: a pure `handle(request) -> response` over in-memory state, written from
//! the wire side (it parses raw requests as each vendor's server would). The Node adapter in
//! `pkg-template/sandbox/` serves it over HTTP; the demo page runs it in the page.

mod cam;
pub mod form;
mod xuanxuan;
mod ytx;
mod yunzhijia;

use crate::core::json::Json;
use crate::core::secret::mask_url;

/// One HTTP request as it arrived. Header names are compared without regard to case.
pub struct Request<'a> {
    pub method: &'a str,
    /// Path and query, e.g. `/cam/getConferenceRooms`.
    pub target: &'a str,
    pub headers: &'a [(String, String)],
    pub body: &'a str,
    /// The server's clock (Unix ms): passed in so the emulator stays pure and testable.
    pub now_ms: f64,
}

impl Request<'_> {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, PartialEq)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    pub fn json(status: u16, body: Json) -> Response {
        Response {
            status,
            headers: vec![("Content-Type".into(), "application/json;charset=UTF-8".into())],
            body: body.to_json_string(),
        }
    }
}

/// The credentials each emulated vendor accepts (API.md's defaults unless overridden).
pub struct Credentials {
    pub cam_api_token: String,
    pub xuanxuan_code: String,
    pub xuanxuan_key: String,
    pub ytx_account_sid: String,
    pub ytx_auth_token: String,
    pub ytx_appid: String,
    pub yunzhijia_eid: String,
    pub yunzhijia_app_id: String,
    pub yunzhijia_secret: String,
}

impl Credentials {
    /// Reads overrides such as `{"cam": {"apiToken": "..."}, "ytx": {"appid": "..."}}`; anything
    /// absent keeps its default.
    pub fn from_json(config: &Json) -> Credentials {
        let get = |vendor: &str, key: &str, default: &str| {
            config.get(vendor).and_then(|v| v.get(key)).and_then(Json::as_str).unwrap_or(default).to_string()
        };
        Credentials {
            cam_api_token: get("cam", "apiToken", "sandbox-token"),
            xuanxuan_code: get("xuanxuan", "code", "sandbox"),
            xuanxuan_key: get("xuanxuan", "key", "sandbox-key"),
            ytx_account_sid: get("ytx", "accountSID", "sandbox-sid"),
            ytx_auth_token: get("ytx", "authToken", "sandbox-token"),
            ytx_appid: get("ytx", "appid", "sandbox-app"),
            yunzhijia_eid: get("yunzhijia", "eid", "10109"),
            yunzhijia_app_id: get("yunzhijia", "appId", "sandbox-app"),
            yunzhijia_secret: get("yunzhijia", "secret", "sandbox-secret"),
        }
    }
}

pub struct Sandbox {
    creds: Credentials,
    cam: cam::State,
    xuanxuan: xuanxuan::State,
    yunzhijia: yunzhijia::State,
}

impl Sandbox {
    pub fn new(config: &Json) -> Sandbox {
        let creds = Credentials::from_json(config);
        let yunzhijia = yunzhijia::State::seeded(&creds.yunzhijia_eid);
        Sandbox { creds, cam: cam::State::seeded(), xuanxuan: xuanxuan::State::seeded(), yunzhijia }
    }

    pub fn handle(&mut self, req: &Request) -> Response {
        let mut res = self.route(req);
        // Any page may call the emulator: it is a local development tool.
        res.headers.extend(
            [
                ("Access-Control-Allow-Origin", "*"),
                ("Access-Control-Allow-Headers", "*"),
                ("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
                ("Access-Control-Expose-Headers", "Retry-After"),
            ]
            .map(|(k, v)| (k.to_string(), v.to_string())),
        );
        res
    }

    fn route(&mut self, req: &Request) -> Response {
        if req.method == "OPTIONS" {
            return Response { status: 204, headers: vec![], body: String::new() };
        }
        let (path, query) = req.target.split_once('?').unwrap_or((req.target, ""));
        let (vendor, rest) = match path.trim_start_matches('/').split_once('/') {
            Some((v, rest)) => (v, rest),
            None => (path.trim_start_matches('/'), ""),
        };
        match vendor {
            "cam" => self.cam.handle(&self.creds, req, rest, query),
            "xuanxuan" => self.xuanxuan.handle(&self.creds.xuanxuan_code, &self.creds.xuanxuan_key, req, rest, query),
            "yunzhijia" => {
                let c = &self.creds;
                let creds = yunzhijia::Credentials { eid: &c.yunzhijia_eid, app_id: &c.yunzhijia_app_id, secret: &c.yunzhijia_secret };
                self.yunzhijia.handle(&creds, req, rest, query)
            }
            "ytx" => {
                let c = &self.creds;
                let creds = ytx::Credentials { account_sid: &c.ytx_account_sid, auth_token: &c.ytx_auth_token, appid: &c.ytx_appid };
                let sign = query.split('&').find_map(|kv| kv.strip_prefix("Sign="));
                ytx::handle(&creds, req, rest, query, sign)
            }
            _ => Response::json(
                404,
                Json::Obj(vec![(
                    "error".into(),
                    Json::str(format!("no vendor at {path:?}: use /cam, /yunzhijia, /xuanxuan or /ytx")),
                )]),
            ),
        }
    }

    /// One log line for a request, credentials masked.
    pub fn log_line(req: &Request, res: &Response) -> String {
        format!("{} {} -> {}", req.method, mask_url(req.target), res.status)
    }
}
