//! Reading a caller's params object with errors that name the offending field (`users[2]`,
//! `items[0].message`). Every limit a vendor documents is checked here, before anything is sent.

use crate::core::error::Error;
use crate::core::json::Json;
use crate::core::time::parse_iso;
use crate::prelude::*;

/// A params object (or a nested one) and the path that leads to it, for error messages.
#[derive(Debug)]
pub struct Params<'a> {
    members: &'a [(String, Json)],
    prefix: String,
}

const EMPTY: &[(String, Json)] = &[];

impl<'a> Params<'a> {
    /// `null` stands for "no params" (JS `undefined` or nothing passed).
    pub fn new(value: &'a Json) -> Result<Params<'a>, Error> {
        Params::nested(value, "")
    }

    pub fn nested(value: &'a Json, path: &str) -> Result<Params<'a>, Error> {
        let members = match value {
            Json::Obj(members) => members.as_slice(),
            Json::Null if path.is_empty() => EMPTY,
            other => {
                let name = if path.is_empty() { "params" } else { path };
                return Err(Error::invalid(name, format!("must be an object, got {}", other.type_name())));
            }
        };
        let prefix = if path.is_empty() { String::new() } else { format!("{path}.") };
        Ok(Params { members, prefix })
    }

    /// The member as given, JSON `null` included (unlike `get`).
    pub fn raw(&self, name: &str) -> Option<&'a Json> {
        self.members.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    pub fn path(&self, name: &str) -> String {
        format!("{}{}", self.prefix, name)
    }

    /// The member, with JSON `null` read as absent (JS `undefined` and `null` alike).
    pub fn get(&self, name: &str) -> Option<&'a Json> {
        self.members.iter().find(|(k, _)| k == name).map(|(_, v)| v).filter(|v| !v.is_null())
    }

    /// The names of the members, in the order given.
    pub fn names(&self) -> impl Iterator<Item = &'a str> {
        self.members.iter().map(|(k, _)| k.as_str())
    }

    /// Refuses members this operation doesn't know, so a misspelt parameter is an error rather
    /// than silently missing from the request.
    pub fn deny_unknown(&self, known: &[&str]) -> Result<(), Error> {
        match self.members.iter().find(|(k, _)| !known.contains(&k.as_str())) {
            Some((k, _)) => Err(Error::invalid(self.path(k), format!("is not a parameter here; known: {}", known.join(", ")))),
            None => Ok(()),
        }
    }

