//! Requests and responses as plain values: builders produce them, the transport sends them,
//! parsers read them. Their `Debug` masks credentials so a printed request leaks nothing.

use crate::core::secret::{is_secret_header, mask_body, mask_url};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

#[derive(Clone, PartialEq)]
pub struct HttpRequest {
    pub method: Method,
    pub url: String,
    pub headers: Vec<(&'static str, String)>,
    pub body: Option<String>,
}

impl HttpRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The request as a person may see it (CLI `--dry-run`, the demo page): credentials masked.
    #[inline(never)]
    pub fn masked(&self) -> MaskedRequest {
        MaskedRequest {
            method: self.method.as_str(),
            url: mask_url(&self.url),
            headers: self
                .headers
                .iter()
                .map(|(k, v)| (*k, if is_secret_header(k) { "***".to_string() } else { v.clone() }))
                .collect(),
            body: self.body.as_deref().map(mask_body),
        }
    }
}

impl std::fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let m = self.masked();
        f.debug_struct("HttpRequest")
            .field("method", &m.method)
            .field("url", &m.url)
            .field("headers", &m.headers)
            .field("body", &m.body)
            .finish()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct MaskedRequest {
    pub method: &'static str,
    pub url: String,
    pub headers: Vec<(&'static str, String)>,
    pub body: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct HttpResponse {
    pub status: u16,
    /// `Retry-After`, the one response header the clients act on.
    pub retry_after: Option<String>,
    pub body: String,
}

impl HttpResponse {
    pub fn new(status: u16, body: impl Into<String>) -> HttpResponse {
        HttpResponse { status, retry_after: None, body: body.into() }
    }

    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// `application/x-www-form-urlencoded` as the WHATWG URL standard serialises it: UTF-8 bytes,
/// `*-._` and alphanumerics kept, space as `+`, everything else `%XX`.
pub fn form_urlencoded(pairs: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        encode_form_component(k, &mut out);
        out.push('=');
        encode_form_component(v, &mut out);
    }
    out
}

fn encode_form_component(s: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let bytes = s.as_bytes();
    // Runs of unescaped bytes are ASCII, so each is a whole UTF-8 slice; every other byte,
    // including each byte of a multi-byte character, is escaped on its own.
    let mut run = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if matches!(b, b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_') {
            continue;
        }
        if let Ok(ascii) = std::str::from_utf8(&bytes[run..i]) {
            out.push_str(ascii);
        }
        if b == b' ' {
            out.push('+');
        } else {
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        }
        run = i + 1;
    }
    if let Ok(ascii) = std::str::from_utf8(&bytes[run..]) {
        out.push_str(ascii);
    }
}

/// A query-string component: everything but RFC 3986's unreserved characters is `%XX`-escaped,
/// so the string signed is the string sent.
pub fn query_component(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        }
    }
    out
}

/// A vendor base URL as users type it: http(s), a host, no query; a trailing `/` is dropped.
pub fn base_url(value: &str) -> Option<String> {
    let v = value.trim();
    let rest = v.strip_prefix("https://").or_else(|| v.strip_prefix("http://"))?;
    let host_end = rest.find('/').unwrap_or(rest.len());
    if host_end == 0 || v.contains(['?', '#', ' ']) {
        return None;
    }
    Some(v.trim_end_matches('/').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_encoding_keeps_reserved_characters_cjk_and_emoji_intact() {
        assert_eq!(form_urlencoded(&[("message", "a&b+c=d e\n")]), "message=a%26b%2Bc%3Dd+e%0A");
        assert_eq!(form_urlencoded(&[("m", "会")]), "m=%E4%BC%9A");
        assert_eq!(form_urlencoded(&[("m", "😀")]), "m=%F0%9F%98%80");
        assert_eq!(form_urlencoded(&[("a", "1"), ("b", "")]), "a=1&b=");
    }

    #[test]
    fn query_components_escape_all_but_unreserved() {
        assert_eq!(query_component("30683aea-7a1f_x.y~"), "30683aea-7a1f_x.y~");
        assert_eq!(query_component("a b&c=d/会"), "a%20b%26c%3Dd%2F%E4%BC%9A");
    }

    #[test]
    fn debug_of_a_request_masks_credentials() {
        let req = HttpRequest {
            method: Method::Post,
            url: "http://h/x?accessToken=tok-123".into(),
            headers: vec![("x-cam-apiToken", "tok-456".into()), ("Content-Type", "text/plain".into())],
            body: None,
        };
        let printed = format!("{req:?}");
        assert!(!printed.contains("tok-123") && !printed.contains("tok-456"), "{printed}");
        assert!(printed.contains("text/plain"));
    }

    #[test]
    fn base_url_accepts_http_hosts_and_refuses_others() {
        assert_eq!(base_url("http://127.0.0.1:8080/cam/").as_deref(), Some("http://127.0.0.1:8080/cam"));
        assert_eq!(base_url("https://www.yunzhijia.com").as_deref(), Some("https://www.yunzhijia.com"));
        for bad in ["", "ftp://x", "http://", "http:///x", "www.x.com", "http://x/?a=1", "http://a b"] {
            assert_eq!(base_url(bad), None, "{bad}");
        }
    }
}
