//! Chat&Messenger as its server behaves: `x-cam-apiToken` checked, form fields with JSON inside,
//! answers shaped as the seed's samples read them (`errors`, `chatRoom`, `conferenceRooms`,
//! `conferenceRoomStatus`). Rooms, reservations and chat rooms are seeded; sends are recorded.

use super::form;
use super::{Credentials, Request, Response};
use crate::core::json::{self, Json};

pub struct State {
    rooms: Vec<Json>,
    /// (yyyyMMdd, room id, schedule)
    reservations: Vec<(&'static str, &'static str, Json)>,
    chat_rooms: Vec<Json>,
    messages: Vec<Json>,
    quick_calls: Vec<Json>,
    next_id: u64,
}

fn obj(members: Vec<(&str, Json)>) -> Json {
    Json::Obj(members.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

fn errors(status: u16, messages: &[&str]) -> Response {
    Response::json(status, obj(vec![("errors", Json::Arr(messages.iter().map(|m| Json::str(*m)).collect()))]))
}

fn room(id: &str, name: &str, capacity: f64, place: &str) -> Json {
    obj(vec![
        ("id", Json::str(id)),
        ("name", Json::str(name)),
        ("capacity", Json::Num(capacity)),
        ("place", Json::str(place)),
    ])
}

fn schedule(title: &str, start: &str, end: &str, user: &str) -> Json {
    obj(vec![
        ("title", Json::str(title)),
        ("startTime", Json::str(start)),
        ("endTime", Json::str(end)),
        ("userName", Json::str(user)),
    ])
}

impl State {
    pub fn seeded() -> State {
        State {
            rooms: vec![
                room("room-a", "会议室A Room A", 8.0, "3F"),
                room("room-b", "会议室B Room B", 20.0, "3F"),
                room("room-c", "Board Room", 12.0, "5F"),
            ],
            reservations: vec![
                ("20190801", "room-a", schedule("Weekly sync", "2019-08-01 10:00", "2019-08-01 11:00", "user1@xxx.com")),
                ("20190801", "room-b", schedule("Design review", "2019-08-01 14:00", "2019-08-01 15:30", "user2@xxx.com")),
                ("20190815", "room-a", schedule("月度例会", "2019-08-15 09:30", "2019-08-15 10:30", "user1@xxx.com")),
                ("20190902", "room-c", schedule("Board meeting", "2019-09-02 13:00", "2019-09-02 17:00", "user2@xxx.com")),
            ],
            chat_rooms: vec![obj(vec![
                ("id", Json::str("1564831284702237059")),
                ("name", Json::str("Secret meeting")),
                ("createUserId", Json::str("11u1pu9d32p8vuvjoZdd")),
                ("adminUserId", Json::str("11u1pu9d32p8vuvjoZdd")),
                ("isMessageThread", Json::Bool(true)),
                ("isPublic", Json::Bool(false)),
                ("memberUids", obj(vec![("11u1pu9d32p8vuvjoZdd", Json::Bool(true))])),
            ])],
            messages: Vec::new(),
            quick_calls: Vec::new(),
            next_id: 1,
        }
    }

    fn id(&mut self, prefix: &str) -> String {
        self.next_id += 1;
        format!("{prefix}{}", self.next_id - 1)
    }

    pub fn handle(&mut self, creds: &Credentials, req: &Request, path: &str, _query: &str) -> Response {
        if path == "_sandbox/messages" && req.method == "GET" {
            return Response::json(200, obj(vec![("messages", Json::Arr(self.messages.clone()))]));
        }
        if req.header("x-cam-apiToken") != Some(creds.cam_api_token.as_str()) {
            return errors(401, &["invalid x-cam-apiToken"]);
        }
        let Some(fields) = form::decode(req.body) else {
            return errors(400, &["the body is not a valid form (application/x-www-form-urlencoded, UTF-8)"]);
        };
        match (req.method, path) {
            ("GET", "getConferenceRooms") | ("POST", "getConferenceMaster") => self.master(),
            ("POST", "getConferenceRoomStatus") => self.room_status(form::field(&fields, "yyyyMMdd")),
            ("POST", "sendMessage") => self.send_message(form::field(&fields, "message"), req.now_ms),
            ("POST", "sendMessages") => self.send_messages(form::field(&fields, "messages"), req.now_ms),
            ("POST", "createQuickCall") => self.create_quick_call(&fields, req.now_ms),
            ("POST", "updateChatRoom") => self.update_chat_room(form::field(&fields, "chatRoom")),
            (_, "getConferenceRooms" | "getConferenceMaster" | "getConferenceRoomStatus" | "sendMessage"
            | "sendMessages" | "createQuickCall" | "updateChatRoom") => errors(405, &["method not allowed"]),
            _ => errors(404, &["no such API"]),
        }
    }

    fn master(&self) -> Response {
        Response::json(200, obj(vec![("conferenceRooms", Json::Arr(self.rooms.clone()))]))
    }

    fn room_status(&self, day: Option<&str>) -> Response {
        let Some(day) = day.filter(|d| !d.is_empty()) else {
            return self.master();
        };
        if !(day.len() == 6 || day.len() == 8) || !day.bytes().all(|b| b.is_ascii_digit()) {
            return errors(400, &["yyyyMMdd must be YYYYMM or YYYYMMDD"]);
        }
        let rooms = self
            .rooms
            .iter()
            .map(|r| {
                let id = r.get("id").and_then(Json::as_str).unwrap_or_default();
                let schedules = self
                    .reservations
                    .iter()
                    .filter(|(d, room, _)| d.starts_with(day) && *room == id)
                    .map(|(_, _, s)| s.clone())
                    .collect();
                let mut r = r.clone();
                if let Json::Obj(m) = &mut r {
                    m.push(("reservedSchedules".into(), Json::Arr(schedules)));
                }
                r
            })
            .collect();
        Response::json(
            200,
            obj(vec![(
                "conferenceRoomStatus",
                obj(vec![("yyyyMMdd", Json::str(day)), ("conferenceRooms", Json::Arr(rooms))]),
            )]),
        )
    }

    /// Checks one message's recipients the way the server looks users up: comma-separated
    /// e-mail addresses.
    fn users(value: Option<&Json>) -> Result<Vec<Json>, &'static str> {
        let list = value.and_then(Json::as_str).ok_or("generalPurposes.users is required")?;
        let users: Vec<&str> = list.split(',').collect();
        if users.iter().any(|u| u.is_empty() || !u.contains('@') || u.contains(' ')) {
            return Err("users must be comma-separated e-mail addresses");
        }
        Ok(users.into_iter().map(Json::str).collect())
    }

    fn record(&mut self, target: &str, message: &str, is_opened: bool, users: Vec<Json>, now: f64) -> Json {
        let id = self.id("msg-");
        self.messages.push(obj(vec![
            ("messageId", Json::str(id.clone())),
            ("panelName", Json::str(target)),
            ("message", Json::str(message)),
            ("isOpened", Json::Bool(is_opened)),
            ("users", Json::Arr(users)),
            ("receivedAt", Json::Num(now)),
        ]));
        Json::Str(id)
    }

    fn room_exists(&self, name: &str) -> bool {
        name == "messenger" || self.chat_rooms.iter().any(|r| r.get("name").and_then(Json::as_str) == Some(name))
    }

    fn send_message(&mut self, field: Option<&str>, now: f64) -> Response {
        let Some(msg) = field.and_then(|f| json::parse(f).ok()) else {
            return errors(400, &["form field `message` must hold a JSON object"]);
        };
        let (Some(panel), Some(text)) = (msg.get("panelName").and_then(Json::as_str), msg.get("message").and_then(Json::as_str)) else {
            return errors(400, &["panelName and message are required"]);
        };
        if !self.room_exists(panel) {
            return errors(400, &["no chat room by that panelName"]);
        }
        // In a chat room, users are mentions and may be none; a direct message needs recipients.
        let users = match msg.get("generalPurposes").and_then(|g| g.get("users")) {
            None | Some(Json::Null) if panel != "messenger" => Vec::new(),
            Some(Json::Str(s)) if s.is_empty() && panel != "messenger" => Vec::new(),
            given => match Self::users(given) {
                Ok(u) => u,
                Err(e) => return errors(400, &[e]),
            },
        };
        let is_opened = msg.get("isOpened").and_then(Json::as_bool).unwrap_or(false);
        let id = self.record(panel, text, is_opened, users, now);
        Response::json(200, obj(vec![("errors", Json::Null), ("messageId", id)]))
    }

    fn send_messages(&mut self, field: Option<&str>, now: f64) -> Response {
        let Some(Json::Arr(items)) = field.and_then(|f| json::parse(f).ok()) else {
            return errors(400, &["form field `messages` must hold a JSON array"]);
        };
        // Check the whole batch first: a refused batch records nothing.
        let mut checked = Vec::with_capacity(items.len());
        for item in &items {
            let Some(text) = item.get("message").and_then(Json::as_str) else {
                return errors(400, &["every item needs a message"]);
            };
            let target = match (item.get("send").and_then(Json::as_str), item.get("property")) {
                (Some(room), None) if self.room_exists(room) => (room.to_string(), Vec::new()),
                (Some(_), None) => return errors(400, &["no chat room by that name in `send`"]),
                (None, Some(p)) => match Self::users(p.get("users")) {
                    Ok(users) => ("messenger".to_string(), users),
                    Err(e) => return errors(400, &[e]),
                },
                _ => return errors(400, &["every item needs property.users or send"]),
            };
            checked.push((target, text.to_string()));
        }
        let ids = checked.into_iter().map(|((panel, users), text)| self.record(&panel, &text, false, users, now)).collect();
        Response::json(200, obj(vec![("errors", Json::Null), ("messageIds", Json::Arr(ids))]))
    }

    fn create_quick_call(&mut self, fields: &[(String, String)], now: f64) -> Response {
        let expire = form::field(fields, "expireDate").and_then(|v| v.parse::<f64>().ok()).filter(|v| v.fract() == 0.0);
        let Some(expire) = expire else {
            return errors(400, &["expireDate must be Unix time in milliseconds"]);
        };
        if expire <= now {
            return errors(400, &["expireDate is in the past"]);
        }
        let password = form::field(fields, "password").unwrap_or("");
        let id = self.id("qc-");
        let call = obj(vec![
            ("id", Json::str(id.clone())),
            ("url", Json::str(format!("https://sandbox.chat-messenger.invalid/quickcall/{id}"))),
            ("expireDate", Json::Num(expire)),
            ("hasPassword", Json::Bool(!password.is_empty())),
        ]);
        self.quick_calls.push(call.clone());
        Response::json(200, obj(vec![("errors", Json::Null), ("quickCall", call)]))
    }

    fn update_chat_room(&mut self, field: Option<&str>) -> Response {
        let Some(Json::Obj(given)) = field.and_then(|f| json::parse(f).ok()) else {
            return errors(400, &["form field `chatRoom` must hold a JSON object"]);
        };
        let id = given.iter().find(|(k, _)| k == "id").and_then(|(_, v)| v.as_str()).map(str::to_string);
        let room = match id {
            Some(id) => {
                let Some(room) = self.chat_rooms.iter_mut().find(|r| r.get("id").and_then(Json::as_str) == Some(&id)) else {
                    return errors(404, &["no chat room with that id"]);
                };
                if let Json::Obj(members) = room {
                    for (k, v) in given {
                        match members.iter_mut().find(|(mk, _)| *mk == k) {
                            Some(slot) => slot.1 = v,
                            None => members.push((k, v)),
                        }
                    }
                }
                room.clone()
            }
            None => {
                if given.iter().all(|(k, v)| k != "name" || v.as_str().is_none_or(str::is_empty)) {
                    return errors(400, &["a new chat room needs a name"]);
                }
                let mut members = vec![("id".to_string(), Json::Str(format!("15648312847022{:05}", self.next_id)))];
                self.next_id += 1;
                members.extend(given);
                self.chat_rooms.push(Json::Obj(members));
                self.chat_rooms.last().cloned().unwrap_or(Json::Null)
            }
        };
        Response::json(200, obj(vec![("errors", Json::Null), ("chatRoom", room)]))
    }
}
