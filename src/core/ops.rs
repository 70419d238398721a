//! The shape of an operation table: each vendor lists its operations once, and the JS classes,
//! `qing.call`, the CLI, the demo page, the declarations and the docs all walk that list.

use crate::core::error::Error;
use crate::core::http::{HttpRequest, HttpResponse};
use crate::core::json::{write_string, Json};
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
        Ok(self.value(p)?.map(Value::into_json))
    }

    /// The same, borrowed from the params where it can be: a body written straight out as text
    /// (Yunzhijia's) copies nothing into a tree first.
    pub fn value<'a>(&self, p: &Params<'a>) -> Result<Option<Value<'a>>, Error> {
        let name = self.name;
        let value = match self.ty {
            Ty::Str if self.required => Some(Value::Str(p.non_empty(name)?)),
            Ty::Str => p.opt_str(name)?.map(Value::Str),
            Ty::Chars(min, max) if p.has(name) || self.required => Some(Value::Str(p.chars(name, min, max)?)),
            Ty::Chars(..) => None,
            Ty::OneOf(set) => p.opt_one_of(name, set)?.map(Value::Str),
            Ty::Bool => p.opt_bool(name)?.map(Value::Bool),
            Ty::Time => p.opt_time(name)?.map(|t| Value::Num(t as f64)),
            Ty::TimeDigits => p.opt_cursor(name)?.map(Value::Digits),
            Ty::Positive => match p.opt_int(name)? {
                Some(v) if v < 1 => return Err(Error::invalid(p.path(name), format!("must be a positive integer, got {v}"))),
                v => v.map(|v| Value::Num(v as f64)),
            },
            Ty::IntIn(set) => match p.opt_int(name)? {
                Some(v) if !set.contains(&v) => {
                    return Err(Error::invalid(p.path(name), format!("must be {}, got {v}", self.ty.rule())));
                }
                v => v.map(|v| Value::Num(v as f64)),
            },
            Ty::StrList if self.required => Some(Value::List(p.str_list(name)?)),
            Ty::StrList => p.opt_str_list(name)?.map(Value::List),
            Ty::Json => match p.get(name) {
                None | Some(Json::Null) => None,
                Some(v @ (Json::Obj(_) | Json::Arr(_))) => Some(Value::Json(v)),
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

/// A parameter's checked value in the form the wire wants, borrowed from the params.
#[derive(Debug, PartialEq)]
pub enum Value<'a> {
    Str(&'a str),
    Num(f64),
    Bool(bool),
    /// A time sent as a string of digits.
    Digits(i64),
    List(Vec<&'a str>),
    Json(&'a Json),
}

impl Value<'_> {
    pub fn into_json(self) -> Json {
        match self {
            Value::Str(s) => Json::str(s),
            Value::Num(n) => Json::Num(n),
            Value::Bool(b) => Json::Bool(b),
            Value::Digits(t) => Json::Str(t.to_string()),
            Value::List(items) => Json::Arr(items.into_iter().map(Json::str).collect()),
            Value::Json(v) => v.clone(),
        }
    }

    /// Whether `raw`, the value as given, is this value: the same JSON.
    pub fn is(&self, raw: &Json) -> bool {
        match (self, raw) {
            (Value::Str(s), Json::Str(r)) => s == r,
            (Value::Num(n), Json::Num(r)) => n == r,
            (Value::Bool(b), Json::Bool(r)) => b == r,
            (Value::List(items), Json::Arr(xs)) => items.len() == xs.len() && items.iter().zip(xs).all(|(i, x)| x.as_str() == Some(*i)),
            (Value::Json(v), r) => core::ptr::eq(*v, r),
            _ => false,
        }
    }

    /// The value as JSON text, as `into_json` then `write` would give it.
    pub fn write(&self, out: &mut String) {
        match self {
            Value::Str(s) => write_string(s, out),
            Value::Num(n) => Json::Num(*n).write(out),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Digits(t) => write_string(&t.to_string(), out),
            Value::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_string(item, out);
                }
                out.push(']');
            }
            Value::Json(v) => v.write(out),
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
    /// An empty object: the answer's `data` is an empty list where a non-empty one is an
    /// object keyed by ids (PHP's `json_encode` of an empty array, XuanXuan's `data: []`).
    EmptyObject,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::json;

    /// A body written straight out (`Value::write`) reads as the tree it stands for would.
    #[test]
    fn values_write_as_their_json() {
        let params =
            json::parse(r#"{"s":"会议 \"1\"\n","n":1800000000000,"b":false,"d":"1545106802000","l":"a1, a2","j":{"k":[1,"x"]},"i":"15"}"#)
                .unwrap();
        let p = Params::new(&params).unwrap();
        let table = [
            Param { name: "s", ty: Ty::Str, required: true, doc: "" },
            Param { name: "n", ty: Ty::Time, required: true, doc: "" },
            Param { name: "b", ty: Ty::Bool, required: false, doc: "" },
            Param { name: "d", ty: Ty::TimeDigits, required: false, doc: "" },
            Param { name: "l", ty: Ty::StrList, required: false, doc: "" },
            Param { name: "j", ty: Ty::Json, required: false, doc: "" },
            Param { name: "i", ty: Ty::IntIn(&[0, 15]), required: false, doc: "" },
            Param { name: "absent", ty: Ty::Str, required: false, doc: "" },
        ];
        for param in &table {
            let (mut written, read) = (String::new(), param.read(&p).unwrap());
            if let Some(v) = param.value(&p).unwrap() {
                v.write(&mut written);
            }
            assert_eq!(written, read.map(|j| j.to_json_string()).unwrap_or_default(), "{}", param.name);
        }
        let mut list = String::new();
        table[4].value(&p).unwrap().unwrap().write(&mut list);
        assert_eq!(list, r#"["a1","a2"]"#);
    }
}
