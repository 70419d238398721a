//! The Chat&Messenger emulator, driven with raw requests as curl would send them (seed 000).
#![cfg(feature = "sandbox")]

use workbridge::core::json::{parse, Json};
use workbridge::sandbox::{Request, Response, Sandbox};

const NOW: f64 = 1_700_000_000_000.0;

fn send(sb: &mut Sandbox, method: &str, target: &str, token: &str, body: &str) -> (u16, Json) {
    let headers = vec![("X-CAM-APITOKEN".to_string(), token.to_string())];
    let res: Response = sb.handle(&Request { method, target, headers: &headers, body, now_ms: NOW });
    let json = parse(&res.body).unwrap_or(Json::Null);
    (res.status, json)
}

fn sandbox() -> Sandbox {
    Sandbox::new(&Json::Null)
}

#[test]
fn refuses_a_wrong_or_missing_token_with_errors() {
    let mut sb = sandbox();
    let (status, body) = send(&mut sb, "GET", "/cam/getConferenceRooms", "nope", "");
    assert_eq!(status, 401);
    assert_eq!(body.get("errors").unwrap().to_json_string(), r#"["invalid x-cam-apiToken"]"#);
    let custom = &mut Sandbox::new(&parse(r#"{"cam":{"apiToken":"mine"}}"#).unwrap());
    assert_eq!(send(custom, "GET", "/cam/getConferenceRooms", "mine", "").0, 200);
    assert_eq!(send(custom, "GET", "/cam/getConferenceRooms", "sandbox-token", "").0, 401);
}

#[test]
fn accepts_the_seed_curl_send_message_and_records_it() {
    let mut sb = sandbox();
    // curl -d message="{...}" sends the JSON form-encoded as curl's -d leaves it (only & and = matter).
    let msg = r#"{"panelName":"messenger","message":"Hello","isOpened":false,"generalPurposes":{"users":"user1@xxx.com,user2@xxx.com"}}"#;
    let (status, body) = send(&mut sb, "POST", "/cam/sendMessage", "sandbox-token", &format!("message={msg}"));
    assert_eq!(status, 200, "{body:?}");
    assert_eq!(body.get("errors"), Some(&Json::Null));
    let (_, log) = send(&mut sb, "GET", "/cam/_sandbox/messages", "", "");
    let last = &log.get("messages").unwrap().as_array().unwrap()[0];
    assert_eq!(last.get("message").and_then(Json::as_str), Some("Hello"));
    assert_eq!(last.get("users").unwrap().to_json_string(), r#"["user1@xxx.com","user2@xxx.com"]"#);
}

#[test]
fn refuses_messages_it_cannot_deliver() {
    let mut sb = sandbox();
    for body in [
        "message=not-json",
        "message=%7B%22panelName%22%3A%22nowhere%22%2C%22message%22%3A%22x%22%2C%22generalPurposes%22%3A%7B%22users%22%3A%22a%40x.com%22%7D%7D",
        "message=%7B%22panelName%22%3A%22messenger%22%2C%22message%22%3A%22x%22%2C%22generalPurposes%22%3A%7B%22users%22%3A%22bob%22%7D%7D",
        "message=%ZZ",
    ] {
        let (status, json) = send(&mut sb, "POST", "/cam/sendMessage", "sandbox-token", body);
        assert_eq!(status, 400, "{body}");
        assert!(json.get("errors").and_then(Json::as_array).is_some_and(|e| !e.is_empty()));
    }
}

#[test]
fn a_batch_with_one_bad_item_records_nothing() {
    let mut sb = sandbox();
    let items = r#"[{"message":"ok","property":{"users":"a@x.com"}},{"message":"bad"}]"#;
    let (status, _) = send(&mut sb, "POST", "/cam/sendMessages", "sandbox-token", &format!("messages={}", items.replace('&', "%26")));
    assert_eq!(status, 400);
    let (_, log) = send(&mut sb, "GET", "/cam/_sandbox/messages", "", "");
    assert_eq!(log.get("messages").unwrap().as_array().unwrap().len(), 0);
}

#[test]
fn quick_calls_need_a_future_expiry() {
    let mut sb = sandbox();
    let (status, body) = send(&mut sb, "POST", "/cam/createQuickCall", "sandbox-token", "expireDate=1624368868714&password=pw");
    assert_eq!(status, 400);
    assert_eq!(body.get("errors").unwrap().to_json_string(), r#"["expireDate is in the past"]"#);
    let later = (NOW + 60_000.0) as i64;
    let (status, body) = send(&mut sb, "POST", "/cam/createQuickCall", "sandbox-token", &format!("expireDate={later}&password=pw"));
    assert_eq!(status, 200);
    assert_eq!(body.get("quickCall").and_then(|q| q.get("hasPassword")), Some(&Json::Bool(true)));
}

#[test]
fn chat_rooms_are_created_then_updated_by_id() {
    let mut sb = sandbox();
    let (status, body) = send(&mut sb, "POST", "/cam/updateChatRoom", "sandbox-token", "chatRoom=%7B%22name%22%3A%22r1%22%7D");
    assert_eq!(status, 200);
    let id = body.get("chatRoom").and_then(|r| r.get("id")).and_then(Json::as_str).unwrap().to_string();
    let update = format!("chatRoom=%7B%22id%22%3A%22{id}%22%2C%22isPublic%22%3Atrue%7D");
    let (_, body) = send(&mut sb, "POST", "/cam/updateChatRoom", "sandbox-token", &update);
    let room = body.get("chatRoom").unwrap();
    assert_eq!((room.get("name").and_then(Json::as_str), room.get("isPublic")), (Some("r1"), Some(&Json::Bool(true))));
    let (status, _) = send(&mut sb, "POST", "/cam/updateChatRoom", "sandbox-token", "chatRoom=%7B%22id%22%3A%22999%22%7D");
    assert_eq!(status, 404);
}

#[test]
fn room_status_lists_reservations_of_a_month_or_a_day() {
    let mut sb = sandbox();
    let (_, body) = send(&mut sb, "POST", "/cam/getConferenceRoomStatus", "sandbox-token", "yyyyMMdd=20190801");
    let rooms = body.get("conferenceRoomStatus").and_then(|s| s.get("conferenceRooms")).and_then(Json::as_array).unwrap();
    let counts: Vec<usize> = rooms.iter().map(|r| r.get("reservedSchedules").and_then(Json::as_array).map_or(0, |s| s.len())).collect();
    assert_eq!(counts, vec![1, 1, 0]);
    let (_, master) = send(&mut sb, "POST", "/cam/getConferenceRoomStatus", "sandbox-token", "");
    assert_eq!(master.get("conferenceRooms").and_then(Json::as_array).map(|r| r.len()), Some(3));
    assert_eq!(send(&mut sb, "POST", "/cam/getConferenceRoomStatus", "sandbox-token", "yyyyMMdd=2019-08").0, 400);
}

#[test]
fn unknown_paths_methods_and_vendors_are_refused_and_preflight_passes() {
    let mut sb = sandbox();
    assert_eq!(send(&mut sb, "GET", "/cam/sendMessage", "sandbox-token", "").0, 405);
    assert_eq!(send(&mut sb, "POST", "/cam/nothing", "sandbox-token", "").0, 404);
    assert_eq!(send(&mut sb, "GET", "/nowhere/x", "", "").0, 404);
    let headers = vec![];
    let res = sb.handle(&Request { method: "OPTIONS", target: "/cam/sendMessage", headers: &headers, body: "", now_ms: NOW });
    assert_eq!(res.status, 204);
    assert!(res.headers.iter().any(|(k, v)| k == "Access-Control-Allow-Origin" && v == "*"));
}

#[test]
fn log_lines_mask_credentials_in_the_query() {
    let headers = vec![];
    let req = Request { method: "POST", target: "/yunzhijia/gateway/x?accessToken=abc123", headers: &headers, body: "", now_ms: NOW };
    let res = Response::json(200, Json::Null);
    assert_eq!(Sandbox::log_line(&req, &res), "POST /yunzhijia/gateway/x?accessToken=*** -> 200");
}
