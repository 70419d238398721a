//! Meeting rooms and their bookings: booked by meetings, changes listed after `lastTime` in
//! `updateTime` order (`add` and `delete`, paged), free rooms for an interval.

use super::{fail, ok, text, time, State};
use crate::core::json::Json;
use crate::core::time::civil_from_days;
use crate::sandbox::Response;

pub struct Room {
    id: &'static str,
    name: &'static str,
    detail: &'static str,
    note: &'static str,
}

pub struct Booking {
    order_id: String,
    room: usize,
    start: f64,
    end: f64,
    create: f64,
    update: f64,
    topic: String,
    content: String,
    user_name: String,
    actors: Vec<String>,
    deleted: bool,
}

pub struct Rooms {
    rooms: Vec<Room>,
    bookings: Vec<Booking>,
}

impl Rooms {
    pub fn seeded() -> Rooms {
        Rooms {
            rooms: vec![
                Room { id: "5c121cfd7453ed63750a9767", name: "冥王星1号", detail: "A栋-3F", note: "小猪佩" },
                Room { id: "5c121cfd7453ed63750a9768", name: "23F会议室", detail: "23F", note: "" },
                Room { id: "5c121cfd7453ed63750a9769", name: "A304", detail: "A栋-3F", note: "投影仪" },
            ],
            bookings: Vec::new(),
        }
    }
}

pub fn book(s: &mut State, room_id: &str, start: f64, end: f64, topic: &str, content: &str, user: &str, actors: Vec<String>, now: f64) -> Result<String, &'static str> {
    let room = s.rooms.rooms.iter().position(|r| r.id == room_id).ok_or("会议室不存在 (no such room)")?;
    if s.rooms.bookings.iter().any(|b| b.room == room && !b.deleted && b.start < end && start < b.end) {
        return Err("会议室已被预定 (the room is booked for that time)");
    }
    let order_id = s.id();
    let at = s.change_time(now);
    s.rooms.bookings.push(Booking {
        order_id: order_id.clone(),
        room,
        start,
        end,
        create: at,
        update: at,
        topic: topic.into(),
        content: content.into(),
        user_name: user.into(),
        actors,
        deleted: false,
    });
    Ok(order_id)
}

pub fn update(s: &mut State, order_id: &str, start: f64, end: f64, topic: &str, now: f64) {
    let at = s.change_time(now);
    if let Some(b) = s.rooms.bookings.iter_mut().find(|b| b.order_id == order_id) {
        (b.start, b.end, b.topic, b.update) = (start, end, topic.to_string(), at);
    }
}

pub fn cancel(s: &mut State, order_id: &str, now: f64) {
    let at = s.change_time(now);
    if let Some(b) = s.rooms.bookings.iter_mut().find(|b| b.order_id == order_id) {
        (b.deleted, b.update) = (true, at);
    }
}

fn day(t: f64) -> String {
    let (y, m, d) = civil_from_days(((t + 8.0 * 3_600_000.0) / 86_400_000.0).floor() as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

fn booking_json(r: &Room, b: &Booking, eid: &str) -> Json {
    Json::Obj(vec![
        ("orderId".into(), Json::str(b.order_id.as_str())),
        ("roomName".into(), Json::str(r.name)),
        ("roomDetail".into(), Json::str(r.detail)),
        ("day".into(), Json::Str(day(b.start))),
        ("userName".into(), Json::str(b.user_name.as_str())),
        ("eid".into(), Json::str(eid)),
        ("startTime".into(), Json::Num(b.start)),
        ("endTime".into(), Json::Num(b.end)),
        ("createTime".into(), Json::Num(b.create)),
        ("updateTime".into(), Json::Num(b.update)),
        ("meetingTopic".into(), Json::str(b.topic.as_str())),
        ("meetingContent".into(), Json::str(b.content.as_str())),
    ])
}

fn page_args(body: &Json) -> Result<(usize, usize), Response> {
    let int = |k: &str, default: f64| match body.get(k) {
        None | Some(Json::Null) => Some(default),
        Some(v) => v.as_f64().filter(|n| *n >= 1.0 && n.fract() == 0.0),
    };
    match (int("pageIndex", 1.0), int("pageSize", 50.0)) {
        (Some(i), Some(n)) => Ok((i as usize, n as usize)),
        _ => Err(fail(400.0, "pageIndex 和 pageSize 应为正整数")),
    }
}

pub fn handle(s: &mut State, eid: &str, name: &str, body: &Json) -> Response {
    match name {
        "hasNew" | "bookInfo" => {
            if text(body, "eid") != Some(eid) {
                return fail(400.0, "eid 无效 (unknown eid)");
            }
            let after = time(body.get("lastTime")).unwrap_or(-1.0);
            let mut changes: Vec<&Booking> = s.rooms.bookings.iter().filter(|b| b.update > after).collect();
            if name == "hasNew" {
                return ok(Json::Obj(vec![("hasNew".into(), Json::Bool(!changes.is_empty()))]));
            }
            let (index, size) = match page_args(body) {
                Ok(p) => p,
                Err(res) => return res,
            };
            changes.sort_by(|a, b| a.update.total_cmp(&b.update));
            let page: Vec<&Booking> = changes.into_iter().skip((index - 1).saturating_mul(size)).take(size).collect();
            let list = |deleted: bool| Json::Arr(page.iter().filter(|b| b.deleted == deleted).map(|b| booking_json(&s.rooms.rooms[b.room], b, eid)).collect());
            ok(Json::Obj(vec![("add".into(), list(false)), ("delete".into(), list(true))]))
        }
        "freeRooms" => {
            let (Some(_), Some(start), Some(end)) = (text(body, "openId"), time(body.get("startTime")), time(body.get("endTime"))) else {
                return fail(400.0, "openId、startTime 和 endTime 为必填");
            };
            if start >= end {
                return fail(400.0, "endTime 应晚于 startTime");
            }
            let (index, size) = match page_args(body) {
                Ok(p) => p,
                Err(res) => return res,
            };
            let free = s
                .rooms
                .rooms
                .iter()
                .enumerate()
                .filter(|(i, _)| !s.rooms.bookings.iter().any(|b| b.room == *i && !b.deleted && b.start < end && start < b.end))
                .skip((index - 1).saturating_mul(size))
                .take(size)
                .map(|(_, r)| {
                    Json::Obj(vec![
                        ("note".into(), Json::str(r.note)),
                        ("roomDetail".into(), Json::str(r.detail)),
                        ("tagId".into(), Json::Null),
                        ("limitCount".into(), Json::Num(99_999_999.0)),
                        ("approve".into(), Json::Bool(true)),
                        ("roomId".into(), Json::str(r.id)),
                        ("roomName".into(), Json::str(r.name)),
                    ])
                })
                .collect();
            ok(Json::Arr(free))
        }
        "getActors" => {
            let Some(order) = text(body, "orderId") else {
                return fail(400.0, "orderId 为必填");
            };
            let Some(b) = s.rooms.bookings.iter().find(|b| b.order_id == order) else {
                return fail(100.0, "预定不存在 (no such booking)");
            };
            let actors = b
                .actors
                .iter()
                .map(|id| {
                    Json::Obj(vec![
                        ("openId".into(), Json::str(id.as_str())),
                        ("headerUrl".into(), Json::Str(format!("https://sandbox.yunzhijia.invalid/space/c/photo/load?id={id}"))),
                        ("userName".into(), Json::str("云之家用户")),
                    ])
                })
                .collect();
            ok(Json::Arr(actors))
        }
        _ => fail(404.0, "接口不存在 (no such API)"),
    }
}