    /// One of `allowed`, if present.
    pub fn opt_one_of(&self, name: &str, allowed: &[&str]) -> Result<Option<&'a str>, Error> {
        match self.opt_str(name)? {
            Some(v) if !allowed.contains(&v) => {
                Err(Error::invalid(self.path(name), format!("must be one of {}, got \"{v}\"", allowed.join(", "))))
            }
            other => Ok(other),
        }
    }

    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    fn required(&self, name: &str) -> Result<&'a Json, Error> {
        self.get(name).ok_or_else(|| Error::invalid(self.path(name), "is required"))
    }

    fn wrong_type(&self, name: &str, want: &str, got: &Json) -> Error {
        Error::invalid(self.path(name), format!("must be {want}, got {}", got.type_name()))
    }

    pub fn opt_str(&self, name: &str) -> Result<Option<&'a str>, Error> {
        match self.get(name) {
            None => Ok(None),
            Some(Json::Str(s)) => Ok(Some(s)),
            Some(other) => Err(self.wrong_type(name, "a string", other)),
        }
    }

    /// A string that may be empty.
    pub fn str(&self, name: &str) -> Result<&'a str, Error> {
        let v = self.required(name)?;
        v.as_str().ok_or_else(|| self.wrong_type(name, "a string", v))
    }

    /// A string with at least one non-blank character.
    pub fn non_empty(&self, name: &str) -> Result<&'a str, Error> {
        let s = self.str(name)?;
        if s.trim().is_empty() {
            return Err(Error::invalid(self.path(name), "must not be empty"));
        }
        Ok(s)
    }

    /// A string of `min..=max` characters (Unicode scalar values: a CJK character or an emoji
    /// counts one, as the vendors count "字数").
    pub fn chars(&self, name: &str, min: usize, max: usize) -> Result<&'a str, Error> {
        let s = self.str(name)?;
        let n = s.chars().count();
        if n < min || n > max {
            return Err(Error::invalid(self.path(name), format!("must be {min} to {max} characters long, got {n}")));
        }
        Ok(s)
    }

    pub fn opt_bool(&self, name: &str) -> Result<Option<bool>, Error> {
        match self.get(name) {
            None => Ok(None),
            Some(Json::Bool(b)) => Ok(Some(*b)),
            Some(other) => Err(self.wrong_type(name, "true or false", other)),
        }
    }

    /// An integer, or a string of digits as the seeds' samples write some (`"repeat": "1"`).
    pub fn opt_int(&self, name: &str) -> Result<Option<i64>, Error> {
        match self.get(name) {
            None => Ok(None),
            Some(Json::Num(n)) if n.fract() == 0.0 && n.abs() <= 9_007_199_254_740_991.0 => Ok(Some(*n as i64)),
            Some(Json::Str(s)) if is_integer_text(s) => Ok(s.parse().ok()),
            Some(other) => Err(self.wrong_type(name, "an integer", other)),
        }
    }

    /// Unix milliseconds: a non-negative integer, a string of digits as some vendor samples
    /// send them, or an ISO date (`2018-08-30`, a Beijing day) or date-time. (`Date`s arrive as
    /// numbers: the JS facade converts them.)
    pub fn opt_time(&self, name: &str) -> Result<Option<i64>, Error> {
        let ms = self.opt_cursor(name)?;
        // A time before 2000 is Unix seconds or a yyyyMMdd day taken for milliseconds (both read
        // as 1970), never a meeting or a booking; 0 stays, a sync's "from the start".
        if ms.is_some_and(|ms| ms > 0 && ms < 946_684_800_000) {
            return Err(Error::invalid(
                self.path(name),
                "is before 2000 as Unix milliseconds: seconds, or a yyyyMMdd day? Pass milliseconds, a Date, or an ISO date such as 2030-12-03",
            ));
        }
        Ok(ms)
    }

    /// A time read as `opt_time` reads it, but any from 1970 on: a cursor (`lastTime`), where an
    /// early one means "everything since".
    pub fn opt_cursor(&self, name: &str) -> Result<Option<i64>, Error> {
        let ms = match self.get(name) {
            None => return Ok(None),
            Some(Json::Num(n)) if n.fract() == 0.0 && *n >= 0.0 && *n <= 8.64e15 => *n as i64,
            // Digits beyond what a JS Date holds (8.64e15 ms, under 2^53) are refused, not read:
            // any number of them, so that none is rounded or cut on the way.
            Some(Json::Str(s)) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
                match s.parse::<i64>().ok().filter(|ms| *ms <= 8_640_000_000_000_000) {
                    Some(ms) => ms,
                    None => {
                        return Err(Error::invalid(
                            self.path(name),
                            "is beyond the last time a JS Date holds (8640000000000000 ms, year 275760): a digit string that long is not Unix milliseconds",
                        ))
                    }
                }
            }
            Some(Json::Str(s)) if parse_iso(s).is_some_and(|t| t >= 0) => parse_iso(s).unwrap_or(0),
            Some(other) => {
                return Err(self.wrong_type(name, "a time (Unix milliseconds, a Date, or an ISO date such as 2018-08-30)", other));
            }
        };
        Ok(Some(ms))
    }

    pub fn time(&self, name: &str) -> Result<i64, Error> {
        self.opt_time(name)?.ok_or_else(|| Error::invalid(self.path(name), "is required"))
    }

    /// A list of strings: an array, or one comma-separated string. Items are trimmed; empty
    /// items are errors, not silently dropped.
    pub fn opt_str_list(&self, name: &str) -> Result<Option<Vec<&'a str>>, Error> {
        match self.get(name) {
            None => Ok(None),
            Some(Json::Str(s)) => {
                let items: Vec<&str> = s.split(',').map(str::trim).collect();
                if let Some(i) = items.iter().position(|s| s.is_empty()) {
                    if s.trim().is_empty() {
                        return Ok(Some(Vec::new()));
                    }
                    return Err(Error::invalid(format!("{}[{i}]", self.path(name)), "must not be empty"));
                }
                Ok(Some(items))
            }
            Some(Json::Arr(items)) => items
                .iter()
                .enumerate()
                .map(|(i, item)| match item {
                    Json::Str(s) if !s.trim().is_empty() => Ok(s.trim()),
                    Json::Str(_) => Err(Error::invalid(format!("{}[{i}]", self.path(name)), "must not be empty")),
                    other => {
                        Err(Error::invalid(format!("{}[{i}]", self.path(name)), format!("must be a string, got {}", other.type_name())))
                    }
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(other) => Err(self.wrong_type(name, "an array of strings or a comma-separated string", other)),
        }
    }

    /// A required, non-empty list of strings.
    pub fn str_list(&self, name: &str) -> Result<Vec<&'a str>, Error> {
        let items = self.opt_str_list(name)?.ok_or_else(|| Error::invalid(self.path(name), "is required"))?;
        if items.is_empty() {
            return Err(Error::invalid(self.path(name), "must not be empty"));
        }
        Ok(items)
    }

    pub fn opt_object(&self, name: &str) -> Result<Option<&'a Json>, Error> {
        match self.get(name) {
            None => Ok(None),
            Some(v @ Json::Obj(_)) => Ok(Some(v)),
            Some(other) => Err(self.wrong_type(name, "an object", other)),
        }
    }

    pub fn array(&self, name: &str) -> Result<&'a [Json], Error> {
        let v = self.required(name)?;
        v.as_array().ok_or_else(|| self.wrong_type(name, "an array", v))
    }
}

