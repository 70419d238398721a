//! Request bodies written straight from an operation's `params` table: each parameter is
//! checked by the rule its type carries and emitted in table order, which is the order of the
//! seeds' samples. The table is the one source of the parameter list and its rules.

use crate::core::error::Error;
use crate::core::json::{self, write_string};
use crate::core::ops::Param;
use crate::core::validate::Params;
use crate::prelude::*;

/// The JSON body of `params` as text, in table order (the order of the seeds' samples), each
/// value checked by its rule and written straight out. Unknown names were already refused by
/// the dispatcher.
///
/// When the params' own text says what the written body would, it is the body (in the caller's
/// order of members), and nothing is written twice: every member a parameter's, once, none
/// null, each value already in the form the wire wants (a time as a number, not a date text; a
/// list as a list), and every number an integer written as JSON.stringify writes one (the
/// facade's params are JSON.stringify's; a text of the caller's may say the same double in other
/// words).
pub fn body(p: &Params, params: &[Param]) -> Result<String, Error> {
    let mut values = Vec::with_capacity(params.len());
    let mut as_given = p.source().is_some();
    for param in params {
        let value = param.value(p)?;
        as_given = as_given
            && match (&value, p.raw(param.name)) {
                (None, None) => true,
                (Some(v), Some(raw)) => v.is(raw),
                _ => false,
            };
        if let Some(v) = value {
            values.push((param.name, v));
        }
    }
    if let Some(text) = p.source().filter(|text| as_given && once_each(p) && json::numbers_are_integers(text)) {
        return Ok(text.to_string());
    }
    let mut out = String::with_capacity(256);
    out.push('{');
    for (name, v) in &values {
        if out.len() > 1 {
            out.push(',');
        }
        write_string(name, &mut out);
        out.push(':');
        v.write(&mut out);
    }
    out.push('}');
    Ok(out)
}

/// Whether no member is given twice (JSON.stringify never repeats one; another text may).
fn once_each(p: &Params) -> bool {
    p.names().enumerate().all(|(i, k)| p.names().take(i).all(|other| other != k))
}

/// `earlier < later` where both are present (the seeds' time ranges); both were checked.
pub fn before(p: &Params, earlier: &str, later: &str) -> Result<(), Error> {
    let time = |k: &str| p.opt_time(k).ok().flatten();
    match (time(earlier), time(later)) {
        (Some(a), Some(b)) if a >= b => Err(Error::invalid(p.path(later), format!("must be after `{earlier}`"))),
        _ => Ok(()),
    }
}
