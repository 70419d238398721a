//! The Yunzhijia emulator from the wire: token window, creator-only cancel, repeat series.
#![cfg(feature = "sandbox")]

use workbridge::core::json::{parse, Json};
use workbridge::sandbox::{Request, Sandbox};

const NOW: f64 = 1_795_400_000_000.0;

fn post(sb: &mut Sandbox, target: &str, body: &str) -> (u16, Json) {
    let res = sb.handle(&Request { method: "POST", target, headers: &[], body, now_ms: NOW });
    (res.status, parse(&res.body).unwrap())
}

fn token(sb: &mut Sandbox) -> String {
    let (_, body) = post(
        sb,
        "/yunzhijia/gateway/oauth2/token/getAccessToken",
        &format!(r#"{{"eid":"10109","secret":"sandbox-secret","timestamp":{NOW},"scope":"resGroupSecret"}}"#),
    );
    body.get("data").and_then(|d| d.get("accessToken")).and_then(Json::as_str).unwrap().to_string()
}

fn data(body: &Json) -> &Json {
    assert_eq!(body.get("success"), Some(&Json::Bool(true)), "{body:?}");
    body.get("data").unwrap()
}

#[test]
fn tokens_need_the_secret_and_a_fresh_timestamp() {
    let mut sb = Sandbox::new(&Json::Null);
    let stale = NOW - 181_000.0;
    let (_, body) = post(
        &mut sb,
        "/yunzhijia/gateway/oauth2/token/getAccessToken",
        &format!(r#"{{"eid":"10109","secret":"sandbox-secret","timestamp":{stale},"scope":"resGroupSecret"}}"#),
    );
    assert_eq!(body.get("errorCode").and_then(Json::as_f64), Some(1002.0));
    let (_, body) = post(
        &mut sb,
        "/yunzhijia/gateway/oauth2/token/getAccessToken",
        &format!(r#"{{"eid":"10109","secret":"nope","timestamp":{NOW},"scope":"resGroupSecret"}}"#),
    );
    assert_eq!(body.get("errorCode").and_then(Json::as_f64), Some(1001.0));
    let (status, refused) = post(&mut sb, "/yunzhijia/gateway/cloudwork/meeting/queryByDay?accessToken=forged", r#"{"day":1}"#);
    assert_eq!(
        (status, refused.get("success"), refused.get("errorCode").and_then(Json::as_f64)),
        (200, Some(&Json::Bool(false)), Some(401.0))
    );
    let t = token(&mut sb);
    let (status, _) = post(&mut sb, &format!("/yunzhijia/gateway/cloudwork/meeting/queryByDay?accessToken={t}"), r#"{"day":1}"#);
    assert_eq!(status, 200);
}

#[test]
fn only_the_creator_cancels_and_a_cancelled_meeting_leaves_its_day() {
    let mut sb = Sandbox::new(&Json::Null);
    let t = token(&mut sb);
    let url = |op: &str| format!("/yunzhijia/gateway/cloudwork/meeting/{op}?accessToken={t}");
    let (_, created) = post(&mut sb, &url("create"), r#"{"openid":"o1","title":"t","startDate":1795485600000,"endDate":1795489200000}"#);
    let id = data(&created).get("meetingId").and_then(Json::as_str).unwrap().to_string();
    let (_, day) = post(&mut sb, &url("queryByDay"), r#"{"day":1795485600000}"#);
    assert_eq!(data(&day).as_array().unwrap().len(), 1);
    let (_, refused) = post(&mut sb, &url("cancel"), &format!(r#"{{"openid":"someone-else","id":"{id}"}}"#));
    assert_eq!(refused.get("success"), Some(&Json::Bool(false)));
    let (_, done) = post(&mut sb, &url("cancel"), &format!(r#"{{"openid":"o1","id":"{id}"}}"#));
    data(&done);
    let (_, day) = post(&mut sb, &url("queryByDay"), r#"{"day":1795485600000}"#);
    assert_eq!(data(&day).as_array().unwrap().len(), 0);
}

#[test]
fn a_weekly_series_returns_the_parent_first_and_batch_cancel_removes_it_all() {
    let mut sb = Sandbox::new(&Json::Null);
    let t = token(&mut sb);
    let url = |op: &str| format!("/yunzhijia/gateway/cloudwork/meeting/{op}?accessToken={t}");
    // Four weeks of Tuesdays 10:00 Beijing time.
    let (_, series) = post(
        &mut sb,
        &url("repeatMeeting"),
        r#"{"openid":"o1","title":"周会","startDate":1795485600000,"endDate":1795489200000,"repeat":3,"repeatEndDate":1797300000000}"#,
    );
    let ids: Vec<String> =
        data(&series).get("meetingIds").and_then(Json::as_array).unwrap().iter().filter_map(|v| v.as_str().map(str::to_string)).collect();
    assert_eq!(ids.len(), 4);
    let (_, week3) = post(&mut sb, &url("queryByDay"), &format!(r#"{{"day":{}}}"#, 1_795_485_600_000.0 + 14.0 * 86_400_000.0));
    assert_eq!(data(&week3).as_array().unwrap()[0].get("id").and_then(Json::as_str), Some(ids[2].as_str()));
    let (_, done) = post(&mut sb, &url("batchCancel"), &format!(r#"{{"openid":"o1","id":"{}"}}"#, ids[1]));
    data(&done);
    let (_, week3) = post(&mut sb, &url("queryByDay"), &format!(r#"{{"day":{}}}"#, 1_795_485_600_000.0 + 14.0 * 86_400_000.0));
    assert_eq!(data(&week3).as_array().unwrap().len(), 0);
}
