//! The vendors behind one door: a configured client prepares a request for an operation by
//! name and reads its response. Pure; the wasm facade and the native tests both drive it.

pub mod cam;

use crate::core::error::{Code, Error};
use crate::core::http::{HttpRequest, HttpResponse};
use crate::core::json::{self, Json};
use crate::core::ops::{self, describe, Kind, Op, Output, Vendor};
use crate::core::retry::{is_retryable, Failure};
use crate::core::validate::Params;

/// A vendor's validated configuration (credentials and base URL).
pub enum Client {
    Cam(cam::Config),
}

/// What the transport needs to send one prepared call.
pub struct Prepared {
    pub request: HttpRequest,
    pub kind: Kind,
    name: &'static str,
}

impl Client {
    /// `options` is the constructor's options object as JSON.
    pub fn new(vendor: Vendor, options: &Json) -> Result<Client, Error> {
        if !matches!(options, Json::Obj(_)) {
            let e = Error::invalid("options", format!("must be an object, got {}", options.type_name()));
            return Err(e.at(vendor, "constructor"));
        }
        let opts = Params::new(options)?;
        let client = match vendor {
            Vendor::Cam => cam::Config::from_options(&opts).map(Client::Cam),
            other => Err(Error::new(Code::InvalidArgument, format!("the {} client is not built yet", other.id()))),
        };
        client.map_err(|e| e.at(vendor, "constructor"))
    }

    pub fn vendor(&self) -> Vendor {
        match self {
            Client::Cam(_) => Vendor::Cam,
        }
    }

    /// Every credential this client holds, so errors can be scrubbed of them.
    pub fn secrets(&self) -> Vec<&str> {
        match self {
            Client::Cam(c) => c.secrets(),
        }
    }

    /// Validates `params` and builds the request; nothing is sent if this fails.
    pub fn prepare(&self, name: &str, params: &Json) -> Result<Prepared, Error> {
        let result = match self {
            Client::Cam(c) => prepare_with(cam::OPS, c, name, params),
        };
        result.map_err(|e| e.at(self.vendor(), name))
    }

    pub fn finish(&self, prepared: &Prepared, response: &HttpResponse) -> Result<Output, Error> {
        let result = match self {
            Client::Cam(_) => finish_with(cam::OPS, prepared, response),
        };
        result.map_err(|e| e.at(self.vendor(), prepared.name).scrub(&self.secrets()))
    }
}

fn prepare_with<C>(ops: &'static [Op<C>], config: &C, name: &str, params: &Json) -> Result<Prepared, Error> {
    let op = ops::find(ops, name)
        .ok_or_else(|| Error::invalid("operation", format!("names no operation: {name:?}")))?;
    let request = (op.build)(config, &Params::new(params)?)?;
    Ok(Prepared { request, kind: op.kind, name: op.name })
}

fn finish_with<C>(ops: &'static [Op<C>], prepared: &Prepared, response: &HttpResponse) -> Result<Output, Error> {
    let op = ops::find(ops, prepared.name).ok_or_else(|| Error::new(Code::BadResponse, "unknown operation"))?;
    (op.parse)(response).map_err(|e| match e.code {
        // Whether a retry could help depends on the operation, which the parser doesn't know.
        Code::HttpError => {
            let retryable = is_retryable(op.kind, Failure::Status(response.status));
            let detail = if !retryable && op.kind == Kind::Write && response.status >= 500 {
                format!("{}; not retried, since the server may have acted on it", e.detail)
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
    Json::Obj(vec![("cam".into(), describe(cam::OPS))])
}

/// Parses a params document sent by the facade; a failure here is the caller's input.
pub fn parse_params(text: &str) -> Result<Json, Error> {
    json::parse(text).map_err(|e| Error::invalid("params", format!("is not valid JSON ({e})")))
}
