//! The vendors behind one door: a configured client prepares a request for an operation by
//! name and reads its response. Pure; the wasm facade and the native tests both drive it.

use crate::prelude::*;

pub mod cam;
pub mod xuanxuan;
pub mod ytx;
pub mod yunzhijia;

use crate::core::error::{Code, Error};
use crate::core::http::{HttpRequest, HttpResponse};
use crate::core::json::{self, Json};
use crate::core::ops::{self, describe, Kind, Op, Output, Vendor};
use crate::core::retry::{is_retryable, Failure};
use crate::core::validate::Params;

/// A vendor's validated configuration (credentials and base URL). A variant exists only when its
/// vendor's feature is on; the vendor modules themselves always compile (the runtime names their
/// types), and what no variant reaches is left out of the wasm by the linker.
pub enum Client {
    #[cfg(feature = "cam")]
    Cam(cam::Config),
    #[cfg(feature = "xuanxuan")]
    Xuanxuan(xuanxuan::Config),
    #[cfg(feature = "ytx")]
    Ytx(ytx::Config),
    #[cfg(feature = "yunzhijia")]
    Yunzhijia(yunzhijia::Config),
}

/// Runs `$body` with `$c` bound to the config and `$ops` to the operation table of `$client`.
macro_rules! with_vendor {
    ($client:expr, |$c:ident, $ops:ident| $body:expr) => {
        match $client {
            #[cfg(feature = "cam")]
            Client::Cam($c) => {
                let $ops = cam::OPS;
                $body
            }
            #[cfg(feature = "xuanxuan")]
            Client::Xuanxuan($c) => {
                let $ops = xuanxuan::OPS;
                $body
            }
            #[cfg(feature = "ytx")]
            Client::Ytx($c) => {
                let $ops = ytx::OPS;
                $body
            }
            #[cfg(feature = "yunzhijia")]
            Client::Yunzhijia($c) => {
                let $ops = yunzhijia::OPS;
                $body
            }
        }
    };
}

/// What the transport needs to send one prepared call.
pub struct Prepared {
    pub request: HttpRequest,
    pub kind: Kind,
    name: &'static str,
    parse: fn(&HttpResponse) -> Result<Output, Error>,
}

impl Client {
    /// `options` is the constructor's options object as JSON.
    #[inline(never)]
    pub fn new(vendor: Vendor, options: &Json) -> Result<Client, Error> {
        if !matches!(options, Json::Obj(_)) {
            let e = Error::invalid("options", format!("must be an object, got {}", options.type_name()));
            return Err(e.at(vendor, "constructor"));
        }
        let opts = Params::new(options)?;
        // A misspelt option (`timeoutMS`, `onevent`) would silently keep a default: refused.
        let own: &[&str] = match vendor {
            Vendor::Cam => &["apiToken", "serverURL"],
            Vendor::Yunzhijia => &["baseURL", "eid", "appId", "secret", "scope", "accessToken", "accessTokenProvider", "tokenStore"],
            Vendor::Xuanxuan => &["serverURL", "code", "key", "sender"],
            Vendor::Ytx => &["accountSID", "authToken", "appid", "env", "baseURL"],
        };
        const COMMON: &[&str] =
            &["timeoutMs", "maxRetries", "deadlineMs", "fetch", "maxResponseBytes", "onEvent", "redactSecrets", "secrets"];
        let known: Vec<&str> = own.iter().chain(COMMON).copied().collect();
        opts.deny_unknown(&known).map_err(|e| e.at(vendor, "constructor"))?;
        let client = match vendor {
            #[cfg(feature = "cam")]
            Vendor::Cam => cam::Config::from_options(&opts).map(Client::Cam),
            #[cfg(feature = "xuanxuan")]
            Vendor::Xuanxuan => xuanxuan::Config::from_options(&opts).map(Client::Xuanxuan),
            #[cfg(feature = "ytx")]
            Vendor::Ytx => ytx::Config::from_options(&opts).map(Client::Ytx),
            #[cfg(feature = "yunzhijia")]
            Vendor::Yunzhijia => yunzhijia::Config::from_options(&opts).map(Client::Yunzhijia),
            #[allow(unreachable_patterns)]
            _ => Err(Error::invalid("vendor", "is not in this build: import its own entry (workbridge/<vendor>) or `workbridge`")),
        };
        client.map_err(|e| e.at(vendor, "constructor"))
    }

    pub fn vendor(&self) -> Vendor {
        match self {
            #[cfg(feature = "cam")]
            Client::Cam(_) => Vendor::Cam,
            #[cfg(feature = "xuanxuan")]
            Client::Xuanxuan(_) => Vendor::Xuanxuan,
            #[cfg(feature = "ytx")]
            Client::Ytx(_) => Vendor::Ytx,
            #[cfg(feature = "yunzhijia")]
            Client::Yunzhijia(_) => Vendor::Yunzhijia,
        }
    }

