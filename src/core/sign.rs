//! The vendors' signatures, as pure functions checked against published vectors.

use base64::Engine as _;
use md5::{Digest, Md5};

/// Lowercase hex MD5 of `input`.
pub fn md5_hex(input: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Md5::digest(input);
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
    base64::engine::general_purpose::STANDARD.encode(format!("{account_sid}|{timestamp}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn md5_matches_rfc_1321_vectors() {
        assert_eq!(md5_hex(b""), "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(md5_hex(b"abc"), "900150983cd24fb0d6963f7d28e17f72");
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
}
