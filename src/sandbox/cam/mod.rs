//! Chat&Messenger as its server behaves: `x-cam-apiToken` checked, form fields with JSON inside,
//! answers shaped as the seed's samples read them (`errors`, `chatRoom`, `conferenceRooms`,
//! `conferenceRoomStatus`). Rooms, reservations and chat rooms are seeded; sends are recorded.
//!
//! Methods, from the seed: its one curl read is a GET (`getConferenceRooms`) and its curl writes
//! are POSTs with form bodies (`sendMessage`, `sendMessages`). The other reads appear only as
//! `CAMAPIClient` calls, so their method is not documented: every read takes GET (fields in the
//! query) or POST (fields in the form body); every write takes POST only.

mod models;

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use self::models::{Answer, ChatRoom, ConferenceRoom, Errors, Ok, QuickCall, RoomList, RoomSchedules, RoomStatus, Schedule, SentMessage};
use super::form;
use super::{Credentials, Request, Response};

/// The operations, in the names of the client's table; the path is the name.
pub const ROUTES: &[&str] = &[
    "getConferenceRooms",
    "sendMessage",
    "sendMessages",
    "createQuickCall",
    "updateChatRoom",
    "getConferenceMaster",
    "getConferenceRoomStatus",
];
const READS: &[&str] = &["getConferenceRooms", "getConferenceMaster", "getConferenceRoomStatus"];

pub fn operation(path: &str) -> Option<&'static str> {
    ROUTES.iter().find(|op| **op == path).copied()
}

pub struct State {
    rooms: Vec<ConferenceRoom>,
    /// (yyyyMMdd, room id, schedule)
    reservations: Vec<(&'static str, &'static str, Schedule)>,
    chat_rooms: Vec<ChatRoom>,
    messages: Vec<SentMessage>,
    quick_calls: Vec<QuickCall>,
    next_id: u64,
}

fn errors(status: u16, messages: &[&str]) -> Response {
    Response::serde(status, &Errors { errors: messages.to_vec() })
}

fn ok<T: Serialize>(answer: T) -> Response {
    Response::serde(200, &Ok { errors: (), answer })
}

fn room(id: &'static str, name: &'static str, capacity: u32, place: &'static str) -> ConferenceRoom {
    ConferenceRoom { id, name, capacity, place }
}

fn schedule(title: &'static str, start_time: &'static str, end_time: &'static str, user_name: &'static str) -> Schedule {
    Schedule { title, start_time, end_time, user_name }
}

impl State {
    pub fn seeded() -> State {
        let owner = "11u1pu9d32p8vuvjoZdd";
        State {
            rooms: vec![
                room("room-a", "会议室A Room A", 8, "3F"),
                room("room-b", "会议室B Room B", 20, "3F"),
                room("room-c", "Board Room", 12, "5F"),
            ],
            reservations: vec![
                ("20190801", "room-a", schedule("Weekly sync", "2019-08-01 10:00", "2019-08-01 11:00", "user1@xxx.com")),
                ("20190801", "room-b", schedule("Design review", "2019-08-01 14:00", "2019-08-01 15:30", "user2@xxx.com")),
                ("20190815", "room-a", schedule("月度例会", "2019-08-15 09:30", "2019-08-15 10:30", "user1@xxx.com")),
                ("20190902", "room-c", schedule("Board meeting", "2019-09-02 13:00", "2019-09-02 17:00", "user2@xxx.com")),
            ],
            // The seed's updateChatRoom sample.
            chat_rooms: vec![ChatRoom {
                id: "1564831284702237059".into(),
                name: "Secret meeting".into(),
                create_user_id: owner.into(),
                admin_user_id: owner.into(),
                is_message_thread: true,
                is_public: false,
                member_uids: [(owner, true), ("1lmn7hoh3s1ja26fsazw", false), ("309d32p8vuvjo5euuuwx", false)]
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect(),
            }],
            messages: Vec::new(),
            quick_calls: Vec::new(),
            next_id: 1,
        }
    }

    fn id(&mut self, prefix: &str) -> String {
        self.next_id += 1;
        format!("{prefix}{}", self.next_id - 1)
    }

    pub fn handle(&mut self, creds: &Credentials, req: &Request, path: &str, query: &str) -> Response {
        if path == "_sandbox/messages" && req.method == "GET" {
            return Response::serde(200, &serde_json::json!({ "messages": self.messages }));
        }
        if req.header("x-cam-apiToken") != Some(creds.cam_api_token.as_str()) {
            return errors(401, &["invalid x-cam-apiToken"]);
        }
        let Some(op) = operation(path) else {
            return errors(404, &["no such API"]);
        };
        let read = READS.contains(&op);
        if !(req.method == "POST" || (read && req.method == "GET")) {
            return errors(405, &[if read { "this API takes GET or POST" } else { "this API takes POST" }]);
        }
        let (Some(mut fields), Some(body)) = (form::decode(query), form::decode(req.body)) else {
            return errors(400, &["the query or body is not a valid form (application/x-www-form-urlencoded, UTF-8)"]);
        };
        // A read's fields may come in the query; a write's only in the body.
        if !read {
            fields.clear();
        }
        fields.extend(body);
        let now = req.now_ms as i64;
        match op {
            "getConferenceRooms" | "getConferenceMaster" => ok(Answer::ConferenceRooms(self.rooms.clone())),
            "getConferenceRoomStatus" => self.room_status(form::field(&fields, "yyyyMMdd")),
            "sendMessage" => self.send_message(form::field(&fields, "message"), now),
            "sendMessages" => self.send_messages(form::field(&fields, "messages"), now),
            "createQuickCall" => self.create_quick_call(&fields, now),
            _ => self.update_chat_room(form::field(&fields, "chatRoom")),
        }
    }

