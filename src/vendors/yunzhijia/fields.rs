//! Request bodies written straight from an operation's `params` table: each parameter is
//! checked by the rule its type carries and emitted in table order, which is the order of the
//! seeds' samples. The table is the one source of the parameter list and its rules.

use crate::core::error::Error;
use crate::core::json::Json;
use crate::core::ops::Param;
use crate::core::validate::Params;
use crate::prelude::*;

/// The JSON body of `params`, in table order (the order of the seeds' samples). Unknown names
/// were already refused by the dispatcher.
pub fn body(p: &Params, params: &[Param]) -> Result<Json, Error> {
    let mut out = Vec::with_capacity(params.len());
    for param in params {
        if let Some(v) = param.read(p)? {
            out.push((param.name.to_string(), v));
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
