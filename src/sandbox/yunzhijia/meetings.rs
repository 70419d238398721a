//! Smart meetings: created, changed and cancelled by their creator only; repeat series with
//! the parent first; listed by day (Beijing time). A `roomId` books the room.

use super::{fail, ok, rooms, strings, text, time, State};
use crate::core::json::Json;
use crate::core::time::{civil_from_days, days_from_civil, days_in_month};
use crate::sandbox::Response;

const DAY_MS: f64 = 86_400_000.0;
const BEIJING_MS: f64 = 8.0 * 3_600_000.0;
const MAX_SERIES: usize = 400;

pub struct Meeting {
    pub id: String,
    /// The parent's id for every meeting of a repeat series (the parent included).
    pub series: Option<String>,
    pub data: Json,
}

#[derive(Default)]
pub struct Meetings {
    pub list: Vec<Meeting>,
}

/// A few people, so that `personName` reads like the seed's sample.
fn person_name(openid: &str) -> &'static str {
    match openid {
        "5a67e08d00b0e8dfe4aab4fa" => "张三",
        "5a67e1e1e4b02f1de22a70a3" => "李四",
        _ => "云之家用户",
    }
}

pub fn seed(s: &mut State, _eid: &str) {
    // The seed's queryByDay sample: 2018-08-30 in Beijing.
    let sample = r#"{"openid":"5a67e1e1e4b02f1de22a70a3","type":"sign","title":"测试会议","content":"在京举行还很好","meetingPlace":"云8会议室","meetingStatus":1,"readStatus":1,"acceptStatus":2,"personName":"张三","doneTime":1535569199741,"id":"5b86ed2fbeb7cc35af769eb8","noticeTime":0,"startDate":1535558400000,"endDate":1535644799999,"createDate":1535569199741,"roomId":"xx","roomOrderId":""}"#;
    if let Ok(data) = crate::core::json::parse(sample) {
        s.meetings.list.push(Meeting { id: "5b86ed2fbeb7cc35af769eb8".into(), series: None, data });
    }
}

fn set(data: &mut Json, key: &str, value: Json) {
    if let Json::Obj(m) = data {
        match m.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = value,
            None => m.push((key.to_string(), value)),
        }
    }
}

/// The checks the server makes on a meeting's fields, whichever operation carries them.
fn check_fields(body: &Json) -> Result<(), &'static str> {
    if let Some(n) = body.get("noticeTime") {
        if !matches!(n.as_f64(), Some(v) if [-1.0, 0.0, 15.0, 60.0].contains(&v)) {
            return Err("noticeTime 应为 -1、0、15 或 60");
        }
    }
    if let Some(t) = body.get("topState") {
        if !matches!(t.as_f64(), Some(v) if v == 0.0 || v == 1.0) {
            return Err("topState 应为 0 或 1");
        }
    }
    if let Some(t) = body.get("type").filter(|t| !t.is_null()) {
        if !matches!(t.as_str(), Some("sign" | "voice")) {
            return Err("type 应为 null、sign 或 voice");
        }
    }
    Ok(())
}

pub fn handle(s: &mut State, name: &str, body: &Json, now: f64) -> Response {
    if let Err(why) = check_fields(body) {
        return fail(400.0, why);
    }
    match name {
        "create" => create(s, body, now, None).map_or_else(|e| fail(400.0, e), |id| ok(Json::Obj(vec![("meetingId".into(), Json::Str(id))]))),
        "repeatMeeting" => repeat(s, body, now),
        "modify" => modify(s, body, now, false),
        "batchModify" => modify(s, body, now, true),
        "cancel" => cancel(s, body, now, false),
        "batchCancel" => cancel(s, body, now, true),
        "queryByDay" => query_by_day(s, body),
        _ => fail(404.0, "接口不存在 (no such API)"),
    }
}

