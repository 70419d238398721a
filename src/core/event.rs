//! The events of `onEvent`, what a log line, a metric or a trace sees of a call: built here,
//! pure, so what leaves (the URL masked as errors mask it, every known secret scrubbed) is
//! checked natively. The runtime builds one only when a hook is set.

use crate::core::json::Json;
use crate::core::ops::Vendor;
use crate::core::secret::{mask_url, scrub_text};
use crate::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Type {
    /// An attempt is about to be sent.
    Request,
    /// An attempt got an HTTP answer (any status).
    Response,
    /// An attempt failed and another follows after `delayMs`; or the server refused the access
    /// token and the call is sent again with a fresh one (`code` `AUTH_FAILED`).
    Retry,
    /// The call failed: `code` is the `WorkbridgeError`'s; sent once per failed call.
    Error,
    /// The Yunzhijia `tokenStore` failed or did not answer in time; the call went on without it.
    StoreError,
}

impl Type {
    pub fn as_str(self) -> &'static str {
        match self {
            Type::Request => "request",
            Type::Response => "response",
            Type::Retry => "retry",
            Type::Error => "error",
            Type::StoreError => "store-error",
        }
    }
}

pub struct Event<'a> {
    pub kind: Type,
    pub vendor: Vendor,
    /// The method (`meeting.create`), `token.getAccessToken` / `token.refreshToken` for
    /// Yunzhijia's token requests, `tokenStore.get` / `.set` / `.lock` / `.unlock` for a store.
    pub operation: &'a str,
    /// 1 for the first attempt of the call; for `error`, the attempts made (0: the call's request
    /// never went out).
    /// None for store events.
    pub attempt: Option<u32>,
    /// The method and the URL as sent; the URL leaves masked.
    pub request: Option<(&'a str, &'a str)>,
    pub status: Option<u16>,
    pub duration_ms: Option<f64>,
    pub code: Option<&'a str>,
    pub delay_ms: Option<f64>,
    /// Why a store failed, in its own words (scrubbed).
    pub message: Option<&'a str>,
}

impl<'a> Event<'a> {
    pub fn new(kind: Type, vendor: Vendor, operation: &'a str) -> Event<'a> {
        Event {
            kind,
            vendor,
            operation,
            attempt: None,
            request: None,
            status: None,
            duration_ms: None,
            code: None,
            delay_ms: None,
            message: None,
        }
    }

    /// The event as the JSON the hook receives; `scrub` is the client's scrub set.
    pub fn to_json(&self, scrub: &[String]) -> String {
        let ms = |v: f64| Json::Num(v.max(0.0).round());
        let mut m = vec![
            ("type".to_string(), Json::str(self.kind.as_str())),
            ("vendor".to_string(), Json::str(self.vendor.id())),
            ("operation".to_string(), Json::str(self.operation)),
        ];
        if let Some(a) = self.attempt {
            m.push(("attempt".into(), Json::Num(f64::from(a))));
        }
        if let Some((method, url)) = self.request {
            m.push(("method".into(), Json::str(method)));
            m.push(("url".into(), Json::Str(scrub_text(&mask_url(url), scrub))));
        }
        if let Some(s) = self.status {
            m.push(("status".into(), Json::Num(f64::from(s))));
        }
        if let Some(d) = self.duration_ms {
            m.push(("durationMs".into(), ms(d)));
        }
        if let Some(c) = self.code {
            m.push(("code".into(), Json::str(c)));
        }
        if let Some(d) = self.delay_ms {
            m.push(("delayMs".into(), ms(d)));
        }
        if let Some(msg) = self.message {
            m.push(("message".into(), Json::Str(scrub_text(msg, scrub))));
        }
        Json::Obj(m).to_json_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::json;
    use crate::core::secret::secret_forms;

    #[test]
    fn a_request_event_names_the_call_and_masks_the_url() {
        let mut e = Event::new(Type::Request, Vendor::Yunzhijia, "meeting.queryByDay");
        e.attempt = Some(1);
        e.request = Some(("POST", "https://h/gateway/cloudwork/meeting/queryByDay?accessToken=tok%2Fen"));
        assert_eq!(
            e.to_json(&[]),
            r#"{"type":"request","vendor":"yunzhijia","operation":"meeting.queryByDay","attempt":1,"method":"POST","url":"https://h/gateway/cloudwork/meeting/queryByDay?accessToken=***"}"#
        );
    }

    #[test]
    fn optional_fields_appear_only_when_known_and_durations_are_whole_ms() {
        let mut e = Event::new(Type::Retry, Vendor::Cam, "getConferenceRooms");
        e.attempt = Some(2);
        e.status = Some(503);
        e.code = Some("HTTP_ERROR");
        e.duration_ms = Some(12.6);
        e.delay_ms = Some(-1.0);
        let v = json::parse(&e.to_json(&[])).unwrap();
        assert_eq!(v.get("status").and_then(Json::as_f64), Some(503.0));
        assert_eq!(v.get("durationMs").and_then(Json::as_f64), Some(13.0));
        assert_eq!(v.get("delayMs").and_then(Json::as_f64), Some(0.0));
        assert_eq!(v.get("code").and_then(Json::as_str), Some("HTTP_ERROR"));
        assert!(v.get("url").is_none() && v.get("message").is_none());
        let store = Event::new(Type::StoreError, Vendor::Yunzhijia, "tokenStore.get").to_json(&[]);
        assert_eq!(store, r#"{"type":"store-error","vendor":"yunzhijia","operation":"tokenStore.get"}"#);
    }

    #[test]
    fn every_known_secret_is_scrubbed_from_the_url_and_the_message() {
        let mut forms = vec![];
        secret_forms("s3cr/et+value", &mut forms);
        let mut e = Event::new(Type::StoreError, Vendor::Yunzhijia, "tokenStore.set");
        e.message = Some("WRONGTYPE for s3cr/et+value and czNjci9ldCt2YWx1ZQ==");
        e.request = Some(("GET", "http://h/s3cr%2Fet%2Bvalue/x?gid=1"));
        let out = e.to_json(&forms);
        for f in &forms {
            assert!(!out.contains(f.as_str()), "{f} in {out}");
        }
        assert!(out.contains(r#""url":"http://h/***/x?gid=1""#), "{out}");
    }
}
