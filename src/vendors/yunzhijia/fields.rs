//! Request bodies written straight from an operation's `params` table: each parameter is
//! checked by its type (and, for the few enumerations, by its name) and emitted in table order,
//! which is the order of the seeds' samples. The table is the one source of the parameter list.

use crate::core::error::Error;
use crate::core::json::Json;
use crate::core::ops::{Param, Ty};
use crate::core::validate::Params;

/// The documented value sets, keyed by parameter name.
fn allowed_ints(name: &str) -> Option<&'static [i64]> {
    match name {
        "noticeTime" => Some(&[-1, 0, 15, 60]),
        "topState" => Some(&[0, 1]),
        "repeat" => Some(&[0, 1, 2, 3, 4, 5]),
        _ => None,
    }
}

pub fn body(p: &Params, params: &[Param]) -> Result<Json, Error> {
    let names: Vec<&str> = params.iter().map(|x| x.name).collect();
    p.deny_unknown(&names)?;
    let mut out = Vec::new();
    for param in params {
        let name = param.name;
        let value = match param.ty {
            Ty::Str if param.required => Some(Json::str(p.non_empty(name)?)),
            Ty::Str if name == "type" => p.opt_one_of(name, &["sign", "voice"])?.map(Json::str),
            Ty::Str => p.opt_str(name)?.map(Json::str),
            Ty::Bool => p.opt_bool(name)?.map(Json::Bool),
            // The room-booking samples send `lastTime` as a string of digits.
            Ty::Time if name == "lastTime" => p.opt_time(name)?.map(|t| Json::Str(t.to_string())),
            Ty::Time => p.opt_time(name)?.map(|t| Json::Num(t as f64)),
            Ty::Int => match (p.opt_int(name)?, allowed_ints(name)) {
                (Some(v), Some(set)) if !set.contains(&v) => {
                    let set: Vec<String> = set.iter().map(i64::to_string).collect();
                    return Err(Error::invalid(p.path(name), format!("must be one of {}, got {v}", set.join(", "))));
                }
                (Some(v), None) if v < 1 => return Err(Error::invalid(p.path(name), format!("must be a positive integer, got {v}"))),
                (v, _) => v.map(|v| Json::Num(v as f64)),
            },
            Ty::StrList if param.required => Some(Json::Arr(p.str_list(name)?.into_iter().map(Json::str).collect())),
            Ty::StrList => p.opt_str_list(name)?.map(|l| Json::Arr(l.into_iter().map(Json::str).collect())),
            Ty::Json => p.opt_object(name)?.cloned(),
        };
        match value {
            Some(v) => out.push((name.to_string(), v)),
            None if param.required => return Err(Error::invalid(p.path(name), "is required")),
            None => {}
        }
    }
    Ok(Json::Obj(out))
}

/// `earlier < later` where both are present (the seeds' time ranges).
pub fn before(body: &Json, earlier: &str, later: &str) -> Result<(), Error> {
    let time = |k: &str| match body.get(k) {
        Some(Json::Num(n)) => Some(*n),
        Some(Json::Str(s)) => s.parse::<u64>().ok().map(|n| n as f64),
        _ => None,
    };
    match (time(earlier), time(later)) {
        (Some(a), Some(b)) if a >= b => Err(Error::invalid(later, format!("must be after `{earlier}`"))),
        _ => Ok(()),
    }
}