    /// With a month or day, each room and its reservations; without one, the master list (the
    /// seed: "如果没有指定参数,则会获得会议室的主列表"), under both `conferenceRooms`, as
    /// `getConferenceMaster` answers, and `conferenceRoomStatus`, which the seed's sample reads.
    fn room_status(&self, day: Option<&str>) -> Response {
        let Some(day) = day.filter(|d| !d.is_empty()) else {
            #[derive(Serialize)]
            #[serde(rename_all = "camelCase")]
            struct Master<'a> {
                conference_rooms: &'a [ConferenceRoom],
                conference_room_status: RoomStatus<'a>,
            }
            let status = RoomStatus { day: None, conference_rooms: RoomList::Master(&self.rooms) };
            return ok(Master { conference_rooms: &self.rooms, conference_room_status: status });
        };
        if !(day.len() == 6 || day.len() == 8) || !day.bytes().all(|b| b.is_ascii_digit()) {
            return errors(400, &["yyyyMMdd must be YYYYMM or YYYYMMDD"]);
        }
        let rooms = self
            .rooms
            .iter()
            .map(|room| RoomSchedules {
                room,
                reserved_schedules: self
                    .reservations
                    .iter()
                    .filter(|(d, id, _)| d.starts_with(day) && *id == room.id)
                    .map(|(_, _, s)| s)
                    .collect(),
            })
            .collect();
        ok(Answer::ConferenceRoomStatus(RoomStatus { day: Some(day), conference_rooms: RoomList::Schedules(rooms) }))
    }

    /// One message's recipients as the server looks users up: one string of comma-separated
    /// e-mail addresses (`"user1@xxx.com,user2@xxx.com"`), as the seed's curl sample sends them.
    fn users(field: &str, value: Option<&Value>) -> Result<Vec<String>, String> {
        let list = match value {
            None | Some(Value::Null) => return Err(format!("{field} is required")),
            Some(Value::String(s)) => s,
            Some(Value::Array(_)) => {
                return Err(format!("{field} must be one string of comma-separated e-mail addresses (\"a@x.com,b@x.com\"), not an array"))
            }
            Some(_) => return Err(format!("{field} must be a string of comma-separated e-mail addresses")),
        };
        let users: Vec<&str> = list.split(',').collect();
        if users.iter().any(|u| u.is_empty() || !u.contains('@') || u.contains(' ')) {
            return Err(format!("{field} must be comma-separated e-mail addresses"));
        }
        Ok(users.into_iter().map(str::to_string).collect())
    }

    fn record(&mut self, panel: &str, message: &str, is_opened: bool, users: Vec<String>, now: i64) -> String {
        let id = self.id("msg-");
        self.messages.push(SentMessage {
            message_id: id.clone(),
            panel_name: panel.into(),
            message: message.into(),
            is_opened,
            users,
            received_at: now,
        });
        id
    }

    fn room_exists(&self, name: &str) -> bool {
        name == "messenger" || self.chat_rooms.iter().any(|r| r.name == name)
    }

    fn send_message(&mut self, field: Option<&str>, now: i64) -> Response {
        let Some(msg) = field.and_then(|f| serde_json::from_str::<Value>(f).ok()).filter(Value::is_object) else {
            return errors(400, &["form field `message` must hold a JSON object"]);
        };
        let (Some(panel), Some(text)) = (msg["panelName"].as_str(), msg["message"].as_str()) else {
            return errors(400, &["panelName and message are required"]);
        };
        if !self.room_exists(panel) {
            return errors(400, &["no chat room by that panelName"]);
        }
        // In a chat room, users are mentions and may be none; a direct message needs recipients.
        let users = match msg.get("generalPurposes").and_then(|g| g.get("users")) {
            None | Some(Value::Null) if panel != "messenger" => Vec::new(),
            Some(Value::String(s)) if s.is_empty() && panel != "messenger" => Vec::new(),
            given => match Self::users("generalPurposes.users", given) {
                Ok(u) => u,
                Err(e) => return errors(400, &[&e]),
            },
        };
        let is_opened = msg["isOpened"].as_bool().unwrap_or(false);
        let id = self.record(panel, text, is_opened, users, now);
        ok(Answer::MessageId(id))
    }

    fn send_messages(&mut self, field: Option<&str>, now: i64) -> Response {
        let Some(Value::Array(items)) = field.and_then(|f| serde_json::from_str::<Value>(f).ok()) else {
            return errors(400, &["form field `messages` must hold a JSON array"]);
        };
        // Check the whole batch first: a refused batch records nothing.
        let mut checked = Vec::with_capacity(items.len());
        for item in &items {
            let Some(text) = item["message"].as_str() else {
                return errors(400, &["every item needs a message"]);
            };
            let target = match (item.get("send").and_then(Value::as_str), item.get("property")) {
                (Some(room), None) if self.room_exists(room) => (room.to_string(), Vec::new()),
                (Some(_), None) => return errors(400, &["no chat room by that name in `send`"]),
                (None, Some(p)) => match Self::users("property.users", p.get("users")) {
                    Ok(users) => ("messenger".to_string(), users),
                    Err(e) => return errors(400, &[&e]),
                },
                _ => return errors(400, &["every item needs property.users or send"]),
            };
            checked.push((target, text.to_string()));
        }
        let ids = checked.into_iter().map(|((panel, users), text)| self.record(&panel, &text, false, users, now)).collect();
        ok(Answer::MessageIds(ids))
    }

    fn create_quick_call(&mut self, fields: &[(String, String)], now: i64) -> Response {
        let Some(expire) = form::field(fields, "expireDate").and_then(|v| v.parse::<i64>().ok()) else {
            return errors(400, &["expireDate must be Unix time in milliseconds"]);
        };
        if expire <= now {
            return errors(400, &["expireDate is in the past"]);
        }
        let password = form::field(fields, "password").unwrap_or("");
        let id = self.id("qc-");
        let call = QuickCall {
            url: format!("https://sandbox.chat-messenger.invalid/quickcall/{id}"),
            id,
            expire_date: expire,
            has_password: !password.is_empty(),
        };
        self.quick_calls.push(call.clone());
        ok(Answer::QuickCall(call))
    }

    fn update_chat_room(&mut self, field: Option<&str>) -> Response {
        let Some(Value::Object(given)) = field.and_then(|f| serde_json::from_str::<Value>(f).ok()) else {
            return errors(400, &["form field `chatRoom` must hold a JSON object"]);
        };
        let mut room = match given.get("id") {
            None | Some(Value::Null) => {
                if given.get("name").and_then(Value::as_str).is_none_or(str::is_empty) {
                    return errors(400, &["a new chat room needs a name"]);
                }
                let id = format!("15648312847022{:05}", self.next_id);
                self.next_id += 1;
                ChatRoom {
                    id,
                    name: String::new(),
                    create_user_id: String::new(),
                    admin_user_id: String::new(),
                    is_message_thread: false,
                    is_public: false,
                    member_uids: BTreeMap::new(),
                }
            }
            Some(Value::String(id)) => match self.chat_rooms.iter().find(|r| r.id == *id) {
                Some(room) => room.clone(),
                None => return errors(404, &["no chat room with that id"]),
            },
            Some(_) => return errors(400, &["chatRoom.id must be a string"]),
        };
        if let Err(e) = apply(&mut room, &given) {
            return errors(400, &[&e]);
        }
        match self.chat_rooms.iter_mut().find(|r| r.id == room.id) {
            Some(slot) => *slot = room.clone(),
            None => self.chat_rooms.push(room.clone()),
        }
        ok(Answer::ChatRoom(room))
    }
}

