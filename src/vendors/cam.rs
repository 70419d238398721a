//! Chat&Messenger (seed 000): the seven API methods of `CAMAPIClient`, as one table.
//! Every request carries `x-cam-apiToken`; bodies are form-encoded with JSON inside the fields.

use crate::core::error::{Code, Error};
use crate::core::http::{base_url, form_urlencoded, header_credential, HttpRequest, HttpResponse, Method};
use crate::core::json::{self, Json};
use crate::core::ops::{Kind, Op, Output, Param, Ty};
use crate::core::secret::Secret;
use crate::core::time::is_yyyymm_or_yyyymmdd;
use crate::core::validate::{is_email, Params};
use crate::prelude::*;

pub struct Config {
    pub api_token: Secret,
    /// Without a trailing `/`; on-premise servers listen on HTTP port 8080.
    pub server_url: String,
}

impl Config {
    pub fn from_options(opts: &Params) -> Result<Config, Error> {
        let api_token = Secret::new(header_credential("apiToken", opts.non_empty("apiToken")?)?);
        let url = opts.non_empty("serverURL")?;
        let server_url = base_url("serverURL", url)?;
        Ok(Config { api_token, server_url })
    }

    pub fn secrets(&self) -> Vec<&str> {
        vec![self.api_token.expose()]
    }
}

pub static OPS: &[Op<Config>] = &[
    Op {
        name: "getConferenceRooms",
        kind: Kind::Read,
        positional: true,
        params: &[],
        doc: "The registered conference rooms (GET).",
        build: |c, _| Ok(request(c, Method::Get, "getConferenceRooms", None)),
        parse,
    },
    Op {
        name: "sendMessage",
        kind: Kind::Write,
        positional: true,
        params: &[
            Param { name: "panelName", ty: Ty::Str, required: true, doc: "\"messenger\" for a direct message, or a chat room's name" },
            Param { name: "message", ty: Ty::Str, required: true, doc: "the text; \\n for a new line" },
            Param { name: "isOpened", ty: Ty::Bool, required: false, doc: "send with open confirmation (default false)" },
            Param {
                name: "users",
                ty: Ty::StrList,
                required: false,
                doc: "e-mail addresses: the recipients for \"messenger\" (required there), the people mentioned in a chat room (optional)",
            },
        ],
        doc: "Send a message to people (panelName \"messenger\") or to a chat room.",
        build: build_send_message,
        parse,
    },
    Op {
        name: "sendMessages",
        kind: Kind::Write,
        positional: true,
        params: &[Param {
            name: "items",
            ty: Ty::Json,
            required: true,
            doc: "the seed's messages.json items: {message, property: {users}} or {message, users} for direct messages, {send: roomName, message} for rooms",
        }],
        doc: "Send a batch of messages in one request (the messages.json of the seed).",
        build: build_send_messages,
        parse,
    },
    Op {
        name: "createQuickCall",
        kind: Kind::Write,
        positional: true,
        params: &[
            Param { name: "expireDate", ty: Ty::Time, required: true, doc: "when the quick meeting URL expires (Unix ms or Date)" },
            Param { name: "password", ty: Ty::Str, required: false, doc: "meeting password; none when absent or empty" },
        ],
        doc: "Create a quick web-meeting URL.",
        build: build_create_quick_call,
        parse,
    },
    Op {
        name: "updateChatRoom",
        kind: Kind::Write,
        positional: true,
        params: &[Param {
            name: "chatRoom",
            ty: Ty::Json,
            required: true,
            doc: "{id?, name, createUserId, adminUserId, isMessageThread, isPublic, memberUids}; no id creates a room",
        }],
        doc: "Create (no id) or update a chat room.",
        build: build_update_chat_room,
        parse,
    },
    Op {
        name: "getConferenceMaster",
        kind: Kind::Read,
        positional: true,
        params: &[],
        doc: "The master list of conference rooms.",
        build: |c, _| Ok(request(c, Method::Post, "getConferenceMaster", Some(String::new()))),
        parse,
    },
    Op {
        name: "getConferenceRoomStatus",
        kind: Kind::Read,
        positional: true,
        params: &[Param {
            name: "yyyyMMdd",
            ty: Ty::Str,
            required: false,
            doc: "a month (YYYYMM) or day (YYYYMMDD); absent gives the master list",
        }],
        doc: "Conference room reservations for a month or a day (conferenceRooms.reservedSchedules).",
        build: build_room_status,
        parse,
    },
];

