//! Yunzhijia (seeds 001 and 004): requests pinned to the seeds' samples, every documented rule,
//! the envelope, and the pure halves of the token flow.

use workbridge::core::error::Code;
use workbridge::core::http::{HttpResponse, Method};
use workbridge::core::json::{parse, Json};
use workbridge::core::ops::{Output, Vendor};
use workbridge::core::validate::Params;
use workbridge::vendors::yunzhijia::{auth, history_url, is_token_rejected, with_token};
use workbridge::vendors::Client;

fn yzj() -> Client {
    Client::new(Vendor::Yunzhijia, &parse(r#"{"accessToken":"at-123"}"#).unwrap()).unwrap()
}

fn body_of(op: &str, params: &str) -> String {
    let p = yzj().prepare(op, &parse(params).unwrap()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(p.request.method, Method::Post);
    assert_eq!(p.request.header("Content-Type"), Some("application/json"));
    p.request.body.unwrap()
}

fn field(op: &str, params: &str) -> String {
    let e = yzj().prepare(op, &parse(params).unwrap()).err().expect("should be refused");
    assert_eq!(e.code, Code::InvalidArgument, "{e}");
    e.field.unwrap_or_default().into()
}

const CREATE: &str = r#"{"openid":"5a67e08d00b0e8dfe4aab4fa","title":"测试会议","content":"新增会议测试","meetingPlace":"云8会议室","startDate":1522729800000,"endDate":1522737000000,"roomId":"xxxxx","noticeTime":0,"topState":0,"actors":["xxxxxx","xxxxxx"],"type":"sign","submitExperience":true}"#;

#[test]
fn meeting_create_sends_the_seed_sample_to_its_path() {
    let p = yzj().prepare("meeting.create", &parse(CREATE).unwrap()).unwrap();
    assert_eq!(p.request.url, "https://www.yunzhijia.com/gateway/cloudwork/meeting/create");
    assert_eq!(p.request.body.as_deref(), Some(CREATE));
    assert_eq!(with_token(p.request, "a b+c").url, "https://www.yunzhijia.com/gateway/cloudwork/meeting/create?accessToken=a%20b%2Bc");
}

#[test]
fn every_operation_goes_to_its_documented_path() {
    let cases = [
        ("meeting.cancel", r#"{"openid":"o","id":"i"}"#, "/gateway/cloudwork/meeting/cancel"),
        ("meeting.queryByDay", r#"{"day":1533549600000}"#, "/gateway/cloudwork/meeting/queryByDay"),
        ("roomBook.hasNew", r#"{"eid":"10109"}"#, "/api/roomBook/third/hasNew"),
        ("roomBook.getActors", r#"{"orderId":"x"}"#, "/api/roomBook/third/getActors"),
        ("group.groupUsers", r#"{"currentUid":"u","groupId":"g"}"#, "/gateway/xtinterface/group/groupUsers"),
        ("banner.create", r#"{"currentUid":"u","groupId":"g","params":{"title":"t"}}"#, "/gateway/xtinterface/banner/create"),
        ("message.createForCloudflow", r#"{"currentUid":"u","groupId":"g"}"#, "/gateway/xtinterface/message/merge/createForCloudflow"),
    ];
    for (op, params, path) in cases {
        let p = yzj().prepare(op, &parse(params).unwrap()).unwrap();
        assert_eq!(p.request.url, format!("https://www.yunzhijia.com{path}"), "{op}");
    }
}

#[test]
fn room_booking_sends_last_time_as_the_samples_do() {
    assert_eq!(
        body_of("roomBook.bookInfo", r#"{"eid":"10109","lastTime":1538064000000,"pageIndex":1,"pageSize":50}"#),
        r#"{"eid":"10109","lastTime":"1538064000000","pageIndex":1,"pageSize":50}"#
    );
}

#[test]
fn meeting_rules_name_the_field() {
    let base = r#""openid":"o","title":"t","startDate":1800000001000,"endDate":1800000002000"#;
    assert_eq!(field("meeting.create", &format!("{{{base},\"noticeTime\":5}}")), "noticeTime");
    assert_eq!(field("meeting.create", &format!("{{{base},\"topState\":2}}")), "topState");
    assert_eq!(field("meeting.create", &format!("{{{base},\"type\":\"video\"}}")), "type");
    assert_eq!(field("meeting.create", r#"{"openid":"o","title":"t","startDate":1800000002000,"endDate":1800000002000}"#), "endDate");
    assert_eq!(field("meeting.create", r#"{"openid":"","title":"t","startDate":1800000001000,"endDate":1800000002000}"#), "openid");
    assert_eq!(field("meeting.create", r#"{"openid":"o","startDate":1800000001000,"endDate":1800000002000}"#), "title");
    assert_eq!(field("meeting.create", &format!("{{{base},\"actors\":[\"a\",\"\"]}}")), "actors[1]");
    assert_eq!(field("meeting.create", &format!("{{{base},\"startdate\":1}}")), "startdate");
    assert_eq!(field("meeting.repeatMeeting", &format!("{{{base},\"repeat\":6,\"repeatEndDate\":1800000009000}}")), "repeat");
    assert_eq!(field("meeting.repeatMeeting", &format!("{{{base},\"repeat\":1,\"repeatEndDate\":1800000001000}}")), "repeatEndDate");
    assert_eq!(field("meeting.repeatMeeting", &format!("{{{base},\"repeat\":1}}")), "repeatEndDate");
    assert_eq!(field("meeting.cancel", r#"{"openid":"o","id":""}"#), "id");
    assert_eq!(field("meeting.batchCancel", r#"{"openid":"o"}"#), "id");
    assert_eq!(field("meeting.queryByDay", r#"{"day":"today"}"#), "day");
    assert_eq!(field("roomBook.freeRooms", r#"{"openId":"o","startTime":1800000005000,"endTime":1800000005000}"#), "endTime");
    assert_eq!(field("roomBook.bookInfo", r#"{"eid":"e","pageSize":0}"#), "pageSize");
    // null means "ordinary meeting" and is simply left out.
    assert!(!body_of("meeting.create", &format!("{{{base},\"type\":null}}")).contains("type"));
}

#[test]
fn notice_limits_count_characters_cjk_and_emoji_alike() {
    let notice = |title: &str, content: &str| {
        let p = Json::Obj(vec![
            ("currentUid".into(), Json::str("u")),
            ("groupId".into(), Json::str("g")),
            ("title".into(), Json::str(title)),
            ("content".into(), Json::str(content)),
        ]);
        yzj().prepare("notice.create", &p).map(|_| ()).map_err(|e| e.field.unwrap_or_default())
    };
    assert_eq!(notice(&"会".repeat(40), "x"), Ok(()));
    assert_eq!(notice(&"😀".repeat(40), &"字".repeat(2000)), Ok(()));
    assert_eq!(notice(&"会".repeat(41), "x"), Err("title".into()));
    assert_eq!(notice("", "x"), Err("title".into()));
    assert_eq!(notice("t", &"字".repeat(2001)), Err("content".into()));
    assert_eq!(notice("t", ""), Err("content".into()));
}

#[test]
fn group_rules_name_the_field() {
    assert_eq!(field("group.createGroup", r#"{"currentUid":"u","userIds":[]}"#), "userIds");
    assert_eq!(field("group.addGroupUser", r#"{"currentUid":"u","userIds":["x"]}"#), "groupId");
    assert_eq!(field("banner.create", r#"{"currentUid":"u","groupId":"g","params":{"colour":"red"}}"#), "params.colour");
    assert_eq!(field("banner.create", r#"{"currentUid":"u","groupId":"g","params":{"title":3}}"#), "params.title");
    assert_eq!(
        body_of(
            "group.createGroup",
            r#"{"currentUid":"5b503ee9e4b02abb5318b23e","groupName":"讨论组","userIds":["5b6cea82e4b05df05b3efc2b"]}"#
        ),
        r#"{"groupName":"讨论组","currentUid":"5b503ee9e4b02abb5318b23e","userIds":["5b6cea82e4b05df05b3efc2b"]}"#
    );
}

fn finish(op: &str, params: &str, status: u16, body: &str) -> Result<Output, workbridge::core::error::Error> {
    let c = yzj();
    let p = c.prepare(op, &parse(params).unwrap()).unwrap();
    c.finish(&p, &HttpResponse::new(status, body))
}

#[test]
fn envelopes_resolve_data_or_reject_with_vendor_code_and_message() {
    // Output::Data: the call resolves with the body's `data` (the JS side takes it from its parse).
    let created = finish("meeting.create", CREATE, 200, r#"{"data":{"meetingId":"xxxxx"},"error":null,"errorCode":0,"success":true}"#);
    assert_eq!(created.unwrap(), Output::Data);
    let merged = finish(
        "message.createForCloudflow",
        r#"{"currentUid":"u","groupId":"g"}"#,
        200,
        r#"{"error":"no error","data":"5bed0bc884aeb31c68b7c97f","errorCode":200,"success":true}"#,
    );
    assert_eq!(merged.unwrap(), Output::Data);
    // A repeated key is read as JSON.parse reads it, the last one: the envelope checked is the
    // one the caller gets.
    let repeated = finish("meeting.create", CREATE, 200, r#"{"success":true,"errorCode":0,"success":false,"error":"no","data":null}"#);
    assert_eq!(repeated.unwrap_err().code, Code::VendorError);
    let e = finish(
        "meeting.cancel",
        r#"{"openid":"o","id":"i"}"#,
        200,
        r#"{"success":false,"errorCode":403,"error":"只有会议创建人可以操作","data":null}"#,
    )
    .unwrap_err();
    assert_eq!(
        (e.code, e.vendor_code.as_deref(), e.vendor_message.as_deref()),
        (Code::VendorError, Some("403"), Some("只有会议创建人可以操作"))
    );
    let e = finish("meeting.cancel", r#"{"openid":"o","id":"i"}"#, 200, r#"{"success":true,"errorCode":500,"error":"oops"}"#).unwrap_err();
    assert_eq!(e.code, Code::VendorError);
    let rejected = HttpResponse::new(401, r#"{"success":false,"errorCode":401,"error":"accessToken 无效"}"#);
    assert!(is_token_rejected(&rejected));
    assert_eq!(finish("meeting.queryByDay", r#"{"day":1533549600000}"#, 401, &rejected.body).unwrap_err().code, Code::AuthFailed);
    assert_eq!(finish("meeting.queryByDay", r#"{"day":1533549600000}"#, 200, r#"{"data":[]}"#).unwrap_err().code, Code::BadResponse);
}

#[test]
fn auth_options_follow_the_scopes() {
    let err = |opts: &str| Client::new(Vendor::Yunzhijia, &parse(opts).unwrap()).err().map(|e| e.field.unwrap_or_default());
    assert_eq!(err(r#"{"eid":"10109","secret":"s"}"#), None);
    assert_eq!(err(r#"{"appId":"a","secret":"s","scope":"app"}"#), None);
    assert_eq!(err(r#"{"secret":"s"}"#), Some("eid".into()));
    assert_eq!(err(r#"{"eid":"e","secret":"s","scope":"app"}"#), Some("appId".into()));
    assert_eq!(err(r#"{"appId":"a","secret":"s","scope":"team"}"#), Some("eid".into()));
    assert_eq!(err(r#"{"eid":"e","secret":"s","scope":"admin"}"#), Some("scope".into()));
    assert_eq!(err(r#"{}"#), Some("accessToken".into()));
    assert_eq!(err(r#"{"accessToken":"t","secret":"s","eid":"e"}"#), Some("accessToken".into()));
    assert_eq!(err(r#"{"accessToken":"t","baseURL":"ftp://x"}"#), Some("baseURL".into()));
}

fn credentials(opts: &str) -> auth::Credentials {
    match auth::Auth::from_options(&Params::new(&parse(opts).unwrap()).unwrap()).unwrap() {
        auth::Auth::Credentials(c) => c,
        _ => panic!("not credentials"),
    }
}

#[test]
fn token_requests_carry_the_scope_fields_and_a_ms_timestamp() {
    let c = credentials(r#"{"eid":"10109","secret":"s3cret"}"#);
    let req = auth::build_get_token(&c, "https://www.yunzhijia.com", 1_700_000_000_123.4);
    assert_eq!(req.url, "https://www.yunzhijia.com/gateway/oauth2/token/getAccessToken");
    assert_eq!(req.body.as_deref(), Some(r#"{"eid":"10109","secret":"s3cret","timestamp":1700000000123,"scope":"resGroupSecret"}"#));
    assert!(!format!("{req:?}").contains("s3cret"), "Debug masks the secret in the body");
    let team = credentials(r#"{"eid":"10109","appId":"app1","secret":"s","scope":"team"}"#);
    let refresh = auth::build_refresh(&team, "https://h", "rt-1", 5.0);
    assert_eq!(refresh.url, "https://h/gateway/oauth2/token/refreshToken");
    assert_eq!(refresh.body.as_deref(), Some(r#"{"eid":"10109","appId":"app1","refreshToken":"rt-1","timestamp":5,"scope":"team"}"#));
}

#[test]
fn token_answers_are_cached_for_expire_in_less_a_margin() {
    let ok = HttpResponse::new(200, r#"{"success":true,"errorCode":0,"data":{"accessToken":"at","expireIn":7200,"refreshToken":"rt"}}"#);
    let t = auth::parse_token(&ok, 1_000.0).unwrap();
    assert_eq!((t.access.expose(), t.refresh.as_ref().map(|r| r.expose())), ("at", Some("rt")));
    assert_eq!(t.use_until, 1_000.0 + 7_200_000.0 - 300_000.0);
    assert_eq!(auth::use_until(0.0, 600.0), 540_000.0);
    let wrong = HttpResponse::new(200, r#"{"success":false,"errorCode":1001,"error":"secret 错误"}"#);
    let e = auth::parse_token(&wrong, 0.0).err().unwrap();
    assert_eq!((e.code, e.vendor_message.as_deref()), (Code::AuthFailed, Some("secret 错误")));
    assert_eq!(auth::parse_token(&HttpResponse::new(200, r#"{"success":true,"data":{}}"#), 0.0).err().unwrap().code, Code::BadResponse);
}

#[test]
fn a_token_endpoint_404_is_an_http_error_not_a_wrong_secret() {
    let e = auth::parse_token(&HttpResponse::new(404, r#"{"error":"not found"}"#), 0.0).err().unwrap();
    assert_eq!((e.code, e.status), (Code::HttpError, Some(404)));
    for s in [401, 403] {
        assert_eq!(auth::parse_token(&HttpResponse::new(s, ""), 0.0).err().unwrap().code, Code::AuthFailed, "{s}");
    }
}

#[test]
fn history_url_is_the_seed_link() {
    let p = parse(r#"{"mid":"m 1","eid":"10109"}"#).unwrap();
    assert_eq!(history_url(&Params::new(&p).unwrap()).unwrap(), "https://www.yunzhijia.com/imbu/chat/history.html?mid=m%201&eid=10109");
    let missing = parse(r#"{"eid":"10109"}"#).unwrap();
    assert_eq!(history_url(&Params::new(&missing).unwrap()).unwrap_err().field.as_deref(), Some("mid"));
}

/// A body's members by name: the same JSON whatever their order.
fn members(body: &str) -> Vec<(String, Json)> {
    let Json::Obj(mut members) = parse(body).unwrap() else { panic!("not an object: {body}") };
    members.sort_by(|a, b| a.0.cmp(&b.0));
    members
}

/// The body is always written from the params, in wire form: a null left out, a time given as a
/// date text or digits sent as a number, a list given as one text sent as a list, and numbers
/// written as integers however the caller's JSON spelt them (a JS `JSON.rawJSON` can give any
/// text that reads as the same double).
#[test]
fn the_body_is_written_in_wire_form_from_any_spelling_of_the_params() {
    let c = yzj();
    let body = |text: &str| c.prepare("meeting.create", &parse(text).unwrap()).map(|p| p.request.body.unwrap());
    let canonical = r#"{"openid":"o1","title":"t","startDate":1522729800000,"endDate":1522737000000}"#;
    for text in [
        r#"{"openid":"o1","title":"t","startDate":1522729800000,"endDate":1522737000000,"roomId":null}"#,
        r#"{"openid":"o1","title":"t","startDate":"2018-04-03T04:30:00Z","endDate":1522737000000}"#,
        r#"{"openid":"o1","title":"t","startDate":"1522729800000","endDate":1522737000000}"#,
        r#"{"endDate":1522737000000,"title":"t","startDate":1522729800000,"openid":"o1"}"#,
    ] {
        assert_eq!(members(&body(text).unwrap()), members(canonical), "{text}");
        assert!(!body(text).unwrap().contains("null"), "{text}");
    }
    let listed = body(r#"{"openid":"o1","title":"t","startDate":1522729800000,"endDate":1522737000000,"actors":"a, b"}"#).unwrap();
    assert!(listed.contains(r#""actors":["a","b"]"#), "{listed}");
    for (text, sent) in [
        (r#"{"openid":"o1","title":"t","startDate":1922000000000.0000001,"endDate":1922000001000}"#, r#""startDate":1922000000000,"#),
        (r#"{"openid":"o1","title":"t","startDate":1922000000000,"endDate":1922000001000,"noticeTime":1.5e1}"#, r#""noticeTime":15"#),
        (r#"{"openid":"o1","title":"t","startDate":1922000000000,"endDate":1922000001000,"topState":-0}"#, r#""topState":0"#),
        (r#"{"openid":"o1","title":"t","startDate":1.922e12,"endDate":1922000001000}"#, r#""startDate":1922000000000,"#),
    ] {
        let b = body(text).unwrap();
        assert!(b.contains(sent), "{b}");
    }
    // Refused, nothing built.
    for text in [
        r#"{"openid":"o1","title":"t","startDate":1522737000000,"endDate":1522729800000}"#,
        r#"{"openid":"","title":"t","startDate":1,"endDate":2}"#,
        r#"{"openid":"o1","title":"t","startDate":1,"endDate":2,"actors":[1]}"#,
    ] {
        assert!(body(text).is_err(), "{text}");
    }
}