fn create(s: &mut State, body: &Json, now: f64, series: Option<(&str, f64, f64)>) -> Result<String, &'static str> {
    let openid = text(body, "openid").ok_or("openid 为必填")?;
    let title = text(body, "title").ok_or("title 为必填")?;
    let (start, end) = match series {
        Some((_, start, end)) => (start, end),
        None => (time(body.get("startDate")).ok_or("startDate 为必填")?, time(body.get("endDate")).ok_or("endDate 为必填")?),
    };
    if start >= end {
        return Err("endDate 应晚于 startDate");
    }
    let id = s.id();
    let room_id = text(body, "roomId").map(str::to_string);
    let order = match &room_id {
        Some(room) => Some(rooms::book(s, room, start, end, title, text(body, "content").unwrap_or(""), person_name(openid), strings(body.get("actors")), now)?),
        None => None,
    };
    let str_or_null = |k: &str| body.get(k).and_then(Json::as_str).map_or(Json::Null, Json::str);
    let data = Json::Obj(vec![
        ("openid".into(), Json::str(openid)),
        ("type".into(), str_or_null("type")),
        ("title".into(), Json::str(title)),
        ("content".into(), str_or_null("content")),
        ("meetingPlace".into(), str_or_null("meetingPlace")),
        ("meetingStatus".into(), Json::Num(0.0)),
        ("readStatus".into(), Json::Num(0.0)),
        ("acceptStatus".into(), Json::Num(0.0)),
        ("personName".into(), Json::str(person_name(openid))),
        ("doneTime".into(), Json::Num(0.0)),
        ("id".into(), Json::str(id.clone())),
        ("noticeTime".into(), body.get("noticeTime").cloned().unwrap_or(Json::Num(0.0))),
        ("startDate".into(), Json::Num(start)),
        ("endDate".into(), Json::Num(end)),
        ("createDate".into(), Json::Num(now)),
        ("roomId".into(), room_id.map_or(Json::Null, Json::Str)),
        ("roomOrderId".into(), Json::str(order.unwrap_or_default())),
        ("actors".into(), Json::Arr(strings(body.get("actors")).into_iter().map(Json::Str).collect())),
    ]);
    let series = series.map(|(parent, _, _)| if parent.is_empty() { id.clone() } else { parent.to_string() });
    s.meetings.list.push(Meeting { id: id.clone(), series, data });
    Ok(id)
}

/// The start of each meeting of a series: `repeat` 1 workdays, 2 daily, 3 weekly, 4 every two
/// weeks, 5 monthly, until `until` (inclusive).
fn occurrences(start: f64, until: f64, repeat: u32) -> Vec<f64> {
    let mut out = vec![start];
    if repeat == 0 {
        return out;
    }
    let local = start + BEIJING_MS;
    let (days0, ms_in_day) = ((local / DAY_MS).floor() as i64, local.rem_euclid(DAY_MS));
    let (y0, m0, d0) = civil_from_days(days0);
    for step in 1.. {
        let days = match repeat {
            1 | 2 => days0 + step,
            3 => days0 + 7 * step,
            4 => days0 + 14 * step,
            _ => {
                let months = i64::from(m0) - 1 + step;
                let (y, m) = (y0 + months.div_euclid(12), (months.rem_euclid(12) + 1) as u32);
                days_from_civil(y, m, d0.min(days_in_month(y, m)))
            }
        };
        let at = days as f64 * DAY_MS + ms_in_day - BEIJING_MS;
        if at > until || out.len() >= MAX_SERIES {
            break;
        }
        // 1970-01-01 was a Thursday: 0 is Sunday, 6 Saturday.
        if repeat == 1 && matches!((days + 4).rem_euclid(7), 0 | 6) {
            continue;
        }
        out.push(at);
    }
    out
}

fn repeat(s: &mut State, body: &Json, now: f64) -> Response {
    let (Some(start), Some(end)) = (time(body.get("startDate")), time(body.get("endDate"))) else {
        return fail(400.0, "startDate 和 endDate 为必填");
    };
    let Some(kind) = body.get("repeat").and_then(|r| r.as_f64().or_else(|| r.as_str().and_then(|s| s.parse().ok()))).filter(|r| (0.0..=5.0).contains(r) && r.fract() == 0.0) else {
        return fail(400.0, "repeat 应为 0 到 5");
    };
    let Some(until) = time(body.get("repeatEndDate")).filter(|u| *u > start) else {
        return fail(400.0, "repeatEndDate 应晚于 startDate");
    };
    let mut ids: Vec<String> = Vec::new();
    for at in occurrences(start, until, kind as u32) {
        let parent = ids.first().cloned().unwrap_or_default();
        match create(s, body, now, Some((&parent, at, at + (end - start)))) {
            Ok(id) => ids.push(id),
            Err(e) => return fail(400.0, e),
        }
    }
    ok(Json::Obj(vec![("meetingIds".into(), Json::Arr(ids.into_iter().map(Json::Str).collect()))]))
}

