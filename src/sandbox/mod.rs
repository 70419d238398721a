//! The vendor emulator: a pure `handle(request) -> response` over in-memory state, written from
//! the wire side (it parses raw requests as each vendor's server would). The Node adapter in
//! `pkg-template/sandbox/` serves it over HTTP; the demo page runs it in the page.

mod cam;
pub mod faults;
pub mod form;
mod xuanxuan;
mod ytx;
mod yunzhijia;

use serde::Serialize;

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
    /// Injected by a fault rule: wait this long before answering.
    pub delay_ms: f64,
    /// Injected by a fault rule: close the connection instead of answering.
    pub drop: Hangup,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hangup {
    No,
    /// Before the request took effect.
    Before,
    /// After it took effect: the client never learns that it did.
    After,
}

impl Response {
    pub fn json(status: u16, body: Json) -> Response {
        Response {
            status,
            headers: vec![("Content-Type".into(), "application/json;charset=UTF-8".into())],
            body: body.to_json_string(),
            delay_ms: 0.0,
            drop: Hangup::No,
        }
    }

    /// A typed answer: every answer of one kind is one struct, so it always has one shape.
    pub fn serde<T: Serialize>(status: u16, body: &T) -> Response {
        // Serializing plain structs of strings, numbers and maps with string keys cannot fail;
        // should it ever, the answer says so rather than panicking.
        let body = serde_json::to_string(body).unwrap_or_else(|e| format!("{{\"error\":\"sandbox: {e}\"}}"));
        Response { body, ..Response::json(status, Json::Null) }
    }
}

/// The credentials each emulated vendor accepts (the README's sandbox defaults unless overridden).
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
    faults: faults::Faults,
    /// xorshift state for fault rates: deterministic, so a failing run can be replayed.
    rng: u64,
    /// xorshift state for sign-on tickets, seeded from the config's `seed` (the JS adapter passes
    /// crypto randomness), so tickets cannot be guessed from another sandbox's.
    ticket_rng: u64,
    creds: Credentials,
    cam: cam::State,
    xuanxuan: xuanxuan::State,
    yunzhijia: yunzhijia::State,
}

impl Sandbox {
    pub fn new(config: &Json) -> Sandbox {
        let creds = Credentials::from_json(config);
        let yunzhijia = yunzhijia::State::seeded(&creds.yunzhijia_eid);
        let mut sandbox = Sandbox {
            faults: faults::Faults::default(),
            rng: 0x9E37_79B9_7F4A_7C15,
            ticket_rng: seed_of(config),
            creds,
            cam: cam::State::seeded(),
            xuanxuan: xuanxuan::State::seeded(),
            yunzhijia,
        };
        // The JS entries call set_faults themselves and report a bad spec; here it is only read.
        if let Some(spec) = config.get("faults").and_then(Json::as_str) {
            let _ = sandbox.set_faults(spec);
        }
        sandbox
    }

