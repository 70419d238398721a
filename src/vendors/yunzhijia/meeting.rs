//! Smart meetings `/gateway/cloudwork/meeting/*` (seed 001): create, modify, cancel, the repeat
//! series, and the meetings of a day.

use super::fields::{before, body};
use super::{parse_envelope, post, Config};
use crate::core::error::Error;
use crate::core::http::HttpRequest;
use crate::core::ops::{Kind, Op, Param, Ty};
use crate::core::validate::Params;

const fn p(name: &'static str, ty: Ty, required: bool, doc: &'static str) -> Param {
    Param { name, ty, required, doc }
}

const ID: Param = p("id", Ty::Str, true, "the meeting's id");
const OPENID: Param = p("openid", Ty::Str, true, "the creator's oid");
const TITLE: Param = p("title", Ty::Str, true, "会议标题 the title");
const TITLE_OPT: Param = p("title", Ty::Str, false, "会议标题 the title");
const CONTENT: Param = p("content", Ty::Str, false, "会议内容 the content");
const PLACE: Param = p("meetingPlace", Ty::Str, false, "会议地址 the place");
const START: Param = p("startDate", Ty::Time, true, "start (Unix ms or Date)");
const END: Param = p("endDate", Ty::Time, true, "end (Unix ms or Date), after startDate");
const START_OPT: Param = p("startDate", Ty::Time, false, "start (Unix ms or Date)");
const END_OPT: Param = p("endDate", Ty::Time, false, "end (Unix ms or Date), after startDate");
const ROOM: Param = p("roomId", Ty::Str, false, "会议室ID the room");
const NOTICE: Param = p("noticeTime", Ty::IntIn(&[-1, 0, 15, 60]), false, "reminder: -1 none, 0 at start, 15 or 60 minutes before");
const TOP: Param = p("topState", Ty::IntIn(&[0, 1]), false, "important: 0 no, 1 yes");
const ACTORS: Param = p("actors", Ty::StrList, false, "collaborators' oids");
const ADD: Param = p("addActors", Ty::StrList, false, "oids to add");
const DEL: Param = p("delActors", Ty::StrList, false, "oids to remove");
const TYPE: Param = p("type", Ty::OneOf(&["sign", "voice"]), false, "absent: ordinary, 'sign': check-in, 'voice': voice meeting");
const SUBMIT: Param = p("submitExperience", Ty::Bool, false, "whether minutes must be submitted");
const REPEAT: Param = p("repeat", Ty::IntIn(&[0, 1, 2, 3, 4, 5]), true, "0 none, 1 workdays, 2 daily, 3 weekly, 4 fortnightly, 5 monthly");
const REPEAT_OPT: Param =
    p("repeat", Ty::IntIn(&[0, 1, 2, 3, 4, 5]), false, "0 none, 1 workdays, 2 daily, 3 weekly, 4 fortnightly, 5 monthly");
const REPEAT_END: Param = p("repeatEndDate", Ty::Time, true, "when the series ends, after startDate");
const REPEAT_END_OPT: Param = p("repeatEndDate", Ty::Time, false, "when the series ends, after startDate");
const BATCH: Param = p("batchId", Ty::Str, false, "the series' batch id; absent for the parent meeting");

const PATH: &str = "/gateway/cloudwork/meeting/";

fn build(c: &Config, p: &Params, name: &str, params: &[Param]) -> Result<HttpRequest, Error> {
    let b = body(p, params)?;
    before(p, "startDate", "endDate")?;
    before(p, "startDate", "repeatEndDate")?;
    Ok(post(c, PATH, name, b))
}

const CREATE_PARAMS: &[Param] = &[OPENID, TITLE, CONTENT, PLACE, START, END, ROOM, NOTICE, TOP, ACTORS, TYPE, SUBMIT];
const MODIFY_PARAMS: &[Param] = &[ID, OPENID, TITLE_OPT, CONTENT, PLACE, START_OPT, END_OPT, ROOM, NOTICE, TOP, ACTORS, ADD, DEL, SUBMIT];
const CANCEL_PARAMS: &[Param] = &[OPENID, ID];
const REPEAT_PARAMS: &[Param] = &[OPENID, TITLE, CONTENT, START, END, NOTICE, TOP, ACTORS, SUBMIT, REPEAT, REPEAT_END];
const BATCH_MODIFY_PARAMS: &[Param] =
    &[ID, OPENID, TITLE_OPT, CONTENT, START_OPT, END_OPT, NOTICE, TOP, ACTORS, ADD, DEL, SUBMIT, REPEAT_OPT, REPEAT_END_OPT, BATCH];
const BATCH_CANCEL_PARAMS: &[Param] = &[ID, OPENID, BATCH];
const QUERY_PARAMS: &[Param] = &[p("day", Ty::Time, true, "the day to list, in Beijing time (UTC+8): '2018-08-30', or any moment of it")];

/// One meeting operation: `POST /gateway/cloudwork/meeting/<name>` with the body from `params`.
macro_rules! meeting_op {
    ($const:ident, $name:literal, $kind:ident, $params:ident, $doc:literal) => {
        pub const $const: Op<Config> = Op {
            name: concat!("meeting.", $name),
            kind: Kind::$kind,
            positional: false,
            params: $params,
            doc: $doc,
            build: |c, p| build(c, p, $name, $params),
            parse: parse_envelope,
        };
    };
}

meeting_op!(CREATE, "create", Write, CREATE_PARAMS, "Create a meeting; resolves {meetingId}.");
meeting_op!(MODIFY, "modify", Write, MODIFY_PARAMS, "Change a meeting (actors = old + addActors - delActors).");
meeting_op!(CANCEL, "cancel", Write, CANCEL_PARAMS, "Cancel a meeting; only its creator may.");
meeting_op!(REPEAT_MEETING, "repeatMeeting", Write, REPEAT_PARAMS, "Create a repeating series; resolves {meetingIds}, the parent first.");
meeting_op!(BATCH_MODIFY, "batchModify", Write, BATCH_MODIFY_PARAMS, "Change a repeating series.");
meeting_op!(BATCH_CANCEL, "batchCancel", Write, BATCH_CANCEL_PARAMS, "Cancel a repeating series; only its creator may.");
meeting_op!(QUERY_BY_DAY, "queryByDay", Read, QUERY_PARAMS, "The meetings of a day.");