fn request(c: &Config, method: Method, path: &str, form: Option<String>) -> HttpRequest {
    let mut headers = vec![("x-cam-apiToken", c.api_token.expose().to_string())];
    if form.is_some() {
        headers.push(("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8".to_string()));
    }
    HttpRequest { method, url: format!("{}/{}", c.server_url, path), headers, body: form }
}

/// Recipients as the wire wants them: one comma-separated string of checked addresses.
fn users_field(p: &Params, name: &str) -> Result<String, Error> {
    let users = p.str_list(name)?;
    if let Some(i) = users.iter().position(|u| !is_email(u)) {
        return Err(Error::invalid(format!("{}[{i}]", p.path(name)), "must be an e-mail address"));
    }
    Ok(users.join(","))
}

fn build_send_message(c: &Config, p: &Params) -> Result<HttpRequest, Error> {
    let panel_name = p.non_empty("panelName")?;
    let message = p.non_empty("message")?;
    let is_opened = p.opt_bool("isOpened")?.unwrap_or(false);
    // Direct messages need recipients; in a chat room, users are only mentions.
    let users = match p.has("users") || panel_name == "messenger" {
        true => users_field(p, "users")?,
        false => String::new(),
    };
    if users.is_empty() && panel_name == "messenger" {
        return Err(Error::invalid(
            "users",
            "is required for a direct message (panelName \"messenger\"): the recipients' e-mail addresses",
        ));
    }
    let body = Json::Obj(vec![
        ("panelName".into(), Json::str(panel_name)),
        ("message".into(), Json::str(message)),
        ("isOpened".into(), Json::Bool(is_opened)),
        ("generalPurposes".into(), Json::Obj(vec![("users".into(), Json::Str(users))])),
    ]);
    let form = form_urlencoded(&[("message", &body.to_json_string())]);
    Ok(request(c, Method::Post, "sendMessage", Some(form)))
}

fn build_send_messages(c: &Config, p: &Params) -> Result<HttpRequest, Error> {
    let items = p.array("items")?;
    if items.is_empty() {
        return Err(Error::invalid("items", "must not be empty"));
    }
    let mut wire = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let path = format!("items[{i}]");
        let it = Params::nested(item, &path)?;
        it.deny_unknown(&["message", "users", "property", "send"])?;
        let message = Json::str(it.non_empty("message")?);
        // The seed's file writes recipients as `property: {users}`; the flat `users` is accepted too.
        let property = it.opt_object("property")?.map(|p| Params::nested(p, &format!("{path}.property"))).transpose()?;
        let users = match (&property, it.has("users")) {
            (Some(_), true) => return Err(Error::invalid(path, "takes `users` or `property.users`, not both")),
            (Some(p), false) => Some(users_field(p, "users")?),
            (None, true) => Some(users_field(&it, "users")?),
            (None, false) => None,
        };
        wire.push(match (users, it.has("send")) {
            (Some(users), false) => {
                Json::Obj(vec![("message".into(), message), ("property".into(), Json::Obj(vec![("users".into(), Json::Str(users))]))])
            }
            (None, true) => Json::Obj(vec![("send".into(), Json::str(it.non_empty("send")?)), ("message".into(), message)]),
            (Some(_), true) => return Err(Error::invalid(path, "takes `users` or `send`, not both")),
            (None, false) => return Err(Error::invalid(path, "needs `users` (direct messages) or `send` (a chat room name)")),
        });
    }
    let form = form_urlencoded(&[("messages", &Json::Arr(wire).to_json_string())]);
    Ok(request(c, Method::Post, "sendMessages", Some(form)))
}

