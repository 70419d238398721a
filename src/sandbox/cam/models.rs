//! Chat&Messenger's records and answers as typed models. The seed shows only what its samples
//! read (`errors`, `chatRoom`, `conferenceRooms`, `conferenceRoomStatus`); the rest follows the
//! request fields' own names.

use std::collections::BTreeMap;

use serde::Serialize;

#[derive(Clone, Serialize)]
pub struct ConferenceRoom {
    pub id: &'static str,
    pub name: &'static str,
    pub capacity: u32,
    pub place: &'static str,
}

#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Schedule {
    pub title: &'static str,
    pub start_time: &'static str,
    pub end_time: &'static str,
    pub user_name: &'static str,
}

/// A room with its reservations for the asked month or day.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoomSchedules<'a> {
    #[serde(flatten)]
    pub room: &'a ConferenceRoom,
    pub reserved_schedules: Vec<&'a Schedule>,
}

/// The chat room of the seed's `updateChatRoom` sample, every member always present.
#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChatRoom {
    pub id: String,
    pub name: String,
    pub create_user_id: String,
    pub admin_user_id: String,
    pub is_message_thread: bool,
    pub is_public: bool,
    pub member_uids: BTreeMap<String, bool>,
}

/// A message as the server recorded it (`GET /cam/_sandbox/messages`).
#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SentMessage {
    pub message_id: String,
    pub panel_name: String,
    pub message: String,
    pub is_opened: bool,
    pub users: Vec<String>,
    pub received_at: i64,
}

#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QuickCall {
    pub id: String,
    pub url: String,
    pub expire_date: i64,
    pub has_password: bool,
}

/// `{"errors": [...]}`: the seed's samples test `response['errors']` before anything else.
#[derive(Serialize)]
pub struct Errors<'a> {
    pub errors: Vec<&'a str>,
}

/// A successful answer: `errors` null next to the answer's own member(s).
#[derive(Serialize)]
pub struct Ok<T> {
    pub errors: (),
    #[serde(flatten)]
    pub answer: T,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Answer<'a> {
    ConferenceRooms(Vec<ConferenceRoom>),
    MessageId(String),
    MessageIds(Vec<String>),
    QuickCall(QuickCall),
    ChatRoom(ChatRoom),
    ConferenceRoomStatus(RoomStatus<'a>),
}

/// `getConferenceRoomStatus`: the month or day asked (null when none was) and the rooms; with a
/// day every room carries its `reservedSchedules`, without one they are the master list.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoomStatus<'a> {
    #[serde(rename = "yyyyMMdd")]
    pub day: Option<&'a str>,
    pub conference_rooms: RoomList<'a>,
}

#[derive(Serialize)]
#[serde(untagged)]
pub enum RoomList<'a> {
    Master(&'a [ConferenceRoom]),
    Schedules(Vec<RoomSchedules<'a>>),
}
