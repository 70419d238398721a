//! The vendors' signatures, as pure functions checked against published vectors.

use crate::prelude::*;

/// MD5 (RFC 1321), from the md-5 crate: both vendors sign with it. The tests keep the RFC's
/// vectors and node:crypto as independent checks.
pub fn md5(input: &[u8]) -> [u8; 16] {
    use md5::Digest as _;
    md5::Md5::digest(input).into()
}

/// Lowercase hex MD5 of `input`.
pub fn md5_hex(input: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = md5(input);
    let mut out = String::with_capacity(32);
    for b in digest {
        out.push(HEX[(b >> 4) as usize] as char);
        out.push(HEX[(b & 15) as usize] as char);
    }
    out
}

/// XuanXuan: `md5(md5(Q) + key)`, lowercase hex, where Q is the query as ZenTao's XXB server
/// hashes it (`xuanxuan_signed_query`), not the bytes given: any way of writing the same query
/// (`%20` or `+`, `~` or `%7E`, `&token=` anywhere) gets the token the server expects.
pub fn xuanxuan_token(query: &str, key: &str) -> String {
    xuanxuan_token_of(&xuanxuan_signed_query(query), key)
}

/// The token over `signed`, already written as the server rewrites it.
pub fn xuanxuan_token_of(signed: &str, key: &str) -> String {
    let inner = md5_hex(signed.as_bytes());
    md5_hex(format!("{inner}{key}").as_bytes())
}

/// The query ZenTao's XXB server hashes: `commonModel::checkEntryToken` (module/common/model.php)
/// does `parse_str($this->server->query_String, $q); unset($q['token']);
/// md5(md5(http_build_query($q)) . $entry->key)`. So: the pairs parsed as `parse_str` does
/// (`php_parse_str`), `token` dropped, written again with `http_build_query`'s encoding.
pub fn xuanxuan_signed_query(query: &str) -> String {
    let mut out = String::with_capacity(query.len() + 16);
    for (k, v) in php_parse_str(query).iter().filter(|(k, _)| k.as_slice() != b"token") {
        if !out.is_empty() {
            out.push('&');
        }
        php_urlencode_into(k, &mut out);
        out.push('=');
        php_urlencode_into(v, &mut out);
    }
    out
}

/// PHP's `urlencode`, which `http_build_query` applies to every key and value (its default,
/// PHP_QUERY_RFC1738): ASCII letters, digits and `-_.` as they are, a space as `+`, every other
/// byte `%XX` in upper case, `~` and `*` included (RFC 3986 would keep `~`).
pub fn php_urlencode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    php_urlencode_into(value.as_bytes(), &mut out);
    out
}

fn php_urlencode_into(bytes: &[u8], out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in bytes {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.') {
            out.push(b as char);
        } else if b == b' ' {
            out.push('+');
        } else {
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        }
    }
}

/// PHP's `urldecode`: `+` a space, `%XX` (either case) its byte, anything else (a `%` not
/// followed by two hex digits included) as it is.
pub fn php_urldecode(s: &str) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let pair = bytes.get(i + 1).copied().and_then(hex).zip(bytes.get(i + 2).copied().and_then(hex));
        match (b, pair) {
            (b'+', _) => out.push(b' '),
            (b'%', Some((hi, lo))) => {
                out.push((hi << 4) | lo);
                i += 2;
            }
            _ => out.push(b),
        }
        i += 1;
    }
    out
}

/// A query string as PHP's `parse_str` reads it (main/php_variables.c): pairs split on `&`, the
/// name and the value url-decoded; leading spaces of a name dropped, the name cut at a NUL
/// byte (PHP reads it as a C string), an empty name skipped, its other spaces and dots made
/// `_`; a repeated name keeps its first place and its last value. Names with `[` (PHP's
/// arrays) are taken as they are: no XuanXuan call has one.
pub fn php_parse_str(query: &str) -> Vec<(Vec<u8>, Vec<u8>)> {
    let mut out: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
    for pair in query.split('&') {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let mut name = php_urldecode(k);
        let start = name.iter().position(|b| *b != b' ').unwrap_or(name.len());
        name.drain(..start);
        if let Some(nul) = name.iter().position(|b| *b == 0) {
            name.truncate(nul);
        }
        if name.is_empty() {
            continue;
        }
        for b in name.iter_mut().filter(|b| matches!(**b, b' ' | b'.')) {
            *b = b'_';
        }
        let value = php_urldecode(v);
        match out.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => out.push((name, value)),
        }
    }
    out
}

