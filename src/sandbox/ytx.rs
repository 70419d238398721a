//! YTX as its server behaves: `/201612/sid/{sid}/call/MeetingQuery.wx?Sign=…` with the
//! `Authorization` header, Sign checked in either case, timestamps older than 24 hours refused,
//! answers `{statusCode, statusMsg, data}` from seeded conferences.

use super::{Request, Response};
use crate::core::json::{self, Json};
use crate::core::sign::md5_hex;
use crate::core::time::parse_beijing_timestamp;

const DAY_MS: f64 = 86_400_000.0;

pub struct Credentials<'a> {
    pub account_sid: &'a str,
    pub auth_token: &'a str,
    pub appid: &'a str,
}

fn status(code: &str, message: &str) -> Response {
    Response::json(200, Json::Obj(vec![("statusCode".into(), Json::str(code)), ("statusMsg".into(), Json::str(message))]))
}

fn conference(confid: &str, name: &str, start: &str, members: &[&str]) -> Json {
    Json::Obj(vec![
        ("confid".into(), Json::str(confid)),
        ("confname".into(), Json::str(name)),
        ("starttime".into(), Json::str(start)),
        ("state".into(), Json::str("1")),
        ("members".into(), Json::Arr(members.iter().map(|m| Json::str(*m)).collect())),
    ])
}

pub fn handle(creds: &Credentials, req: &Request, path: &str, _query: &str, sign: Option<&str>) -> Response {
    let parts: Vec<&str> = path.split('/').collect();
    let ["201612", "sid", sid, "call", "MeetingQuery.wx"] = parts.as_slice() else {
        return Response::json(404, Json::Obj(vec![("statusCode".into(), Json::str("-404")), ("statusMsg".into(), Json::str("接口不存在"))]));
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
    let Ok(body @ Json::Obj(_)) = json::parse(req.body) else {
        return status("-2", "缺少必要参数");
    };
    let count = match body.get("meetingcount") {
        Some(Json::Num(n)) => *n,
        Some(Json::Str(s)) => s.parse().unwrap_or(0.0),
        _ => 0.0,
    };
    let (Some("queryMeeting"), Some(appid), true) = (body.get("action").and_then(Json::as_str), body.get("appid").and_then(Json::as_str), count >= 1.0) else {
        return status("-2", "缺少必要参数");
    };
    if appid != creds.appid {
        return status("-205", "应用验证失败");
    }
    let all = [
        conference("002", "产品周会", "20261123100000", &["13800000001", "13800000002"]),
        conference("003", "运维值班", "20261123140000", &["13800000003"]),
        conference("004", "季度复盘", "20261124090000", &["13800000001", "13800000004"]),
    ];
    let confid = body.get("confid").and_then(Json::as_str).unwrap_or("");
    let data: Vec<Json> = all
        .into_iter()
        .filter(|c| confid.is_empty() || c.get("confid").and_then(Json::as_str) == Some(confid))
        .take(count as usize)
        .collect();
    Response::json(
        200,
        Json::Obj(vec![("statusCode".into(), Json::str("0")), ("statusMsg".into(), Json::str("提交成功")), ("data".into(), Json::Arr(data))]),
    )
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
