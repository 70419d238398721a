//! XuanXuan (seed 002) and YTX (seed 003): signed requests and their envelopes.

use workbridge::core::error::Code;
use workbridge::core::http::{HttpResponse, Method};
use workbridge::core::json::{parse, Json};
use workbridge::core::ops::{Output, Vendor};
use workbridge::core::sign::{md5_hex, php_parse_str};
use workbridge::core::validate::Params;
use workbridge::vendors::{ytx, Client};

fn xx() -> Client {
    let opts = parse(r#"{"serverURL":"https://myxxb.com","code":"myAppCode","key":"3cd0914d656e90ab181f1d52ff352cfe"}"#).unwrap();
    Client::new(Vendor::Xuanxuan, &opts).unwrap()
}

fn xx_invalid(op: &str, params: &str) -> String {
    let e = xx().prepare(op, &parse(params).unwrap()).err().expect("should be refused");
    assert_eq!(e.code, Code::InvalidArgument, "{e}");
    e.field.unwrap_or_default().into()
}

/// Checks the token the way the server does, from the URL alone: the query parsed (PHP's
/// `parse_str`), `token` dropped and the rest written again by `http_build_query`, which is
/// then the query sent less its token, byte for byte.
fn token_verifies(url: &str, key: &str) -> bool {
    let query = url.split_once('?').unwrap().1;
    let (signed, token) = query.rsplit_once("&token=").unwrap();
    let rebuilt: Vec<String> = php_parse_str(signed).iter().map(|(k, v)| format!("{}={}", php_build(k), php_build(v))).collect();
    rebuilt.join("&") == signed && token == md5_hex(format!("{}{key}", md5_hex(signed.as_bytes())).as_bytes())
}

/// `http_build_query`'s encoding, written out here again rather than taken from the crate.
fn php_build(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            b' ' => "+".into(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[test]
fn any_gid_or_code_is_written_as_http_build_query_writes_it() {
    let opts = parse(r#"{"serverURL":"https://x","code":"my app~*","key":"k"}"#).unwrap();
    let c = Client::new(Vendor::Xuanxuan, &opts).unwrap();
    let p = c.prepare("getChatUsers", &parse(r#"{"gid":"team a~*+%&中😀"}"#).unwrap()).unwrap();
    assert!(
        p.request.url.contains("?m=im&f=getChatUsers&gid=team+a%7E%2A%2B%25%26%E4%B8%AD%F0%9F%98%80&code=my+app%7E%2A&token="),
        "{}",
        p.request.url
    );
    assert!(token_verifies(&p.request.url, "k"));
}

#[test]
fn get_group_chats_is_a_signed_get_on_x_php() {
    let p = xx().prepare("getGroupChats", &Json::Null).unwrap();
    assert_eq!(p.request.method, Method::Get);
    assert!(p.request.url.starts_with("https://myxxb.com/x.php?m=im&f=getGroupChats&code=myAppCode&token="), "{}", p.request.url);
    assert!(token_verifies(&p.request.url, "3cd0914d656e90ab181f1d52ff352cfe"));
}

#[test]
fn get_chat_users_puts_gid_before_code() {
    let p = xx().prepare("getChatUsers", &parse(r#"{"gid":"30683aea-7a1f-4ec8-a6d6-834e0310fd7d"}"#).unwrap()).unwrap();
    assert!(p.request.url.contains("?m=im&f=getChatUsers&gid=30683aea-7a1f-4ec8-a6d6-834e0310fd7d&code=myAppCode&token="));
    assert!(token_verifies(&p.request.url, "3cd0914d656e90ab181f1d52ff352cfe"));
    let all = xx().prepare("getChatUsers", &Json::Null).unwrap();
    assert!(token_verifies(&all.request.url, "3cd0914d656e90ab181f1d52ff352cfe"));
    assert!(!all.request.url.contains("gid="));
}

#[test]
fn send_notification_posts_the_seed_message_as_json() {
    let params = r#"{"users":[1,3],"title":"测试通知消息","subtitle":"测试通知消息副标题","content":"**测试消息**内容","contentType":"text","url":"http://xuan.im","actions":[{"type":"danger","label":"更新日志","url":"https://xuan.im/page/changelogs.html"}],"sender":{"avatar":"https://avatars2.githubusercontent.com/u/472425?s=460&v=4","name":"Catouse","id":"catouse"}}"#;
    let p = xx().prepare("sendNotification", &parse(params).unwrap()).unwrap();
    assert_eq!(p.request.method, Method::Post);
    assert_eq!(p.request.header("Content-Type"), Some("application/json"));
    assert!(p.request.url.contains("f=sendNotification&code=myAppCode&token="));
    assert_eq!(
        p.request.body.as_deref().unwrap(),
        r#"{"users":[1,3],"title":"测试通知消息","subtitle":"测试通知消息副标题","content":"**测试消息**内容","contentType":"text","url":"http://xuan.im","actions":[{"label":"更新日志","url":"https://xuan.im/page/changelogs.html","type":"danger"}],"sender":{"id":"catouse","name":"Catouse","avatar":"https://avatars2.githubusercontent.com/u/472425?s=460&v=4"}}"#
    );
}

#[test]
fn message_rules_name_the_field() {
    let ok = r#""title":"t","contentType":"plain""#;
    assert_eq!(xx_invalid("sendNotification", &format!("{{{ok}}}")), "users");
    assert_eq!(xx_invalid("sendNotification", &format!("{{\"users\":[],{ok}}}")), "users");
    assert_eq!(xx_invalid("sendNotification", &format!("{{\"users\":[1,null],{ok}}}")), "users[1]");
    assert_eq!(xx_invalid("sendNotification", r#"{"users":[1],"contentType":"plain"}"#), "title");
    assert_eq!(xx_invalid("sendNotification", r#"{"users":[1],"title":"t"}"#), "contentType");
    assert_eq!(xx_invalid("sendNotification", r#"{"users":[1],"title":"t","contentType":"html"}"#), "contentType");
    assert_eq!(
        xx_invalid(
            "sendNotification",
            &format!("{{\"users\":[1],{ok},\"actions\":[{{\"label\":\"l\",\"url\":\"u\",\"type\":\"normal\"}}]}}")
        ),
        "actions[0].type"
    );
    assert_eq!(xx_invalid("sendNotification", &format!("{{\"users\":[1],{ok},\"actions\":[{{\"label\":\"l\"}}]}}")), "actions[0].url");
    assert_eq!(xx_invalid("sendNotification", &format!("{{\"users\":[1],{ok},\"actions\":[{{\"url\":\"u\"}}]}}")), "actions[0].label");
    assert_eq!(xx_invalid("sendNotification", &format!("{{\"users\":[1],{ok},\"sender\":{{\"id\":\"x\"}}}}")), "sender.avatar");
    assert_eq!(xx_invalid("sendNotification", &format!("{{\"users\":[1],{ok},\"sender\":{{\"avatar\":\"a\"}}}}")), "sender.id");
    assert_eq!(xx_invalid("sendNotification", &format!("{{\"users\":[1],{ok},\"contenttype\":\"text\"}}")), "contenttype");
    assert_eq!(xx_invalid("sendChatMessage", &format!("{{{ok}}}")), "gid");
    assert_eq!(xx_invalid("sendChatMessage", &format!("{{\"gid\":\"\",{ok}}}")), "gid");
    // The server refuses a send without a sender (应当设置发送方信息。): so does the client, first.
    assert_eq!(xx_invalid("sendNotification", &format!("{{\"users\":[1],{ok}}}")), "sender");
    assert_eq!(xx_invalid("sendChatMessage", &format!("{{\"gid\":\"g\",{ok}}}")), "sender");
}

#[test]
fn the_sender_option_is_the_default_and_a_param_overrides_it() {
    let opts = parse(r#"{"serverURL":"https://x","code":"c","key":"k","sender":{"avatar":"https://a/1.png","id":"bot"}}"#).unwrap();
    let c = Client::new(Vendor::Xuanxuan, &opts).unwrap();
    let p = c.prepare("sendChatMessage", &parse(r#"{"gid":"g","title":"t","contentType":"plain"}"#).unwrap()).unwrap();
    assert_eq!(
        p.request.body.as_deref(),
        Some(r#"{"gid":"g","title":"t","contentType":"plain","sender":{"id":"bot","avatar":"https://a/1.png"}}"#)
    );
    let own = r#"{"gid":"g","title":"t","contentType":"plain","sender":{"id":7,"avatar":"b"}}"#;
    let p = c.prepare("sendChatMessage", &parse(own).unwrap()).unwrap();
    assert!(p.request.body.as_deref().unwrap().ends_with(r#""sender":{"id":7,"avatar":"b"}}"#));
    for (bad, field) in [(r#"{"id":"x"}"#, "sender.avatar"), (r#"{"avatar":"a"}"#, "sender.id"), ("[1]", "sender")] {
        let opts = parse(&format!(r#"{{"serverURL":"https://x","code":"c","key":"k","sender":{bad}}}"#)).unwrap();
        let e = Client::new(Vendor::Xuanxuan, &opts).err().expect("refused");
        assert_eq!((e.code, e.field.as_deref()), (Code::InvalidArgument, Some(field)), "{bad}");
    }
}

fn xx_finish(body: &str) -> Result<Output, workbridge::core::error::Error> {
    let c = xx();
    let p = c.prepare("getGroupChats", &Json::Null).unwrap();
    c.finish(&p, &HttpResponse::new(200, body))
}

#[test]
fn xuanxuan_envelopes_resolve_data_or_reject_with_the_message() {
    let data = xx_finish(r#"{"result":"success","data":{"30683aea":"第四期项目讨论"}}"#).unwrap();
    assert_eq!(data, Output::Data);
    let e = xx_finish(r#"{"result":"fail","message":"应当设置接收者用户列表。"}"#).unwrap_err();
    assert_eq!(e.code, Code::VendorError);
    assert_eq!(e.vendor_message.as_deref(), Some("应当设置接收者用户列表。"));
    assert!(e.message().contains("应当设置接收者用户列表。"));
    assert_eq!(xx_finish("<html>").unwrap_err().code, Code::BadResponse);
    // PHP's json_encode of an empty array: the empty object the other answers are.
    assert_eq!(xx_finish(r#"{"result":"success","data":[]}"#).unwrap(), Output::EmptyObject);
    let e = xx_finish(r#"{"result":"fail","message":["a","b"]}"#).unwrap_err();
    assert_eq!(e.vendor_message.as_deref(), Some("a; b"));
}

#[test]
fn the_entrys_errcode_refusals_name_the_code_and_the_servers_words() {
    for (body, code, vendor_code, words) in [
        (r#"{"errcode":401,"errmsg":"无效的token参数"}"#, Code::AuthFailed, "401", "无效的token参数"),
        (r#"{"errcode":404,"errmsg":"应用不存在"}"#, Code::AuthFailed, "404", "应用不存在"),
        (r#"{"errcode":403,"errmsg":"该IP被限制访问"}"#, Code::VendorError, "403", "该IP被限制访问"),
        (r#"{"errcode":"405","errmsg":"Token已失效"}"#, Code::VendorError, "405", "Token已失效"),
        (r#"{"errcode":407,"errmsg":"错误的时间戳。"}"#, Code::VendorError, "407", "错误的时间戳。"),
    ] {
        let e = xx_finish(body).unwrap_err();
        assert_eq!(e.code, code, "{body}");
        assert_eq!((e.vendor_code.as_deref(), e.vendor_message.as_deref()), (Some(vendor_code), Some(words)));
        assert!(e.message().contains(words) && e.message().contains(vendor_code), "{}", e.message());
    }
}

#[test]
fn xuanxuan_refusing_the_token_or_the_app_code_is_auth_failed() {
    for message in ["token 校验失败 (invalid token)", "Token error", "应用代号无效 (unknown app code)"] {
        let e = xx_finish(&format!(r#"{{"result":"fail","message":"{message}"}}"#)).unwrap_err();
        assert_eq!(e.code, Code::AuthFailed, "{message}");
        assert_eq!((e.vendor_code.as_deref(), e.vendor_message.as_deref()), (Some("fail"), Some(message)));
        assert!(e.message().contains(message), "{}", e.message());
    }
}

fn ytx_config() -> ytx::Config {
    let opts = parse(
        r#"{"accountSID":"abcdefghijklmnopqrstuvwxyz012345","authToken":"tok","appid":"ff8080813fc70a7b013fc72312324213","env":"sandbox"}"#,
    )
    .unwrap();
    match Client::new(Vendor::Ytx, &opts).unwrap() {
        Client::Ytx(c) => c,
        _ => unreachable!(),
    }
}

#[test]
fn ytx_query_meeting_is_signed_with_one_beijing_timestamp() {
    // 2014-04-16 06:20:30 UTC = 14:20:30 in Beijing.
    let now = 1_397_629_230_000.0;
    let params = parse(r#"{"confid":"002","meetingcount":1}"#).unwrap();
    let req = ytx::build_query_meeting(&ytx_config(), &Params::new(&params).unwrap(), now).unwrap();
    let sign = md5_hex(b"abcdefghijklmnopqrstuvwxyz012345tok20140416142030").to_ascii_uppercase();
    assert_eq!(req.url, format!("http://sandbox.ytx.net/201612/sid/abcdefghijklmnopqrstuvwxyz012345/call/MeetingQuery.wx?Sign={sign}"));
    assert_eq!(req.header("Accept"), Some("application/json"));
    assert_eq!(req.header("Content-Type"), Some("application/json;charset=utf-8"));
    // base64("abcdefghijklmnopqrstuvwxyz012345|20140416142030")
    assert_eq!(req.header("Authorization"), Some("YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXowMTIzNDV8MjAxNDA0MTYxNDIwMzA="));
    assert_eq!(
        req.body.as_deref(),
        Some(r#"{"action":"queryMeeting","appid":"ff8080813fc70a7b013fc72312324213","confid":"002","meetingcount":1}"#)
    );
}

#[test]
fn ytx_options_and_params_are_checked() {
    for (opts, field) in [
        (r#"{"accountSID":"s","authToken":"t","appid":"a"}"#, "env"),
        (r#"{"accountSID":"s","authToken":"t","appid":"a","env":"staging"}"#, "env"),
        (r#"{"accountSID":"s/../x","authToken":"t","appid":"a","env":"sandbox"}"#, "accountSID"),
        (r#"{"accountSID":"s","appid":"a","env":"sandbox"}"#, "authToken"),
        (r#"{"accountSID":"s","authToken":"t","env":"sandbox"}"#, "appid"),
    ] {
        assert_eq!(Client::new(Vendor::Ytx, &parse(opts).unwrap()).err().unwrap().field.as_deref(), Some(field), "{opts}");
    }
    let prod = Client::new(Vendor::Ytx, &parse(r#"{"accountSID":"s","authToken":"t","appid":"a","env":"production"}"#).unwrap()).unwrap();
    assert!(prod
        .prepare("queryMeeting", &parse(r#"{"meetingcount":2}"#).unwrap())
        .unwrap()
        .request
        .url
        .starts_with("http://api.ytx.net/201612/sid/s/"));
    for (params, field) in [
        (r#"{}"#, "meetingcount"),
        (r#"{"meetingcount":0}"#, "meetingcount"),
        (r#"{"meetingcount":1.5}"#, "meetingcount"),
        (r#"{"meetingcount":1,"confid":2}"#, "confid"),
        (r#"{"meetingcount":1,"confId":"2"}"#, "confId"),
    ] {
        assert_eq!(prod.prepare("queryMeeting", &parse(params).unwrap()).err().unwrap().field.as_deref(), Some(field), "{params}");
    }
}

#[test]
fn ytx_status_codes_other_than_0_reject_with_vendor_code() {
    let c = Client::new(Vendor::Ytx, &parse(r#"{"accountSID":"s","authToken":"t","appid":"a","env":"sandbox"}"#).unwrap()).unwrap();
    let p = c.prepare("queryMeeting", &parse(r#"{"meetingcount":1}"#).unwrap()).unwrap();
    let ok = c.finish(&p, &HttpResponse::new(200, r#"{"statusCode":"0","statusMsg":"提交成功","data":[{"confid":"002"}]}"#)).unwrap();
    assert_eq!(ok, Output::Data);
    let e = c.finish(&p, &HttpResponse::new(200, r#"{"statusCode":"-2","statusMsg":"缺少必要参数","requestId":""}"#)).unwrap_err();
    assert_eq!((e.code, e.vendor_code.as_deref(), e.vendor_message.as_deref()), (Code::VendorError, Some("-2"), Some("缺少必要参数")));
    let e = c.finish(&p, &HttpResponse::new(200, r#"{"statusCode":"-205","statusMsg":"应用验证失败"}"#)).unwrap_err();
    assert!(e.detail.contains("IP whitelist") && e.detail.contains("environment"), "{}", e.detail);
    assert_eq!(c.finish(&p, &HttpResponse::new(200, r#"{"statusMsg":"x"}"#)).unwrap_err().code, Code::BadResponse);
    assert_eq!(c.finish(&p, &HttpResponse::new(401, "")).unwrap_err().code, Code::AuthFailed);
}

#[test]
fn ytx_refused_authorization_timestamp_or_sign_is_auth_failed() {
    let c = Client::new(Vendor::Ytx, &parse(r#"{"accountSID":"s","authToken":"t","appid":"a","env":"sandbox"}"#).unwrap()).unwrap();
    let p = c.prepare("queryMeeting", &parse(r#"{"meetingcount":1}"#).unwrap()).unwrap();
    for (code, msg) in [("-101", "Authorization 无效"), ("-102", "时间戳已过期"), ("-103", "Sign 校验失败")] {
        let body = format!(r#"{{"statusCode":"{code}","statusMsg":"{msg}","requestId":""}}"#);
        let e = c.finish(&p, &HttpResponse::new(200, &body)).unwrap_err();
        assert_eq!((e.code, e.vendor_code.as_deref(), e.vendor_message.as_deref()), (Code::AuthFailed, Some(code), Some(msg)));
        assert!(e.message().contains(msg), "{}", e.message());
    }
}
