//! The nine differences from the vendors' documents that issue 19 lists, each checked from the
//! wire with raw requests, and fault scopes named as the operation tables name operations.
#![cfg(feature = "sandbox")]

use workbridge::core::json::{parse, Json};
use workbridge::core::sign::md5_hex;
use workbridge::sandbox::{operations, Request, Response, Sandbox};

const NOW: f64 = 1_795_400_000_000.0;

fn send(sb: &mut Sandbox, method: &str, target: &str, headers: &[(String, String)], body: &str) -> (u16, Json) {
    let res: Response = sb.handle(&Request { method, target, headers, body, now_ms: NOW });
    (res.status, parse(&res.body).unwrap_or(Json::Null))
}

fn member<'a>(v: &'a Json, path: &str) -> &'a Json {
    path.split('.').fold(v, |v, k| v.get(k).unwrap_or(&Json::Null))
}

fn keys(v: &Json) -> Vec<String> {
    match v {
        Json::Obj(m) => m.iter().map(|(k, _)| k.clone()).collect(),
        _ => Vec::new(),
    }
}

fn yzj_token(sb: &mut Sandbox, fields: &str) -> String {
    let body = format!(r#"{{{fields},"timestamp":{NOW}}}"#);
    let (_, res) = send(sb, "POST", "/yunzhijia/gateway/oauth2/token/getAccessToken", &[], &body);
    member(&res, "data.accessToken").as_str().unwrap_or_else(|| panic!("{res:?}")).to_string()
}

fn yzj(sb: &mut Sandbox, token: &str, path: &str, body: &str) -> Json {
    let (status, res) = send(sb, "POST", &format!("/yunzhijia/{path}?accessToken={token}"), &[], body);
    assert_eq!(status, 200, "{res:?}");
    res
}

fn ok_data(res: &Json) -> &Json {
    assert_eq!(res.get("success"), Some(&Json::Bool(true)), "{res:?}");
    member(res, "data")
}

const RES: &str = r#""eid":"10109","secret":"sandbox-secret","scope":"resGroupSecret""#;
const ROOM: &str = "5c121cfd7453ed63750a9767";

// 1. YTX errors carry requestId, as seed 003's sample.
#[test]
fn ytx_refusals_carry_request_id_as_the_seed_shows() {
    let mut sb = Sandbox::new(&Json::Null);
    use base64::Engine as _;
    let ts = "20261123100000";
    let now = 1_795_399_200_000.0; // 2026-11-23 10:00:00 Beijing
    let auth = vec![("Authorization".to_string(), base64::engine::general_purpose::STANDARD.encode(format!("sandbox-sid|{ts}")))];
    let sign = md5_hex(format!("sandbox-sidsandbox-token{ts}").as_bytes());
    let target = |s: &str| format!("/ytx/201612/sid/sandbox-sid/call/MeetingQuery.wx?Sign={s}");
    // (Sign, headers, body, the statusCode expected)
    type Case<'a> = (&'a str, &'a [(String, String)], &'a str, &'a str);
    let cases: [Case; 4] = [
        (&sign, &auth, r#"{"action":"queryMeeting"}"#, "-2"),
        (&sign, &[], "{}", "-101"),
        ("00", &auth, "{}", "-103"),
        (&sign, &auth, r#"{"action":"queryMeeting","appid":"other","meetingcount":"1"}"#, "-205"),
    ];
    for (s, headers, body, code) in cases {
        let res = sb.handle(&Request { method: "POST", target: &target(s), headers, body, now_ms: now });
        assert_eq!(res.status, 200);
        let json = parse(&res.body).unwrap();
        assert_eq!(keys(&json), ["statusCode", "statusMsg", "requestId"], "{}", res.body);
        assert_eq!((member(&json, "statusCode").as_str(), member(&json, "requestId").as_str()), (Some(code), Some("")));
    }
}

// 2. Room-booking answers have "error": "" (seed 001's four samples); meetings keep null.
#[test]
fn room_booking_answers_error_as_an_empty_string() {
    let mut sb = Sandbox::new(&Json::Null);
    let t = yzj_token(&mut sb, RES);
    let info = yzj(&mut sb, &t, "api/roomBook/third/bookInfo", r#"{"eid":"10109","lastTime":"1538064000000"}"#);
    let order = member(&info, "data.add")
        .as_array()
        .and_then(|a| a.first())
        .and_then(|b| b.get("orderId"))
        .and_then(Json::as_str)
        .unwrap()
        .to_string();
    for (op, body) in [
        ("hasNew", r#"{"eid":"10109"}"#.to_string()),
        ("bookInfo", r#"{"eid":"10109"}"#.to_string()),
        ("freeRooms", r#"{"openId":"o","startTime":1538121600000,"endTime":1538125200000}"#.to_string()),
        ("getActors", format!(r#"{{"orderId":"{order}"}}"#)),
    ] {
        let res = yzj(&mut sb, &t, &format!("api/roomBook/third/{op}"), &body);
        assert_eq!((res.get("success"), res.get("error")), (Some(&Json::Bool(true)), Some(&Json::str(""))), "{op}: {res:?}");
    }
    let day = yzj(&mut sb, &t, "gateway/cloudwork/meeting/queryByDay", r#"{"day":1535558400000}"#);
    assert_eq!(day.get("error"), Some(&Json::Null));
}

// 3. Token scope: group, meeting and room-booking APIs need resGroupSecret.
#[test]
fn an_app_or_team_token_is_refused_by_the_apis_that_need_res_group_secret() {
    let mut sb = Sandbox::new(&Json::Null);
    let app = yzj_token(&mut sb, r#""appId":"sandbox-app","secret":"sandbox-secret","scope":"app""#);
    let team = yzj_token(&mut sb, r#""appId":"sandbox-app","eid":"10109","secret":"sandbox-secret","scope":"team""#);
    let res = yzj_token(&mut sb, RES);
    for path in ["gateway/cloudwork/meeting/queryByDay", "api/roomBook/third/hasNew", "gateway/xtinterface/group/groupUsers"] {
        for t in [&app, &team] {
            let refused = yzj(
                &mut sb,
                t,
                path,
                r#"{"day":1,"eid":"10109","currentUid":"5b6bf2a7e4b0fbba1110125c","groupId":"5c11fb86e4b03461235eef6f"}"#,
            );
            assert_eq!((refused.get("success"), member(&refused, "errorCode").as_f64()), (Some(&Json::Bool(false)), Some(403.0)), "{path}");
            assert!(member(&refused, "error").as_str().unwrap().contains("resGroupSecret"));
        }
        let ok = yzj(
            &mut sb,
            &res,
            path,
            r#"{"day":1,"eid":"10109","currentUid":"5b6bf2a7e4b0fbba1110125c","groupId":"5c11fb86e4b03461235eef6f"}"#,
        );
        assert_eq!(ok.get("success"), Some(&Json::Bool(true)), "{path}: {ok:?}");
    }
}

// 4. A meeting and its booking are one: modify shows in getActors and bookInfo.
#[test]
fn a_modified_meeting_changes_its_booking_too() {
    let mut sb = Sandbox::new(&Json::Null);
    let t = yzj_token(&mut sb, RES);
    let create = format!(
        r#"{{"openid":"o1","title":"旧","content":"旧内容","startDate":1795485600000,"endDate":1795489200000,"roomId":"{ROOM}","actors":["a1","a2"]}}"#
    );
    let created = yzj(&mut sb, &t, "gateway/cloudwork/meeting/create", &create);
    let id = member(ok_data(&created), "meetingId").as_str().unwrap().to_string();
    let modify = format!(r#"{{"id":"{id}","openid":"o1","title":"新","content":"新内容","addActors":["a3"],"delActors":["a1"]}}"#);
    ok_data(&yzj(&mut sb, &t, "gateway/cloudwork/meeting/modify", &modify));
    let info = yzj(&mut sb, &t, "api/roomBook/third/bookInfo", r#"{"eid":"10109","lastTime":1795000000000}"#);
    let adds = member(ok_data(&info), "add").as_array().unwrap();
    assert_eq!(adds.len(), 1);
    assert_eq!((member(&adds[0], "meetingTopic").as_str(), member(&adds[0], "meetingContent").as_str()), (Some("新"), Some("新内容")));
    let order = member(&adds[0], "orderId").as_str().unwrap().to_string();
    let actors = yzj(&mut sb, &t, "api/roomBook/third/getActors", &format!(r#"{{"orderId":"{order}"}}"#));
    let ids: Vec<&str> = ok_data(&actors).as_array().unwrap().iter().filter_map(|a| member(a, "openId").as_str()).collect();
    assert_eq!(ids, ["a2", "a3"]);
    // Moving the meeting to another room deletes the old booking and makes a new one.
    let moved = format!(r#"{{"id":"{id}","openid":"o1","roomId":"5c121cfd7453ed63750a9769"}}"#);
    ok_data(&yzj(&mut sb, &t, "gateway/cloudwork/meeting/modify", &moved));
    let info = yzj(&mut sb, &t, "api/roomBook/third/bookInfo", r#"{"eid":"10109","lastTime":1795000000000}"#);
    let (add, del) = (member(&info, "data.add").as_array().unwrap(), member(&info, "data.delete").as_array().unwrap());
    assert_eq!((add.len(), del.len()), (1, 1));
    assert_eq!((member(&add[0], "roomName").as_str(), member(&del[0], "orderId").as_str()), (Some("A304"), Some(order.as_str())));
}

// 5. queryByDay items have one shape, whether created, modified or without a room.
#[test]
fn query_by_day_items_have_the_samples_keys_whatever_made_them() {
    let mut sb = Sandbox::new(&Json::Null);
    let t = yzj_token(&mut sb, RES);
    let sample = r#"{"openid":"5a67e1e1e4b02f1de22a70a3","type":"sign","title":"测试会议","content":"在京举行还很好","meetingPlace":"云8会议室","meetingStatus":1,"readStatus":1,"acceptStatus":2,"personName":"张三","doneTime":1535569199741,"id":"5b86ed2fbeb7cc35af769eb8","noticeTime":0,"startDate":1535558400000,"endDate":1535644799999,"createDate":1535569199741,"roomId":"xx","roomOrderId":""}"#;
    let sample_keys = keys(&parse(sample).unwrap());
    let plain = yzj(
        &mut sb,
        &t,
        "gateway/cloudwork/meeting/create",
        r#"{"openid":"o1","title":"t","startDate":1795485600000,"endDate":1795489200000}"#,
    );
    let booked = format!(r#"{{"openid":"o1","title":"t","startDate":1795489200000,"endDate":1795492800000,"roomId":"{ROOM}"}}"#);
    let booked = yzj(&mut sb, &t, "gateway/cloudwork/meeting/create", &booked);
    let id = member(ok_data(&booked), "meetingId").as_str().unwrap().to_string();
    ok_data(&plain);
    let modify = format!(r#"{{"id":"{id}","openid":"o1","topState":1,"submitExperience":true}}"#);
    ok_data(&yzj(&mut sb, &t, "gateway/cloudwork/meeting/modify", &modify));
    let day = yzj(&mut sb, &t, "gateway/cloudwork/meeting/queryByDay", r#"{"day":1795485600000}"#);
    let items = ok_data(&day).as_array().unwrap();
    assert_eq!(items.len(), 2);
    for item in items {
        assert_eq!(keys(item), sample_keys);
        assert!(member(item, "roomId").as_str().is_some() && member(item, "roomOrderId").as_str().is_some(), "{item:?}");
    }
    let seeded = yzj(&mut sb, &t, "gateway/cloudwork/meeting/queryByDay", r#"{"day":1535558400000}"#);
    let seeded = ok_data(&seeded).as_array().unwrap();
    assert_eq!(keys(&seeded[0]), sample_keys);
    assert_eq!(member(&seeded[0], "personName").as_str(), Some("张三"));
}

// 6. Fallbacks keep the envelope; every refusal is HTTP 200 with success false.
#[test]
fn every_yunzhijia_refusal_is_the_envelope_with_http_200() {
    let mut sb = Sandbox::new(&Json::Null);
    let t = yzj_token(&mut sb, RES);
    let cases = [
        ("POST", format!("/yunzhijia/gateway/cloudwork/meeting/explode?accessToken={t}"), "{}", 404.0),
        ("GET", format!("/yunzhijia/gateway/cloudwork/meeting/queryByDay?accessToken={t}"), "", 405.0),
        ("POST", "/yunzhijia/gateway/cloudwork/meeting/queryByDay?accessToken=forged".to_string(), r#"{"day":1}"#, 401.0),
        ("POST", "/yunzhijia/gateway/cloudwork/meeting/queryByDay".to_string(), r#"{"day":1}"#, 401.0),
        ("POST", format!("/yunzhijia/gateway/cloudwork/meeting/queryByDay?accessToken={t}"), "[1]", 400.0),
        (
            "POST",
            format!("/yunzhijia/gateway/cloudwork/meeting/cancel?accessToken={t}"),
            r#"{"id":"5b86ed2fbeb7cc35af769eb8","openid":"x"}"#,
            403.0,
        ),
    ];
    for (method, target, body, code) in cases {
        let (status, res) = send(&mut sb, method, &target, &[], body);
        assert_eq!(status, 200, "{target}");
        assert_eq!(keys(&res), ["success", "errorCode", "error", "data"], "{target}");
        assert_eq!(
            (res.get("success"), member(&res, "errorCode").as_f64(), res.get("data")),
            (Some(&Json::Bool(false)), Some(code), Some(&Json::Null))
        );
        assert!(member(&res, "error").as_str().is_some_and(|e| !e.is_empty()));
    }
}

// 7. XuanXuan takes the token anywhere in the query.
#[test]
fn xuanxuan_accepts_the_token_first_or_in_the_middle() {
    let mut sb = Sandbox::new(&Json::Null);
    let q = "m=im&f=getGroupChats&code=sandbox";
    let token = md5_hex(format!("{}sandbox-key", md5_hex(q.as_bytes())).as_bytes());
    for target in [
        format!("/xuanxuan/x.php?token={token}&{q}"),
        format!("/xuanxuan/x.php?m=im&token={token}&f=getGroupChats&code=sandbox"),
        format!("/xuanxuan/x.php?{q}&token={token}"),
    ] {
        let (status, res) = send(&mut sb, "GET", &target, &[], "");
        assert_eq!((status, member(&res, "result").as_str()), (200, Some("success")), "{target}: {res:?}");
    }
    // A repeated token: PHP's $_GET keeps the last, and so does the server's check.
    let last_right = format!("/xuanxuan/x.php?token=0000&{q}&token={token}");
    assert_eq!(member(&send(&mut sb, "GET", &last_right, &[], "").1, "result").as_str(), Some("success"));
    let last_wrong = format!("/xuanxuan/x.php?token={token}&{q}&token=0000");
    assert_eq!(send(&mut sb, "GET", &last_wrong, &[], "").1.to_json_string(), r#"{"errcode":401,"errmsg":"无效的token参数"}"#);
    let (status, missing) = send(&mut sb, "GET", &format!("/xuanxuan/x.php?{q}"), &[], "");
    assert_eq!((status, missing.to_json_string()), (200, r#"{"errcode":401,"errmsg":"缺少token参数"}"#.to_string()));
}

// Issue 30: XuanXuan as ZenTao's XXB server checks the entry (commonModel::checkEntry and
// checkEntryToken): the token over PHP's rewrite of the query, `{errcode, errmsg}` refusals in
// HTTP 200 in the order the server checks, and the im control's required sender.
#[test]
fn xuanxuan_checks_the_entry_as_the_xxb_server_does() {
    let mut sb = Sandbox::new(&Json::Null);
    // What PHP 8.2 prints for http_build_query(parse_str(...)) of this query, less the token.
    let php = "m=im&f=getChatUsers&gid=a+b%7E%2A%2B%25%26%E4%B8%AD%F0%9F%98%80&code=sandbox";
    let token = md5_hex(format!("{}sandbox-key", md5_hex(php.as_bytes())).as_bytes());
    for spelling in [
        php.to_string(),
        "m=im&f=getChatUsers&gid=a%20b~*%2b%25%26%e4%b8%ad%f0%9f%98%80&code=sandbox".to_string(),
        format!("token={token}&m=im&f=getChatUsers&gid=a+b%7e%2a%2B%25%26%E4%B8%AD%F0%9F%98%80&code=sandbox"),
    ] {
        let target = if spelling.starts_with("token=") {
            format!("/xuanxuan/x.php?{spelling}")
        } else {
            format!("/xuanxuan/x.php?{spelling}&token={token}")
        };
        let (status, res) = send(&mut sb, "GET", &target, &[], "");
        assert_eq!((status, res.to_json_string()), (200, r#"{"result":"success","data":[]}"#.to_string()), "{target}");
    }
    let refusals = [
        ("m=im&f=getGroupChats&token=x".to_string(), r#"{"errcode":401,"errmsg":"缺少code参数"}"#),
        ("m=im&f=getGroupChats&code=sandbox".to_string(), r#"{"errcode":401,"errmsg":"缺少token参数"}"#),
        (format!("m=im&f=getGroupChats&code=nope&token={token}"), r#"{"errcode":404,"errmsg":"应用不存在"}"#),
        (format!("m=im&f=getGroupChats&code=sandbox&token={token}"), r#"{"errcode":401,"errmsg":"无效的token参数"}"#),
    ];
    for (query, answer) in refusals {
        let (status, res) = send(&mut sb, "GET", &format!("/xuanxuan/x.php?{query}"), &[], "");
        assert_eq!((status, res.to_json_string().as_str()), (200, answer), "{query}");
    }
    let q = "m=im&f=sendChatMessage&code=sandbox";
    let token = md5_hex(format!("{}sandbox-key", md5_hex(q.as_bytes())).as_bytes());
    let body = r#"{"gid":"64da14c3-c07a-45af-9c61-4e638de4af26","title":"t","contentType":"text"}"#;
    let (_, res) = send(&mut sb, "POST", &format!("/xuanxuan/x.php?{q}&token={token}"), &[], body);
    assert_eq!(res.to_json_string(), r#"{"result":"fail","message":"应当设置发送方信息。"}"#);
}

fn cam(sb: &mut Sandbox, method: &str, target: &str, body: &str) -> (u16, Json) {
    send(sb, method, target, &[("x-cam-apiToken".to_string(), "sandbox-token".to_string())], body)
}

// 8. CAM: users as an array gets an error that says so.
#[test]
fn cam_users_as_an_array_is_named_as_the_mistake() {
    let mut sb = Sandbox::new(&Json::Null);
    let msg = r#"{"panelName":"messenger","message":"Hello","isOpened":false,"generalPurposes":{"users":["user1@xxx.com"]}}"#;
    let (status, res) = cam(&mut sb, "POST", "/cam/sendMessage", &format!("message={msg}"));
    assert_eq!(status, 400);
    let e = member(&res, "errors").as_array().unwrap()[0].as_str().unwrap();
    assert!(e.contains("not an array") && e.contains("comma-separated"), "{e}");
    let batch = r#"[{"message":"m","property":{"users":["a@x.com"]}}]"#;
    let (_, res) = cam(&mut sb, "POST", "/cam/sendMessages", &format!("messages={batch}"));
    assert!(member(&res, "errors").as_array().unwrap()[0].as_str().unwrap().starts_with("property.users must be one string"));
    let none = r#"{"panelName":"messenger","message":"Hello"}"#;
    let (_, res) = cam(&mut sb, "POST", "/cam/sendMessage", &format!("message={none}"));
    assert_eq!(member(&res, "errors").to_json_string(), r#"["generalPurposes.users is required"]"#);
}

// 9. CAM: reads take GET or POST; writes POST; getConferenceRoomStatus answers
// conferenceRoomStatus with or without a day.
#[test]
fn cam_reads_take_get_or_post_and_room_status_is_always_under_its_key() {
    let mut sb = Sandbox::new(&Json::Null);
    for op in ["getConferenceRooms", "getConferenceMaster", "getConferenceRoomStatus"] {
        for method in ["GET", "POST"] {
            let (status, res) = cam(&mut sb, method, &format!("/cam/{op}"), "");
            assert_eq!(status, 200, "{method} {op}");
            assert_eq!(res.get("errors"), Some(&Json::Null));
        }
    }
    for op in ["sendMessage", "sendMessages", "createQuickCall", "updateChatRoom"] {
        let (status, res) = cam(&mut sb, "GET", &format!("/cam/{op}"), "");
        assert_eq!((status, member(&res, "errors").to_json_string()), (405, r#"["this API takes POST"]"#.to_string()), "{op}");
    }
    let (_, by_query) = cam(&mut sb, "GET", "/cam/getConferenceRoomStatus?yyyyMMdd=201908", "");
    let (_, by_form) = cam(&mut sb, "POST", "/cam/getConferenceRoomStatus", "yyyyMMdd=201908");
    assert_eq!(by_query, by_form);
    assert_eq!(member(&by_query, "conferenceRoomStatus.yyyyMMdd").as_str(), Some("201908"));
    let (_, master) = cam(&mut sb, "POST", "/cam/getConferenceRoomStatus", "");
    let status = member(&master, "conferenceRoomStatus");
    assert_eq!(member(status, "yyyyMMdd"), &Json::Null);
    assert_eq!(member(status, "conferenceRooms"), member(&master, "conferenceRooms"));
    assert_eq!(member(status, "conferenceRooms").as_array().map(<[Json]>::len), Some(3));
}

// Issue 14, item 4: a `vendor.operation` fault scope fires for each vendor, room booking included.
#[test]
fn fault_scopes_name_operations_as_the_tables_do_for_every_vendor() {
    let q = "m=im&f=getChatUsers&code=sandbox";
    let token = md5_hex(format!("{}sandbox-key", md5_hex(q.as_bytes())).as_bytes());
    let xx = format!("/xuanxuan/x.php?{q}&token={token}");
    let cases = [
        ("cam.getConferenceRoomStatus", "POST", "/cam/getConferenceRoomStatus".to_string()),
        ("yunzhijia.roomBook.bookInfo", "POST", "/yunzhijia/api/roomBook/third/bookInfo?accessToken=x".to_string()),
        ("yunzhijia.meeting.queryByDay", "POST", "/yunzhijia/gateway/cloudwork/meeting/queryByDay".to_string()),
        ("yunzhijia.message.createForCloudflow", "POST", "/yunzhijia/gateway/xtinterface/message/merge/createForCloudflow".to_string()),
        ("yunzhijia.token.getAccessToken", "POST", "/yunzhijia/gateway/oauth2/token/getAccessToken".to_string()),
        ("xuanxuan.getChatUsers", "GET", xx),
        ("ytx.queryMeeting", "POST", "/ytx/201612/sid/sandbox-sid/call/MeetingQuery.wx?Sign=x".to_string()),
    ];
    for (scope, method, target) in &cases {
        let mut sb = Sandbox::new(&Json::Null);
        sb.set_faults(&format!("{scope}:503x1")).unwrap();
        assert_eq!(send(&mut sb, method, target, &[], "{}").0, 503, "{scope} did not fire");
        assert_ne!(send(&mut sb, method, target, &[], "{}").0, 503, "{scope} fired twice");
        // A scope that names no operation is refused, rather than a rule that never fires.
        assert!(sb.set_faults(&format!("{scope}x:503")).is_err(), "{scope}x was accepted");
    }
}

#[test]
fn the_emulators_route_exactly_the_operations_of_the_clients_tables() {
    use workbridge::vendors::{cam, xuanxuan, ytx, yunzhijia};
    let names = |ops: Vec<&str>| {
        let mut v: Vec<String> = ops.into_iter().map(str::to_string).collect();
        v.sort();
        v
    };
    assert_eq!(names(operations("cam")), names(cam::OPS.iter().map(|o| o.name).collect()));
    assert_eq!(names(operations("yunzhijia")), names(yunzhijia::OPS.iter().map(|o| o.name).collect()));
    assert_eq!(names(operations("xuanxuan")), names(xuanxuan::OPS.iter().map(|o| o.name).collect()));
    assert_eq!(names(operations("ytx")), names(ytx::OPS.iter().map(|o| o.name).collect()));
}
