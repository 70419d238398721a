//! XuanXuan 喧喧 (seed 002): the app-integration API on `x.php`, every request signed with
//! `token = md5(md5(query) + key)`. The server (ZenTao's XXB) does not hash the bytes it got:
//! it parses the query and writes it again with PHP's `http_build_query` (see
//! `sign::xuanxuan_signed_query`), so the query is sent in exactly that encoding.

use crate::core::error::{Code, Error};
use crate::core::http::{base_url, HttpRequest, HttpResponse, Method};
use crate::core::json::Json;
use crate::core::ops::{Kind, Op, Output, Param, Ty};
use crate::core::secret::Secret;
use crate::core::sign::{php_urlencode, xuanxuan_token_of};
use crate::core::validate::Params;
use crate::prelude::*;
use crate::vendors::{json_body, status_error};

pub struct Config {
    pub server_url: String,
    pub code: String,
    pub key: Secret,
    /// The `sender` of every send that names none (the server refuses a send without one).
    pub sender: Option<Json>,
}

impl Config {
    pub fn from_options(opts: &Params) -> Result<Config, Error> {
        let url = opts.non_empty("serverURL")?;
        let server_url = base_url("serverURL", url)?;
        let sender = opts.opt_object("sender")?.map(|s| sender(s, "sender")).transpose()?;
        Ok(Config { server_url, code: opts.non_empty("code")?.to_string(), key: Secret::new(opts.non_empty("key")?), sender })
    }

    pub fn secrets(&self) -> Vec<&str> {
        vec![self.key.expose()]
    }
}

/// The action button types seed 002 lists.
pub const ACTION_TYPES: &[&str] = &["primary", "success", "danger", "warning", "info", "important", "special"];

const CONTENT_TYPE: Param =
    Param { name: "contentType", ty: Ty::OneOf(&["plain", "text"]), required: true, doc: "'plain' (text) or 'text' (Markdown)" };

const MESSAGE_PARAMS: &[Param] = &[
    Param { name: "title", ty: Ty::Str, required: true, doc: "the title" },
    Param { name: "subtitle", ty: Ty::Str, required: false, doc: "a subtitle" },
    Param { name: "content", ty: Ty::Str, required: false, doc: "the text" },
    CONTENT_TYPE,
    Param { name: "url", ty: Ty::Str, required: false, doc: "the page the message links to" },
    Param {
        name: "actions",
        ty: Ty::Json,
        required: false,
        doc: "[{label, url, icon?, type?}], type one of primary success danger warning info important special",
    },
    Param {
        name: "sender",
        ty: Ty::Json,
        required: false,
        doc: "{id, avatar, name?}; the client's `sender` option when absent (the server requires one)",
    },
];

pub static OPS: &[Op<Config>] = &[
    Op {
        name: "getGroupChats",
        kind: Kind::Read,
        positional: true,
        params: &[],
        doc: "The group chats: {gid: name}.",
        build: |c, _| Ok(request(c, "getGroupChats", &[], Method::Get, None)),
        parse,
    },
    Op {
        name: "getChatUsers",
        kind: Kind::Read,
        positional: true,
        params: &[Param { name: "gid", ty: Ty::Str, required: false, doc: "a group chat's GID; absent lists every user" }],
        doc: "The members of a group chat, or every user: {id: name}.",
        build: |c, p| {
            let gid = p.opt_str("gid")?.filter(|g| !g.is_empty());
            Ok(request(c, "getChatUsers", &gid.map(|g| ("gid", g)).into_iter().collect::<Vec<_>>(), Method::Get, None))
        },
        parse,
    },
    Op {
        name: "sendNotification",
        kind: Kind::Write,
        positional: false,
        params: &[
            Param { name: "users", ty: Ty::Json, required: true, doc: "user ids or accounts, e.g. [1, 4] or ['admin']" },
            MESSAGE_PARAMS[0],
            MESSAGE_PARAMS[1],
            MESSAGE_PARAMS[2],
            MESSAGE_PARAMS[3],
            MESSAGE_PARAMS[4],
            MESSAGE_PARAMS[5],
            MESSAGE_PARAMS[6],
        ],
        doc: "Push a notification to people's notification centre.",
        build: |c, p| Ok(request(c, "sendNotification", &[], Method::Post, Some(message(c, p, "users")?))),
        parse,
    },
    Op {
        name: "sendChatMessage",
        kind: Kind::Write,
        positional: false,
        params: &[
            Param { name: "gid", ty: Ty::Str, required: true, doc: "the group chat's GID" },
            MESSAGE_PARAMS[0],
            MESSAGE_PARAMS[1],
            MESSAGE_PARAMS[2],
            MESSAGE_PARAMS[3],
            MESSAGE_PARAMS[4],
            MESSAGE_PARAMS[5],
            MESSAGE_PARAMS[6],
        ],
        doc: "Push a message to a group chat.",
        build: |c, p| Ok(request(c, "sendChatMessage", &[], Method::Post, Some(message(c, p, "gid")?))),
        parse,
    },
];

