//! Calendar arithmetic without a date crate: what the validators and signers need, and no more.

use crate::prelude::*;

pub fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// `YYYYMM` or `YYYYMMDD` naming a real month or day (CAM's `yyyyMMdd` parameter).
pub fn is_yyyymm_or_yyyymmdd(s: &str) -> bool {
    if !(s.len() == 6 || s.len() == 8) || !s.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let num = |r: core::ops::Range<usize>| s.get(r).and_then(|d| d.parse::<u32>().ok()).unwrap_or(0);
    let (year, month) = (num(0..4) as i64, num(4..6));
    if year < 1970 || !(1..=12).contains(&month) {
        return false;
    }
    s.len() == 6 || (1..=days_in_month(year, month)).contains(&num(6..8))
}

/// Days since 1970-01-01 to a (year, month, day) civil date (Howard Hinnant's algorithm).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The inverse of `civil_from_days`.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yyyymmdd_accepts_real_months_and_days_only() {
        for ok in ["201908", "20190801", "20200229", "20191231", "197001"] {
            assert!(is_yyyymm_or_yyyymmdd(ok), "{ok}");
        }
        for bad in ["2019-08", "201913", "201900", "20190230", "20190229", "2019080", "2019080a", "", "196912", "20190832"] {
            assert!(!is_yyyymm_or_yyyymmdd(bad), "{bad}");
        }
    }

    #[test]
    fn civil_dates_round_trip() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(18_322), (2020, 3, 1));
        for d in [-1000, 0, 59, 10_957, 19_000, 40_000] {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
    }
}

/// The current time in Unix ms: `Date.now()` in wasm (where `SystemTime` is unavailable).
pub fn now_ms() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Date::now()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0.0, |d| d.as_millis() as f64)
    }
}

/// `yyyyMMddHHmmss` in Beijing time (UTC+8), as YTX signs requests.
pub fn beijing_timestamp(unix_ms: f64) -> String {
    let secs = (unix_ms / 1000.0).floor() as i64 + 8 * 3600;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}{m:02}{d:02}{:02}{:02}{:02}", rem / 3600, rem % 3600 / 60, rem % 60)
}

/// The inverse of `beijing_timestamp`; `None` unless 14 digits naming a real moment.
pub fn parse_beijing_timestamp(ts: &str) -> Option<f64> {
    if ts.len() != 14 || !ts.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = |r: core::ops::Range<usize>| ts.get(r)?.parse::<u32>().ok();
    let (y, mo, d, h, mi, s) = (n(0..4)? as i64, n(4..6)?, n(6..8)?, n(8..10)?, n(10..12)?, n(12..14)?);
    if !(1..=12).contains(&mo) || d == 0 || d > days_in_month(y, mo) || h > 23 || mi > 59 || s > 59 {
        return None;
    }
    let secs = days_from_civil(y, mo, d) * 86_400 + i64::from(h * 3600 + mi * 60 + s) - 8 * 3600;
    Some(secs as f64 * 1000.0)
}

#[cfg(test)]
mod beijing_tests {
    use super::*;

    #[test]
    fn beijing_timestamps_are_utc_plus_8_and_round_trip() {
        // 2014-04-16 06:20:30 UTC is 14:20:30 in Beijing.
        let ms = (days_from_civil(2014, 4, 16) * 86_400 + 6 * 3600 + 20 * 60 + 30) as f64 * 1000.0;
        assert_eq!(beijing_timestamp(ms), "20140416142030");
        assert_eq!(parse_beijing_timestamp("20140416142030"), Some(ms));
        assert_eq!(beijing_timestamp(ms + 999.0), "20140416142030");
        for bad in ["2014041614203", "20141316142030", "20140431142030", "2014041614203x", "20140416246030"] {
            assert_eq!(parse_beijing_timestamp(bad), None, "{bad}");
        }
    }
}