    /// Replaces the fault rules (see `faults`); an unreadable spec changes nothing. A scope that
    /// names no operation is refused (with the right spelling when only the case is wrong): such
    /// a rule would silently never fire.
    pub fn set_faults(&mut self, spec: &str) -> Result<(), String> {
        let faults = faults::Faults::parse(spec)?;
        let names: Vec<String> = cam::ROUTES
            .iter()
            .map(|op| format!("cam.{op}"))
            .chain(xuanxuan::ROUTES.iter().map(|op| format!("xuanxuan.{op}")))
            .chain(std::iter::once(format!("ytx.{}", ytx::OPERATION)))
            .chain(yunzhijia::operation_names().map(|op| format!("yunzhijia.{op}")))
            .collect();
        for scope in faults.scopes() {
            let covers = |name: &String| name == scope || name.strip_prefix(scope).is_some_and(|rest| rest.starts_with('.'));
            if scope != "*" && !names.iter().any(covers) {
                let hint = names.iter().find(|n| n.eq_ignore_ascii_case(scope)).map(|n| format!("; did you mean {n}?")).unwrap_or_default();
                return Err(format!("fault scope {scope:?} names no operation (`*`, a vendor, or vendor.operation){hint}"));
            }
        }
        self.faults = faults;
        Ok(())
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
            return Response { status: 204, headers: vec![], body: String::new(), delay_ms: 0.0, drop: Hangup::No };
        }
        let (path, query) = req.target.split_once('?').unwrap_or((req.target, ""));
        if path == "/_sandbox/faults" && req.method == "POST" {
            return match self.set_faults(req.body) {
                Ok(()) => Response::json(200, Json::Obj(vec![("faults".into(), Json::str(req.body))])),
                Err(why) => Response::json(400, Json::Obj(vec![("error".into(), Json::Str(why))])),
            };
        }
        let (vendor, rest) = match path.trim_start_matches('/').split_once('/') {
            Some((v, rest)) => (v, rest),
            None => (path.trim_start_matches('/'), ""),
        };
        // The sandbox's own endpoints (stats, tickets) are never faulted: a test that injects
        // faults still needs to read what happened and to sign on.
        if rest.starts_with("_sandbox/") || rest.starts_with("sandbox/") {
            return self.dispatch(vendor, req, rest, query);
        }
        let mut rng = self.rng;
        let plan = self.faults.plan(&operation_of(vendor, req.method, rest, query), &mut || next_random(&mut rng));
        self.rng = rng;
        let mut res = match plan.status {
            Some((status, retry_after)) => {
                let mut r = Response::json(status, Json::Obj(vec![("error".into(), Json::str("injected fault"))]));
                if let Some(secs) = retry_after {
                    r.headers.push(("Retry-After".into(), secs.to_string()));
                }
                r
            }
            None if plan.drop_before => Response { drop: Hangup::Before, ..Response::json(500, Json::Null) },
            None => self.dispatch(vendor, req, rest, query),
        };
        if plan.malformed {
            let keep = res.body.len() / 2;
            res.body = res.body.chars().take(keep.max(1)).collect();
            res.status = 200;
        }
        if plan.drop_after {
            res.drop = Hangup::After;
        }
        res.delay_ms = plan.delay_ms;
        res
    }

    fn dispatch(&mut self, vendor: &str, req: &Request, rest: &str, query: &str) -> Response {
        match vendor {
            "cam" => self.cam.handle(&self.creds, req, rest, query),
            "xuanxuan" => self.xuanxuan.handle(&self.creds.xuanxuan_code, &self.creds.xuanxuan_key, req, rest, query),
            "yunzhijia" => {
                let c = &self.creds;
                let creds = yunzhijia::Credentials { eid: &c.yunzhijia_eid, app_id: &c.yunzhijia_app_id, secret: &c.yunzhijia_secret };
                let rng = &mut self.ticket_rng;
                self.yunzhijia.handle(&creds, req, rest, query, &mut || {
                    next_random(rng);
                    rng.wrapping_mul(0x2545_F491_4F6C_DD1D)
                })
            }
            "ytx" => {
                let c = &self.creds;
                let creds = ytx::Credentials { account_sid: &c.ytx_account_sid, auth_token: &c.ytx_auth_token, appid: &c.ytx_appid };
                let sign = query.split('&').find_map(|kv| kv.strip_prefix("Sign="));
                ytx::handle(&creds, req, rest, query, sign)
            }
            _ => Response::json(
                404,
                Json::Obj(vec![("error".into(), Json::str(format!("no vendor {vendor:?}: use /cam, /yunzhijia, /xuanxuan or /ytx")))]),
            ),
        }
    }

    /// One log line for a request, credentials masked.
    pub fn log_line(req: &Request, res: &Response) -> String {
        format!("{} {} -> {}", req.method, mask_url(req.target), res.status)
    }
}

/// The operation a request addresses, as `vendor.operation` in the names of the operation
/// tables (`yunzhijia.roomBook.bookInfo`), looked up in each vendor's route table: the same
/// table the emulator dispatches by. A path that names no operation is just `vendor`, so `*`
/// and vendor-wide fault rules still reach it.
pub fn operation_of(vendor: &str, method: &str, path: &str, query: &str) -> String {
    let name = match vendor {
        "cam" => cam::operation(path),
        "yunzhijia" => yunzhijia::operation(path),
        "xuanxuan" => xuanxuan::operation(path, query),
        "ytx" => ytx::operation(method, path),
        _ => None,
    };
    match name {
        Some(name) => format!("{vendor}.{name}"),
        None => vendor.to_string(),
    }
}

/// Every operation name each emulated vendor routes, for checking against the client's tables.
pub fn operations(vendor: &str) -> Vec<&'static str> {
    match vendor {
        "cam" => cam::ROUTES.to_vec(),
        "yunzhijia" => yunzhijia::ROUTES.iter().map(|(_, op)| *op).collect(),
        "xuanxuan" => xuanxuan::ROUTES.to_vec(),
        "ytx" => vec![ytx::OPERATION],
        _ => Vec::new(),
    }
}

/// The ticket generator's start: the config's `seed` (a string of up to 64 hex digits, or a
/// number), mixed so that nearby seeds give unrelated tickets; never 0, which xorshift keeps.
fn seed_of(config: &Json) -> u64 {
    let mut state = 0xD1B5_4A32_D192_ED03_u64;
    let text = match config.get("seed") {
        Some(Json::Str(s)) => s.clone(),
        Some(Json::Num(n)) => format!("{n}"),
        _ => String::new(),
    };
    for b in text.bytes() {
        state = (state ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01B3);
    }
    state.max(1)
}