/// YTX: `MD5(accountSID + authToken + timestamp)`, 32 hex digits (uppercase, as the seed shows;
/// the server accepts either case).
pub fn ytx_sign(account_sid: &str, auth_token: &str, timestamp: &str) -> String {
    md5_hex(format!("{account_sid}{auth_token}{timestamp}").as_bytes()).to_ascii_uppercase()
}

/// YTX: `base64(accountSID + "|" + timestamp)`.
pub fn ytx_authorization(account_sid: &str, timestamp: &str) -> String {
    base64(format!("{account_sid}|{timestamp}").as_bytes())
}

/// Standard base64 with padding (RFC 4648), from the base64 crate: YTX's Authorization.
/// Into a buffer of the exact length rather than through `encode`, whose `expect` on the UTF-8
/// check would link the `Debug` printing of its error (2 KiB of wasm) for a case that cannot be.
pub fn base64(input: &[u8]) -> String {
    use base64::Engine as _;
    let mut buf = vec![0; base64::encoded_len(input.len(), true).unwrap_or_default()];
    let n = base64::engine::general_purpose::STANDARD.encode_slice(input, &mut buf).unwrap_or_default();
    buf.truncate(n);
    String::from_utf8(buf).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn md5_matches_rfc_1321_vectors() {
        assert_eq!(md5_hex(b""), "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(md5_hex(b"a"), "0cc175b9c0f1b6a831c399e269772661");
        assert_eq!(md5_hex(b"abc"), "900150983cd24fb0d6963f7d28e17f72");
        assert_eq!(md5_hex(b"message digest"), "f96b697d7cb7938d525a2f31aaf161d0");
        assert_eq!(md5_hex(b"abcdefghijklmnopqrstuvwxyz"), "c3fcd3d76192e4007dfb496cca67e13b");
        assert_eq!(
            md5_hex(b"12345678901234567890123456789012345678901234567890123456789012345678901234567890"),
            "57edf4a22be3c955ac49da2e2107b67a"
        );
        // Lengths around the 56-byte padding boundary.
        assert_eq!(md5_hex(&[b'x'; 55]).len(), 32);
        assert_ne!(md5_hex(&[b'x'; 56]), md5_hex(&[b'x'; 57]));
    }

    #[test]
    fn xuanxuan_token_matches_the_public_example() {
        assert_eq!(
            xuanxuan_token("m=chat&f=getChatUsers&code=myAppCode", "3cd0914d656e90ab181f1d52ff352cfe"),
            "f5633c34c0c551a16c1d63bceb38d6a8"
        );
    }

    /// Each expected value was printed by PHP 8.2 itself:
    /// `parse_str($q, $a); unset($a['token']); echo http_build_query($a);`.
    #[test]
    fn the_signed_query_is_what_php_rewrites() {
        for (query, php) in [
            ("m=im&f=getChatUsers&gid=team%20a%7E%2A&code=x&token=t", "m=im&f=getChatUsers&gid=team+a%7E%2A&code=x"),
            ("a=1&b=2&a=3", "a=3&b=2"),
            ("token=x&m=im&token=y", "m=im"),
            ("a.b=1&c d=2& e=3&=4&&f&g=%zz&h=%e4%b8%ad+%20~*", "a_b=1&c_d=2&e=3&f=&g=%25zz&h=%E4%B8%AD++%7E%2A"),
            ("gid=team%20a&code=x%2b", "gid=team+a&code=x%2B"),
            ("a%00b=1&%00c=2&d=x%00y", "a=1&d=x%00y"),
        ] {
            assert_eq!(xuanxuan_signed_query(query), php, "{query}");
        }
        assert_eq!(php_urlencode("a b~*+%&中😀-_."), "a+b%7E%2A%2B%25%26%E4%B8%AD%F0%9F%98%80-_.");
        // The token of a query however it is written is the token of what the server hashes.
        assert_eq!(xuanxuan_token("gid=team%20a&code=c", "k"), xuanxuan_token_of("gid=team+a&code=c", "k"));
        assert_eq!(xuanxuan_token("code=c&token=zzz", "k"), xuanxuan_token_of("code=c", "k"));
    }

    #[test]
    fn ytx_sign_and_authorization_share_one_timestamp() {
        let ts = "20140416142030";
        assert_eq!(ytx_sign("sid", "tok", ts), md5_hex(b"sidtok20140416142030").to_ascii_uppercase());
        assert_eq!(ytx_sign("sid", "tok", ts).len(), 32);
        assert_eq!(ytx_authorization("abc", ts), "YWJjfDIwMTQwNDE2MTQyMDMw");
    }

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        for (plain, encoded) in
            [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy")]
        {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
    }
}
