//! XuanXuan as its server (ZenTao's XXB) behaves: `x.php?m=im&f=…&code=…&token=…`. The entry is
//! checked as `commonModel::checkEntry` and `checkEntryToken` (module/common/model.php) do: the
//! query parsed as PHP's `parse_str`, `token` dropped, written again with `http_build_query`,
//! and `md5(md5(that) . key)` compared with the token; or, with a `time` parameter,
//! `md5(code . key . time)`, each time later than the last. The entry's refusals are HTTP 200
//! `{errcode, errmsg}` (codes of module/entry/config.php, words of module/entry/lang/zh-cn.php);
//! the im methods answer `{result, message?, data?}` (module/im/control.php), a send without
//! `sender` refused as there. Group chats and users are seeded from seed 002's samples;
//! notifications and chat messages are recorded.

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;

use super::{Request, Response};
use crate::core::sign::{md5_hex, php_parse_str, xuanxuan_signed_query, xuanxuan_token_of};

/// The operations, in the names of the client's table: the `f=` of the query.
pub const ROUTES: &[&str] = &["getGroupChats", "getChatUsers", "sendNotification", "sendChatMessage"];

pub fn operation(path: &str, query: &str) -> Option<&'static str> {
    let f = query.split('&').find_map(|kv| kv.strip_prefix("f="))?;
    ROUTES.iter().find(|op| **op == f).filter(|_| path == "x.php").copied()
}

struct GroupChat {
    gid: &'static str,
    name: &'static str,
    members: &'static [&'static str],
}

pub struct State {
    groups: Vec<GroupChat>,
    users: Vec<(&'static str, &'static str)>,
    notifications: Vec<Value>,
    messages: Vec<Value>,
    /// The entry's `calledTime`: the last `time` accepted, in seconds.
    called_time: i64,
}

/// An object whose keys are data (group ids, user ids), in the order given.
struct Pairs(Vec<(&'static str, &'static str)>);

impl Serialize for Pairs {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

#[derive(serde::Serialize)]
struct Answer<'a> {
    result: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<Pairs>,
}

fn fail(message: &str) -> Response {
    Response::serde(200, &Answer { result: "fail", message: Some(message), data: None })
}

/// The entry's refusals, as `commonModel::response` writes them: the code from
/// module/entry/config.php, the words from module/entry/lang/zh-cn.php.
fn refuse(reason: &str) -> Response {
    let (errcode, errmsg) = match reason {
        "PARAM_CODE_MISSING" => (401, "缺少code参数"),
        "PARAM_TOKEN_MISSING" => (401, "缺少token参数"),
        "INVALID_TOKEN" => (401, "无效的token参数"),
        "EMPTY_ENTRY" => (404, "应用不存在"),
        "CALLED_TIME" => (405, "Token已失效"),
        _ => (407, "错误的时间戳。"), // ERROR_TIMESTAMP
    };
    Response::serde(200, &serde_json::json!({ "errcode": errcode, "errmsg": errmsg }))
}

fn success(data: Option<Pairs>) -> Response {
    Response::serde(200, &Answer { result: "success", message: None, data })
}

impl State {
    pub fn seeded() -> State {
        let g = |gid, name, members| GroupChat { gid, name, members };
        State {
            groups: vec![
                g("30683aea-7a1f-4ec8-a6d6-834e0310fd7d", "第四期项目讨论", &["1", "3", "4"]),
                g("81c6ba89-00ab-4431-8e47-063556ae4886", "研发部", &["1", "3"]),
                g("64da14c3-c07a-45af-9c61-4e638de4af26", "公司总群", &["1", "3", "4"]),
                // The gid of the seed's sendChatMessage sample.
                g("f3de9ff9-dcb4-49de-915b-377ee9143418", "通知群", &["1", "3"]),
            ],
            users: vec![("1", "管理员"), ("3", "张三"), ("4", "李四")],
            notifications: Vec::new(),
            messages: Vec::new(),
            called_time: 0,
        }
    }

    pub fn handle(&mut self, code: &str, key: &str, req: &Request, path: &str, query: &str) -> Response {
        if path == "_sandbox/sent" && req.method == "GET" {
            return Response::serde(200, &serde_json::json!({ "notifications": self.notifications, "messages": self.messages }));
        }
        if path != "x.php" {
            return fail("not found: the API is x.php?m=im&f=…");
        }
        // $_GET as PHP fills it: the last of repeated names wins, and values are decoded.
        let params: Vec<(String, String)> = php_parse_str(query)
            .into_iter()
            .map(|(k, v)| (String::from_utf8_lossy(&k).into_owned(), String::from_utf8_lossy(&v).into_owned()))
            .collect();
        let param = |name: &str| params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
        // checkEntry's order: code, token, the entry, then the token's check.
        let Some(got_code) = param("code").filter(|c| !c.is_empty()) else {
            return refuse("PARAM_CODE_MISSING");
        };
        let Some(token) = param("token").filter(|t| !t.is_empty()) else {
            return refuse("PARAM_TOKEN_MISSING");
        };
        if got_code != code {
            return refuse("EMPTY_ENTRY");
        }
        if let Err(reason) = self.check_token(code, key, query, token, param("time")) {
            return refuse(reason);
        }
        if param("m") != Some("im") {
            return fail("模块名称无效 (unknown module)");
        }
        match (req.method, param("f")) {
            ("GET", Some("getGroupChats")) => success(Some(Pairs(self.groups.iter().map(|g| (g.gid, g.name)).collect()))),
            ("GET", Some("getChatUsers")) => self.chat_users(param("gid").filter(|g| !g.is_empty())),
            ("POST", Some("sendNotification")) => self.send_notification(req),
            ("POST", Some("sendChatMessage")) => self.send_chat_message(req),
            (_, Some("getGroupChats" | "getChatUsers")) => fail("请求方式错误: 应为 GET (wrong method)"),
            (_, Some("sendNotification" | "sendChatMessage")) => fail("请求方式错误: 应为 POST (wrong method)"),
            _ => fail("方法名称无效 (unknown method)"),
        }
    }

