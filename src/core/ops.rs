//! The shape of an operation table: each vendor lists its operations once, and the JS classes,
//! `qing.call`, the CLI, the demo page, the declarations and the docs all walk that list.

use crate::core::error::Error;
use crate::core::http::{HttpRequest, HttpResponse};
use crate::core::json::Json;
use crate::core::validate::Params;
pub use crate::core::vendor::{Kind, Vendor};
use crate::prelude::*;

/// Parameter types, each with its documented rule: validation, request building, the CLI,
/// the declarations and the docs all read the rule from here, never from a parameter's name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    Str,
    /// A string of `min..=max` characters (Unicode scalar values: a CJK character or an emoji
    /// counts one, as the vendors count 字数).
    Chars(usize, usize),
    /// One of these strings.
    OneOf(&'static [&'static str]),
    Bool,
    /// An integer from 1 up.
    Positive,
    /// An integer in this set.
    IntIn(&'static [i64]),
    /// Unix milliseconds; a `Date`, a digit string or an ISO date is accepted too.
    Time,
    /// A time sent as a string of digits, as the room-booking samples write `lastTime`.
    TimeDigits,
    /// An array of strings; a comma-separated string is accepted too.
    StrList,
    /// A JSON object or array passed through as documented.
    Json,
}

impl Ty {
    /// The base type, as the CLI parses flags and the demo reads its forms.
    pub fn name(self) -> &'static str {
        match self {
            Ty::Str | Ty::Chars(..) | Ty::OneOf(_) => "string",
            Ty::Bool => "boolean",
            Ty::Positive | Ty::IntIn(_) => "integer",
            Ty::Time | Ty::TimeDigits => "time",
            Ty::StrList => "string[]",
            Ty::Json => "json",
        }
    }

    /// The rule in words, for help, docs and errors; empty when the base type says it all.
    pub fn rule(self) -> String {
        let list = |items: Vec<String>| items.join(", ");
        match self {
            Ty::Chars(min, max) => format!("{min} to {max} characters"),
            Ty::OneOf(set) => format!("one of {}", list(set.iter().map(|s| s.to_string()).collect())),
            Ty::IntIn(set) => format!("one of {}", list(set.iter().map(i64::to_string).collect())),
            Ty::Positive => "a positive integer".into(),
            _ => String::new(),
        }
    }

    /// The allowed values of an enumeration, as JSON (`null` otherwise).
    fn values(self) -> Json {
        match self {
            Ty::OneOf(set) => Json::Arr(set.iter().map(|s| Json::str(*s)).collect()),
            Ty::IntIn(set) => Json::Arr(set.iter().map(|n| Json::Num(*n as f64)).collect()),
            _ => Json::Null,
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Param {
    pub name: &'static str,
    pub ty: Ty,
    pub required: bool,
    pub doc: &'static str,
}

impl Param {
    /// This parameter's value in `p`, checked against its rule and in the form the wire wants
    /// (times as numbers, lists as arrays); `None` when absent and optional. Every table-driven
    /// request body is built from this, so a rule declared in a table is a rule enforced.
    pub fn read(&self, p: &Params) -> Result<Option<Json>, Error> {
        let name = self.name;
        let value = match self.ty {
            Ty::Str if self.required => Some(Json::str(p.non_empty(name)?)),
            Ty::Str => p.opt_str(name)?.map(Json::str),
            Ty::Chars(min, max) if p.has(name) || self.required => Some(Json::str(p.chars(name, min, max)?)),
            Ty::Chars(..) => None,
            Ty::OneOf(set) => p.opt_one_of(name, set)?.map(Json::str),
            Ty::Bool => p.opt_bool(name)?.map(Json::Bool),
            Ty::Time => p.opt_time(name)?.map(|t| Json::Num(t as f64)),
            Ty::TimeDigits => p.opt_cursor(name)?.map(|t| Json::Str(t.to_string())),
            Ty::Positive => match p.opt_int(name)? {
                Some(v) if v < 1 => return Err(Error::invalid(p.path(name), format!("must be a positive integer, got {v}"))),
                v => v.map(|v| Json::Num(v as f64)),
            },
            Ty::IntIn(set) => match p.opt_int(name)? {
                Some(v) if !set.contains(&v) => {
                    return Err(Error::invalid(p.path(name), format!("must be {}, got {v}", self.ty.rule())));
                }
                v => v.map(|v| Json::Num(v as f64)),
            },
            Ty::StrList if self.required => Some(Json::Arr(p.str_list(name)?.into_iter().map(Json::str).collect())),
            Ty::StrList => p.opt_str_list(name)?.map(|l| Json::Arr(l.into_iter().map(Json::str).collect())),
            Ty::Json => match p.get(name) {
                None | Some(Json::Null) => None,
                Some(v @ (Json::Obj(_) | Json::Arr(_))) => Some(v.clone()),
                Some(other) => {
                    return Err(Error::invalid(p.path(name), format!("must be an object or an array, got {}", other.type_name())));
                }
            },
        };
        match value {
            None if self.required => Err(Error::invalid(p.path(name), "is required")),
            v => Ok(v),
        }
    }
}

/// What a successful call resolves with.
#[derive(Debug, PartialEq)]
pub enum Output {
    /// The response body itself (already checked to be a JSON object): handed to `JSON.parse`
    /// untouched, so the common case costs no re-encoding.
    Body,
    /// The body's top-level `data` member (null when absent), the parser having checked the
    /// envelope around it: taken from the JS parse of the body, so it is neither re-encoded
    /// nor parsed a second time.
    Data,
}

pub struct Op<C: 'static> {
    pub name: &'static str,
    pub kind: Kind,
    /// Set for methods called with positional arguments (the CAM client); the names are the
    /// keys those arguments take in the params object.
    pub positional: bool,
    pub params: &'static [Param],
    pub doc: &'static str,
    pub build: fn(&C, &Params) -> Result<HttpRequest, Error>,
    pub parse: fn(&HttpResponse) -> Result<Output, Error>,
}

pub fn find<C>(ops: &'static [Op<C>], name: &str) -> Option<&'static Op<C>> {
    ops.iter().find(|op| op.name == name)
}

/// The table as JSON, for the JS facade, the CLI's help and the docs.
pub fn describe<C>(ops: &[Op<C>]) -> Json {
    Json::Arr(
        ops.iter()
            .map(|op| {
                Json::Obj(vec![
                    ("name".into(), Json::str(op.name)),
                    ("kind".into(), Json::str(if op.kind == Kind::Read { "read" } else { "write" })),
                    ("positional".into(), Json::Bool(op.positional)),
                    ("doc".into(), Json::str(op.doc)),
                    (
                        "params".into(),
                        Json::Arr(
                            op.params
                                .iter()
                                .map(|p| {
                                    Json::Obj(vec![
                                        ("name".into(), Json::str(p.name)),
                                        ("type".into(), Json::str(p.ty.name())),
                                        ("rule".into(), Json::Str(p.ty.rule())),
                                        ("values".into(), p.ty.values()),
                                        ("required".into(), Json::Bool(p.required)),
                                        ("doc".into(), Json::str(p.doc)),
                                    ])
                                })
                                .collect(),
                        ),
                    ),
                ])
            })
            .collect(),
    )
}
