//! Numbers to and from text. In wasm, JS does the floating-point work (Rust's float formatting
//! and parsing would add about 18 KiB to the client); natively Rust does it. Both give the
//! shortest digits that read back to the same number, so the JSON they write is equivalent.

use crate::prelude::*;

/// Writes `n` as a JSON number: integers (timestamps) without fraction or exponent; `null` for
/// values JSON cannot hold.
pub fn write_f64(n: f64, out: &mut String) {
    if !n.is_finite() {
        out.push_str("null");
    } else if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 {
        write_i64(n as i64, out);
    } else {
        out.push_str(&shortest(n));
    }
}

pub fn f64_to_string(n: f64) -> String {
    let mut out = String::new();
    write_f64(n, &mut out);
    out
}

pub fn write_i64(n: i64, out: &mut String) {
    if n < 0 {
        out.push('-');
    }
    let mut digits = [0u8; 20];
    let mut v = n.unsigned_abs();
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.push_str(core::str::from_utf8(&digits[i..]).unwrap_or_default());
}

/// Parses a decimal number (JSON's grammar, already checked by the caller).
pub fn parse_f64(s: &str) -> Option<f64> {
    // Integers of up to 15 digits (ids, timestamps, counts: nearly every number the vendors
    // send) are exact in an f64 and read here, with no call out to JS.
    let (negative, digits) = match s.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, s),
    };
    if !digits.is_empty() && digits.len() <= 15 && digits.bytes().all(|b| b.is_ascii_digit()) {
        let v = digits.bytes().fold(0u64, |v, b| v * 10 + u64::from(b - b'0')) as f64;
        return Some(if negative { -v } else { v });
    }
    let n = parse_impl(s)?;
    n.is_finite().then_some(n)
}

#[cfg(target_arch = "wasm32")]
fn parse_impl(s: &str) -> Option<f64> {
    let n = js_sys::Number::parse_float(s);
    (!n.is_nan()).then_some(n)
}

#[cfg(not(target_arch = "wasm32"))]
fn parse_impl(s: &str) -> Option<f64> {
    s.parse().ok()
}

#[cfg(target_arch = "wasm32")]
fn shortest(n: f64) -> String {
    js_sys::Number::from(n).to_string_with_radix(10).map(String::from).unwrap_or_else(|_| "null".into())
}

#[cfg(not(target_arch = "wasm32"))]
fn shortest(n: f64) -> String {
    n.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_and_fractions_read_back_exactly() {
        for n in [0.0, -1.0, 1_624_368_868_714.0, 0.5, -0.1, 1e300, 9_007_199_254_740_993.0, 123.456] {
            assert_eq!(parse_f64(&f64_to_string(n)), Some(n), "{n}");
        }
        assert_eq!(f64_to_string(-42.0), "-42");
        assert_eq!(f64_to_string(-9_007_199_254_740_991.0), "-9007199254740991");
        assert_eq!(f64_to_string(i64::MIN as f64), "-9223372036854776000");
        assert_eq!(f64_to_string(f64::NAN), "null");
        assert_eq!(parse_f64("1e400"), None);
        // The integer path: signs, zero, the longest it takes, one digit more.
        assert_eq!(parse_f64("-0").map(f64::is_sign_negative), Some(true));
        assert_eq!(parse_f64("0"), Some(0.0));
        assert_eq!(parse_f64("-1624368868714"), Some(-1_624_368_868_714.0));
        assert_eq!(parse_f64("999999999999999"), Some(999_999_999_999_999.0));
        assert_eq!(parse_f64("9007199254740993"), Some(9_007_199_254_740_992.0));
        assert_eq!(parse_f64("12.5"), Some(12.5));
    }
}
