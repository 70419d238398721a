//! The XuanXuan and YTX emulators, driven with raw requests signed by hand.
#![cfg(feature = "sandbox")]

use workbridge::core::json::{parse, Json};
use workbridge::core::sign::md5_hex;
use workbridge::sandbox::{Request, Sandbox};

const NOW: f64 = 1_397_629_230_000.0; // 2014-04-16 14:20:30 in Beijing

fn call(sb: &mut Sandbox, method: &str, target: &str, headers: &[(String, String)], body: &str) -> Json {
    let res = sb.handle(&Request { method, target, headers, body, now_ms: NOW });
    assert_eq!(res.status, 200, "{}", res.body);
    parse(&res.body).unwrap()
}

fn xx_target(query: &str, key: &str) -> String {
    let token = md5_hex(format!("{}{key}", md5_hex(query.as_bytes())).as_bytes());
    format!("/xuanxuan/x.php?{query}&token={token}")
}

#[test]
fn xuanxuan_answers_a_correctly_signed_request_and_refuses_a_bad_token() {
    let mut sb = Sandbox::new(&Json::Null);
    let ok = call(&mut sb, "GET", &xx_target("m=im&f=getGroupChats&code=sandbox", "sandbox-key"), &[], "");
    assert_eq!(ok.get("result").and_then(Json::as_str), Some("success"));
    assert_eq!(ok.get("data").and_then(|d| d.get("81c6ba89-00ab-4431-8e47-063556ae4886")).and_then(Json::as_str), Some("研发部"));
    // The entry's refusals are `{errcode, errmsg}` (commonModel::response), in HTTP 200.
    let bad = call(&mut sb, "GET", &xx_target("m=im&f=getGroupChats&code=sandbox", "wrong-key"), &[], "");
    assert_eq!(bad.to_json_string(), r#"{"errcode":401,"errmsg":"无效的token参数"}"#);
    // A tampered query (gid added after signing) fails too.
    let signed = xx_target("m=im&f=getChatUsers&code=sandbox", "sandbox-key").replace("f=getChatUsers", "f=getChatUsers&gid=x");
    assert_eq!(call(&mut sb, "GET", &signed, &[], "").get("errcode").and_then(Json::as_f64), Some(401.0));
    let other_app = call(&mut sb, "GET", &xx_target("m=im&f=getGroupChats&code=other", "sandbox-key"), &[], "");
    assert_eq!(other_app.to_json_string(), r#"{"errcode":404,"errmsg":"应用不存在"}"#);
    let no_code = call(&mut sb, "GET", &xx_target("m=im&f=getGroupChats", "sandbox-key"), &[], "");
    assert_eq!(no_code.to_json_string(), r#"{"errcode":401,"errmsg":"缺少code参数"}"#);
}

#[test]
fn xuanxuan_hashes_the_query_as_php_rewrites_it_not_as_it_came() {
    let mut sb = Sandbox::new(&Json::Null);
    // Signed over http_build_query's form (`+`, `%7E`): sent in another spelling, it verifies.
    let canonical = "m=im&f=getChatUsers&gid=team+a%7E&code=sandbox";
    let token = md5_hex(format!("{}sandbox-key", md5_hex(canonical.as_bytes())).as_bytes());
    let sent = format!("/xuanxuan/x.php?m=im&f=getChatUsers&gid=team%20a~&code=sandbox&token={token}");
    let ok = call(&mut sb, "GET", &sent, &[], "");
    assert_eq!(ok.to_json_string(), r#"{"result":"success","data":[]}"#, "an unknown group has no members: PHP's []");
    // Signed over the bytes as sent (the old client's way): refused, as the server refuses it.
    let raw = "m=im&f=getChatUsers&gid=team%20a~&code=sandbox";
    let old = md5_hex(format!("{}sandbox-key", md5_hex(raw.as_bytes())).as_bytes());
    let refused = call(&mut sb, "GET", &format!("/xuanxuan/x.php?{raw}&token={old}"), &[], "");
    assert_eq!(refused.get("errcode").and_then(Json::as_f64), Some(401.0));
}

#[test]
fn xuanxuan_takes_the_time_scheme_once_per_second() {
    let mut sb = Sandbox::new(&Json::Null);
    let timed = |time: &str| {
        let token = md5_hex(format!("sandboxsandbox-key{time}").as_bytes());
        format!("/xuanxuan/x.php?m=im&f=getGroupChats&code=sandbox&time={time}&token={token}")
    };
    assert_eq!(call(&mut sb, "GET", &timed("1795400000"), &[], "").get("result").and_then(Json::as_str), Some("success"));
    let again = call(&mut sb, "GET", &timed("1795400000"), &[], "");
    assert_eq!(again.to_json_string(), r#"{"errcode":405,"errmsg":"Token已失效"}"#, "a replayed time");
    assert_eq!(call(&mut sb, "GET", &timed("1795400001123"), &[], "").get("result").and_then(Json::as_str), Some("success"));
    for bad in ["179540000", "4795400000", "x"] {
        let e = call(&mut sb, "GET", &timed(bad), &[], "");
        assert_eq!(e.to_json_string(), r#"{"errcode":407,"errmsg":"错误的时间戳。"}"#, "{bad}");
    }
}

#[test]
fn xuanxuan_group_members_and_the_seeds_missing_users_message() {
    let mut sb = Sandbox::new(&Json::Null);
    let members = call(
        &mut sb,
        "GET",
        &xx_target("m=im&f=getChatUsers&gid=81c6ba89-00ab-4431-8e47-063556ae4886&code=sandbox", "sandbox-key"),
        &[],
        "",
    );
    assert_eq!(members.get("data").unwrap().to_json_string(), r#"{"1":"管理员","3":"张三"}"#);
    let no_users = call(
        &mut sb,
        "POST",
        &xx_target("m=im&f=sendNotification&code=sandbox", "sandbox-key"),
        &[],
        r#"{"title":"t","contentType":"text"}"#,
    );
    assert_eq!(no_users.get("message").and_then(Json::as_str), Some("应当设置接收者用户列表。"));
    // The im control requires a sender, before the title, on both sends.
    let target = xx_target("m=im&f=sendNotification&code=sandbox", "sandbox-key");
    let no_sender = call(&mut sb, "POST", &target, &[], r#"{"users":[1],"contentType":"text"}"#);
    assert_eq!(no_sender.get("message").and_then(Json::as_str), Some("应当设置发送方信息。"));
    let no_title = call(&mut sb, "POST", &target, &[], r#"{"users":[1],"contentType":"text","sender":{"id":1,"avatar":"a"}}"#);
    assert_eq!(no_title.get("message").and_then(Json::as_str), Some("请提供通知信息的标题。"));
    let chat = xx_target("m=im&f=sendChatMessage&code=sandbox", "sandbox-key");
    let gid = "64da14c3-c07a-45af-9c61-4e638de4af26";
    let no_sender = call(&mut sb, "POST", &chat, &[], &format!(r#"{{"gid":"{gid}","title":"t","contentType":"text"}}"#));
    assert_eq!(no_sender.get("message").and_then(Json::as_str), Some("应当设置发送方信息。"));
    let no_gid = call(&mut sb, "POST", &chat, &[], r#"{"title":"t","contentType":"text"}"#);
    assert_eq!(no_gid.get("message").and_then(Json::as_str), Some("应当设置接收讨论组。"));
    let sent = call(&mut sb, "POST", &target, &[], r#"{"users":[1],"title":"t","contentType":"text","sender":{"id":1,"avatar":"a"}}"#);
    assert_eq!(sent.get("result").and_then(Json::as_str), Some("success"));
}

fn ytx_headers(sid: &str, ts: &str) -> Vec<(String, String)> {
    use base64::Engine as _;
    vec![("authorization".into(), base64::engine::general_purpose::STANDARD.encode(format!("{sid}|{ts}")))]
}

fn ytx(sb: &mut Sandbox, sign: &str, ts: &str, body: &str) -> Json {
    call(sb, "POST", &format!("/ytx/201612/sid/sandbox-sid/call/MeetingQuery.wx?Sign={sign}"), &ytx_headers("sandbox-sid", ts), body)
}

#[test]
fn ytx_verifies_sign_in_either_case_and_the_timestamp_window() {
    let mut sb = Sandbox::new(&Json::Null);
    let ts = "20140416142030";
    let sign = md5_hex(format!("sandbox-sidsandbox-token{ts}").as_bytes());
    let body = r#"{"action":"queryMeeting","appid":"sandbox-app","confid":"002","meetingcount":1}"#;
    for s in [sign.clone(), sign.to_ascii_uppercase()] {
        let ok = ytx(&mut sb, &s, ts, body);
        assert_eq!(ok.get("statusCode").and_then(Json::as_str), Some("0"));
        assert_eq!(ok.get("data").and_then(Json::as_array).map(|d| d.len()), Some(1));
    }
    assert_eq!(ytx(&mut sb, "0000", ts, body).get("statusCode").and_then(Json::as_str), Some("-103"));
    let old = "20140415142029";
    let old_sign = md5_hex(format!("sandbox-sidsandbox-token{old}").as_bytes());
    assert_eq!(ytx(&mut sb, &old_sign, old, body).get("statusCode").and_then(Json::as_str), Some("-102"));
    let wrong_app = r#"{"action":"queryMeeting","appid":"other","meetingcount":1}"#;
    assert_eq!(ytx(&mut sb, &sign, ts, wrong_app).get("statusCode").and_then(Json::as_str), Some("-205"));
    let missing = r#"{"action":"queryMeeting","appid":"sandbox-app"}"#;
    let e = ytx(&mut sb, &sign, ts, missing);
    assert_eq!((e.get("statusCode").and_then(Json::as_str), e.get("statusMsg").and_then(Json::as_str)), (Some("-2"), Some("缺少必要参数")));
}