    /// `checkEntryToken`: with `time`, `md5(code . key . time)` and a time later than the last
    /// (its first ten digits, a Unix second before 4000000000), else, or when that token does
    /// not match, `md5(md5(http_build_query(the rest)) . key)`.
    fn check_token(&mut self, code: &str, key: &str, query: &str, token: &str, time: Option<&str>) -> Result<(), &'static str> {
        if let Some(time) = time {
            let seconds = time.get(..10).unwrap_or(time);
            if seconds.len() != 10 || seconds.as_bytes().first().is_none_or(|b| *b >= b'4') {
                return Err("ERROR_TIMESTAMP");
            }
            if token == md5_hex(format!("{code}{key}{time}").as_bytes()) {
                // PHP compares the two as numbers; a non-number is 0 there, never later.
                let at = seconds.parse::<i64>().unwrap_or(0);
                if at <= self.called_time {
                    return Err("CALLED_TIME");
                }
                self.called_time = at;
                return Ok(());
            }
        }
        if token == xuanxuan_token_of(&xuanxuan_signed_query(query), key) {
            Ok(())
        } else {
            Err("INVALID_TOKEN")
        }
    }

    /// `chatGetUserPairs`: an unknown group has no members, and PHP's `json_encode` writes the
    /// empty list as `[]`, not `{}`.
    fn chat_users(&self, gid: Option<&str>) -> Response {
        let members: Vec<&str> = match gid {
            None => self.users.iter().map(|(id, _)| *id).collect(),
            Some(gid) => self.groups.iter().find(|g| g.gid == gid).map(|g| g.members.to_vec()).unwrap_or_default(),
        };
        if members.is_empty() {
            #[derive(serde::Serialize)]
            struct Empty {
                result: &'static str,
                data: [(); 0],
            }
            return Response::serde(200, &Empty { result: "success", data: [] });
        }
        success(Some(Pairs(self.users.iter().filter(|(id, _)| members.contains(id)).copied().collect())))
    }

    /// The message checks the server makes, shared by notifications and chat messages.
    /// `sender` and `title` are the im control's (`empty()` of each, in that order); the others
    /// are the seed's rules.
    fn check_message(msg: &Value) -> Result<(), &'static str> {
        if msg.get("sender").is_none_or(php_empty) {
            return Err("应当设置发送方信息。");
        }
        if msg["title"].as_str().is_none_or(str::is_empty) {
            return Err("请提供通知信息的标题。");
        }
        if !matches!(msg["contentType"].as_str(), Some("plain" | "text")) {
            return Err("contentType 应为 plain 或 text。");
        }
        for action in msg["actions"].as_array().map(Vec::as_slice).unwrap_or_default() {
            if action["label"].as_str().is_none() || action["url"].as_str().is_none() {
                return Err("操作对象应当设置 label 和 url。");
            }
        }
        if let Some(sender) = msg.get("sender") {
            if !(sender["id"].is_string() || sender["id"].is_number()) || sender["avatar"].as_str().is_none() {
                return Err("发送方信息应当设置 id 和 avatar。");
            }
        }
        Ok(())
    }

    fn send_notification(&mut self, req: &Request) -> Response {
        let Some(msg) = serde_json::from_str::<Value>(req.body).ok().filter(Value::is_object) else {
            return fail("请求数据不是有效的 JSON 对象 (the body is not a JSON object)");
        };
        if msg["users"].as_array().is_none_or(Vec::is_empty) {
            return fail("应当设置接收者用户列表。");
        }
        if let Err(why) = Self::check_message(&msg) {
            return fail(why);
        }
        self.notifications.push(msg);
        success(None)
    }

    fn send_chat_message(&mut self, req: &Request) -> Response {
        let Some(msg) = serde_json::from_str::<Value>(req.body).ok().filter(Value::is_object) else {
            return fail("请求数据不是有效的 JSON 对象 (the body is not a JSON object)");
        };
        let Some(gid) = msg["gid"].as_str().filter(|g| !g.is_empty()) else {
            return fail("应当设置接收讨论组。");
        };
        if let Err(why) = Self::check_message(&msg) {
            return fail(why);
        }
        if !self.groups.iter().any(|g| g.gid == gid) {
            return fail("讨论组不存在 (no such group chat)");
        }
        self.messages.push(msg);
        success(None)
    }
}

/// PHP's `empty()` of a decoded JSON value: null, false, 0, "", "0" and [] are empty; an object
/// (a stdClass, even with no members) is not.
fn php_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty() || s == "0",
        Value::Array(a) => a.is_empty(),
        Value::Object(_) => false,
    }
}