/// An ISO 8601 date or date-time as users write it, in Unix ms: `2018-08-30` (midnight in
/// Beijing, the day as the vendors count it), `2018-08-30T09:30[:00[.000]]` (Beijing time when
/// no offset is given), or with `Z` / `±hh:mm`. `None` for anything else, or a date that does
/// not exist.
pub fn parse_iso(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let digits = |r: core::ops::Range<usize>| -> Option<u32> {
        let part = s.get(r)?;
        (!part.is_empty() && part.bytes().all(|c| c.is_ascii_digit())).then(|| part.parse().ok())?
    };
    if b.len() < 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let (y, mo, d) = (digits(0..4)? as i64, digits(5..7)?, digits(8..10)?);
    if !(1..=12).contains(&mo) || d == 0 || d > days_in_month(y, mo) {
        return None;
    }
    let mut secs = days_from_civil(y, mo, d) * 86_400;
    let mut ms = 0;
    let mut offset_min = 8 * 60; // Beijing unless the text says otherwise
    let rest = s.get(10..)?;
    if let Some(time) = rest.strip_prefix('T').or_else(|| rest.strip_prefix(' ')) {
        let (clock, zone) = match time.find(['Z', 'z', '+', '-']) {
            Some(i) => (time.get(..i)?, time.get(i..)?),
            None => (time, ""),
        };
        let (hms, frac) = clock.split_once('.').unwrap_or((clock, ""));
        let h = digits_of(hms.get(0..2)?)?;
        let mi = if hms.len() >= 5 && hms.as_bytes()[2] == b':' { digits_of(hms.get(3..5)?)? } else { return None };
        let sec = match hms.len() {
            5 => 0,
            8 if hms.as_bytes()[5] == b':' => digits_of(hms.get(6..8)?)?,
            _ => return None,
        };
        if h > 23 || mi > 59 || sec > 59 {
            return None;
        }
        if !frac.is_empty() {
            if frac.len() > 9 || !frac.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            // Milliseconds: the first three digits, padded with zeros.
            let padded = [frac.as_bytes(), b"000"].concat();
            ms = i64::from(digits_of(core::str::from_utf8(padded.get(..3)?).ok()?)?);
        }
        secs += i64::from(h * 3600 + mi * 60 + sec);
        offset_min = match zone {
            "" => offset_min,
            "Z" | "z" => 0,
            z if z.len() == 6 && z.as_bytes()[3] == b':' => {
                let m = i64::from(digits_of(z.get(1..3)?)? * 60 + digits_of(z.get(4..6)?)?);
                if z.starts_with('-') {
                    -m
                } else {
                    m
                }
            }
            _ => return None,
        };
    } else if !rest.is_empty() {
        return None;
    }
    Some((secs - offset_min * 60) * 1000 + ms)
}

fn digits_of(s: &str) -> Option<u32> {
    (!s.is_empty() && s.bytes().all(|c| c.is_ascii_digit())).then(|| s.parse().ok())?
}

#[cfg(test)]
mod iso_tests {
    use super::*;

    #[test]
    fn iso_days_are_beijing_days_and_offsets_are_honoured() {
        // 2018-08-30 00:00 in Beijing is 2018-08-29 16:00 UTC: 1535558400000, the seed's day.
        assert_eq!(parse_iso("2018-08-30"), Some(1_535_558_400_000));
        assert_eq!(parse_iso("2018-08-30T00:00:00+08:00"), Some(1_535_558_400_000));
        assert_eq!(parse_iso("2018-08-29T16:00:00Z"), Some(1_535_558_400_000));
        assert_eq!(parse_iso("2018-08-29T16:00:00.250Z"), Some(1_535_558_400_250));
        assert_eq!(parse_iso("2018-08-30T09:30"), Some(1_535_558_400_000 + 9 * 3_600_000 + 30 * 60_000));
        assert_eq!(parse_iso("2018-08-29T11:00:00-05:00"), Some(1_535_558_400_000));
        for bad in [
            "",
            "2018",
            "2018-02-30",
            "2018-13-01",
            "2018-08-30T25:00",
            "2018-08-30T10",
            "2018-08-30x",
            "2018-08-30T10:00+8",
            "１０１８-08-30",
        ] {
            assert_eq!(parse_iso(bad), None, "{bad}");
        }
    }
}