/// `x.php?m=im&f=<f>[&extra…]&code=<code>&token=<token>`, the token over everything before it.
/// Each value is written as `http_build_query` writes it (`php_urlencode`), so the query the
/// server rebuilds before hashing is byte for byte the one signed here, whatever the values.
fn request(c: &Config, f: &str, extra: &[(&str, &str)], method: Method, body: Option<Json>) -> HttpRequest {
    let mut query = format!("m=im&f={f}");
    for (k, v) in extra {
        query.push_str(&format!("&{k}={}", php_urlencode(v)));
    }
    query.push_str(&format!("&code={}", php_urlencode(&c.code)));
    let token = xuanxuan_token_of(&query, c.key.expose());
    let mut headers = Vec::new();
    if body.is_some() {
        headers.push(("Content-Type", "application/json".to_string()));
    }
    HttpRequest { method, url: format!("{}/x.php?{query}&token={token}", c.server_url), headers, body: body.map(|b| b.to_json_string()) }
}

/// A notification or chat message, checked and written in the seed's field order.
/// `target` is `users` (notifications) or `gid` (chat messages). Unknown names were already
/// refused by the dispatcher, from the table.
fn message(c: &Config, p: &Params, target: &str) -> Result<Json, Error> {
    let mut out = Vec::new();
    if target == "users" {
        let users = p.array("users")?;
        if users.is_empty() {
            return Err(Error::invalid("users", "must not be empty: name who receives the notification"));
        }
        for (i, u) in users.iter().enumerate() {
            match u {
                Json::Str(s) if !s.trim().is_empty() => {}
                Json::Num(n) if n.fract() == 0.0 => {}
                other => {
                    return Err(Error::invalid(format!("users[{i}]"), format!("must be a user id or account, got {}", other.type_name())))
                }
            }
        }
        out.push(("users".to_string(), Json::Arr(users.to_vec())));
    } else {
        out.push(("gid".to_string(), Json::str(p.non_empty("gid")?)));
    }
    out.push(("title".into(), Json::str(p.non_empty("title")?)));
    for key in ["subtitle", "content"] {
        if let Some(v) = p.opt_str(key)? {
            out.push((key.into(), Json::str(v)));
        }
    }
    if let Some(content_type) = CONTENT_TYPE.read(p)? {
        out.push(("contentType".into(), content_type));
    }
    if let Some(url) = p.opt_str("url")? {
        out.push(("url".into(), Json::str(url)));
    }
    if p.has("actions") {
        let actions = p.array("actions")?;
        let mut checked = Vec::with_capacity(actions.len());
        for (i, a) in actions.iter().enumerate() {
            let a = Params::nested(a, &format!("actions[{i}]"))?;
            a.deny_unknown(&["label", "icon", "url", "type"])?;
            let mut m = vec![("label".to_string(), Json::str(a.non_empty("label")?))];
            if let Some(icon) = a.opt_str("icon")? {
                m.push(("icon".into(), Json::str(icon)));
            }
            m.push(("url".into(), Json::str(a.non_empty("url")?)));
            if let Some(t) = a.opt_one_of("type", ACTION_TYPES)? {
                m.push(("type".into(), Json::str(t)));
            }
            checked.push(Json::Obj(m));
        }
        out.push(("actions".into(), Json::Arr(checked)));
    }
    // The im control's sendNotification and sendChatMessage (ZenTao's XXB, module/im/control.php)
    // answer `empty($data->sender)` with 应当设置发送方信息。 though the seed lists it as optional.
    let sender = match p.opt_object("sender")? {
        Some(s) => sender(s, "sender")?,
        None => c.sender.clone().ok_or_else(|| {
            Error::invalid(
                "sender",
                "is required: the server refuses a message without one (应当设置发送方信息。); give `sender` {id, avatar, name?} here or as the client's `sender` option",
            )
        })?,
    };
    out.push(("sender".into(), sender));
    Ok(Json::Obj(out))
}

