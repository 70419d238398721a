//! Chat&Messenger requests and answers, pinned against seed 000's samples.

use workbridge::core::error::Code;
use workbridge::core::http::{HttpResponse, Method};
use workbridge::core::json::{parse, Json};
use workbridge::core::ops::{Output, Vendor};
use workbridge::vendors::{Client, Prepared};

const FORM: &str = "application/x-www-form-urlencoded;charset=UTF-8";

fn client() -> Client {
    let opts = parse(r#"{"apiToken":"QIQVOSvRJHrQElDwj20x","serverURL":"http://127.0.0.1:8080/"}"#).unwrap();
    Client::new(Vendor::Cam, &opts).unwrap()
}

fn prepare(op: &str, params: &str) -> Prepared {
    client().prepare(op, &parse(params).unwrap()).unwrap()
}

fn invalid_field(op: &str, params: &str) -> String {
    let e = client().prepare(op, &parse(params).unwrap()).err().expect("should be refused");
    assert_eq!(e.code, Code::InvalidArgument, "{e}");
    assert_eq!(e.operation.as_deref(), Some(op));
    e.field.unwrap_or_default().into()
}

/// Decodes a form body the way a server would, independently of the client's encoder.
fn form_field(body: &str, name: &str) -> String {
    for pair in body.split('&') {
        let (k, v) = pair.split_once('=').unwrap();
        if k == name {
            let mut bytes = Vec::new();
            let raw = v.as_bytes();
            let mut i = 0;
            while i < raw.len() {
                match raw[i] {
                    b'+' => bytes.push(b' '),
                    b'%' => {
                        bytes.push(u8::from_str_radix(std::str::from_utf8(&raw[i + 1..i + 3]).unwrap(), 16).unwrap());
                        i += 2;
                    }
                    b => bytes.push(b),
                }
                i += 1;
            }
            return String::from_utf8(bytes).unwrap();
        }
    }
    panic!("no field {name} in {body}");
}

#[test]
fn get_conference_rooms_is_a_get_with_the_token_header() {
    let p = prepare("getConferenceRooms", "{}");
    assert_eq!(p.request.method, Method::Get);
    assert_eq!(p.request.url, "http://127.0.0.1:8080/getConferenceRooms");
    assert_eq!(p.request.header("x-cam-apiToken"), Some("QIQVOSvRJHrQElDwj20x"));
    assert_eq!(p.request.body, None);
}

#[test]
fn send_message_matches_the_seed_sample_wire_format() {
    let p =
        prepare("sendMessage", r#"{"panelName":"messenger","message":"Hello","isOpened":false,"users":["user1@xxx.com","user2@xxx.com"]}"#);
    assert_eq!(p.request.method, Method::Post);
    assert_eq!(p.request.url, "http://127.0.0.1:8080/sendMessage");
    assert_eq!(p.request.header("content-type"), Some(FORM));
    let body = p.request.body.as_deref().unwrap();
    assert_eq!(
        form_field(body, "message"),
        r#"{"panelName":"messenger","message":"Hello","isOpened":false,"generalPurposes":{"users":"user1@xxx.com,user2@xxx.com"}}"#
    );
}

#[test]
fn send_message_keeps_reserved_characters_newlines_cjk_and_emoji() {
    let text = "a&b+c=d\n会议室😀 100%";
    let params = Json::Obj(vec![
        ("panelName".into(), Json::str("运维")),
        ("message".into(), Json::str(text)),
        ("isOpened".into(), Json::Bool(true)),
        ("users".into(), Json::str("ops@x.com")),
    ]);
    let p = client().prepare("sendMessage", &params).unwrap();
    let body = p.request.body.unwrap();
    assert_eq!(body.matches('&').count(), 0, "one field, its & encoded: {body}");
    let inner = parse(&form_field(&body, "message")).unwrap();
    assert_eq!(inner.get("message").and_then(Json::as_str), Some(text));
    assert_eq!(inner.get("panelName").and_then(Json::as_str), Some("运维"));
    assert_eq!(inner.get("isOpened"), Some(&Json::Bool(true)));
}

#[test]
fn send_message_refuses_bad_input_naming_the_field() {
    assert_eq!(invalid_field("sendMessage", r#"{"panelName":"messenger","message":"hi","users":[]}"#), "users");
    assert_eq!(invalid_field("sendMessage", r#"{"panelName":"messenger","message":"hi"}"#), "users");
    assert_eq!(invalid_field("sendMessage", r#"{"panelName":"messenger","message":"hi","users":["a@x.com","bob"]}"#), "users[1]");
    assert_eq!(invalid_field("sendMessage", r#"{"panelName":"messenger","message":42,"users":["a@x.com"]}"#), "message");
    assert_eq!(invalid_field("sendMessage", r#"{"panelName":"","message":"hi","users":["a@x.com"]}"#), "panelName");
    assert_eq!(invalid_field("sendMessage", r#"{"panelName":"m","message":"hi","isOpened":"no","users":["a@x.com"]}"#), "isOpened");
    assert_eq!(
        invalid_field("sendMessage", r#"{"panelName":"m","message":"hi","isOpend":true}"#),
        "isOpend",
        "a typo is refused, not dropped"
    );
}

#[test]
fn send_messages_maps_items_to_the_seed_batch_shapes() {
    let p = prepare(
        "sendMessages",
        r#"{"items":[{"message":"hello 1","users":["user1@test.com","user2@test.com"]},{"send":"test","message":"test 1"}]}"#,
    );
    assert_eq!(p.request.url, "http://127.0.0.1:8080/sendMessages");
    assert_eq!(
        form_field(p.request.body.as_deref().unwrap(), "messages"),
        r#"[{"message":"hello 1","property":{"users":"user1@test.com,user2@test.com"}},{"send":"test","message":"test 1"}]"#
    );
}

#[test]
fn a_chat_room_post_needs_no_mentions_but_a_direct_message_needs_recipients() {
    let p = prepare("sendMessage", r#"{"panelName":"ops-room","message":"disk full"}"#);
    assert_eq!(
        form_field(p.request.body.as_deref().unwrap(), "message"),
        r#"{"panelName":"ops-room","message":"disk full","isOpened":false,"generalPurposes":{"users":""}}"#
    );
    assert_eq!(invalid_field("sendMessage", r#"{"panelName":"messenger","message":"hi","users":""}"#), "users");
}

#[test]
fn send_messages_takes_the_seed_file_items_as_they_are() {
    let p = prepare(
        "sendMessages",
        r#"{"items":[{"message":"hello 1","property":{"users":"user1@test.com,user2@test.com"}},{"send":"test","message":"test 1"},{"message":"x","users":"a@x.com"}]}"#,
    );
    assert_eq!(
        form_field(p.request.body.as_deref().unwrap(), "messages"),
        r#"[{"message":"hello 1","property":{"users":"user1@test.com,user2@test.com"}},{"send":"test","message":"test 1"},{"message":"x","property":{"users":"a@x.com"}}]"#
    );
    assert_eq!(
        invalid_field("sendMessages", r#"{"items":[{"message":"a","property":{"users":"a@x.com,bob"}}]}"#),
        "items[0].property.users[1]"
    );
    assert_eq!(invalid_field("sendMessages", r#"{"items":[{"message":"a","users":"a@x.com","propety":{}}]}"#), "items[0].propety");
}

#[test]
fn send_messages_names_the_bad_item() {
    assert_eq!(invalid_field("sendMessages", r#"{"items":[]}"#), "items");
    assert_eq!(invalid_field("sendMessages", r#"{"items":[{"message":"a","send":"r"},{"message":"b"}]}"#), "items[1]");
    assert_eq!(invalid_field("sendMessages", r#"{"items":[{"message":"a","send":"r","users":"a@x.com"}]}"#), "items[0]");
    assert_eq!(invalid_field("sendMessages", r#"{"items":[{"send":"r"}]}"#), "items[0].message");
    assert_eq!(invalid_field("sendMessages", r#"{"items":[{"message":"a","users":["a@x.com","nope"]}]}"#), "items[0].users[1]");
    assert_eq!(invalid_field("sendMessages", r#"{"items":["hello"]}"#), "items[0]");
}

#[test]
fn create_quick_call_sends_expire_date_in_ms_and_the_password() {
    let p = prepare("createQuickCall", r#"{"expireDate":1624368868714,"password":"password!"}"#);
    assert_eq!(p.request.body.as_deref(), Some("expireDate=1624368868714&password=password%21"));
    let p = prepare("createQuickCall", r#"{"expireDate":1624368868714}"#);
    assert_eq!(p.request.body.as_deref(), Some("expireDate=1624368868714"));
    for bad in [r#"{"expireDate":0}"#, r#"{"expireDate":-5}"#, r#"{"expireDate":"tomorrow"}"#, r#"{}"#, r#"{"expireDate":1.5}"#] {
        assert_eq!(invalid_field("createQuickCall", bad), "expireDate", "{bad}");
    }
}

#[test]
fn update_chat_room_sends_the_room_json_as_given() {
    let room = r#"{"id":"1564831284702237059","name":"Secret meeting","createUserId":"11u1pu9d32p8vuvjoZdd","adminUserId":"11u1pu9d32p8vuvjoZdd","isMessageThread":true,"isPublic":false,"memberUids":{"11u1pu9d32p8vuvjoZdd":true,"1lmn7hoh3s1ja26fsazw":false,"309d32p8vuvjo5euuuwx":false}}"#;
    let p = prepare("updateChatRoom", &format!("{{\"chatRoom\":{room}}}"));
    assert_eq!(form_field(p.request.body.as_deref().unwrap(), "chatRoom"), room);
    assert_eq!(invalid_field("updateChatRoom", r#"{"chatRoom":{"isPublic":true}}"#), "chatRoom.name");
    assert_eq!(invalid_field("updateChatRoom", r#"{"chatRoom":{"id":""}}"#), "chatRoom.id");
    assert_eq!(invalid_field("updateChatRoom", r#"{"chatRoom":{"name":"r","memberUids":{"u1":"yes"}}}"#), "chatRoom.memberUids.u1");
    assert_eq!(invalid_field("updateChatRoom", r#"{"chatRoom":"room"}"#), "chatRoom");
}

#[test]
fn room_status_takes_real_months_and_days_only() {
    assert_eq!(prepare("getConferenceRoomStatus", r#"{"yyyyMMdd":"201908"}"#).request.body.as_deref(), Some("yyyyMMdd=201908"));
    // The table's rule: a string (a number is refused, not read as digits).
    assert_eq!(invalid_field("getConferenceRoomStatus", r#"{"yyyyMMdd":20190801}"#), "yyyyMMdd");
    assert_eq!(prepare("getConferenceRoomStatus", "{}").request.body.as_deref(), Some(""));
    for bad in ["2019-08", "201913", "20190230", "2019"] {
        assert_eq!(invalid_field("getConferenceRoomStatus", &format!("{{\"yyyyMMdd\":\"{bad}\"}}")), "yyyyMMdd", "{bad}");
    }
}

#[test]
fn constructor_checks_token_and_url_without_echoing_the_token() {
    for (opts, field) in [
        (r#"{"serverURL":"http://h"}"#, "apiToken"),
        (r#"{"apiToken":"","serverURL":"http://h"}"#, "apiToken"),
        (r#"{"apiToken":"t0k3n-value"}"#, "serverURL"),
        (r#"{"apiToken":"t0k3n-value","serverURL":"h:8080"}"#, "serverURL"),
    ] {
        let e = Client::new(Vendor::Cam, &parse(opts).unwrap()).err().unwrap();
        assert_eq!(e.field.as_deref(), Some(field));
        assert!(!e.message().contains("t0k3n-value"));
    }
}

#[test]
fn unknown_operation_is_an_invalid_argument() {
    assert_eq!(invalid_field("deleteEverything", "{}"), "operation");
}

fn finish(op: &str, status: u16, body: &str) -> Result<Output, workbridge::core::error::Error> {
    let c = client();
    let p = c.prepare(op, &parse(r#"{"panelName":"m","message":"x","users":"a@x.com"}"#).unwrap_or(Json::Null)).ok();
    let p = p.unwrap_or_else(|| c.prepare(op, &Json::Null).unwrap());
    c.finish(&p, &HttpResponse::new(status, body))
}

#[test]
fn answers_resolve_as_the_samples_read_them() {
    assert_eq!(finish("getConferenceMaster", 200, r#"{"conferenceRooms":[]}"#).unwrap(), Output::Body);
    // A 200 with `errors` resolves: the samples read `response['errors']`.
    assert_eq!(finish("sendMessage", 200, r#"{"errors":["no such user"]}"#).unwrap(), Output::Body);
}

#[test]
fn no_non_2xx_answer_resolves_even_with_a_json_body() {
    let e = finish("sendMessage", 404, r#"{"errors":["no such path"]}"#).unwrap_err();
    assert_eq!((e.code, e.status, e.retryable), (Code::HttpError, Some(404), false));
    assert_eq!(e.vendor_message.as_deref(), Some("no such path"));
    let e = finish("sendMessage", 400, r#"{"errors":["no such user"]}"#).unwrap_err();
    assert_eq!((e.code, e.status), (Code::HttpError, Some(400)));
    let e = finish("getConferenceRooms", 403, "{}").unwrap_err();
    assert_eq!(e.code, Code::AuthFailed);
}

#[test]
fn the_api_token_is_scrubbed_in_raw_percent_encoded_and_base64_forms() {
    // client() holds apiToken QIQVOSvRJHrQElDwj20x.
    for echoed in ["QIQVOSvRJHrQElDwj20x", "UUlRVk9TdlJKSHJRRWxEd2oyMHg="] {
        let e = finish("getConferenceRooms", 401, &format!(r#"{{"errors":["bad token {echoed}"]}}"#)).unwrap_err();
        assert_eq!(e.vendor_message.as_deref(), Some("bad token ***"), "{echoed}");
    }
}

#[test]
fn auth_http_and_malformed_answers_reject_with_their_codes() {
    let e = finish("getConferenceRooms", 401, r#"{"errors":["invalid token QIQVOSvRJHrQElDwj20x"]}"#).unwrap_err();
    assert_eq!((e.code, e.status), (Code::AuthFailed, Some(401)));
    assert_eq!(e.vendor_message.as_deref(), Some("invalid token ***"));
    let e = finish("getConferenceRooms", 503, "busy").unwrap_err();
    assert_eq!((e.code, e.status, e.retryable), (Code::HttpError, Some(503), true));
    let e = finish("sendMessage", 503, "busy").unwrap_err();
    assert_eq!((e.code, e.retryable), (Code::HttpError, false));
    assert!(e.detail.contains("not retried"), "{}", e.detail);
    for body in ["", "<html>oops</html>", "[1,2]", "{\"a\":", "{\"errors\":[1e400]}"] {
        let e = finish("getConferenceRooms", 200, body).unwrap_err();
        assert_eq!(e.code, Code::BadResponse, "{body:?}");
    }
    // The body resolves as JS parses it (a number too large for an f64 is Infinity there); only
    // `errors` is read here.
    assert_eq!(finish("getConferenceRooms", 200, r#"{"n":1e400}"#), Ok(Output::Body));
}
