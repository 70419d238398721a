//! Room booking `/api/roomBook/third/*` (seed 001): whether there are new bookings, the
//! bookings themselves (paged), free rooms for an interval, and a booking's attendees.

use super::fields::{before, body};
use super::{parse_envelope, post, Config};
use crate::core::ops::{Kind, Op, Param, Ty};

const EID: Param = Param { name: "eid", ty: Ty::Str, required: true, doc: "the work circle's eid" };
const LAST_TIME: Param =
    Param { name: "lastTime", ty: Ty::TimeDigits, required: false, doc: "only bookings changed after this (Unix ms or Date)" };
const PAGE_INDEX: Param = Param { name: "pageIndex", ty: Ty::Positive, required: false, doc: "page, from 1 (default 1)" };
const PAGE_SIZE: Param = Param { name: "pageSize", ty: Ty::Positive, required: false, doc: "items per page (default 50)" };

const HAS_NEW_PARAMS: &[Param] = &[EID, LAST_TIME];
const BOOK_INFO_PARAMS: &[Param] = &[EID, LAST_TIME, PAGE_INDEX, PAGE_SIZE];
const FREE_ROOMS_PARAMS: &[Param] = &[
    Param { name: "openId", ty: Ty::Str, required: true, doc: "the booker's openId" },
    Param { name: "startTime", ty: Ty::Time, required: true, doc: "interval start (Unix ms or Date)" },
    Param { name: "endTime", ty: Ty::Time, required: true, doc: "interval end, after startTime" },
    PAGE_INDEX,
    PAGE_SIZE,
];
const GET_ACTORS_PARAMS: &[Param] = &[Param { name: "orderId", ty: Ty::Str, required: true, doc: "the booking's order id" }];

const PATH: &str = "/api/roomBook/third/";

pub const HAS_NEW: Op<Config> = Op {
    name: "roomBook.hasNew",
    kind: Kind::Read,
    positional: false,
    params: HAS_NEW_PARAMS,
    doc: "Whether bookings changed after lastTime; resolves {hasNew}.",
    build: |c, p| Ok(post(c, PATH, "hasNew", body(p, HAS_NEW_PARAMS)?)),
    parse: parse_envelope,
};
pub const BOOK_INFO: Op<Config> = Op {
    name: "roomBook.bookInfo",
    kind: Kind::Read,
    positional: false,
    params: BOOK_INFO_PARAMS,
    doc: "One page of bookings changed after lastTime; resolves {add, delete}.",
    build: |c, p| Ok(post(c, PATH, "bookInfo", body(p, BOOK_INFO_PARAMS)?)),
    parse: parse_envelope,
};
pub const FREE_ROOMS: Op<Config> = Op {
    name: "roomBook.freeRooms",
    kind: Kind::Read,
    positional: false,
    params: FREE_ROOMS_PARAMS,
    doc: "Rooms free for the whole interval.",
    build: |c, p| {
        let b = body(p, FREE_ROOMS_PARAMS)?;
        before(p, "startTime", "endTime")?;
        Ok(post(c, PATH, "freeRooms", b))
    },
    parse: parse_envelope,
};
pub const GET_ACTORS: Op<Config> = Op {
    name: "roomBook.getActors",
    kind: Kind::Read,
    positional: false,
    params: GET_ACTORS_PARAMS,
    doc: "The attendees of a booking.",
    build: |c, p| Ok(post(c, PATH, "getActors", body(p, GET_ACTORS_PARAMS)?)),
    parse: parse_envelope,
};
