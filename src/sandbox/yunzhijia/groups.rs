//! Group chats (seed 004): created with members and a manager, members added by members,
//! notices (title 1-40 and content 1-2000 characters), banners, and merged histories for cloud
//! flows. The groups the seed's samples address are seeded, so each sample runs as written.

use serde_json::Value;

use super::models::{BannerId, Envelope, ErrorField, GroupInfo, GroupUsers, Notice};
use super::{answer, check_ids, fail, people, strings, text, State};
use crate::sandbox::Response;

pub struct Group {
    id: String,
    name: String,
    managers: Vec<String>,
    participants: Vec<String>,
    notices: Vec<Notice>,
    banners: Vec<Value>,
}

pub struct Groups {
    list: Vec<Group>,
}

impl Groups {
    /// (groupId, manager, other members) of the samples: addGroupUser/notice, banner,
    /// createForCloudflow, groupUsers.
    pub fn seeded() -> Groups {
        let samples: [(&str, &str, &[&str]); 4] = [
            (
                "5bee7172e4b0f6bbaa32b4bf",
                "5b503ee9e4b02abb5318b23e",
                &["5b6cea82e4b05df05b3efc2b", "5bee6706e4b073e587c144ae", "5b50428ce4b091389c3b3777"],
            ),
            ("5bece07d84ae7a938d0dba5f", "5b46b09be4b08bc0c5646ff7", &["5b503ee9e4b02abb5318b23e"]),
            ("5be930f284ae59e625a7034e", "5b46b09be4b08bc0c5646ff7", &["5b503ee9e4b02abb5318b23e"]),
            ("5c11fb86e4b03461235eef6f", "5b6bf2a7e4b0fbba1110125c", &["5b90bd35e4b0aaccb6c1ce2d", "5b8ce9bae4b0aaccb6c0e55e"]),
        ];
        let list = samples
            .into_iter()
            .map(|(id, manager, others)| Group {
                id: id.into(),
                name: "讨论组".into(),
                managers: vec![manager.into()],
                participants: std::iter::once(manager).chain(others.iter().copied()).map(str::to_string).collect(),
                notices: Vec::new(),
                banners: Vec::new(),
            })
            .collect();
        Groups { list }
    }
}

fn info(g: &Group) -> GroupInfo<'_> {
    GroupInfo { group_id: &g.id, group_name: &g.name, group_type: 2, status: 1059 }
}

pub fn handle(s: &mut State, op: &str, body: &Value, now: i64) -> Response {
    let Some(uid) = text(body, "currentUid").map(str::to_string) else {
        return fail(400, "currentUid 为必填");
    };
    if let Err(why) = check_ids(body, "userIds") {
        return fail(400, &why);
    }
    if op == "group.createGroup" {
        let users = strings(body.get("userIds"));
        if users.is_empty() {
            return fail(400, "userIds 不能为空");
        }
        let id = s.id();
        let name = text(body, "groupName").map_or_else(|| users.join("、"), str::to_string);
        let mut participants = vec![uid.clone()];
        participants.extend(users.into_iter().filter(|u| *u != uid));
        s.groups.list.push(Group { id, name, managers: vec![uid], participants, notices: Vec::new(), banners: Vec::new() });
        return s.groups.list.last().map_or_else(|| fail(500, "sandbox: group lost"), |g| answer(ErrorField::Null, info(g)));
    }
    let Some(gid) = text(body, "groupId") else {
        return fail(400, "groupId 为必填");
    };
    let next_id = s.id();
    let Some(g) = s.groups.list.iter_mut().find(|g| g.id == gid) else {
        return fail(100, "群组不存在 (no such group)");
    };
    if !g.participants.contains(&uid) {
        return fail(403, "当前用户不是群组成员 (not a member)");
    }
    match op {
        "group.addGroupUser" => {
            let users = strings(body.get("userIds"));
            if users.is_empty() {
                return fail(400, "userIds 不能为空");
            }
            for u in users {
                if !g.participants.contains(&u) {
                    g.participants.push(u);
                }
            }
            answer(ErrorField::Null, info(g))
        }
        // This answer has no `error` member in the seed's sample.
        "group.groupUsers" => answer(ErrorField::Omitted, GroupUsers { manager_ids: &g.managers, participant_ids: &g.participants }),
        "notice.create" => {
            let (title, content) = (body["title"].as_str().unwrap_or(""), body["content"].as_str().unwrap_or(""));
            if !(1..=40).contains(&title.chars().count()) {
                return fail(400, "群公告标题字数为1-40个字符");
            }
            if !(1..=2000).contains(&content.chars().count()) {
                return fail(400, "群公告内容字数为1-2000个字符");
            }
            let notice = Notice {
                notice_id: next_id,
                creator: people::name(&uid).into(),
                title: title.into(),
                content: content.into(),
                create_time: now,
            };
            g.notices.push(notice.clone());
            answer(ErrorField::Null, notice)
        }
        "banner.create" => {
            let Some(params) = body.get("params").filter(|p| p.is_object()) else {
                return fail(400, "params 为必填");
            };
            if params.as_object().is_some_and(|p| p.values().any(|v| !(v.is_string() || v.is_null()))) {
                return fail(400, "params 的各项应为字符串");
            }
            g.banners.push(params.clone());
            answer(ErrorField::Null, BannerId { banner_id: next_id })
        }
        // The sample: `"error": "no error"`, `errorCode` 200, the merge id as `data`.
        _ => Response::serde(200, &Envelope { success: true, error_code: 200, error: ErrorField::Text("no error"), data: next_id }),
    }
}
