//! Yunzhijia 云之家 (seeds 001 and 004): smart meetings, room booking, groups, notices, banners.
//! Every call is `POST {baseURL}{path}?accessToken=…` with a JSON body; answers are the
//! `{success, errorCode, error, data}` envelope. Tokens are added by the runtime (`auth`).

use crate::prelude::*;

pub mod auth;
mod fields;
mod group;
mod meeting;
mod room_book;
pub mod token_cache;
pub mod token_store;

use crate::core::error::{Code, Error};
use crate::core::http::{base_url, query_component, HttpRequest, HttpResponse, Method};
use crate::core::json::Json;
use crate::core::ops::{Op, Output};
use crate::core::validate::Params;
use crate::vendors::{json_members, status_error};

pub const DEFAULT_BASE_URL: &str = "https://www.yunzhijia.com";

pub struct Config {
    pub base_url: String,
    pub auth: auth::Auth,
}

impl Config {
    pub fn from_options(opts: &Params) -> Result<Config, Error> {
        let base_url = match opts.opt_str("baseURL")? {
            Some(url) => base_url("baseURL", url)?,
            None => DEFAULT_BASE_URL.to_string(),
        };
        Ok(Config { base_url, auth: auth::Auth::from_options(opts)? })
    }

    pub fn secrets(&self) -> Vec<&str> {
        self.auth.secrets()
    }
}

/// The one table: meetings, room booking, then the group open API, in the seeds' order.
pub static OPS: &[Op<Config>] = &[
    meeting::CREATE,
    meeting::MODIFY,
    meeting::CANCEL,
    meeting::REPEAT_MEETING,
    meeting::BATCH_MODIFY,
    meeting::BATCH_CANCEL,
    meeting::QUERY_BY_DAY,
    room_book::HAS_NEW,
    room_book::BOOK_INFO,
    room_book::FREE_ROOMS,
    room_book::GET_ACTORS,
    group::CREATE_GROUP,
    group::ADD_GROUP_USER,
    group::GROUP_USERS,
    group::NOTICE_CREATE,
    group::BANNER_CREATE,
    group::CREATE_FOR_CLOUDFLOW,
];

/// A JSON POST to `path`; the access token is appended when the call is sent (`with_token`).
/// `POST <base URL><dir><name>` with a JSON body (its text). The URL is joined by hand:
/// `format!` costs more than the rest of building it, on every call.
fn post(c: &Config, dir: &str, name: &str, body: String) -> HttpRequest {
    let mut url = String::with_capacity(c.base_url.len() + dir.len() + name.len() + 48);
    url.push_str(&c.base_url);
    url.push_str(dir);
    url.push_str(name);
    HttpRequest { method: Method::Post, url, headers: vec![("Content-Type", "application/json".to_string())], body: Some(body) }
}

/// The request with `?accessToken=` appended, as every Yunzhijia call carries it.
pub fn with_token(mut req: HttpRequest, token: &str) -> HttpRequest {
    let sep = if req.url.contains('?') { '&' } else { '?' };
    req.url.push(sep);
    req.url.push_str("accessToken=");
    req.url.push_str(&query_component(token));
    req
}

/// Whether the server refused the access token itself (expired or unknown), so that a fresh
/// token may cure the call: HTTP 401, or the envelope's `errorCode` 401. Asked of every answer,
/// so the body is parsed only when it could hold that code.
pub fn is_token_rejected(res: &HttpResponse) -> bool {
    res.status == 401
        || (crate::core::text::contains(&res.body, "401")
            && crate::core::json::parse(&res.body).ok().and_then(|b| b.get("errorCode").and_then(Json::as_f64)) == Some(401.0))
}

/// `{success, errorCode, error, data}`: success with `errorCode` 0 or 200 (createForCloudflow's
/// "no error") gives `data`; anything else is the vendor refusing.
pub fn parse_envelope(res: &HttpResponse) -> Result<Output, Error> {
    let token_refused = || Error::new(Code::AuthFailed, "the server refused the access token").with_status(res.status);
    if res.status == 401 {
        return Err(token_refused());
    }
    if let Some(e) = status_error(res) {
        return Err(e);
    }
    // Only the envelope's own members: `data` is checked but not built, as JS parses the body.
    let body = json_members(res, &["success", "errorCode", "error"])?;
    let success = match body.get("success") {
        Some(Json::Bool(b)) => *b,
        Some(Json::Str(s)) => s == "true",
        _ => return Err(Error::bad_response(res.status, "the answer has no `success`")),
    };
    let code = match body.get("errorCode") {
        None | Some(Json::Null) => 0.0,
        Some(Json::Num(n)) => *n,
        Some(Json::Str(s)) => s.trim().parse::<i64>().map_or(-1.0, |n| n as f64),
        Some(_) => return Err(Error::bad_response(res.status, "`errorCode` is not a number")),
    };
    if code == 401.0 {
        return Err(token_refused());
    }
    if success && (code == 0.0 || code == 200.0) {
        return Ok(Output::Data);
    }
    let message = match body.get("error") {
        Some(Json::Str(s)) if !s.is_empty() => Some(s.clone()),
        _ => None,
    };
    let code = crate::core::num::f64_to_string(code);
    let detail = format!("Yunzhijia refused (errorCode {code}): {}", message.as_deref().unwrap_or("no reason given"));
    Err(Error::new(Code::VendorError, detail).with_status(res.status).vendor_said(Some(code), message))
}

/// The chat-history link of seed 004, for a QR code the mobile app scans.
pub fn history_url(p: &Params) -> Result<String, Error> {
    p.deny_unknown(&["mid", "eid", "baseURL"])?;
    let base = match p.opt_str("baseURL")? {
        Some(url) => base_url("baseURL", url)?,
        None => DEFAULT_BASE_URL.to_string(),
    };
    let (mid, eid) = (p.non_empty("mid")?, p.non_empty("eid")?);
    Ok(format!("{base}/imbu/chat/history.html?mid={}&eid={}", query_component(mid), query_component(eid)))
}
