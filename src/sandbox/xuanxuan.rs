//! XuanXuan as its server behaves: `x.php?m=im&f=…&code=…&token=…`, the token checked over the
//! raw query string as it arrived, `{result, message, data}` answers. Groups and users are
//! seeded from seed 002's samples; notifications and chat messages are recorded.

use super::{Request, Response};
use crate::core::json::{self, Json};
use crate::core::sign::md5_hex;

pub struct State {
    groups: Vec<(String, String, Vec<&'static str>)>,
    users: Vec<(&'static str, &'static str)>,
    notifications: Vec<Json>,
    messages: Vec<Json>,
}

fn fail(message: &str) -> Response {
    Response::json(200, Json::Obj(vec![("result".into(), Json::str("fail")), ("message".into(), Json::str(message))]))
}

fn success(data: Option<Json>) -> Response {
    let mut m = vec![("result".to_string(), Json::str("success"))];
    if let Some(d) = data {
        m.push(("data".into(), d));
    }
    Response::json(200, Json::Obj(m))
}

impl State {
    pub fn seeded() -> State {
        let g = |gid: &str, name: &str, members: Vec<&'static str>| (gid.to_string(), name.to_string(), members);
        State {
            groups: vec![
                g("30683aea-7a1f-4ec8-a6d6-834e0310fd7d", "第四期项目讨论", vec!["1", "3", "4"]),
                g("81c6ba89-00ab-4431-8e47-063556ae4886", "研发部", vec!["1", "3"]),
                g("64da14c3-c07a-45af-9c61-4e638de4af26", "公司总群", vec!["1", "3", "4"]),
            ],
            users: vec![("1", "管理员"), ("3", "张三"), ("4", "李四")],
            notifications: Vec::new(),
            messages: Vec::new(),
        }
    }

    pub fn handle(&mut self, code: &str, key: &str, req: &Request, path: &str, query: &str) -> Response {
        if path == "_sandbox/sent" && req.method == "GET" {
            return Response::json(
                200,
                Json::Obj(vec![
                    ("notifications".into(), Json::Arr(self.notifications.clone())),
                    ("messages".into(), Json::Arr(self.messages.clone())),
                ]),
            );
        }
        if path != "x.php" {
            return Response::json(404, Json::Obj(vec![("result".into(), Json::str("fail")), ("message".into(), Json::str("not found"))]));
        }
        // The token signs everything before `&token=`, exactly as the client sent it.
        let Some((signed, token)) = query.rsplit_once("&token=") else {
            return fail("缺少 token 参数 (token is missing)");
        };
        let params: Vec<(&str, &str)> = signed.split('&').map(|kv| kv.split_once('=').unwrap_or((kv, ""))).collect();
        let param = |name: &str| params.iter().find(|(k, _)| *k == name).map(|(_, v)| *v);
        if param("code") != Some(code) {
            return fail("应用代号无效 (unknown app code)");
        }
        let expected = md5_hex(format!("{}{key}", md5_hex(signed.as_bytes())).as_bytes());
        if token != expected {
            return fail("token 校验失败 (invalid token)");
        }
        if param("m") != Some("im") {
            return fail("模块名称无效 (unknown module)");
        }
        match (req.method, param("f")) {
            ("GET", Some("getGroupChats")) => success(Some(Json::Obj(
                self.groups.iter().map(|(gid, name, _)| (gid.clone(), Json::str(name.as_str()))).collect(),
            ))),
            ("GET", Some("getChatUsers")) => self.chat_users(param("gid").filter(|g| !g.is_empty())),
            ("POST", Some("sendNotification")) => self.send_notification(req),
            ("POST", Some("sendChatMessage")) => self.send_chat_message(req),
            (_, Some("getGroupChats" | "getChatUsers" | "sendNotification" | "sendChatMessage")) => fail("请求方式错误 (wrong method)"),
            _ => fail("方法名称无效 (unknown method)"),
        }
    }

    fn chat_users(&self, gid: Option<&str>) -> Response {
        let members: Vec<&str> = match gid {
            None => self.users.iter().map(|(id, _)| *id).collect(),
            Some(gid) => match self.groups.iter().find(|(g, _, _)| g == gid) {
                Some((_, _, members)) => members.clone(),
                None => return fail("讨论组不存在 (no such group chat)"),
            },
        };
        let data = self
            .users
            .iter()
            .filter(|(id, _)| members.contains(id))
            .map(|(id, name)| (id.to_string(), Json::str(*name)))
            .collect();
        success(Some(Json::Obj(data)))
    }

    /// The message checks the server makes, shared by notifications and chat messages.
    fn check_message(msg: &Json) -> Result<(), &'static str> {
        if msg.get("title").and_then(Json::as_str).is_none_or(str::is_empty) {
            return Err("应当设置标题。(title is required)");
        }
        if !matches!(msg.get("contentType").and_then(Json::as_str), Some("plain" | "text")) {
            return Err("contentType 应为 plain 或 text。");
        }
        for action in msg.get("actions").and_then(Json::as_array).unwrap_or_default() {
            if action.get("label").and_then(Json::as_str).is_none() || action.get("url").and_then(Json::as_str).is_none() {
                return Err("操作对象应当设置 label 和 url。");
            }
        }
        if let Some(sender) = msg.get("sender") {
            if sender.get("id").is_none() || sender.get("avatar").and_then(Json::as_str).is_none() {
                return Err("发送方信息应当设置 id 和 avatar。");
            }
        }
        Ok(())
    }

    fn send_notification(&mut self, req: &Request) -> Response {
        let Ok(msg @ Json::Obj(_)) = json::parse(req.body) else {
            return fail("请求数据不是有效的 JSON 对象 (the body is not a JSON object)");
        };
        if msg.get("users").and_then(Json::as_array).is_none_or(|u| u.is_empty()) {
            return fail("应当设置接收者用户列表。");
        }
        if let Err(why) = Self::check_message(&msg) {
            return fail(why);
        }
        self.notifications.push(msg);
        success(None)
    }

    fn send_chat_message(&mut self, req: &Request) -> Response {
        let Ok(msg @ Json::Obj(_)) = json::parse(req.body) else {
            return fail("请求数据不是有效的 JSON 对象 (the body is not a JSON object)");
        };
        let Some(gid) = msg.get("gid").and_then(Json::as_str) else {
            return fail("应当设置讨论组 gid。");
        };
        if !self.groups.iter().any(|(g, _, _)| g == gid) {
            return fail("讨论组不存在 (no such group chat)");
        }
        if let Err(why) = Self::check_message(&msg) {
            return fail(why);
        }
        self.messages.push(msg);
        success(None)
    }
}