/// The meetings an operation acts on: one, or its whole series.
fn targets(s: &State, body: &Json, series: bool) -> Result<Vec<usize>, Response> {
    let Some(id) = text(body, "id") else {
        return Err(fail(400.0, "id 为必填"));
    };
    let Some(found) = s.meetings.list.iter().position(|m| m.id == id) else {
        return Err(fail(100.0, "会议不存在 (no such meeting)"));
    };
    if text(body, "openid") != s.meetings.list[found].data.get("openid").and_then(Json::as_str) {
        return Err(fail(403.0, "只有会议创建人可以操作 (only the creator may)"));
    }
    if !series {
        return Ok(vec![found]);
    }
    let parent = text(body, "batchId").map(str::to_string).or_else(|| s.meetings.list[found].series.clone()).unwrap_or_else(|| id.to_string());
    Ok((0..s.meetings.list.len()).filter(|&i| s.meetings.list[i].series.as_deref() == Some(&parent) || s.meetings.list[i].id == parent).collect())
}

fn modify(s: &mut State, body: &Json, now: f64, series: bool) -> Response {
    let found = match targets(s, body, series) {
        Ok(f) => f,
        Err(res) => return res,
    };
    let Some(&first) = found.first() else {
        return fail(100.0, "会议不存在 (no such meeting)");
    };
    // New times move the whole series by the same amounts.
    let old = &s.meetings.list[first].data;
    let (old_start, old_end) = (time(old.get("startDate")).unwrap_or(0.0), time(old.get("endDate")).unwrap_or(0.0));
    let shift_start = time(body.get("startDate")).map_or(0.0, |t| t - old_start);
    let shift_end = time(body.get("endDate")).map_or(0.0, |t| t - old_end);
    if old_start + shift_start >= old_end + shift_end {
        return fail(400.0, "endDate 应晚于 startDate");
    }
    let (add, del) = (strings(body.get("addActors")), strings(body.get("delActors")));
    for i in found {
        let data = &mut s.meetings.list[i].data;
        for key in ["title", "content", "meetingPlace", "noticeTime", "topState", "submitExperience", "roomId"] {
            if let Some(v) = body.get(key) {
                set(data, key, v.clone());
            }
        }
        let mut actors = body.get("actors").map(|a| strings(Some(a))).unwrap_or_else(|| strings(data.get("actors")));
        actors.extend(add.iter().filter(|a| !actors.contains(a)).cloned().collect::<Vec<_>>());
        actors.retain(|a| !del.contains(a));
        set(data, "actors", Json::Arr(actors.into_iter().map(Json::Str).collect()));
        let (start, end) = (time(data.get("startDate")).unwrap_or(0.0) + shift_start, time(data.get("endDate")).unwrap_or(0.0) + shift_end);
        set(data, "startDate", Json::Num(start));
        set(data, "endDate", Json::Num(end));
        if let Some(order) = text(data, "roomOrderId").map(str::to_string) {
            let title = text(data, "title").unwrap_or("").to_string();
            rooms::update(s, &order, start, end, &title, now);
        }
    }
    ok(Json::Null)
}

fn cancel(s: &mut State, body: &Json, now: f64, series: bool) -> Response {
    let found = match targets(s, body, series) {
        Ok(f) => f,
        Err(res) => return res,
    };
    for &i in found.iter().rev() {
        let m = s.meetings.list.remove(i);
        if let Some(order) = text(&m.data, "roomOrderId") {
            rooms::cancel(s, order, now);
        }
    }
    ok(Json::Null)
}

fn query_by_day(s: &State, body: &Json) -> Response {
    let Some(day) = time(body.get("day")) else {
        return fail(400.0, "day 为必填");
    };
    let day_of = |t: f64| ((t + BEIJING_MS) / DAY_MS).floor();
    let list = s
        .meetings
        .list
        .iter()
        .filter(|m| time(m.data.get("startDate")).is_some_and(|t| day_of(t) == day_of(day)))
        .map(|m| m.data.clone())
        .collect();
    ok(Json::Arr(list))
}
