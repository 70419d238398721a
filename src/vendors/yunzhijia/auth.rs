//! Yunzhijia OAuth2 access tokens (from the vendor's public token docs): what the caller gives
//! (a token, a provider function, or credentials), and the pure halves of getAccessToken and
//! refreshToken. Caching and the single in-flight request live in the runtime (`src/js/token.rs`).

use crate::core::error::{Code, Error};
use crate::core::http::{HttpRequest, HttpResponse, Method};
use crate::core::json::Json;
use crate::core::secret::Secret;
use crate::core::validate::Params;
use crate::prelude::*;
use crate::vendors::{json_body, status_error};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// eid + secret: what the group, meeting and room-booking APIs need.
    ResGroupSecret,
    /// appId + secret.
    App,
    /// appId + eid + secret.
    Team,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::ResGroupSecret => "resGroupSecret",
            Scope::App => "app",
            Scope::Team => "team",
        }
    }
}

pub struct Credentials {
    pub eid: Option<String>,
    pub app_id: Option<String>,
    pub secret: Secret,
    pub scope: Scope,
}

pub enum Auth {
    /// A fixed access token.
    Fixed(Secret),
    /// A function on the JS side returns the token (a fleet sharing one through its own store).
    Provider,
    /// The client gets, caches and refreshes tokens itself.
    Credentials(Credentials),
}

impl Auth {
    /// `accessTokenProvider: true` is set by the facade when `accessToken` is a function.
    pub fn from_options(opts: &Params) -> Result<Auth, Error> {
        let has_credentials = opts.has("secret");
        let provider = opts.opt_bool("accessTokenProvider")?.unwrap_or(false);
        match (opts.opt_str("accessToken")?, provider, has_credentials) {
            (Some(_), _, true) | (None, true, true) => Err(Error::invalid(
                "accessToken",
                "and `secret` are alternatives: give a token (or a function returning one), or credentials",
            )),
            (Some(t), _, false) if t.trim().is_empty() => Err(Error::invalid("accessToken", "must not be empty")),
            (Some(t), _, false) => Ok(Auth::Fixed(Secret::new(t))),
            (None, true, false) => Ok(Auth::Provider),
            (None, false, true) => Credentials::from_options(opts).map(Auth::Credentials),
            (None, false, false) => Err(Error::invalid(
                "accessToken",
                "is required: an access token, a function returning one, or eid/appId/secret credentials",
            )),
        }
    }

    pub fn secrets(&self) -> Vec<&str> {
        match self {
            Auth::Fixed(t) => vec![t.expose()],
            Auth::Provider => vec![],
            Auth::Credentials(c) => vec![c.secret.expose()],
        }
    }
}

impl Credentials {
    fn from_options(opts: &Params) -> Result<Credentials, Error> {
        let scope = match opts.opt_one_of("scope", &["resGroupSecret", "app", "team"])? {
            None | Some("resGroupSecret") => Scope::ResGroupSecret,
            Some("app") => Scope::App,
            Some(_) => Scope::Team,
        };
        let eid = opts.opt_str("eid")?.map(str::to_string);
        let app_id = opts.opt_str("appId")?.map(str::to_string);
        let need = |value: &Option<String>, name: &str| match value {
            Some(v) if !v.trim().is_empty() => Ok(()),
            _ => Err(Error::invalid(name, format!("is required for scope \"{}\"", scope.as_str()))),
        };
        match scope {
            Scope::ResGroupSecret => need(&eid, "eid")?,
            Scope::App => need(&app_id, "appId")?,
            Scope::Team => {
                need(&app_id, "appId")?;
                need(&eid, "eid")?;
            }
        }
        Ok(Credentials { eid, app_id, secret: Secret::new(opts.non_empty("secret")?), scope })
    }

    fn body(&self, credential: (&str, &str), now_ms: f64) -> Json {
        let mut m = Vec::new();
        if let Some(eid) = &self.eid {
            m.push(("eid".to_string(), Json::str(eid.as_str())));
        }
        if let Some(app_id) = &self.app_id {
            m.push(("appId".to_string(), Json::str(app_id.as_str())));
        }
        m.push((credential.0.to_string(), Json::str(credential.1)));
        m.push(("timestamp".into(), Json::Num(now_ms.floor())));
        m.push(("scope".into(), Json::str(self.scope.as_str())));
        Json::Obj(m)
    }
}

fn post(base_url: &str, path: &str, body: Json) -> HttpRequest {
    HttpRequest {
        method: Method::Post,
        url: format!("{base_url}{path}"),
        headers: vec![("Content-Type", "application/json".to_string())],
        body: Some(body.to_json_string()),
    }
}

/// `POST /gateway/oauth2/token/getAccessToken` with `{eid?, appId?, secret, timestamp, scope}`.
pub fn build_get_token(c: &Credentials, base_url: &str, now_ms: f64) -> HttpRequest {
    post(base_url, "/gateway/oauth2/token/getAccessToken", c.body(("secret", c.secret.expose()), now_ms))
}

/// `POST /gateway/oauth2/token/refreshToken` with `{eid?, appId?, refreshToken, timestamp, scope}`.
pub fn build_refresh(c: &Credentials, base_url: &str, refresh_token: &str, now_ms: f64) -> HttpRequest {
    post(base_url, "/gateway/oauth2/token/refreshToken", c.body(("refreshToken", refresh_token), now_ms))
}

pub struct Token {
    pub access: Secret,
    pub refresh: Option<Secret>,
    /// When to stop using it (Unix ms): `expireIn` less a safety margin.
    pub use_until: f64,
}

/// The margin taken off `expireIn`: a tenth of it, at most five minutes.
pub fn use_until(now_ms: f64, expire_in_s: f64) -> f64 {
    let life = expire_in_s * 1000.0;
    now_ms + life - (life / 10.0).min(300_000.0)
}

/// `{success, errorCode, error, data: {accessToken, expireIn, refreshToken}}`. A refusal in
/// the envelope is `AUTH_FAILED`: these endpoints refuse only credentials and timestamps. An
/// HTTP failure is not (a 404 is a wrong baseURL, not a wrong secret), except 401/403.
pub fn parse_token(res: &HttpResponse, now_ms: f64) -> Result<Token, Error> {
    if let Some(e) = status_error(res) {
        return Err(e);
    }
    let body = json_body(res)?;
    let data = body.get("data");
    let access = data.and_then(|d| d.get("accessToken")).and_then(Json::as_str).filter(|t| !t.is_empty());
    match (body.get("success").and_then(Json::as_bool), access) {
        (Some(true), Some(access)) => {
            let expire_in = data.and_then(|d| d.get("expireIn")).and_then(Json::as_f64).filter(|s| *s > 0.0).unwrap_or(6400.0);
            let refresh = data.and_then(|d| d.get("refreshToken")).and_then(Json::as_str).filter(|t| !t.is_empty()).map(Secret::new);
            Ok(Token { access: Secret::new(access), refresh, use_until: use_until(now_ms, expire_in) })
        }
        (Some(true), None) => Err(Error::bad_response(res.status, "the token answer has no accessToken")),
        _ => {
            let code = body.get("errorCode").map(Json::to_json_string);
            let message = body.get("error").and_then(Json::as_str).map(str::to_string);
            let detail = format!("Yunzhijia refused the credentials: {}", message.as_deref().unwrap_or("no reason given"));
            Err(Error::new(Code::AuthFailed, detail).with_status(res.status).vendor_said(code, message))
        }
    }
}
