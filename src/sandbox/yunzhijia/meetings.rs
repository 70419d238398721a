//! Smart meetings: created, changed and cancelled by their creator only; repeat series with
//! the parent first; listed by day (Beijing time). A meeting with a `roomId` carries its room
//! booking, so the booking's topic, content, times and attendees are the meeting's own.

use serde_json::Value;

use super::models::{ErrorField, MeetingId, MeetingIds, MeetingItem};
use super::{answer, check_ids, fail, people, rooms, strings, text, time, State};
use crate::core::time::{civil_from_days, days_from_civil, days_in_month};
use crate::sandbox::Response;

const DAY_MS: i64 = 86_400_000;
const BEIJING_MS: i64 = 8 * 3_600_000;
const MAX_SERIES: usize = 400;

/// A room booking: made by a meeting with a `roomId`, deleted when the meeting is cancelled or
/// moves to another room (a move makes a new booking).
pub struct Booking {
    pub order_id: String,
    pub room_id: String,
    pub create_time: i64,
    pub update_time: i64,
    pub deleted: bool,
}

pub struct Meeting {
    pub id: String,
    /// The parent's id for every meeting of a repeat series (the parent included).
    pub series: Option<String>,
    pub openid: String,
    pub kind: Option<String>,
    pub title: String,
    pub content: String,
    pub meeting_place: String,
    pub meeting_status: i64,
    pub read_status: i64,
    pub accept_status: i64,
    pub done_time: i64,
    pub notice_time: i64,
    pub top_state: i64,
    pub submit_experience: bool,
    pub start: i64,
    pub end: i64,
    pub create_date: i64,
    pub actors: Vec<String>,
    /// Every booking this meeting made; at most one is not deleted.
    pub bookings: Vec<Booking>,
    /// Cancelled meetings leave every day's list; one that booked a room is kept, so that
    /// `bookInfo` lists its booking under `delete`.
    pub cancelled: bool,
}

impl Meeting {
    pub fn booking(&self) -> Option<&Booking> {
        self.bookings.iter().find(|b| !b.deleted)
    }

    pub fn item(&self) -> MeetingItem<'_> {
        let booking = self.booking();
        MeetingItem {
            openid: &self.openid,
            kind: self.kind.as_deref(),
            title: &self.title,
            content: &self.content,
            meeting_place: &self.meeting_place,
            meeting_status: self.meeting_status,
            read_status: self.read_status,
            accept_status: self.accept_status,
            person_name: people::name(&self.openid),
            done_time: self.done_time,
            id: &self.id,
            notice_time: self.notice_time,
            start_date: self.start,
            end_date: self.end,
            create_date: self.create_date,
            room_id: booking.map_or("", |b| b.room_id.as_str()),
            room_order_id: booking.map_or("", |b| b.order_id.as_str()),
        }
    }
}

#[derive(Default)]
pub struct Meetings {
    pub list: Vec<Meeting>,
}

/// The samples' meetings: queryByDay's (2018-08-30, booking a room, with getActors' people) and
/// a booking cancelled on 2018-09-28 (bookInfo's `delete` sample), both changed at
/// 1538201890395, after the `lastTime` of the seed's hasNew and bookInfo samples.
pub fn seed(s: &mut State) {
    const CHANGED: i64 = 1_538_201_890_395;
    let samples = [
        (
            "5b86ed2fbeb7cc35af769eb8",
            "5a67e1e1e4b02f1de22a70a3",
            "测试会议",
            "在京举行还很好",
            1_535_558_400_000,
            1_535_644_799_999,
            1,
            rooms::SEEDED[1],
            false,
        ),
        (
            "5bad8a6414cada62e4e44810",
            "5a67e08d00b0e8dfe4aab4fa",
            "商学院讨论",
            "商学院讨论",
            1_538_121_600_000,
            1_538_125_200_000,
            0,
            rooms::SEEDED[2],
            true,
        ),
    ];
    for (id, openid, title, content, start, end, status, room, cancelled) in samples {
        let order_id = s.id();
        s.meetings.list.push(Meeting {
            id: id.into(),
            series: None,
            openid: openid.into(),
            kind: Some("sign".into()),
            title: title.into(),
            content: content.into(),
            meeting_place: "云8会议室".into(),
            meeting_status: status,
            read_status: 1,
            accept_status: 2,
            done_time: if status == 1 { 1_535_569_199_741 } else { 0 },
            notice_time: 0,
            top_state: 0,
            submit_experience: false,
            start,
            end,
            create_date: 1_535_569_199_741,
            actors: vec!["5c32b90b84aef86b358bc9cc".into(), "5b652863e4b0689c4f38b1d3".into()],
            bookings: vec![Booking { order_id, room_id: room.into(), create_time: CHANGED, update_time: CHANGED, deleted: cancelled }],
            cancelled,
        });
    }
    s.last_change = CHANGED;
}

