//! Meeting rooms and what the room-booking API reads of the meetings that book them: changes
//! after `lastTime` in `updateTime` order (`add` and `delete`, paged), free rooms for an
//! interval, a booking's attendees. Every successful answer has `"error": ""` (seed 001).

use serde_json::Value;

use super::meetings::{Booking, Meeting};
use super::models::{Actor, BookInfo, BookingItem, ErrorField, FreeRoom, HasNew};
use super::{answer, fail, people, text, time, State};
use crate::core::time::civil_from_days;
use crate::sandbox::Response;

pub struct Room {
    id: &'static str,
    name: &'static str,
    detail: Option<&'static str>,
    note: &'static str,
}

/// The seeded rooms' ids (freeRooms' sample room first).
pub const SEEDED: [&str; 3] = ["5c121cfd7453ed63750a9767", "5c121cfd7453ed63750a9768", "5c121cfd7453ed63750a9769"];

pub struct Rooms {
    rooms: Vec<Room>,
}

impl Rooms {
    pub fn seeded() -> Rooms {
        Rooms {
            rooms: vec![
                Room { id: SEEDED[0], name: "冥王星1号", detail: Some("啊啊啊啊啊"), note: "小猪佩" },
                Room { id: SEEDED[1], name: "23F会议室", detail: Some("23F"), note: "" },
                Room { id: SEEDED[2], name: "A304", detail: Some("A栋-3F"), note: "投影仪" },
            ],
        }
    }
}

const SUCCESS: ErrorField<'static> = ErrorField::Text("");

/// Every booking not deleted, with its meeting's times.
fn live(s: &State) -> impl Iterator<Item = (&Meeting, &Booking)> {
    s.meetings.list.iter().flat_map(|m| m.bookings.iter().filter(|b| !b.deleted).map(move |b| (m, b)))
}

/// Whether `room` is free from `start` to `end`, apart from the booking `except`.
pub fn check_free(s: &State, room: &str, start: i64, end: i64, except: Option<&str>) -> Result<(), &'static str> {
    if !s.rooms.rooms.iter().any(|r| r.id == room) {
        return Err("会议室不存在 (no such room)");
    }
    let taken = live(s).any(|(m, b)| b.room_id == room && Some(b.order_id.as_str()) != except && m.start < end && start < m.end);
    if taken {
        return Err("会议室已被预定 (the room is booked for that time)");
    }
    Ok(())
}

/// A new booking of `room`, checked to be free; the meeting that makes it holds it.
pub fn book(s: &mut State, room: &str, start: i64, end: i64, except: Option<&str>, now: i64) -> Result<Booking, &'static str> {
    check_free(s, room, start, end, except)?;
    let order_id = s.id();
    let at = s.change_time(now);
    Ok(Booking { order_id, room_id: room.to_string(), create_time: at, update_time: at, deleted: false })
}

fn day(t: i64) -> String {
    let (y, m, d) = civil_from_days((t + 8 * 3_600_000).div_euclid(86_400_000));
    format!("{y:04}-{m:02}-{d:02}")
}

fn booking_item<'a>(s: &'a State, m: &'a Meeting, b: &'a Booking, eid: &'a str) -> BookingItem<'a> {
    let room = s.rooms.rooms.iter().find(|r| r.id == b.room_id);
    BookingItem {
        order_id: &b.order_id,
        room_name: room.map_or("", |r| r.name),
        room_detail: room.and_then(|r| r.detail),
        day: day(m.start),
        user_name: people::name(&m.openid),
        eid,
        start_time: m.start,
        end_time: m.end,
        create_time: b.create_time,
        update_time: b.update_time,
        meeting_topic: &m.title,
        meeting_content: &m.content,
    }
}

fn page_args(body: &Value) -> Result<(usize, usize), Response> {
    let int = |k: &str, default: u64| match body.get(k) {
        None | Some(Value::Null) => Some(default),
        Some(v) => v.as_u64().filter(|n| *n >= 1),
    };
    match (int("pageIndex", 1), int("pageSize", 50)) {
        (Some(i), Some(n)) => Ok((usize::try_from(i).unwrap_or(usize::MAX), usize::try_from(n).unwrap_or(usize::MAX))),
        _ => Err(fail(400, "pageIndex 和 pageSize 应为正整数")),
    }
}

pub fn handle(s: &mut State, eid: &str, name: &str, body: &Value) -> Response {
    match name {
        "hasNew" | "bookInfo" => {
            if text(body, "eid") != Some(eid) {
                return fail(400, "eid 无效 (unknown eid)");
            }
            let after = match body.get("lastTime") {
                None | Some(Value::Null) => -1,
                v => match time(v) {
                    Some(t) => t,
                    None => return fail(400, "lastTime 应为毫秒时间戳"),
                },
            };
            let mut changes: Vec<(&Meeting, &Booking)> = s
                .meetings
                .list
                .iter()
                .flat_map(|m| m.bookings.iter().map(move |b| (m, b)))
                .filter(|(_, b)| b.update_time > after)
                .collect();
            if name == "hasNew" {
                return answer(SUCCESS, HasNew { has_new: !changes.is_empty() });
            }
            let (index, size) = match page_args(body) {
                Ok(p) => p,
                Err(res) => return res,
            };
            changes.sort_by_key(|(_, b)| b.update_time);
            let page: Vec<&(&Meeting, &Booking)> = changes.iter().skip((index - 1).saturating_mul(size)).take(size).collect();
            let list = |deleted: bool| page.iter().filter(|(_, b)| b.deleted == deleted).map(|(m, b)| booking_item(s, m, b, eid)).collect();
            answer(SUCCESS, BookInfo { add: list(false), delete: list(true) })
        }
        "freeRooms" => {
            let (Some(_), Some(start), Some(end)) = (text(body, "openId"), time(body.get("startTime")), time(body.get("endTime"))) else {
                return fail(400, "openId、startTime 和 endTime 为必填");
            };
            if start >= end {
                return fail(400, "endTime 应晚于 startTime");
            }
            let (index, size) = match page_args(body) {
                Ok(p) => p,
                Err(res) => return res,
            };
            let free: Vec<FreeRoom> = s
                .rooms
                .rooms
                .iter()
                .filter(|r| check_free(s, r.id, start, end, None).is_ok())
                .skip((index - 1).saturating_mul(size))
                .take(size)
                .map(|r| FreeRoom {
                    note: r.note,
                    room_detail: r.detail,
                    tag_id: None,
                    limit_count: 99_999_999,
                    approve: true,
                    room_id: r.id,
                    room_name: r.name,
                })
                .collect();
            answer(SUCCESS, free)
        }
        _ => {
            let Some(order) = text(body, "orderId") else {
                return fail(400, "orderId 为必填");
            };
            let Some(m) = s.meetings.list.iter().find(|m| m.bookings.iter().any(|b| b.order_id == order)) else {
                return fail(100, "预定不存在 (no such booking)");
            };
            let actors: Vec<Actor> =
                m.actors.iter().map(|id| Actor { open_id: id, header_url: people::photo_url(id), user_name: people::name(id) }).collect();
            answer(SUCCESS, actors)
        }
    }
}
