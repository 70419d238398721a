//! Light-app sign-on as Yunzhijia's public docs describe it: the app appends `?ticket=` to the
//! light app's URL, and the app's server exchanges the ticket with an app-scope token
//! (`POST gateway/ticket/user/acquirecontext?accessToken=…`, JSON `{appid, ticket}`) for who the
//! user is. The sandbox issues tickets itself (`GET sandbox/ticket?openid=…`) for any of its
//! people, since there is no app to open the page: each is for one app and lasts an hour.
//!
//! A ticket must be unguessable (it stands for a signed-in person), so its bits come from a
//! generator seeded by the caller (the JS adapter passes crypto randomness): the sandbox stays
//! a pure function of its inputs.

use serde::Serialize;
use serde_json::Value;

use super::{answer, fail, people, text, ErrorField};
use crate::sandbox::Response;

pub const TICKET_LIFE_MS: i64 = 3_600_000;
/// Tickets kept at most: the oldest go first, so a script asking for tickets in a loop cannot
/// grow the sandbox's memory without bound.
const MAX_TICKETS: usize = 10_000;

pub struct Ticket {
    ticket: String,
    openid: String,
    app_id: String,
    until: i64,
}

#[derive(Default)]
pub struct Tickets {
    list: Vec<Ticket>,
}

#[derive(Serialize)]
struct Issued {
    ticket: String,
    #[serde(rename = "expiresIn")]
    expires_in: i64,
}

/// acquirecontext's `data`, in the member names of Yunzhijia's docs.
#[derive(Serialize)]
struct Context<'a> {
    appid: &'a str,
    eid: &'a str,
    openid: &'a str,
    oid: &'a str,
    uid: &'a str,
    tid: &'a str,
    username: &'a str,
    #[serde(rename = "userName")]
    user_name: &'a str,
}

fn query_value<'a>(query: &'a str, key: &str) -> Option<&'a str> {
    query.split('&').find_map(|kv| kv.strip_prefix(key).and_then(|rest| rest.strip_prefix('='))).filter(|v| !v.is_empty())
}

/// A JSON error answer of the sandbox's own endpoints (not a vendor envelope: no vendor has them).
fn refuse(status: u16, why: &str) -> Response {
    Response::serde(status, &serde_json::json!({ "error": why }))
}

impl Tickets {
    /// `GET sandbox/ticket?openid=<openid>[&appid=<app>]`: a fresh ticket for one of the
    /// sandbox's people, for `appid` (the sandbox's own app unless named), valid an hour.
    pub fn issue(&mut self, query: &str, own_app: &str, now: i64, random: &mut dyn FnMut() -> u64) -> Response {
        let Some(openid) = query_value(query, "openid") else {
            return refuse(400, "sandbox/ticket needs ?openid=<openid> of one of the sandbox's people");
        };
        if !people::known(openid) {
            let known = people::openids().collect::<Vec<_>>().join(", ");
            return refuse(404, &format!("no such person in the sandbox; its people: {known}"));
        }
        let app_id = query_value(query, "appid").unwrap_or(own_app);
        if app_id.len() > 64 || !app_id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
            return refuse(400, "appid must be letters, digits, - or _ (at most 64)");
        }
        self.list.retain(|t| t.until > now);
        if self.list.len() >= MAX_TICKETS {
            self.list.remove(0);
        }
        let ticket = format!("sbx-tk-{:016x}{:016x}", random(), random());
        self.list.push(Ticket {
            ticket: ticket.clone(),
            openid: openid.to_string(),
            app_id: app_id.to_string(),
            until: now + TICKET_LIFE_MS,
        });
        Response::serde(200, &Issued { ticket, expires_in: TICKET_LIFE_MS / 1000 })
    }

    /// acquirecontext, its app-scope token already checked as `app_id`'s: the ticket must be
    /// live, be this app's, and be named with this app's `appid`.
    pub fn acquire(&self, body: &Value, app_id: &str, eid: &str, now: i64) -> Response {
        let Some(ticket) = text(body, "ticket") else {
            return fail(400, "ticket 为必填 (ticket is required)");
        };
        if text(body, "appid") != Some(app_id) {
            return fail(1004, "appid 与 accessToken 不符 (appid is not the token's app)");
        }
        let Some(t) = self.list.iter().find(|t| t.ticket == ticket && t.until > now) else {
            return fail(100, "ticket 无效或已过期 (invalid or expired ticket)");
        };
        if t.app_id != app_id {
            return fail(100, "ticket 不属于此应用 (the ticket was issued for another app)");
        }
        let name = people::name(&t.openid);
        let context =
            Context { appid: app_id, eid, openid: &t.openid, oid: &t.openid, uid: &t.openid, tid: eid, username: name, user_name: name };
        answer(ErrorField::Null, context)
    }
}
