//! YTX 云通信 (seed 003): meeting query, signed with `Sign = MD5(accountSID + authToken + ts)` in
//! the URL and `Authorization = base64(accountSID|ts)`, one Beijing-time `yyyyMMddHHmmss` ts.

use crate::core::error::{Code, Error};
use crate::core::http::{base_url, HttpRequest, HttpResponse, Method};
use crate::core::json::Json;
use crate::core::ops::{Kind, Op, Output, Param, Ty};
use crate::core::secret::Secret;
use crate::core::sign::{ytx_authorization, ytx_sign};
use crate::core::time::{beijing_timestamp, now_ms};
use crate::core::validate::Params;
use crate::prelude::*;
use crate::vendors::{json_body, status_error};

pub const SANDBOX_URL: &str = "http://sandbox.ytx.net";
pub const PRODUCTION_URL: &str = "http://api.ytx.net";
const VERSION: &str = "201612";

pub struct Config {
    pub account_sid: String,
    pub auth_token: Secret,
    pub appid: String,
    pub base_url: String,
}

impl Config {
    pub fn from_options(opts: &Params) -> Result<Config, Error> {
        let account_sid = opts.non_empty("accountSID")?;
        if !account_sid.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
            return Err(Error::invalid("accountSID", "must be letters and digits, as the console shows it"));
        }
        let base = match (opts.opt_str("baseURL")?, opts.opt_one_of("env", &["sandbox", "production"])?) {
            (Some(url), _) => base_url("baseURL", url)?,
            (None, Some("sandbox")) => SANDBOX_URL.to_string(),
            (None, Some(_)) => PRODUCTION_URL.to_string(),
            (None, None) => return Err(Error::invalid("env", "is required: 'sandbox' or 'production' (or give baseURL)")),
        };
        Ok(Config {
            account_sid: account_sid.to_string(),
            auth_token: Secret::new(opts.non_empty("authToken")?),
            appid: opts.non_empty("appid")?.to_string(),
            base_url: base,
        })
    }

    pub fn secrets(&self) -> Vec<&str> {
        vec![self.auth_token.expose()]
    }
}

const CONFID: Param =
    Param { name: "confid", ty: Ty::Str, required: false, doc: "a conference's id (meid); absent queries a user's records" };
const MEETINGCOUNT: Param =
    Param { name: "meetingcount", ty: Ty::Positive, required: true, doc: "how many records: 1 for one conference, more for a user's" };

pub static OPS: &[Op<Config>] = &[Op {
    name: "queryMeeting",
    kind: Kind::Read,
    positional: false,
    params: &[CONFID, MEETINGCOUNT],
    doc: "Query a conference room's meeting, or several records.",
    build: |c, p| build_query_meeting(c, p, now_ms()),
    parse,
}];

pub fn build_query_meeting(c: &Config, p: &Params, now: f64) -> Result<HttpRequest, Error> {
    let confid = CONFID.read(p)?.unwrap_or_else(|| Json::str(""));
    let count = MEETINGCOUNT.read(p)?.unwrap_or(Json::Null);
    let ts = beijing_timestamp(now);
    let sign = ytx_sign(&c.account_sid, c.auth_token.expose(), &ts);
    let body = Json::Obj(vec![
        ("action".into(), Json::str("queryMeeting")),
        ("appid".into(), Json::str(c.appid.as_str())),
        ("confid".into(), confid),
        ("meetingcount".into(), count),
    ]);
    Ok(HttpRequest {
        method: Method::Post,
        url: format!("{}/{VERSION}/sid/{}/call/MeetingQuery.wx?Sign={sign}", c.base_url, c.account_sid),
        headers: vec![
            ("Accept", "application/json".into()),
            ("Content-Type", "application/json;charset=utf-8".into()),
            ("Authorization", ytx_authorization(&c.account_sid, &ts)),
        ],
        body: Some(body.to_json_string()),
    })
}

/// The statusCodes that refuse the signature: `-101` the Authorization header (accountSID and
/// timestamp), `-102` a timestamp more than 24 hours off, `-103` the Sign (the authToken). The
/// seed documents only `0` and `-2`; these are the ones the sandbox answers.
const AUTH_CODES: &[&str] = &["-101", "-102", "-103"];

/// `{statusCode, statusMsg, data}`: `"0"` is success.
fn parse(res: &HttpResponse) -> Result<Output, Error> {
    if let Some(e) = status_error(res) {
        return Err(e);
    }
    let body = json_body(res)?;
    let code = match body.get("statusCode") {
        Some(Json::Str(s)) => s.clone(),
        Some(Json::Num(n)) => crate::core::num::f64_to_string(*n),
        _ => return Err(Error::bad_response(res.status, "the answer has no statusCode")),
    };
    if code == "0" {
        return Ok(Output::Data);
    }
    let message = body.get("statusMsg").and_then(Json::as_str).map(str::to_string);
    let mut detail = format!("YTX refused with statusCode {code}: {}", message.as_deref().unwrap_or("no reason given"));
    // A refused signature is refused credentials (the authToken, or the accountSID the
    // Authorization names, or the clock the timestamp comes from), whatever the vendor's wording.
    if AUTH_CODES.contains(&code.as_str()) {
        return Err(Error::new(Code::AuthFailed, detail).with_status(res.status).vendor_said(Some(code), message));
    }
    if code == "-205" {
        detail.push_str(
            " (app validation failed: the appid must match the environment, sandbox or production; \
             the calling host must be on the app's IP whitelist; the app must have the meeting feature and be online)",
        );
    }
    Err(Error::new(Code::VendorError, detail).with_status(res.status).vendor_said(Some(code), message))
}
