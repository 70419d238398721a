//! The shape of an operation table: each vendor lists its operations once, and the JS classes,
//! `qing.call`, the CLI and the docs all walk that list (adding an endpoint is one edit).

use crate::core::error::Error;
use crate::core::http::{HttpRequest, HttpResponse};
use crate::core::json::Json;
use crate::core::validate::Params;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Vendor {
    Cam,
    Yunzhijia,
    Xuanxuan,
    Ytx,
}

impl Vendor {
    pub const ALL: [Vendor; 4] = [Vendor::Cam, Vendor::Yunzhijia, Vendor::Xuanxuan, Vendor::Ytx];

    pub fn id(self) -> &'static str {
        match self {
            Vendor::Cam => "cam",
            Vendor::Yunzhijia => "yunzhijia",
            Vendor::Xuanxuan => "xuanxuan",
            Vendor::Ytx => "ytx",
        }
    }

    pub fn from_id(id: &str) -> Option<Vendor> {
        Vendor::ALL.into_iter().find(|v| v.id() == id)
    }
}

/// Reads may be retried on any transient failure; writes only where the server refused before
/// acting (429), so a retry never sends anything twice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Read,
    Write,
}

/// Parameter types, as the CLI parses flags and the docs describe them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    Str,
    Bool,
    Int,
    /// Unix milliseconds; JS `Date`s and (in the CLI) ISO dates are accepted.
    Time,
    /// An array of strings; a comma-separated string is accepted too.
    StrList,
    /// A JSON object or array passed through as documented.
    Json,
}

impl Ty {
    pub fn name(self) -> &'static str {
        match self {
            Ty::Str => "string",
            Ty::Bool => "boolean",
            Ty::Int => "integer",
            Ty::Time => "time",
            Ty::StrList => "string[]",
            Ty::Json => "json",
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

/// What a successful call resolves with.
#[derive(Debug, PartialEq)]
pub enum Output {
    /// The response body itself (already checked to be a JSON object): handed to `JSON.parse`
    /// untouched, so the common case costs no re-encoding.
    Body,
    Value(Json),
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
