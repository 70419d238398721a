//! YTX as its server behaves: `/201612/sid/{sid}/call/MeetingQuery.wx?Sign=…` with the
//! `Authorization` header, Sign checked in either case, timestamps older than 24 hours refused,
//! answers `{statusCode, statusMsg, data}` from seeded conferences and refusals
//! `{statusCode, statusMsg, requestId}`, all HTTP 200.

use serde::Serialize;
use serde_json::Value;

use super::{Request, Response};
use crate::core::sign::md5_hex;
use crate::core::time::parse_beijing_timestamp;

const DAY_MS: f64 = 86_400_000.0;

/// The one operation, in the name of the client's table (the body's `action`).
pub const OPERATION: &str = "queryMeeting";

pub fn operation(method: &str, path: &str) -> Option<&'static str> {
    let parts: Vec<&str> = path.split('/').collect();
    matches!((method, parts.as_slice()), (_, ["201612", "sid", _, "call", "MeetingQuery.wx"])).then_some(OPERATION)
}

pub struct Credentials<'a> {
    pub account_sid: &'a str,
    pub auth_token: &'a str,
    pub appid: &'a str,
}

/// A refusal as seed 003's sample: `{"statusCode":"-2","statusMsg":"缺少必要参数","requestId":""}`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Refusal<'a> {
    status_code: &'a str,
    status_msg: &'a str,
    request_id: &'a str,
}

/// Success as seed 003's sample: `{"statusCode":"0","statusMsg":"提交成功","data":会议室详细信息}`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Success {
    status_code: &'static str,
    status_msg: &'static str,
    data: Vec<Conference>,
}

#[derive(Serialize)]
struct Conference {
    confid: &'static str,
    confname: &'static str,
    starttime: &'static str,
    state: &'static str,
    members: &'static [&'static str],
}

const CONFERENCES: [Conference; 3] = [
    Conference {
        confid: "002", confname: "产品周会", starttime: "20261123100000", state: "1", members: &["13800000001", "13800000002"]
    },
    Conference { confid: "003", confname: "运维值班", starttime: "20261123140000", state: "1", members: &["13800000003"] },
    Conference {
        confid: "004", confname: "季度复盘", starttime: "20261124090000", state: "1", members: &["13800000001", "13800000004"]
    },
];

/// Every answer is HTTP 200, refusals included, as the seed's error sample shows.
fn status(code: &str, message: &str) -> Response {
    Response::serde(200, &Refusal { status_code: code, status_msg: message, request_id: "" })
}

pub fn handle(creds: &Credentials, req: &Request, path: &str, _query: &str, sign: Option<&str>) -> Response {
    let parts: Vec<&str> = path.split('/').collect();
    let ["201612", "sid", sid, "call", "MeetingQuery.wx"] = parts.as_slice() else {
        return status("-404", "接口不存在: /201612/sid/{accountSID}/call/MeetingQuery.wx");
    };
    if req.method != "POST" {
        return status("-3", "请求方式错误 (POST only)");
    }
    if *sid != creds.account_sid {
        return status("-100", "账户不存在 (unknown accountSID)");
    }
    // Authorization: base64(sid|timestamp), decoded here with the sandbox's own decoder.
    let Some(auth) = req.header("Authorization").and_then(decode_base64) else {
        return status("-101", "Authorization 无效");
    };
    let Some((auth_sid, ts)) = auth.split_once('|') else {
        return status("-101", "Authorization 无效");
    };
    let Some(at) = parse_beijing_timestamp(ts) else {
        return status("-101", "Authorization 时间戳格式应为 yyyyMMddHHmmss");
    };
    if auth_sid != creds.account_sid {
        return status("-101", "Authorization 账户不符");
    }
    if req.now_ms - at > DAY_MS || at - req.now_ms > DAY_MS {
        return status("-102", "时间戳已过期 (older than 24 hours)");
    }
    let expected = md5_hex(format!("{}{}{ts}", creds.account_sid, creds.auth_token).as_bytes());
    if !sign.is_some_and(|s| s.eq_ignore_ascii_case(&expected)) {
        return status("-103", "Sign 校验失败");
    }
    let Some(body) = serde_json::from_str::<Value>(req.body).ok().filter(Value::is_object) else {
        return status("-2", "缺少必要参数");
    };
    // The seed's sample sends meetingcount as a string ("1"); the table calls it an int.
    let count = match &body["meetingcount"] {
        Value::Number(n) => n.as_f64().unwrap_or(0.0),
        Value::String(s) => s.parse().unwrap_or(0.0),
        _ => 0.0,
    };
    let (Some("queryMeeting"), Some(appid), true) = (body["action"].as_str(), body["appid"].as_str(), count >= 1.0) else {
        return status("-2", "缺少必要参数");
    };
    if appid != creds.appid {
        return status("-205", "应用验证失败");
    }
    let confid = body["confid"].as_str().unwrap_or("");
    let data = CONFERENCES.into_iter().filter(|c| confid.is_empty() || c.confid == confid).take(count as usize).collect();
    Response::serde(200, &Success { status_code: "0", status_msg: "提交成功", data })
}

/// Standard base64 to UTF-8 text; `None` on anything malformed.
fn decode_base64(s: &str) -> Option<String> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let s = s.trim().trim_end_matches('=');
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for c in s.bytes() {
        acc = (acc << 6) | u32::from(val(c)?);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::decode_base64;

    #[test]
    fn decodes_standard_base64() {
        assert_eq!(decode_base64("YWJjfDIwMTQwNDE2MTQyMDMw").as_deref(), Some("abc|20140416142030"));
        assert_eq!(decode_base64("YQ==").as_deref(), Some("a"));
        assert_eq!(decode_base64("a b"), None);
    }
}
