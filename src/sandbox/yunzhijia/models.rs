//! Yunzhijia's answers as typed models, one struct per kind, in the seeds' member names and
//! types, so that every answer of a kind has the sample's shape whatever made it.

use serde::{Serialize, Serializer};

/// `{success, errorCode, error, data}`, the envelope of seeds 001 and 004.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Envelope<'a, T> {
    pub success: bool,
    pub error_code: i64,
    #[serde(skip_serializing_if = "ErrorField::is_omitted")]
    pub error: ErrorField<'a>,
    pub data: T,
}

/// What `error` holds in a successful answer differs by API, as the samples show.
#[derive(Clone, Copy)]
pub enum ErrorField<'a> {
    /// Meetings, groups, notices, banners: `"error": null`.
    Null,
    /// Room booking (seed 001's four samples) and refusals: a string.
    Text(&'a str),
    /// `groupUsers` and the token endpoints: no `error` member.
    Omitted,
}

impl ErrorField<'_> {
    fn is_omitted(&self) -> bool {
        matches!(self, ErrorField::Omitted)
    }
}

impl Serialize for ErrorField<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            ErrorField::Text(t) => s.serialize_str(t),
            ErrorField::Null | ErrorField::Omitted => s.serialize_none(),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenData {
    pub access_token: String,
    pub expire_in: i64,
    pub refresh_token: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MeetingId {
    pub meeting_id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MeetingIds {
    pub meeting_ids: Vec<String>,
}

/// One meeting as `queryByDay` lists it: the seed's seventeen members, always all of them.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MeetingItem<'a> {
    pub openid: &'a str,
    /// null for an ordinary meeting, "sign" or "voice" (the seed's table).
    #[serde(rename = "type")]
    pub kind: Option<&'a str>,
    pub title: &'a str,
    pub content: &'a str,
    pub meeting_place: &'a str,
    pub meeting_status: i64,
    pub read_status: i64,
    pub accept_status: i64,
    pub person_name: &'a str,
    pub done_time: i64,
    pub id: &'a str,
    pub notice_time: i64,
    pub start_date: i64,
    pub end_date: i64,
    pub create_date: i64,
    /// "" when the meeting books no room, as `roomOrderId` is.
    pub room_id: &'a str,
    pub room_order_id: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HasNew {
    pub has_new: bool,
}

/// One booking as `bookInfo` lists it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BookingItem<'a> {
    pub order_id: &'a str,
    pub room_name: &'a str,
    pub room_detail: Option<&'a str>,
    pub day: String,
    pub user_name: &'a str,
    pub eid: &'a str,
    pub start_time: i64,
    pub end_time: i64,
    pub create_time: i64,
    pub update_time: i64,
    pub meeting_topic: &'a str,
    pub meeting_content: &'a str,
}

#[derive(Serialize)]
pub struct BookInfo<'a> {
    pub add: Vec<BookingItem<'a>>,
    pub delete: Vec<BookingItem<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FreeRoom<'a> {
    pub note: &'a str,
    pub room_detail: Option<&'a str>,
    pub tag_id: Option<&'a str>,
    pub limit_count: i64,
    pub approve: bool,
    pub room_id: &'a str,
    pub room_name: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Actor<'a> {
    pub open_id: &'a str,
    pub header_url: String,
    pub user_name: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupInfo<'a> {
    pub group_id: &'a str,
    pub group_name: &'a str,
    pub group_type: i64,
    pub status: i64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupUsers<'a> {
    pub manager_ids: &'a [String],
    pub participant_ids: &'a [String],
}

#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Notice {
    pub notice_id: String,
    pub creator: String,
    pub title: String,
    pub content: String,
    pub create_time: i64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BannerId {
    pub banner_id: String,
}