/// Applies the given members to a chat room, each checked for its type; members the sample
/// does not have are ignored, as a server ignores fields it does not know.
fn apply(room: &mut ChatRoom, given: &serde_json::Map<String, Value>) -> Result<(), String> {
    let text = |key: &str, v: &Value| v.as_str().map(str::to_string).ok_or(format!("chatRoom.{key} must be a string"));
    let flag = |key: &str, v: &Value| v.as_bool().ok_or(format!("chatRoom.{key} must be true or false"));
    for (key, v) in given {
        match key.as_str() {
            "name" => room.name = text(key, v)?,
            "createUserId" => room.create_user_id = text(key, v)?,
            "adminUserId" => room.admin_user_id = text(key, v)?,
            "isMessageThread" => room.is_message_thread = flag(key, v)?,
            "isPublic" => room.is_public = flag(key, v)?,
            "memberUids" => {
                let Some(members) = v.as_object() else {
                    return Err("chatRoom.memberUids must be an object of user ids to true/false".into());
                };
                room.member_uids = members
                    .iter()
                    .map(|(uid, admin)| {
                        admin.as_bool().map(|a| (uid.clone(), a)).ok_or(format!("chatRoom.memberUids.{uid} must be true or false"))
                    })
                    .collect::<Result<_, _>>()?;
            }
            _ => {}
        }
    }
    if room.name.is_empty() {
        return Err("chatRoom.name must not be empty".into());
    }
    Ok(())
}