fn build_create_quick_call(c: &Config, p: &Params) -> Result<HttpRequest, Error> {
    let expire = p.time("expireDate")?;
    if expire == 0 {
        return Err(Error::invalid("expireDate", "must be a positive Unix time in milliseconds"));
    }
    let expire = expire.to_string();
    let mut fields = vec![("expireDate", expire.as_str())];
    if let Some(password) = p.opt_str("password")? {
        fields.push(("password", password));
    }
    Ok(request(c, Method::Post, "createQuickCall", Some(form_urlencoded(&fields))))
}

fn build_update_chat_room(c: &Config, p: &Params) -> Result<HttpRequest, Error> {
    let room = p.opt_object("chatRoom")?.ok_or_else(|| Error::invalid("chatRoom", "is required"))?;
    let r = Params::nested(room, "chatRoom")?;
    if r.has("id") {
        r.non_empty("id")?;
    } else {
        r.non_empty("name").map_err(|e| Error { detail: format!("{} (a new room, with no `id`, needs a name)", e.detail).into(), ..e })?;
    }
    for key in ["name", "createUserId", "adminUserId"] {
        r.opt_str(key)?;
    }
    for key in ["isMessageThread", "isPublic"] {
        r.opt_bool(key)?;
    }
    if let Some(members) = r.opt_object("memberUids")? {
        let m = Params::nested(members, "chatRoom.memberUids")?;
        for (uid, _) in members.as_object().unwrap_or_default() {
            m.opt_bool(uid)?;
        }
    }
    let form = form_urlencoded(&[("chatRoom", &room.to_json_string())]);
    Ok(request(c, Method::Post, "updateChatRoom", Some(form)))
}

fn build_room_status(c: &Config, p: &Params) -> Result<HttpRequest, Error> {
    // A string, as the table says (and the CLI, the types and the docs with it), then a real
    // month or day.
    let form = match p.opt_str("yyyyMMdd")? {
        Some(d) if is_yyyymm_or_yyyymmdd(d) => form_urlencoded(&[("yyyyMMdd", d)]),
        Some(d) => return Err(Error::invalid("yyyyMMdd", format!("must be a real month (YYYYMM) or day (YYYYMMDD), got \"{d}\""))),
        None => String::new(),
    };
    Ok(request(c, Method::Post, "getConferenceRoomStatus", Some(form)))
}

/// The seed's samples read the body itself (`response['errors']`, `response['chatRoom']`), so a
/// JSON object resolves as it is, `errors` included; only what the samples could not read rejects.
/// Only `errors` is built: JS parses the body it resolves with.
fn parse(res: &HttpResponse) -> Result<Output, Error> {
    let body = json::parse_members(&res.body, &["errors"]).ok().filter(|v| matches!(v, Json::Obj(_)));
    let errors = || {
        body.as_ref().and_then(|b| b.get("errors")).map(|e| match e {
            Json::Str(s) => s.clone(),
            Json::Arr(items) if items.iter().all(|i| i.as_str().is_some()) => {
                items.iter().filter_map(Json::as_str).collect::<Vec<_>>().join("; ")
            }
            other => other.to_json_string(),
        })
    };
    match res.status {
        401 | 403 => {
            Err(Error::new(Code::AuthFailed, "the server refused the apiToken").with_status(res.status).vendor_said(None, errors()))
        }
        429 | 500..=599 => Err(Error::new(Code::HttpError, format!("the server answered HTTP {}", res.status))
            .with_status(res.status)
            .vendor_said(None, errors())),
        200..=299 if body.is_some() => Ok(Output::Body),
        s @ 200..=299 => Err(Error::bad_response(s, "the answer is not a JSON object")),
        // A 404 with a JSON body is still a failure: a wrong path must never look sent.
        s => Err(Error::new(Code::HttpError, format!("the server answered HTTP {s}")).with_status(s).vendor_said(None, errors())),
    }
}