/// The checks the server makes on a meeting's fields, whichever operation carries them.
fn check_fields(body: &Value) -> Result<(), String> {
    let int_in = |key: &str, allowed: &[i64]| match body.get(key) {
        None => true,
        Some(v) => v.as_i64().is_some_and(|n| allowed.contains(&n)),
    };
    if !int_in("noticeTime", &[-1, 0, 15, 60]) {
        return Err("noticeTime 应为 -1、0、15 或 60".into());
    }
    if !int_in("topState", &[0, 1]) {
        return Err("topState 应为 0 或 1".into());
    }
    if let Some(t) = body.get("type").filter(|t| !t.is_null()) {
        if !matches!(t.as_str(), Some("sign" | "voice")) {
            return Err("type 应为 null、sign 或 voice".into());
        }
    }
    if body.get("submitExperience").is_some_and(|v| !v.is_boolean()) {
        return Err("submitExperience 应为 true 或 false".into());
    }
    for key in ["title", "content", "meetingPlace", "roomId", "openid", "id", "batchId"] {
        if body.get(key).is_some_and(|v| !(v.is_string() || v.is_null())) {
            return Err(format!("{key} 应为字符串 (must be a string)"));
        }
    }
    for key in ["actors", "addActors", "delActors"] {
        check_ids(body, key)?;
    }
    Ok(())
}

pub fn handle(s: &mut State, name: &str, body: &Value, now: i64) -> Response {
    if let Err(why) = check_fields(body) {
        return fail(400, &why);
    }
    let done = || answer(ErrorField::Null, ());
    let result = match name {
        "create" => create(s, body, now, None).map(|id| answer(ErrorField::Null, MeetingId { meeting_id: id })),
        "repeatMeeting" => repeat(s, body, now),
        "modify" => modify(s, body, now, false).map(|()| done()),
        "batchModify" => modify(s, body, now, true).map(|()| done()),
        "cancel" => cancel(s, body, now, false).map(|()| done()),
        "batchCancel" => cancel(s, body, now, true).map(|()| done()),
        _ => query_by_day(s, body),
    };
    result.unwrap_or_else(|(code, why)| fail(code, &why))
}

type Refusal = (i64, String);

fn bad(why: &str) -> Refusal {
    (400, why.to_string())
}

fn create(s: &mut State, body: &Value, now: i64, series: Option<(&str, i64, i64)>) -> Result<String, Refusal> {
    let openid = text(body, "openid").ok_or_else(|| bad("openid 为必填"))?;
    let title = text(body, "title").ok_or_else(|| bad("title 为必填"))?;
    let (start, end) = match series {
        Some((_, start, end)) => (start, end),
        None => (
            time(body.get("startDate")).ok_or_else(|| bad("startDate 为必填"))?,
            time(body.get("endDate")).ok_or_else(|| bad("endDate 为必填"))?,
        ),
    };
    if start >= end {
        return Err(bad("endDate 应晚于 startDate"));
    }
    let id = s.id();
    // A series books no room: repeatMeeting has no roomId (seed 001).
    let bookings = match text(body, "roomId").filter(|_| series.is_none()) {
        Some(room) => vec![rooms::book(s, room, start, end, None, now).map_err(bad)?],
        None => Vec::new(),
    };
    let series = series.map(|(parent, _, _)| if parent.is_empty() { id.clone() } else { parent.to_string() });
    let text_or_empty = |k: &str| body.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    s.meetings.list.push(Meeting {
        id: id.clone(),
        series,
        openid: openid.into(),
        kind: body.get("type").and_then(Value::as_str).map(str::to_string),
        title: title.into(),
        content: text_or_empty("content"),
        meeting_place: text_or_empty("meetingPlace"),
        meeting_status: 0,
        read_status: 0,
        accept_status: 0,
        done_time: 0,
        notice_time: body.get("noticeTime").and_then(Value::as_i64).unwrap_or(0),
        top_state: body.get("topState").and_then(Value::as_i64).unwrap_or(0),
        submit_experience: body.get("submitExperience").and_then(Value::as_bool).unwrap_or(false),
        start,
        end,
        create_date: now,
        actors: strings(body.get("actors")),
        bookings,
        cancelled: false,
    });
    Ok(id)
}