/// A sender `{id, avatar, name?}`, checked and written in the seed's order; `path` names it in
/// errors (`sender`, the option or the param).
fn sender(value: &Json, path: &str) -> Result<Json, Error> {
    let s = Params::nested(value, path)?;
    s.deny_unknown(&["id", "name", "avatar"])?;
    let id = match s.get("id") {
        Some(Json::Str(v)) if !v.trim().is_empty() => Json::str(v.as_str()),
        Some(Json::Num(n)) => Json::Num(*n),
        Some(other) => return Err(Error::invalid(s.path("id"), format!("must be a string or number, got {}", other.type_name()))),
        None => return Err(Error::invalid(s.path("id"), "is required")),
    };
    let mut m = vec![("id".to_string(), id)];
    if let Some(name) = s.opt_str("name")? {
        m.push(("name".into(), Json::str(name)));
    }
    m.push(("avatar".into(), Json::str(s.non_empty("avatar")?)));
    Ok(Json::Obj(m))
}

/// Whether a refusal's message is about the credentials: the token (signed with the key) or the
/// app code. XuanXuan answers every refusal with `result: "fail"` and words only, so the words
/// decide; anything else stays `VENDOR_ERROR`.
fn refuses_credentials(message: &str) -> bool {
    // Byte windows, not `str::contains`: its substring searcher costs this vendor's wasm 5 KB gzip.
    let has = |word: &[u8]| message.as_bytes().windows(word.len()).any(|w| w.eq_ignore_ascii_case(word));
    has(b"token") || has("应用代号".as_bytes())
}

/// The entry's refusals (`commonModel::response`, module/common/model.php): HTTP 200 with
/// `{errcode, errmsg}`, the codes of module/entry/config.php. 401 (code or token missing or
/// invalid, no key set) and 404 (no such app) are the credentials; 403 (IP denied, account
/// unbound), 405 (a replayed `time`), 406 (no such account) and 407 (a bad `time`) are set-up
/// matters on the server's side.
fn entry_refusal(res: &HttpResponse, body: &Json) -> Option<Error> {
    let code = match body.get("errcode")? {
        Json::Num(n) => crate::core::num::f64_to_string(*n),
        Json::Str(s) => s.clone(),
        _ => return None,
    };
    let message = body.get("errmsg").and_then(Json::as_str).filter(|m| !m.is_empty()).map(str::to_string);
    let kind = if code == "401" || code == "404" { Code::AuthFailed } else { Code::VendorError };
    let detail = format!("XuanXuan refused (errcode {code}): {}", message.as_deref().unwrap_or("no reason given"));
    Some(Error::new(kind, detail).with_status(res.status).vendor_said(Some(code), message))
}

/// `{result, message, data}`: `result` other than `success` is the vendor refusing, and so is
/// the entry's `{errcode, errmsg}`. A list the server found empty is PHP's `json_encode` of an
/// empty array, `data: []`: it resolves as the empty object the other answers are.
fn parse(res: &HttpResponse) -> Result<Output, Error> {
    if let Some(e) = status_error(res) {
        return Err(e);
    }
    let body = json_body(res)?;
    if let Some(e) = entry_refusal(res, &body) {
        return Err(e);
    }
    match body.get("result").and_then(Json::as_str) {
        Some("success") if matches!(body.get("data"), Some(Json::Arr(a)) if a.is_empty()) => Ok(Output::EmptyObject),
        Some("success") => Ok(Output::Data),
        result => {
            let message = match body.get("message") {
                Some(Json::Str(m)) if !m.is_empty() => Some(m.clone()),
                // dao::getError() may be a list of messages.
                Some(Json::Arr(items)) => {
                    let words: Vec<&str> = items.iter().filter_map(Json::as_str).collect();
                    Some(words.join("; ")).filter(|m| !m.is_empty())
                }
                _ => None,
            };
            let detail = format!("XuanXuan refused: {}", message.as_deref().unwrap_or("no reason given"));
            let code = if message.as_deref().is_some_and(refuses_credentials) { Code::AuthFailed } else { Code::VendorError };
            Err(Error::new(code, detail).with_status(res.status).vendor_said(Some(result.unwrap_or("").to_string()), message))
        }
    }
}