    /// The name of the operation at `index` in this vendor's table (the facade names an
    /// operation by its place: no name to cross in and look up on every call).
    pub fn op_name(&self, index: u32) -> Option<&'static str> {
        with_vendor!(self, |_c, ops| ops.get(index as usize).map(|op| op.name))
    }

    /// Every credential this client holds, so errors can be scrubbed of them.
    pub fn secrets(&self) -> Vec<&str> {
        with_vendor!(self, |c, _ops| c.secrets())
    }

    /// Validates `params` and builds the request; nothing is sent if this fails.
    pub fn prepare(&self, name: &str, params: &Json) -> Result<Prepared, Error> {
        let result = with_vendor!(self, |c, ops| prepare_with(ops, c, name, params));
        result.map_err(|e| e.at(self.vendor(), name))
    }

    pub fn finish(&self, prepared: &Prepared, response: &HttpResponse) -> Result<Output, Error> {
        finish_with(prepared, response).map_err(|e| e.at(self.vendor(), prepared.name).scrub(&self.secret_forms()))
    }

    /// The credentials this client was given, in every form they could be printed in.
    pub fn secret_forms(&self) -> Vec<String> {
        let mut forms = Vec::new();
        for s in self.secrets() {
            crate::core::secret::secret_forms(s, &mut forms);
        }
        forms
    }
}

fn prepare_with<C>(ops: &'static [Op<C>], config: &C, name: &str, params: &Json) -> Result<Prepared, Error> {
    let op = ops::find(ops, name).ok_or_else(|| Error::invalid("operation", format!("names no operation: \"{name}\"")))?;
    let p = Params::new(params)?;
    // Unknown names are refused for every operation alike: a typo (`isOpend`) must not vanish.
    // The list of known names is made only for the error.
    if p.names().any(|k| !op.params.iter().any(|x| x.name == k)) {
        let known: Vec<&str> = op.params.iter().map(|x| x.name).collect();
        p.deny_unknown(&known)?;
    }
    let request = (op.build)(config, &p)?;
    Ok(Prepared { request, kind: op.kind, name: op.name, parse: op.parse })
}

fn finish_with(prepared: &Prepared, response: &HttpResponse) -> Result<Output, Error> {
    let kind = prepared.kind;
    // The rule for every vendor: no non-2xx answer ever resolves, whatever its body says.
    let parsed = match ((prepared.parse)(response), status_error(response)) {
        (Ok(_), Some(e)) => Err(e),
        (parsed, _) => parsed,
    };
    parsed.map_err(|e| match e.code {
        // Whether a retry could help depends on the operation, which the parser doesn't know.
        Code::HttpError => {
            let retryable = is_retryable(kind, Failure::Status(response.status));
            let detail = if !retryable && kind == Kind::Write && response.status >= 500 {
                format!("{}; not retried, since the server may have acted on it", e.detail).into()
            } else {
                e.detail.clone()
            };
            Error { detail, ..e.retryable(retryable) }
        }
        _ => e,
    })
}

/// All operation tables as one JSON object `{vendor: [op, ...]}`.
pub fn describe_all() -> Json {
    Json::Obj(vec![
        #[cfg(feature = "cam")]
        ("cam".into(), describe(cam::OPS)),
        #[cfg(feature = "xuanxuan")]
        ("xuanxuan".into(), describe(xuanxuan::OPS)),
        #[cfg(feature = "ytx")]
        ("ytx".into(), describe(ytx::OPS)),
        #[cfg(feature = "yunzhijia")]
        ("yunzhijia".into(), describe(yunzhijia::OPS)),
    ])
}

/// Parses a params document sent by the facade; a failure here is the caller's input.
pub fn parse_params(text: &str) -> Result<Json, Error> {
    json::parse(text).map_err(params_error)
}

fn params_error(e: json::JsonError) -> Error {
    Error::invalid("params", format!("is not valid JSON ({e})"))
}

/// The HTTP-level failures every JSON vendor shares: credentials refused, rate limits, 5xx,
/// other non-2xx. `None` for a 2xx answer, whose envelope the vendor parser reads.
pub(crate) fn status_error(res: &HttpResponse) -> Option<Error> {
    let s = res.status;
    match s {
        200..=299 => None,
        401 | 403 => Some(Error::new(Code::AuthFailed, format!("the server refused the credentials (HTTP {s})")).with_status(s)),
        _ => Some(Error::new(Code::HttpError, format!("the server answered HTTP {s}")).with_status(s)),
    }
}

/// The body as a JSON object, or `BAD_RESPONSE`.
pub(crate) fn json_body(res: &HttpResponse) -> Result<Json, Error> {
    object_or_error(res, json::parse(&res.body))
}

/// As `json_body`, with only the top-level members named in `keys` (see `json::parse_members`).
pub(crate) fn json_members(res: &HttpResponse, keys: &[&str]) -> Result<Json, Error> {
    object_or_error(res, json::parse_members(&res.body, keys))
}

fn object_or_error(res: &HttpResponse, parsed: Result<Json, json::JsonError>) -> Result<Json, Error> {
    match parsed {
        Ok(v @ Json::Obj(_)) => Ok(v),
        Ok(other) => Err(Error::bad_response(res.status, format!("the answer is {}, not a JSON object", other.type_name()))),
        Err(e) => Err(Error::bad_response(res.status, format!("the answer is not JSON ({e})"))),
    }
}
