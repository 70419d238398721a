//! Form bodies read as a server reads them. Deliberately not shared with the client's encoder:
//! a mistake in one must not be mirrored by the other.

/// Decodes `application/x-www-form-urlencoded`; `None` on bad `%` escapes or invalid UTF-8.
pub fn decode(body: &str) -> Option<Vec<(String, String)>> {
    body.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            Some((unescape(k)?, unescape(v)?))
        })
        .collect()
}

pub fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

fn unescape(s: &str) -> Option<String> {
    let raw = s.as_bytes();
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = s.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_what_browsers_and_curl_send() {
        let f = decode("message=a%26b%2Bc%3Dd+e%0A%E4%BC%9A&empty=&flag").unwrap();
        assert_eq!(field(&f, "message"), Some("a&b+c=d e\n会"));
        assert_eq!(field(&f, "empty"), Some(""));
        assert_eq!(field(&f, "flag"), Some(""));
        assert_eq!(decode("").unwrap(), vec![]);
    }

    #[test]
    fn refuses_broken_escapes_and_bad_utf8() {
        assert_eq!(decode("a=%2"), None);
        assert_eq!(decode("a=%zz"), None);
        assert_eq!(decode("a=%FF"), None);
        assert_eq!(decode("a=%E4%BC"), None);
    }
}