/// `local@domain` with no spaces or commas: enough to catch a name where an address belongs,
/// without pretending to implement RFC 5322.
/// What separates or wraps addresses in a list (`a@x, b@x`, `["a@x"]`, `"A" <a@x>`): never in
/// one address as the vendors take it, so a list or JSON text given as one address is refused.
fn is_list_punctuation(c: char) -> bool {
    matches!(c, ',' | ';' | '"' | '[' | ']' | '<' | '>')
}

pub fn is_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && if s.is_ascii() {
                    // The common case, byte by byte: no Unicode tables.
                    !s.bytes().any(|b| b.is_ascii_whitespace() || b == b'\x0b' || is_list_punctuation(b as char))
                } else {
                    !s.contains(|c: char| c.is_whitespace() || is_list_punctuation(c))
                }
        }
        None => false,
    }
}

/// `-?\d{1,16}`: an integer as text, short enough to be exact in a JS number.
fn is_integer_text(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    !digits.is_empty() && digits.len() <= 15 && digits.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::json::parse;

    fn err_field(r: Result<impl core::fmt::Debug, Error>) -> String {
        r.unwrap_err().field.unwrap_or_default().into()
    }

    #[test]
    fn emails_refuse_white_space_byte_by_byte_as_char_by_char() {
        // The ASCII fast path of is_email against char::is_whitespace, for every ASCII byte.
        for b in 0u8..128 {
            let s = format!("a{}b@x.com", b as char);
            let expected = !(b as char).is_whitespace() && !matches!(b, b',' | b';' | b'@' | b'"' | b'[' | b']' | b'<' | b'>');
            assert_eq!(is_email(&s), expected, "byte {b:#04x}");
        }
        assert!(!is_email("a\u{3000}b@x.com"));
        assert!(is_email("会议@x.com"));
    }

    #[test]
    fn strings_name_missing_and_mistyped_fields() {
        let v = parse(r#"{"a":"x","n":1,"blank":"  ","nul":null}"#).unwrap();
        let p = Params::new(&v).unwrap();
        assert_eq!(p.str("a").unwrap(), "x");
        assert_eq!(err_field(p.str("missing")), "missing");
        assert_eq!(err_field(p.str("nul")), "nul");
        let e = p.str("n").unwrap_err();
        assert_eq!(&*e.detail, "`n` must be a string, got a number");
        assert_eq!(err_field(p.non_empty("blank")), "blank");
    }

    #[test]
    fn char_limits_count_characters_not_bytes() {
        let forty = "会".repeat(40);
        let forty_one = "😀".repeat(41);
        let v = Json::Obj(vec![("t".into(), Json::str(forty.clone())), ("u".into(), Json::str(forty_one))]);
        let p = Params::new(&v).unwrap();
        assert_eq!(p.chars("t", 1, 40).unwrap(), forty);
        assert_eq!(&*p.chars("u", 1, 40).unwrap_err().detail, "`u` must be 1 to 40 characters long, got 41");
    }

    #[test]
    fn lists_take_arrays_or_comma_strings_and_name_the_bad_item() {
        let v = parse(r#"{"a":["x","y"],"c":"x, y","bad":["x",""],"num":["x",3],"e":[],"es":""}"#).unwrap();
        let p = Params::new(&v).unwrap();
        assert_eq!(p.str_list("a").unwrap(), vec!["x", "y"]);
        assert_eq!(p.str_list("c").unwrap(), vec!["x", "y"]);
        assert_eq!(err_field(p.str_list("bad")), "bad[1]");
        assert_eq!(err_field(p.str_list("num")), "num[1]");
        assert_eq!(err_field(p.str_list("e")), "e");
        assert_eq!(err_field(p.str_list("es")), "es");
    }

    #[test]
    fn times_accept_integers_digit_strings_and_iso_dates() {
        let v = parse(r#"{"a":1624368868714,"s":"1538064000000","neg":-1,"f":1.5,"iso":"2018-08-30","isoz":"2018-08-29T16:00:00Z","bad":"2018-02-30","word":"soon"}"#).unwrap();
        let p = Params::new(&v).unwrap();
        assert_eq!(p.time("a").unwrap(), 1_624_368_868_714);
        assert_eq!(p.time("s").unwrap(), 1_538_064_000_000);
        assert_eq!(p.time("iso").unwrap(), 1_535_558_400_000, "a Beijing day");
        assert_eq!(p.time("isoz").unwrap(), 1_535_558_400_000);
        for bad in ["neg", "f", "bad", "word", "missing"] {
            assert_eq!(err_field(p.time(bad)), bad);
        }
    }

    #[test]
    fn a_time_before_2000_is_refused_as_seconds_or_yyyymmdd_in_disguise() {
        // `"20301203"` (a day written yyyyMMdd) and 1700000000 (Unix seconds) both read as
        // 1970 when taken for milliseconds; 0 stays (a sync's "from the start").
        let v = parse(r#"{"day":"20301203","secs":1700000000,"zero":0,"y2k":946684800000,"late":"946684799999"}"#).unwrap();
        let p = Params::new(&v).unwrap();
        for bad in ["day", "secs", "late"] {
            let e = p.time(bad).unwrap_err();
            assert_eq!(e.field.as_deref(), Some(bad));
            assert!(e.detail.contains("before 2000") && e.detail.contains("yyyyMMdd"), "{}", e.detail);
        }
        assert_eq!(p.time("zero").unwrap(), 0);
        assert_eq!(p.time("y2k").unwrap(), 946_684_800_000);
        assert_eq!(p.opt_cursor("secs").unwrap(), Some(1_700_000_000), "a cursor may be early");
    }

    #[test]
    fn a_digit_string_beyond_a_js_date_is_refused_not_rounded() {
        let v = parse(r#"{"max":"8640000000000000","over":"8640000000000001","big":"9007199254740993","long":"123456789012345678901234"}"#)
            .unwrap();
        let p = Params::new(&v).unwrap();
        assert_eq!(p.opt_cursor("max").unwrap(), Some(8_640_000_000_000_000));
        for bad in ["over", "big", "long"] {
            let e = p.opt_cursor(bad).unwrap_err();
            assert_eq!((e.code, e.field.as_deref()), (crate::core::error::Code::InvalidArgument, Some(bad)));
            assert!(e.detail.contains("beyond"), "{}", e.detail);
        }
    }

    #[test]
    fn integers_accept_numeric_strings_as_the_seeds_write_them() {
        let v = parse(r#"{"repeat":"1","n":-3,"neg":"-2","f":"1.5","e":"","big":"12345678901234567","word":"one"}"#).unwrap();
        let p = Params::new(&v).unwrap();
        assert_eq!(p.opt_int("repeat").unwrap(), Some(1));
        assert_eq!(p.opt_int("n").unwrap(), Some(-3));
        assert_eq!(p.opt_int("neg").unwrap(), Some(-2));
        for bad in ["f", "e", "big", "word"] {
            assert_eq!(err_field(p.opt_int(bad)), bad);
        }
    }

    #[test]
    fn nested_paths_prefix_the_parent() {
        let v = parse(r#"{"x":1}"#).unwrap();
        let p = Params::nested(&v, "items[3]").unwrap();
        assert_eq!(err_field(p.str("message")), "items[3].message");
        assert_eq!(err_field(Params::nested(&Json::Num(1.0), "items[4]")), "items[4]");
        assert_eq!(err_field(Params::new(&Json::Arr(vec![]))), "params");
        assert!(Params::new(&Json::Null).is_ok());
    }

    #[test]
    fn email_check_catches_names_and_lists() {
        assert!(is_email("user1@xxx.com"));
        for bad in ["user1", "@x.com", "a@", "a@b@c", "a b@x.com", "a@x.com,b@x.com", r#"["a@b.c""#, r#""c@d.e"]"#, "A <a@x.com>"] {
            assert!(!is_email(bad), "{bad}");
        }
    }
}
