//! Group chats: created with members and a manager, members added by members, notices (title
//! 1-40 and content 1-2000 characters), banners, and merged histories for cloud flows.

use super::{fail, ok, strings, text, State};
use crate::core::json::Json;
use crate::sandbox::Response;

pub struct Group {
    id: String,
    name: String,
    managers: Vec<String>,
    participants: Vec<String>,
    notices: Vec<Json>,
    banners: Vec<Json>,
}

#[derive(Default)]
pub struct Groups {
    list: Vec<Group>,
}

fn group_json(g: &Group) -> Json {
    Json::Obj(vec![
        ("groupId".into(), Json::str(g.id.as_str())),
        ("groupName".into(), Json::str(g.name.as_str())),
        ("groupType".into(), Json::Num(2.0)),
        ("status".into(), Json::Num(1059.0)),
    ])
}

pub fn handle(s: &mut State, name: &str, body: &Json, now: f64) -> Response {
    let Some(uid) = text(body, "currentUid").map(str::to_string) else {
        return fail(400.0, "currentUid 为必填");
    };
    if name == "group/createGroup" {
        let users = strings(body.get("userIds"));
        if users.is_empty() {
            return fail(400.0, "userIds 不能为空");
        }
        let id = s.id();
        let name = text(body, "groupName").map_or_else(|| users.join("、"), str::to_string);
        let mut participants = vec![uid.clone()];
        participants.extend(users.into_iter().filter(|u| *u != uid));
        let g = Group { id, name, managers: vec![uid], participants, notices: Vec::new(), banners: Vec::new() };
        let data = group_json(&g);
        s.groups.list.push(g);
        return ok(data);
    }
    let Some(gid) = text(body, "groupId") else {
        return fail(400.0, "groupId 为必填");
    };
    let next_id = s.id();
    let Some(g) = s.groups.list.iter_mut().find(|g| g.id == gid) else {
        return fail(100.0, "群组不存在 (no such group)");
    };
    if !g.participants.contains(&uid) {
        return fail(403.0, "当前用户不是群组成员 (not a member)");
    }
    match name {
        "group/addGroupUser" => {
            let users = strings(body.get("userIds"));
            if users.is_empty() {
                return fail(400.0, "userIds 不能为空");
            }
            for u in users {
                if !g.participants.contains(&u) {
                    g.participants.push(u);
                }
            }
            ok(group_json(g))
        }
        "group/groupUsers" => {
            let ids = |v: &[String]| Json::Arr(v.iter().map(|s| Json::str(s.as_str())).collect());
            let data = Json::Obj(vec![("managerIds".into(), ids(&g.managers)), ("participantIds".into(), ids(&g.participants))]);
            // This answer has no `error` member in the seed's sample.
            Response::json(200, Json::Obj(vec![("data".into(), data), ("success".into(), Json::Bool(true)), ("errorCode".into(), Json::Num(0.0))]))
        }
        "notice/create" => {
            let (title, content) = (body.get("title").and_then(Json::as_str).unwrap_or(""), body.get("content").and_then(Json::as_str).unwrap_or(""));
            if !(1..=40).contains(&title.chars().count()) {
                return fail(400.0, "群公告标题字数为1-40个字符");
            }
            if !(1..=2000).contains(&content.chars().count()) {
                return fail(400.0, "群公告内容字数为1-2000个字符");
            }
            let notice = Json::Obj(vec![
                ("noticeId".into(), Json::Str(next_id)),
                ("creator".into(), Json::str("云之家用户")),
                ("title".into(), Json::str(title)),
                ("content".into(), Json::str(content)),
                ("createTime".into(), Json::Num(now)),
            ]);
            g.notices.push(notice.clone());
            ok(notice)
        }
        "banner/create" => {
            let Some(params @ Json::Obj(_)) = body.get("params") else {
                return fail(400.0, "params 为必填");
            };
            g.banners.push(params.clone());
            ok(Json::Obj(vec![("bannerId".into(), Json::Str(next_id))]))
        }
        "message/merge/createForCloudflow" => Response::json(
            200,
            Json::Obj(vec![
                ("error".into(), Json::str("no error")),
                ("data".into(), Json::Str(next_id)),
                ("errorCode".into(), Json::Num(200.0)),
                ("success".into(), Json::Bool(true)),
            ]),
        ),
        _ => fail(404.0, "接口不存在 (no such API)"),
    }
}
