//! Requests and responses as plain values: builders produce them, the transport sends them,
//! parsers read them. Their `Debug` masks credentials so a printed request leaks nothing.

use crate::core::error::Error;
use crate::core::secret::{is_secret_header, mask_body, mask_url};
use crate::prelude::*;

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
            headers: self.headers.iter().map(|(k, v)| (*k, if is_secret_header(k) { "***".to_string() } else { v.clone() })).collect(),
            body: self.body.as_deref().map(mask_body),
        }
    }
}

impl core::fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
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
    // Bytes first, one UTF-8 check at the end: pushing chars one by one cost more than the
    // rest of building a CAM request.
    let mut out = Vec::with_capacity(pairs.iter().map(|(k, v)| k.len() + v.len() * 3 + 2).sum());
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push(b'&');
        }
        encode_form_component(k, &mut out);
        out.push(b'=');
        encode_form_component(v, &mut out);
    }
    // Only ASCII is pushed, so this never fails (and if it did, it would not panic).
    String::from_utf8(out).unwrap_or_default()
}

fn encode_form_component(s: &str, out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in s.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => out.push(b),
            b' ' => out.push(b'+'),
            // Every other byte, each byte of a multi-byte character included, on its own.
            _ => out.extend_from_slice(&[b'%', HEX[(b >> 4) as usize], HEX[(b & 15) as usize]]),
        }
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
/// `name` is the option it came from, for the error. A `user:pass@` part is refused: it would
/// print a password into every error and log line that quotes the URL.
pub fn base_url(name: &str, value: &str) -> Result<String, Error> {
    let v = value.trim();
    let bad = || Error::invalid(name, "must be an http:// or https:// URL with a host");
    let rest = v.strip_prefix("https://").or_else(|| v.strip_prefix("http://")).ok_or_else(bad)?;
    let host_end = rest.find('/').unwrap_or(rest.len());
    if host_end == 0 || v.contains(['?', '#', ' ']) {
        return Err(bad());
    }
    // A line break would end the request's head where the URL is written into it.
    if v.chars().any(char::is_control) {
        return Err(Error::invalid(name, "holds a line break or another control character"));
    }
    if rest.get(..host_end).unwrap_or(rest).contains('@') {
        return Err(Error::invalid(name, "must not hold a user name or password (`user:pass@host`): pass credentials as options"));
    }
    Ok(v.trim_end_matches('/').to_string())
}

/// A credential sent as a header value (CAM's `apiToken`) as `name` gives it: printable ASCII
/// with no space at either end, as the vendor's console shows one. Anything else would be
/// changed or refused on the way (fetch trims the ends and refuses a character over U+00FF, and
/// a line break would end the header), and the error says so without quoting the value: a
/// token read from a file keeps its newline.
pub fn header_credential<'a>(name: &str, value: &'a str) -> Result<&'a str, Error> {
    if value.bytes().all(|b| (b' '..=b'~').contains(&b)) && value.trim() == value {
        return Ok(value);
    }
    Err(Error::invalid(
        name,
        "must be printable ASCII with no space or line break at either end, as the console shows it (a token read from a file keeps its newline: trim it)",
    ))
}

/// `scheme://host[:port]` of an absolute URL: what an error may say of where a request went,
/// with no userinfo, path or query (which could hold a credential).
fn origin(url: &str) -> Option<(&str, &str)> {
    let (scheme, rest) = crate::core::text::split_once(url, "://")?;
    let authority = rest.get(..rest.find(['/', '?', '#']).unwrap_or(rest.len())).unwrap_or(rest);
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    (!host.is_empty()).then_some((scheme, host))
}

/// `host:port` of a request URL, the port filled in from the scheme (for "could not reach").
pub fn host_port(url: &str) -> String {
    match origin(url) {
        Some((_, host)) if host.rsplit_once(':').is_some_and(|(_, p)| p.bytes().all(|b| b.is_ascii_digit())) => host.to_string(),
        Some((scheme, host)) => format!("{host}:{}", if scheme.eq_ignore_ascii_case("https") { 443 } else { 80 }),
        None => "the server".to_string(),
    }
}

