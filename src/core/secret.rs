//! Secrets (tokens, keys, signatures) live in `Secret`, whose `Debug` and `Display` print `***`,
//! and requests are shown through `mask_url` and `mask_body`, so no print of a request leaks one.

use crate::core::json::{self, Json};
use crate::prelude::*;

/// A credential. Reading it takes an explicit `expose()`, which is easy to grep for.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl core::fmt::Debug for Secret {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("***")
    }
}

impl core::fmt::Display for Secret {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("***")
    }
}

/// Header names whose values are credentials (compared without regard to case).
/// The proxy's and the cookie headers too: `maskRequest` masks a caller's own requests.
pub const SECRET_HEADERS: &[&str] = &["x-cam-apitoken", "authorization", "proxy-authorization", "cookie", "set-cookie"];
/// Query parameters whose values are credentials (compared without regard to case).
pub const SECRET_QUERY: &[&str] = &["accesstoken", "access_token", "token", "sign", "secret", "key", "authtoken"];

/// Body fields (JSON members or form fields) whose values are credentials.
pub const SECRET_FIELDS: &[&str] = &["secret", "refreshToken", "accessToken", "apiToken", "authToken", "key", "password"];

/// A request body with credential fields masked: JSON members at any depth, or form fields.
pub fn mask_body(body: &str) -> String {
    fn mask(v: &mut Json) {
        match v {
            Json::Obj(members) => {
                for (k, v) in members.iter_mut() {
                    if SECRET_FIELDS.contains(&k.as_str()) {
                        *v = Json::str("***");
                    } else {
                        mask(v);
                    }
                }
            }
            Json::Arr(items) => items.iter_mut().for_each(mask),
            _ => {}
        }
    }
    if let Ok(mut v) = json::parse(body) {
        mask(&mut v);
        return v.to_json_string();
    }
    body.split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, _)) if SECRET_FIELDS.contains(&k) => format!("{k}=***"),
            _ => pair.to_string(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Every form in which `secret` could be printed back at us: raw, percent-encoded (as a query
/// component and as a form field, in upper- and lower-case hex: .NET writes `%2b`), base64
/// (padded, unpadded and URL-safe), and for hex signatures either case. Too short a value
/// (under 4 characters) is left out: masking it would garble ordinary text.
pub fn secret_forms(secret: &str, into: &mut Vec<String>) {
    if secret.chars().count() < 4 {
        return;
    }
    let query = crate::core::http::query_component(secret);
    let form = crate::core::http::form_urlencoded(&[("", secret)]).trim_start_matches('=').to_string();
    let base64 = crate::core::sign::base64(secret.as_bytes());
    let unpadded = base64.trim_end_matches('=').to_string();
    let url_safe = unpadded.replace('+', "-").replace('/', "_");
    let mut forms = vec![secret.to_string(), lower_hex(&query), lower_hex(&form), query, form, base64, unpadded, url_safe];
    if secret.bytes().all(|b| b.is_ascii_hexdigit()) {
        forms.extend([secret.to_ascii_lowercase(), secret.to_ascii_uppercase()]);
    }
    for form in forms {
        if !into.contains(&form) {
            into.push(form);
        }
    }
}

/// `text` with the hex digits of its percent-escapes in lower case (`%2B` as `%2b`).
fn lower_hex(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut escape = 0;
    for c in text.chars() {
        if escape > 0 {
            out.push(c.to_ascii_lowercase());
            escape -= 1;
        } else {
            escape = if c == '%' { 2 } else { 0 };
            out.push(c);
        }
    }
    out
}

/// The scrub set longest first, so a form that contains another is masked whole. (A selection
/// by length rather than a sort: the set is small, and a sort costs kilobytes of wasm.)
pub fn longest_first(forms: &[String]) -> Vec<&str> {
    let mut order: Vec<&str> = Vec::with_capacity(forms.len());
    for f in forms {
        let at = order.iter().position(|o| o.len() < f.len()).unwrap_or(order.len());
        if !f.is_empty() {
            order.insert(at, f);
        }
    }
    order
}

/// `text` with every form of the scrub set replaced by `***`.
pub fn scrub_text(text: &str, forms: &[String]) -> String {
    let mut out = text.to_string();
    for s in longest_first(forms) {
        if let Some(masked) = crate::core::text::replace_all(&out, s, "***") {
            out = masked;
        }
    }
    out
}

/// The credential values a request carries: secret query parameters (XuanXuan `token`, YTX
/// `Sign`, Yunzhijia `accessToken`) and secret headers (`x-cam-apiToken`, `Authorization`).
pub fn request_secrets<'a>(url: &'a str, headers: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<&'a str> {
    let query = url.split_once('?').map_or("", |(_, q)| q);
    let from_query =
        query.split('&').filter_map(|pair| pair.split_once('=')).filter(|(k, _)| SECRET_QUERY.iter().any(|s| s.eq_ignore_ascii_case(k)));
    let from_headers = headers.filter(|(k, _)| is_secret_header(k));
    from_query.chain(from_headers).map(|(_, v)| v).collect()
}

pub fn is_secret_header(name: &str) -> bool {
    SECRET_HEADERS.iter().any(|h| h.eq_ignore_ascii_case(name))
}

/// The URL with the value of every credential query parameter, and a `user:pass@`, replaced by
/// `***`.
pub fn mask_url(url: &str) -> String {
    // A `user:pass@` (the vendors' base URLs refuse one; a caller's own request may hold one).
    // `text::find`, not `str::find` with a text: std's searcher costs 5 KiB gzip of wasm.
    let start = crate::core::text::find(url, "://").map_or(0, |i| i + 3);
    let end = url.get(start..).and_then(|rest| rest.find(['/', '?', '#'])).map_or(url.len(), |i| start + i);
    let user_info = url.get(start..end).filter(|_| start > 0).and_then(|authority| authority.rfind('@'));
    let url = match user_info.and_then(|at| Some((url.get(..start)?, url.get(start + at..)?))) {
        Some((scheme, host)) => format!("{scheme}***{host}"),
        None => url.to_string(),
    };
    let Some((base, query)) = url.split_once('?') else {
        return url;
    };
    let masked: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, _)) if SECRET_QUERY.iter().any(|s| s.eq_ignore_ascii_case(k)) => format!("{k}=***"),
            _ => pair.to_string(),
        })
        .collect();
    format!("{base}?{}", masked.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_never_prints() {
        let s = Secret::new("QIQVOSvRJHrQElDwj20x");
        assert_eq!(format!("{s:?} {s} {:?}", Some(&s)), "*** *** Some(***)");
        assert_eq!(s.expose(), "QIQVOSvRJHrQElDwj20x");
    }

    #[test]
    fn mask_body_hides_credential_fields_in_json_and_forms() {
        assert_eq!(
            mask_body(r#"{"eid":"10109","secret":"s3","timestamp":1,"nested":{"refreshToken":"r"}}"#),
            r#"{"eid":"10109","secret":"***","timestamp":1,"nested":{"refreshToken":"***"}}"#
        );
        assert_eq!(mask_body("expireDate=1&password=pw%21"), "expireDate=1&password=***");
        assert_eq!(mask_body("message=hello"), "message=hello");
    }

    #[test]
    fn secret_forms_cover_raw_percent_encoded_and_base64() {
        let mut forms = vec![];
        secret_forms("ab+/c=d e", &mut forms);
        for f in ["ab+/c=d e", "ab%2B%2Fc%3Dd%20e", "ab%2B%2Fc%3Dd+e", "YWIrL2M9ZCBl"] {
            assert!(forms.iter().any(|x| x == f), "{f} not in {forms:?}");
        }
        assert!(!forms.iter().any(|x| x == "AB+/C=D E"), "case variants only for hex: {forms:?}");
        // Lower-case percent-escapes (.NET's), and base64 unpadded and URL-safe: `??>` is `Pz8+`.
        let mut more = vec![];
        secret_forms("a+/??>", &mut more);
        for f in ["a%2b%2f%3f%3f%3e", "YSsvPz8+", "YSsvPz8-"] {
            assert!(more.iter().any(|x| x == f), "{f} not in {more:?}");
        }
        let mut padded = vec![];
        secret_forms("abcde", &mut padded);
        assert!(padded.iter().any(|x| x == "YWJjZGU=") && padded.iter().any(|x| x == "YWJjZGU"), "{padded:?}");
        assert_eq!(lower_hex("A%2BZ%F0%9F"), "A%2bZ%f0%9f");
        let mut hex = vec![];
        secret_forms("9A3F00C1", &mut hex);
        assert!(hex.iter().any(|x| x == "9a3f00c1"), "{hex:?}");
        let mut short = vec![];
        secret_forms("abc", &mut short);
        assert!(short.is_empty());
    }

    #[test]
    fn scrub_text_masks_every_form_in_results_too() {
        let mut forms = vec![];
        secret_forms("tok+en/1=", &mut forms);
        let echoed = r#"{"errors":["x-cam-apitoken: tok+en/1= or tok%2Ben%2F1%3D or dG9rK2VuLzE9"]}"#;
        assert_eq!(scrub_text(echoed, &forms), r#"{"errors":["x-cam-apitoken: *** or *** or ***"]}"#);
    }

    #[test]
    fn mask_url_masks_user_info_and_credential_query_values() {
        assert_eq!(mask_url("http://u:pw@h.test/p@x?access_token=A&b=1"), "http://***@h.test/p@x?access_token=***&b=1");
        assert_eq!(mask_url("http://h.test/p@x?token=T"), "http://h.test/p@x?token=***");
        assert_eq!(mask_url("mailto-like@host?x=1"), "mailto-like@host?x=1", "no scheme, no authority");
    }

    #[test]
    fn request_secrets_are_the_credential_query_values_and_headers() {
        let headers = [("Authorization", "c2lkfDIw"), ("Accept", "application/json")];
        let found = request_secrets("http://h/x.php?m=im&code=app&token=abc123&Sign=S1", headers.into_iter());
        assert_eq!(found, vec!["abc123", "S1", "c2lkfDIw"]);
    }

    #[test]
    fn mask_url_hides_tokens_and_signatures_only() {
        assert_eq!(
            mask_url("https://x/x.php?m=im&f=getChatUsers&code=app&token=abc123"),
            "https://x/x.php?m=im&f=getChatUsers&code=app&token=***"
        );
        assert_eq!(mask_url("http://h/a?accessToken=t&Sign=S"), "http://h/a?accessToken=***&Sign=***");
        assert_eq!(mask_url("http://h/getConferenceRooms"), "http://h/getConferenceRooms");
    }
}
