//! XuanXuan as its server behaves: `x.php?m=im&f=…&code=…&token=…`, the token checked over the
//! raw query string as it arrived less the `token=` pair (wherever that pair stands), answers
//! `{result, message?, data?}`. Group chats and users are seeded from seed 002's samples;
//! notifications and chat messages are recorded. Every answer is HTTP 200 with that envelope,
//! refusals included, as the seed shows its one failure (`{"result":"fail","message":…}`).

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;

use super::{Request, Response};
use crate::core::sign::md5_hex;

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
        }
    }

    pub fn handle(&mut self, code: &str, key: &str, req: &Request, path: &str, query: &str) -> Response {
        if path == "_sandbox/sent" && req.method == "GET" {
            return Response::serde(200, &serde_json::json!({ "notifications": self.notifications, "messages": self.messages }));
        }
        if path != "x.php" {
            return fail("not found: the API is x.php?m=im&f=…");
        }
        // The token signs the query as sent, less its own `token=` pair, wherever it stands.
        let pairs: Vec<&str> = query.split('&').collect();
        let tokens: Vec<&str> = pairs.iter().filter_map(|kv| kv.strip_prefix("token=")).collect();
        let [token] = tokens.as_slice() else {
            return fail(if tokens.is_empty() {
                "缺少 token 参数 (token is missing)"
            } else {
                "token 参数重复 (more than one token)"
            });
        };
        let signed: Vec<&str> = pairs.iter().copied().filter(|kv| !kv.starts_with("token=")).collect();
        let params: Vec<(&str, &str)> = signed.iter().map(|kv| kv.split_once('=').unwrap_or((kv, ""))).collect();
        let param = |name: &str| params.iter().find(|(k, _)| *k == name).map(|(_, v)| *v);
        if param("code") != Some(code) {
            return fail("应用代号无效 (unknown app code)");
        }
        let expected = md5_hex(format!("{}{key}", md5_hex(signed.join("&").as_bytes())).as_bytes());
        if *token != expected {
            return fail("token 校验失败 (invalid token)");
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

    fn chat_users(&self, gid: Option<&str>) -> Response {
        let members: Vec<&str> = match gid {
            None => self.users.iter().map(|(id, _)| *id).collect(),
            Some(gid) => match self.groups.iter().find(|g| g.gid == gid) {
                Some(g) => g.members.to_vec(),
                None => return fail("讨论组不存在 (no such group chat)"),
            },
        };
        success(Some(Pairs(self.users.iter().filter(|(id, _)| members.contains(id)).copied().collect())))
    }

    /// The message checks the server makes, shared by notifications and chat messages.
    fn check_message(msg: &Value) -> Result<(), &'static str> {
        if msg["title"].as_str().is_none_or(str::is_empty) {
            return Err("应当设置标题。(title is required)");
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
        let Some(gid) = msg["gid"].as_str() else {
            return fail("应当设置讨论组 gid。");
        };
        if !self.groups.iter().any(|g| g.gid == gid) {
            return fail("讨论组不存在 (no such group chat)");
        }
        if let Err(why) = Self::check_message(&msg) {
            return fail(why);
        }
        self.messages.push(msg);
        success(None)
    }
}