/// The origin a redirect's `Location` points to, resolved against the request URL when it is
/// relative; "an unnamed place" when the answer did not say (a browser's opaque redirect).
pub fn redirect_origin(location: &str, request_url: &str) -> String {
    let location = location.trim();
    let base = origin(request_url);
    let found = if let Some(authority) = location.strip_prefix("//") {
        // Scheme-relative: the request's scheme, the location's host.
        base.zip(origin(&format!("x://{authority}")).map(|(_, h)| h.to_string())).map(|((s, _), h)| format!("{s}://{h}"))
    } else if let Some((scheme, host)) = origin(location) {
        Some(format!("{scheme}://{host}"))
    } else if !location.is_empty() {
        base.map(|(s, h)| format!("{s}://{h}"))
    } else {
        None
    };
    found.unwrap_or_else(|| "an unnamed place".to_string())
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
        assert_eq!(base_url("u", "http://127.0.0.1:8080/cam/").ok().as_deref(), Some("http://127.0.0.1:8080/cam"));
        assert_eq!(base_url("u", "https://www.yunzhijia.com").ok().as_deref(), Some("https://www.yunzhijia.com"));
        for bad in ["", "ftp://x", "http://", "http:///x", "www.x.com", "http://x/?a=1", "http://a b"] {
            assert_eq!(base_url("u", bad).map_err(|e| e.field), Err(Some("u".into())), "{bad}");
        }
    }

    #[test]
    fn redirect_origins_name_only_scheme_host_and_port() {
        let req = "http://127.0.0.1:8080/cam/sendMessage";
        assert_eq!(redirect_origin("http://evil.example:9/steal?apiToken=x", req), "http://evil.example:9");
        assert_eq!(redirect_origin("https://u:pw@evil.example/x", req), "https://evil.example");
        assert_eq!(redirect_origin("/other/path", req), "http://127.0.0.1:8080");
        assert_eq!(redirect_origin("//evil.example/x", req), "http://evil.example");
        assert_eq!(redirect_origin("", req), "an unnamed place");
        assert_eq!(host_port(req), "127.0.0.1:8080");
        assert_eq!(host_port("https://www.yunzhijia.com/gateway"), "www.yunzhijia.com:443");
        assert_eq!(host_port("http://h?token=1"), "h:80");
    }

    #[test]
    fn a_line_break_or_control_character_is_refused_in_a_base_url() {
        for bad in ["http://h.test/a\nb", "http://h.test/a\rb", "http://h.test/a\u{0}b", "http://h.test/\u{7f}", "http://h.test/a\u{85}b"] {
            let e = base_url("baseURL", bad).unwrap_err();
            assert_eq!(e.field.as_deref(), Some("baseURL"));
            assert!(e.detail.contains("control character"), "{bad}: {}", e.detail);
        }
        assert!(base_url("baseURL", "http://h.test/\n").is_ok(), "a newline at the end is trimmed, as white space");
        assert!(base_url("baseURL", "http://云之家.test/路径").is_ok());
    }

    #[test]
    fn a_header_credential_is_printable_ascii_and_never_quoted_when_refused() {
        assert_eq!(header_credential("apiToken", "sandbox-token").ok(), Some("sandbox-token"));
        assert!(header_credential("apiToken", "a b").is_ok());
        for bad in ["sandbox-token\n", "abc\nX-Injected\nevil", "tab\there", "tökén€", " padded", "padded ", "\u{7f}x"] {
            let e = header_credential("apiToken", bad).unwrap_err();
            assert_eq!(e.field.as_deref(), Some("apiToken"));
            assert!(!e.detail.contains(bad.trim()), "{}", e.detail);
        }
    }

    #[test]
    fn base_url_with_a_password_is_refused_without_echoing_it() {
        let e = base_url("serverURL", "http://admin:pw-s3cret@host:8080/cam").unwrap_err();
        assert_eq!(e.field.as_deref(), Some("serverURL"));
        assert!(!e.message().contains("pw-s3cret"), "{}", e.message());
        assert!(base_url("serverURL", "http://host/path@x").is_ok(), "an @ in the path is not userinfo");
    }
}