/// The start of each meeting of a series: `repeat` 1 workdays, 2 daily, 3 weekly, 4 every two
/// weeks, 5 monthly, until `until` (inclusive).
fn occurrences(start: i64, until: i64, repeat: i64) -> Vec<i64> {
    let mut out = vec![start];
    if repeat == 0 {
        return out;
    }
    let local = start + BEIJING_MS;
    let (days0, ms_in_day) = (local.div_euclid(DAY_MS), local.rem_euclid(DAY_MS));
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
        let at = days * DAY_MS + ms_in_day - BEIJING_MS;
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

/// `repeat` as the seeds send it: a number (repeatMeeting) or a string of one (batchModify).
fn repeat_kind(v: Option<&Value>) -> Option<i64> {
    let n = match v? {
        Value::Number(n) => n.as_i64()?,
        Value::String(s) => s.parse().ok()?,
        _ => return None,
    };
    (0..=5).contains(&n).then_some(n)
}

fn repeat(s: &mut State, body: &Value, now: i64) -> Result<Response, Refusal> {
    let (Some(start), Some(end)) = (time(body.get("startDate")), time(body.get("endDate"))) else {
        return Err(bad("startDate 和 endDate 为必填"));
    };
    let kind = repeat_kind(body.get("repeat")).ok_or_else(|| bad("repeat 应为 0 到 5"))?;
    let until = time(body.get("repeatEndDate")).filter(|u| *u > start).ok_or_else(|| bad("repeatEndDate 应晚于 startDate"))?;
    if start >= end {
        return Err(bad("endDate 应晚于 startDate"));
    }
    let mut ids: Vec<String> = Vec::new();
    for at in occurrences(start, until, kind) {
        let parent = ids.first().cloned().unwrap_or_default();
        ids.push(create(s, body, now, Some((&parent, at, at + (end - start))))?);
    }
    Ok(answer(ErrorField::Null, MeetingIds { meeting_ids: ids }))
}

/// The meetings an operation acts on: one, or its whole series.
fn targets(s: &State, body: &Value, series: bool) -> Result<Vec<usize>, Refusal> {
    let id = text(body, "id").ok_or_else(|| bad("id 为必填"))?;
    let live = |i: &usize| !s.meetings.list[*i].cancelled;
    let found = (0..s.meetings.list.len())
        .filter(live)
        .find(|&i| s.meetings.list[i].id == id)
        .ok_or((100, "会议不存在 (no such meeting)".to_string()))?;
    let meeting = &s.meetings.list[found];
    if text(body, "openid") != Some(meeting.openid.as_str()) {
        return Err((403, "只有会议创建人可以操作 (only the creator may)".into()));
    }
    if !series {
        return Ok(vec![found]);
    }
    let parent = text(body, "batchId").map(str::to_string).or_else(|| meeting.series.clone()).unwrap_or_else(|| id.to_string());
    Ok((0..s.meetings.list.len())
        .filter(live)
        .filter(|&i| s.meetings.list[i].series.as_deref() == Some(&parent) || s.meetings.list[i].id == parent)
        .collect())
}

fn modify(s: &mut State, body: &Value, now: i64, series: bool) -> Result<(), Refusal> {
    let found = targets(s, body, series)?;
    let first = found.first().ok_or((100, "会议不存在 (no such meeting)".to_string()))?;
    // New times move the whole series by the same amounts.
    let old = &s.meetings.list[*first];
    let shift_start = time(body.get("startDate")).map_or(0, |t| t - old.start);
    let shift_end = time(body.get("endDate")).map_or(0, |t| t - old.end);
    if old.start + shift_start >= old.end + shift_end {
        return Err(bad("endDate 应晚于 startDate"));
    }
    // A room change is checked for every meeting before any is changed.
    let room = body.get("roomId").map(|r| r.as_str().unwrap_or("").to_string());
    if let Some(room) = room.as_deref().filter(|r| !r.is_empty()) {
        for &i in &found {
            let m = &s.meetings.list[i];
            let keep = m.booking().filter(|b| b.room_id == room).map(|b| b.order_id.clone());
            rooms::check_free(s, room, m.start + shift_start, m.end + shift_end, keep.as_deref()).map_err(bad)?;
        }
    }
    let (add, del) = (strings(body.get("addActors")), strings(body.get("delActors")));
    for i in found {
        let at = s.change_time(now);
        let m = &mut s.meetings.list[i];
        let str_of = |k: &str| body.get(k).map(|v| v.as_str().unwrap_or("").to_string());
        if let Some(t) = str_of("title").filter(|t| !t.is_empty()) {
            m.title = t;
        }
        m.content = str_of("content").unwrap_or(std::mem::take(&mut m.content));
        m.meeting_place = str_of("meetingPlace").unwrap_or(std::mem::take(&mut m.meeting_place));
        m.notice_time = body.get("noticeTime").and_then(Value::as_i64).unwrap_or(m.notice_time);
        m.top_state = body.get("topState").and_then(Value::as_i64).unwrap_or(m.top_state);
        m.submit_experience = body.get("submitExperience").and_then(Value::as_bool).unwrap_or(m.submit_experience);
        // actors = the given list (or the old one) + addActors - delActors (seed 001).
        let mut actors = if body.get("actors").is_some() { strings(body.get("actors")) } else { std::mem::take(&mut m.actors) };
        for a in &add {
            if !actors.contains(a) {
                actors.push(a.clone());
            }
        }
        actors.retain(|a| !del.contains(a));
        m.actors = actors;
        m.start += shift_start;
        m.end += shift_end;
        let moved = room.as_deref().is_some_and(|r| m.booking().is_none_or(|b| b.room_id != r));
        for b in m.bookings.iter_mut().filter(|b| !b.deleted) {
            b.update_time = at;
            b.deleted = moved;
        }
        let (start, end) = (m.start, m.end);
        if let Some(r) = room.as_deref().filter(|r| moved && !r.is_empty()) {
            let booking = rooms::book(s, r, start, end, None, now).map_err(bad)?;
            s.meetings.list[i].bookings.push(booking);
        }
    }
    Ok(())
}

fn cancel(s: &mut State, body: &Value, now: i64, series: bool) -> Result<(), Refusal> {
    let found = targets(s, body, series)?;
    for &i in &found {
        let at = s.change_time(now);
        let m = &mut s.meetings.list[i];
        m.cancelled = true;
        for b in m.bookings.iter_mut().filter(|b| !b.deleted) {
            (b.deleted, b.update_time) = (true, at);
        }
    }
    // A cancelled meeting that never booked a room leaves nothing behind.
    let mut index = 0;
    s.meetings.list.retain(|m| {
        index += 1;
        !(found.contains(&(index - 1)) && m.bookings.is_empty())
    });
    Ok(())
}

fn query_by_day(s: &State, body: &Value) -> Result<Response, Refusal> {
    let day = time(body.get("day")).ok_or_else(|| bad("day 为必填"))?;
    let day_of = |t: i64| (t + BEIJING_MS).div_euclid(DAY_MS);
    let list: Vec<MeetingItem> =
        s.meetings.list.iter().filter(|m| !m.cancelled && day_of(m.start) == day_of(day)).map(Meeting::item).collect();
    Ok(answer(ErrorField::Null, list))
}