/// xorshift64*, as a number in [0, 1).
fn next_random(state: &mut u64) -> f64 {
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    (state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fault_scope_that_names_no_operation_is_refused_with_a_hint() {
        let mut sb = Sandbox::new(&Json::Null);
        let e = sb.set_faults("cam.sendmessage:503").unwrap_err();
        assert!(e.contains("did you mean cam.sendMessage"), "{e}");
        assert!(sb.set_faults("nosuch:503").is_err());
        for ok in [
            "*:503",
            "cam:503",
            "yunzhijia.meeting:drop",
            "yunzhijia.roomBook.bookInfo:500",
            "yunzhijia.token.getAccessToken:503",
            "ytx.queryMeeting:malformed",
        ] {
            assert!(sb.set_faults(ok).is_ok(), "{ok}");
        }
    }

    fn at<'a>(method: &'a str, target: &'a str, body: &'a str, now_ms: f64) -> Request<'a> {
        Request { method, target, headers: &[], body, now_ms }
    }

    fn body(res: &Response) -> serde_json::Value {
        serde_json::from_str(&res.body).unwrap()
    }

    const ZHANG: &str = "5a67e1e1e4b02f1de22a70a3";
    const NOW: f64 = 1_800_000_000_000.0;

    fn app_token(sb: &mut Sandbox, scope: &str) -> String {
        let req = format!(r#"{{"appId":"sandbox-app","eid":"10109","secret":"sandbox-secret","timestamp":{NOW},"scope":"{scope}"}}"#);
        let res = sb.handle(&at("POST", "/yunzhijia/gateway/oauth2/token/getAccessToken", &req, NOW));
        body(&res)["data"]["accessToken"].as_str().unwrap().to_string()
    }

    fn ticket(sb: &mut Sandbox, query: &str) -> Response {
        sb.handle(&at("GET", &format!("/yunzhijia/sandbox/ticket?{query}"), "", NOW))
    }

    fn acquire(sb: &mut Sandbox, token: &str, appid: &str, ticket: &str, now: f64) -> serde_json::Value {
        let req = format!(r#"{{"appid":"{appid}","ticket":"{ticket}"}}"#);
        body(&sb.handle(&at("POST", &format!("/yunzhijia/gateway/ticket/user/acquirecontext?accessToken={token}"), &req, now)))
    }

    #[test]
    fn a_ticket_signs_one_person_on_to_one_app_for_an_hour() {
        let mut sb = Sandbox::new(&Json::Obj(vec![("seed".into(), Json::str("ab12"))]));
        let issued = ticket(&mut sb, &format!("openid={ZHANG}"));
        assert_eq!(issued.status, 200);
        let t = body(&issued)["ticket"].as_str().unwrap().to_string();
        assert!(t.len() >= 32, "{t}");
        let app = app_token(&mut sb, "app");
        let who = acquire(&mut sb, &app, "sandbox-app", &t, NOW + 1000.0);
        assert_eq!(who["success"], true, "{who}");
        assert_eq!(who["data"]["openid"], ZHANG);
        assert_eq!(who["data"]["eid"], "10109");
        assert_eq!(who["data"]["appid"], "sandbox-app");
        assert_eq!(who["data"]["username"], "张三");
        // Still good a minute before the hour is up, refused after it.
        assert_eq!(acquire(&mut sb, &app, "sandbox-app", &t, NOW + 3_599_000.0)["success"], true);
        let late = app_token(&mut sb, "app");
        let expired = acquire(&mut sb, &late, "sandbox-app", &t, NOW + 3_600_001.0);
        assert_eq!(expired["success"], false, "{expired}");
        assert_eq!(expired["errorCode"], 100);
        // A made-up ticket, and the API's own (resGroupSecret) token, are refused.
        assert_eq!(acquire(&mut sb, &app, "sandbox-app", "sbx-tk-0000", NOW)["errorCode"], 100);
        let api = app_token(&mut sb, "resGroupSecret");
        assert_eq!(acquire(&mut sb, &api, "sandbox-app", &t, NOW)["errorCode"], 403);
    }

    #[test]
    fn a_ticket_for_another_app_is_refused_and_strangers_get_none() {
        let mut sb = Sandbox::new(&Json::Null);
        let other = body(&ticket(&mut sb, &format!("openid={ZHANG}&appid=other-app")))["ticket"].as_str().unwrap().to_string();
        let app = app_token(&mut sb, "app");
        let refused = acquire(&mut sb, &app, "sandbox-app", &other, NOW);
        assert_eq!(refused["success"], false);
        assert_eq!(refused["errorCode"], 100);
        assert!(refused["error"].as_str().unwrap().contains("another app"), "{refused}");
        // Naming the other app with this app's token is refused too.
        assert_eq!(acquire(&mut sb, &app, "other-app", &other, NOW)["errorCode"], 1004);
        assert_eq!(ticket(&mut sb, "openid=nobody").status, 404);
        assert_eq!(ticket(&mut sb, "").status, 400);
    }

    #[test]
    fn tickets_differ_with_the_seed_and_survive_injected_faults() {
        let mut one = Sandbox::new(&Json::Obj(vec![("seed".into(), Json::str("1"))]));
        let mut two = Sandbox::new(&Json::Obj(vec![("seed".into(), Json::str("2"))]));
        let q = format!("openid={ZHANG}");
        let (a, b) = (body(&ticket(&mut one, &q))["ticket"].clone(), body(&ticket(&mut two, &q))["ticket"].clone());
        assert_ne!(a, b);
        assert_ne!(a, body(&ticket(&mut one, &q))["ticket"]);
        one.set_faults("*:503").unwrap();
        assert_eq!(ticket(&mut one, &q).status, 200);
        assert!(one.set_faults("yunzhijia.ticket.acquirecontext:503").is_ok());
    }
}
