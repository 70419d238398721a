//! The group open API `/gateway/xtinterface/*` (seed 004): groups and members, notices,
//! banners, and the merged chat history for cloud flows.

use super::fields::body;
use super::{parse_envelope, post, Config};
use crate::core::error::Error;
use crate::core::json::Json;
use crate::core::ops::{Kind, Op, Param, Ty};
use crate::core::validate::Params;

const CURRENT_UID: Param = Param { name: "currentUid", ty: Ty::Str, required: true, doc: "the acting user's id" };
const GROUP_ID: Param = Param { name: "groupId", ty: Ty::Str, required: true, doc: "the group's id" };
const USER_IDS: Param = Param { name: "userIds", ty: Ty::StrList, required: true, doc: "user ids (not empty)" };

const CREATE_GROUP_PARAMS: &[Param] = &[
    Param { name: "groupName", ty: Ty::Str, required: false, doc: "the name; absent names it after its members" },
    CURRENT_UID,
    Param { name: "userIds", ty: Ty::StrList, required: true, doc: "the other members' ids (not empty)" },
];
const ADD_USER_PARAMS: &[Param] = &[CURRENT_UID, GROUP_ID, USER_IDS];
const GROUP_PARAMS: &[Param] = &[CURRENT_UID, GROUP_ID];
const CLOUDFLOW_PARAMS: &[Param] = &[GROUP_ID, CURRENT_UID];
const NOTICE_PARAMS: &[Param] = &[
    CURRENT_UID,
    GROUP_ID,
    Param { name: "title", ty: Ty::Chars(1, 40), required: true, doc: "the notice's title" },
    Param { name: "content", ty: Ty::Chars(1, 2000), required: true, doc: "the notice's text" },
];
const BANNER_PARAMS: &[Param] = &[
    CURRENT_UID,
    GROUP_ID,
    Param {
        name: "params",
        ty: Ty::Json,
        required: true,
        doc: "{content?, title?, lightAppId?, thumbUrl?, webpageUrl?, primaryContent?, contentUrl?}",
    },
];
const BANNER_FIELDS: &[&str] = &["content", "title", "lightAppId", "thumbUrl", "webpageUrl", "primaryContent", "contentUrl"];

const PATH: &str = "/gateway/xtinterface/";

fn build_notice(c: &Config, p: &Params) -> Result<crate::core::http::HttpRequest, Error> {
    Ok(post(c, PATH, "notice/create", body(p, NOTICE_PARAMS)?))
}

fn build_banner(c: &Config, p: &Params) -> Result<crate::core::http::HttpRequest, Error> {
    let b = body(p, BANNER_PARAMS)?;
    let banner = Params::nested(p.get("params").unwrap_or(&Json::Null), "params")?;
    banner.deny_unknown(BANNER_FIELDS)?;
    for field in BANNER_FIELDS {
        banner.opt_str(field)?;
    }
    Ok(post(c, PATH, "banner/create", b))
}

pub const CREATE_GROUP: Op<Config> = Op {
    name: "group.createGroup",
    kind: Kind::Write,
    positional: false,
    params: CREATE_GROUP_PARAMS,
    doc: "Create a group chat; resolves {groupId, groupName, groupType, status}.",
    build: |c, p| Ok(post(c, PATH, "group/createGroup", body(p, CREATE_GROUP_PARAMS)?)),
    parse: parse_envelope,
};
pub const ADD_GROUP_USER: Op<Config> = Op {
    name: "group.addGroupUser",
    kind: Kind::Write,
    positional: false,
    params: ADD_USER_PARAMS,
    doc: "Add members to a group.",
    build: |c, p| Ok(post(c, PATH, "group/addGroupUser", body(p, ADD_USER_PARAMS)?)),
    parse: parse_envelope,
};
pub const GROUP_USERS: Op<Config> = Op {
    name: "group.groupUsers",
    kind: Kind::Read,
    positional: false,
    params: GROUP_PARAMS,
    doc: "A group's members; resolves {managerIds, participantIds}.",
    build: |c, p| Ok(post(c, PATH, "group/groupUsers", body(p, GROUP_PARAMS)?)),
    parse: parse_envelope,
};
pub const NOTICE_CREATE: Op<Config> = Op {
    name: "notice.create",
    kind: Kind::Write,
    positional: false,
    params: NOTICE_PARAMS,
    doc: "Post a group notice (title 1-40, content 1-2000 characters).",
    build: build_notice,
    parse: parse_envelope,
};
pub const BANNER_CREATE: Op<Config> = Op {
    name: "banner.create",
    kind: Kind::Write,
    positional: false,
    params: BANNER_PARAMS,
    doc: "Pin a banner in a group; resolves {bannerId}.",
    build: build_banner,
    parse: parse_envelope,
};
pub const CREATE_FOR_CLOUDFLOW: Op<Config> = Op {
    name: "message.createForCloudflow",
    kind: Kind::Write,
    positional: false,
    params: CLOUDFLOW_PARAMS,
    doc: "Merge a group's chat history for a cloud flow; resolves the mergeId.",
    build: |c, p| Ok(post(c, PATH, "message/merge/createForCloudflow", body(p, CLOUDFLOW_PARAMS)?)),
    parse: parse_envelope,
};
