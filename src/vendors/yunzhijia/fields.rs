//! Request bodies written straight from an operation's `params` table: each parameter is
//! checked by the rule its type carries and emitted in table order, which is the order of the
//! seeds' samples. The table is the one source of the parameter list and its rules.

use crate::core::error::Error;
use crate::core::json::write_string;
use crate::core::ops::Param;
use crate::core::validate::Params;
use crate::prelude::*;

/// The JSON body of `params` as text, in table order (the order of the seeds' samples), each
/// value checked by its rule and written straight out. Unknown names were already refused by
/// the dispatcher.
///
/// The body of a Yunzhijia call: each given parameter, in the table's order, in the form the
/// wire wants (a time as a number, a list as a list).
pub fn body(p: &Params, params: &[Param]) -> Result<String, Error> {
    let mut out = String::with_capacity(256);
    out.push('{');
    for param in params {
        if let Some(v) = param.value(p)? {
            if out.len() > 1 {
                out.push(',');
            }
            write_string(param.name, &mut out);
            out.push(':');
            v.write(&mut out);
        }
    }
    out.push('}');
    Ok(out)
}

/// `earlier < later` where both are present (the seeds' time ranges); both were checked.
pub fn before(p: &Params, earlier: &str, later: &str) -> Result<(), Error> {
    let time = |k: &str| p.opt_time(k).ok().flatten();
    match (time(earlier), time(later)) {
        (Some(a), Some(b)) if a >= b => Err(Error::invalid(p.path(later), format!("must be after `{earlier}`"))),
        _ => Ok(()),
    }
}
