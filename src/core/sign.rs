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

/// XuanXuan: `md5(md5(query) + key)`, lowercase hex; `query` is the query string after `?`
/// without `&token=…`, exactly as sent.
pub fn xuanxuan_token(query: &str, key: &str) -> String {
    let inner = md5_hex(query.as_bytes());
    md5_hex(format!("{inner}{key}").as_bytes())
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
