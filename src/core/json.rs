//! A small JSON value with a strict parser and a writer, shared by the clients and the sandbox.
//! Why not serde_json: it adds about a third to the gzipped wasm, and the wire needs only this.

use crate::prelude::*;
use core::fmt::Write as _;

/// Object members keep their order, so a request body reads exactly as the vendor's samples do.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

/// Deeper documents are refused rather than risking the wasm stack on hostile input (a member
/// `parse_members` skips is checked without recursion, at any depth).
pub const MAX_DEPTH: usize = 64;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    pub offset: usize,
    pub reason: &'static str,
}

impl core::fmt::Display for JsonError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{} at byte {}", self.reason, self.offset)
    }
}

impl Json {
    pub fn str(s: impl Into<String>) -> Json {
        Json::Str(s.into())
    }

    /// The first member named `key`, if this is an object.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            // The last of repeated keys, as `JSON.parse` takes it: what the parsers check is what
            // the caller gets.
            Json::Obj(members) => members.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Json::Num(n) => Some(*n),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Json::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Json]> {
        match self {
            Json::Arr(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[(String, Json)]> {
        match self {
            Json::Obj(members) => Some(members),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Json::Null)
    }

    /// A short name of the JSON type, for error messages that say what was found.
    pub fn type_name(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Num(_) => "a number",
            Json::Str(_) => "a string",
            Json::Arr(_) => "an array",
            Json::Obj(_) => "an object",
        }
    }

    pub fn write(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Num(n) => write_number(*n, out),
            Json::Str(s) => write_string(s, out),
            Json::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Json::Obj(members) => {
                out.push('{');
                for (i, (k, v)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_string(k, out);
                    out.push(':');
                    v.write(out);
                }
                out.push('}');
            }
        }
    }

    pub fn to_json_string(&self) -> String {
        // Room for a typical request body at once, rather than growing it write by write.
        let mut out = String::with_capacity(256);
        self.write(&mut out);
        out
    }
}

/// Integers (timestamps in milliseconds above all) print without a fraction or exponent.
fn write_number(n: f64, out: &mut String) {
    crate::core::num::write_f64(n, out);
}

pub fn write_string(s: &str, out: &mut String) {
    out.push('"');
    // Copy runs that need no escaping in one go (found by a slice scan, not byte by byte);
    // only ASCII bytes are ever escaped.
    let bytes = s.as_bytes();
    let mut run = 0;
    while let Some(n) = bytes.get(run..).and_then(|rest| rest.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20)) {
        let i = run + n;
        let b = bytes.get(i).copied().unwrap_or_default();
        let escaped = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            _ => "",
        };
        out.push_str(s.get(run..i).unwrap_or_default());
        if escaped.is_empty() {
            let _ = write!(out, "\\u{:04x}", b);
        } else {
            out.push_str(escaped);
        }
        run = i + 1;
    }
    out.push_str(s.get(run..).unwrap_or_default());
    out.push('"');
}

/// Parses one JSON document (RFC 8259) with nothing but white space after it.
pub fn parse(text: &str) -> Result<Json, JsonError> {
    let mut p = Parser { bytes: text.as_bytes(), text, pos: 0 };
    p.skip_ws();
    let value = p.value(0)?;
    p.skip_ws();
    if p.pos != p.bytes.len() {
        return Err(p.err("unexpected text after the JSON value"));
    }
    Ok(value)
}

/// Parses a document as `parse` does, but of a top-level object keeps only the members named in
/// `keys`: the others are checked as JSON.parse checks them (`skip`), without being built. For
/// an envelope whose payload JS parses anyway, the tree of that payload would be made for
/// nothing. Any other document is returned whole.
pub fn parse_members(text: &str, keys: &[&str]) -> Result<Json, JsonError> {
    let mut p = Parser { bytes: text.as_bytes(), text, pos: 0 };
    p.skip_ws();
    if p.peek() != Some(b'{') {
        return parse(text);
    }
    let mut members = Vec::with_capacity(keys.len());
    p.object_into(0, &mut members, Some(keys))?;
    let value = Json::Obj(members);
    p.skip_ws();
    if p.pos != p.bytes.len() {
        return Err(p.err("unexpected text after the JSON value"));
    }
    Ok(value)
}

struct Parser<'a> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn err(&self, reason: &'static str) -> JsonError {
        JsonError { offset: self.pos, reason }
    }

    // Inlined: called once a byte, and at opt-level z a call each cost more than the byte.
    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn expect_word(&mut self, word: &str, value: Json) -> Result<Json, JsonError> {
        if self.bytes.get(self.pos..).is_some_and(|rest| rest.starts_with(word.as_bytes())) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.err("invalid literal"))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, JsonError> {
        if depth >= MAX_DEPTH {
            return Err(self.err("nesting too deep"));
        }
        match self.peek() {
            None => Err(self.err("unexpected end of input")),
            Some(b'n') => self.expect_word("null", Json::Null),
            Some(b't') => self.expect_word("true", Json::Bool(true)),
            Some(b'f') => self.expect_word("false", Json::Bool(false)),
            Some(b'"') => self.string().map(Json::Str),
            Some(b'[') => {
                // Room for a short list: no regrowth for most.
                let mut items = Vec::with_capacity(4);
                self.array_into(depth, &mut items).map(|()| Json::Arr(items))
            }
            Some(b'{') => {
                // Room for the members of most params objects and answers: no regrowth for them.
                let mut members = Vec::with_capacity(8);
                self.object_into(depth, &mut members, None).map(|()| Json::Obj(members))
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.err("unexpected character")),
        }
    }

    /// One value as `value` reads it, into `slot`: a string, object or array there is reused.
    fn value_into(&mut self, depth: usize, slot: &mut Json) -> Result<(), JsonError> {
        if depth >= MAX_DEPTH {
            return Err(self.err("nesting too deep"));
        }
        match (self.peek(), slot) {
            (Some(b'"'), Json::Str(s)) => {
                s.clear();
                self.string_to(Some(s))
            }
            (Some(b'{'), Json::Obj(members)) => self.object_into(depth, members, None),
            (Some(b'['), Json::Arr(items)) => self.array_into(depth, items),
            (_, slot) => {
                *slot = self.value(depth)?;
                Ok(())
            }
        }
    }

    /// An object, into `members` (whose strings and lists are reused); given `keep`, only the
    /// members it names (the others are checked by `skip`, not built).
    fn object_into(&mut self, depth: usize, members: &mut Vec<(String, Json)>, keep: Option<&[&str]>) -> Result<(), JsonError> {
        self.pos += 1;
        let mut n = 0;
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            members.clear();
            return Ok(());
        }
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return Err(self.err("expected a member name"));
            }
            match members.get_mut(n) {
                Some((key, _)) => {
                    key.clear();
                    self.string_to(Some(key))?;
                }
                None => {
                    let key = self.string()?;
                    members.push((key, Json::Null));
                }
            }
            self.skip_ws();
            if self.peek() != Some(b':') {
                return Err(self.err("expected ':'"));
            }
            self.pos += 1;
            self.skip_ws();
            match (members.get_mut(n), keep) {
                // Not kept: its name's slot is the next member's.
                (Some((key, _)), Some(keys)) if !keys.contains(&key.as_str()) => self.skip()?,
                (Some((_, value)), _) => {
                    self.value_into(depth + 1, value)?;
                    n += 1;
                }
                (None, _) => {}
            }
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    members.truncate(n);
                    return Ok(());
                }
                _ => return Err(self.err("expected ',' or '}'")),
            }
        }
    }

    /// An array, into `items` (whose strings and lists are reused).
    fn array_into(&mut self, depth: usize, items: &mut Vec<Json>) -> Result<(), JsonError> {
        self.pos += 1;
        let mut n = 0;
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            items.clear();
            return Ok(());
        }
        loop {
            self.skip_ws();
            if n == items.len() {
                items.push(Json::Null);
            }
            if let Some(item) = items.get_mut(n) {
                self.value_into(depth + 1, item)?;
            }
            n += 1;
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    items.truncate(n);
                    return Ok(());
                }
                _ => return Err(self.err("expected ',' or ']'")),
            }
        }
    }

    /// Checks one value as JSON.parse would accept it, building nothing: a member `parse_members`
    /// does not keep is parsed by JS itself, so it is held to JS's rules, not to the limits of
    /// the trees built here: any depth (the open containers are a stack of bytes, not of calls)
    /// and any number JSON's grammar allows (one too large for an f64 is Infinity to JS).
    fn skip(&mut self) -> Result<(), JsonError> {
        // The closing byte of each container open, innermost last.
        let mut open: Vec<u8> = Vec::new();
        loop {
            // A value, or the start of a container's first one.
            match self.peek() {
                Some(b'"') => self.string_to(None)?,
                Some(c @ (b'[' | b'{')) => {
                    let close = if c == b'[' { b']' } else { b'}' };
                    self.pos += 1;
                    self.skip_ws();
                    if self.peek() == Some(close) {
                        self.pos += 1;
                    } else {
                        open.push(close);
                        if close == b'}' {
                            self.member_name()?;
                        }
                        continue;
                    }
                }
                Some(b'-' | b'0'..=b'9') => self.number_text()?,
                // The literals, and the errors of whatever else is here.
                _ => drop(self.value(0)?),
            }
            // A value is complete: close what it completes, up to the next value.
            loop {
                let Some(&close) = open.last() else { return Ok(()) };
                self.skip_ws();
                match self.peek() {
                    Some(b',') => {
                        self.pos += 1;
                        self.skip_ws();
                        if close == b'}' {
                            self.member_name()?;
                        }
                        break;
                    }
                    Some(c) if c == close => {
                        self.pos += 1;
                        open.pop();
                    }
                    _ if close == b'}' => return Err(self.err("expected ',' or '}'")),
                    _ => return Err(self.err("expected ',' or ']'")),
                }
            }
        }
    }

    /// A member's name and its colon, and the white space after: the member's value is next.
    fn member_name(&mut self) -> Result<(), JsonError> {
        if self.peek() != Some(b'"') {
            return Err(self.err("expected a member name"));
        }
        self.string_to(None)?;
        self.skip_ws();
        if self.peek() != Some(b':') {
            return Err(self.err("expected ':'"));
        }
        self.pos += 1;
        self.skip_ws();
        Ok(())
    }

    fn number(&mut self) -> Result<Json, JsonError> {
        let start = self.pos;
        self.number_text()?;
        match self.text.get(start..self.pos).and_then(crate::core::num::parse_f64) {
            Some(n) => Ok(Json::Num(n)),
            None => Err(JsonError { offset: start, reason: "number out of range" }),
        }
    }

    /// A number's text, checked against JSON's grammar.
    fn number_text(&mut self) -> Result<(), JsonError> {
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.err("invalid number")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.err("invalid number"));
            }
            self.digits();
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.err("invalid number"));
            }
            self.digits();
        }
        Ok(())
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let end = self.pos + 4;
        let hex = self.text.get(self.pos..end).ok_or_else(|| self.err("truncated \\u escape"))?;
        let v = u32::from_str_radix(hex, 16).map_err(|_| self.err("invalid \\u escape"))?;
        self.pos = end;
        Ok(v)
    }

    fn string(&mut self) -> Result<String, JsonError> {
        let mut out = String::new();
        self.string_to(Some(&mut out))?;
        Ok(out)
    }

    /// Reads a string into `out`, or only checks it when `out` is None.
    fn string_to(&mut self, mut out: Option<&mut String>) -> Result<(), JsonError> {
        self.pos += 1;
        loop {
            let run_start = self.pos;
            let rest = self.bytes.get(self.pos..).unwrap_or_default();
            self.pos += rest.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20).unwrap_or(rest.len());
            // The run ends at an ASCII byte, so it is a whole UTF-8 slice.
            if let Some(o) = out.as_deref_mut() {
                o.push_str(self.text.get(run_start..self.pos).unwrap_or_default());
            }
            match self.peek() {
                None => return Err(self.err("unterminated string")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let esc = self.peek().ok_or_else(|| self.err("unterminated string"))?;
                    self.pos += 1;
                    let c = match esc {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let hi = self.hex4()?;
                            let c = if (0xD800..0xDC00).contains(&hi) && self.bytes.get(self.pos..).is_some_and(|r| r.starts_with(b"\\u")) {
                                let save = self.pos;
                                self.pos += 2;
                                let lo = self.hex4()?;
                                if (0xDC00..0xE000).contains(&lo) {
                                    0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                                } else {
                                    self.pos = save;
                                    0xFFFD
                                }
                            } else {
                                hi
                            };
                            // A lone surrogate cannot live in a Rust string: it becomes U+FFFD.
                            char::from_u32(c).unwrap_or('\u{FFFD}')
                        }
                        _ => return Err(self.err("invalid escape")),
                    };
                    if let Some(o) = out.as_deref_mut() {
                        o.push(c);
                    }
                }
                Some(_) => return Err(self.err("control character in string")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_the_seed_message_shape_in_order() {
        let text =
            r#"{"panelName":"messenger","message":"Hello","isOpened":false,"generalPurposes":{"users":"user1@xxx.com,user2@xxx.com"}}"#;
        let v = parse(text).unwrap();
        assert_eq!(v.to_json_string(), text);
    }

    #[test]
    fn timestamps_print_as_integers() {
        assert_eq!(Json::Num(1624368868714.0).to_json_string(), "1624368868714");
        assert_eq!(Json::Num(-1.0).to_json_string(), "-1");
        assert_eq!(Json::Num(0.5).to_json_string(), "0.5");
        assert_eq!(Json::Num(f64::NAN).to_json_string(), "null");
    }

    #[test]
    fn escapes_control_characters_quotes_and_keeps_cjk_and_emoji() {
        let s = Json::str("a\"b\\c\nd\u{1}会议😀");
        assert_eq!(s.to_json_string(), "\"a\\\"b\\\\c\\nd\\u0001会议😀\"");
        assert_eq!(parse(&s.to_json_string()).unwrap(), s);
    }

    #[test]
    fn decodes_surrogate_pairs_and_replaces_lone_ones() {
        assert_eq!(parse(r#""\ud83d\ude00""#).unwrap(), Json::str("😀"));
        assert_eq!(parse(r#""\ud83dx""#).unwrap(), Json::str("\u{FFFD}x"));
        assert_eq!(parse(r#""\ude00""#).unwrap(), Json::str("\u{FFFD}"));
        assert_eq!(parse(r#""\ud83d\u0041""#).unwrap(), Json::str("\u{FFFD}A"));
    }

    #[test]
    fn parse_members_keeps_the_named_members_and_refuses_what_parse_refuses() {
        let keys = ["success", "errorCode", "error"];
        let doc = r#"{"data":{"id":"m1","a":[1,-2.5e3,true,null,"\u4f1a\ud83d\ude00",{"x":[]}]},"success":true,"errorCode":0,"error":"","success":false}"#;
        let want = Json::Obj(vec![
            ("success".into(), Json::Bool(true)),
            ("errorCode".into(), Json::Num(0.0)),
            ("error".into(), Json::str("")),
            ("success".into(), Json::Bool(false)),
        ]);
        assert_eq!(parse_members(doc, &keys), Ok(want));
        assert_eq!(parse_members(doc, &keys).unwrap().get("success"), Some(&Json::Bool(false)));
        // Not an object: the whole value, as `parse` gives it.
        assert_eq!(parse_members("[1]", &keys), parse("[1]"));
        // A skipped member is held to JS's rules (JS parses it): any depth, any number of
        // JSON's grammar; a kept one to this parser's.
        let deep = |n: usize| format!("{{\"data\":{}0{}}}", "[{\"a\":".repeat(n), "}]".repeat(n));
        for fine in [deep(MAX_DEPTH).as_str(), deep(10_000).as_str(), r#"{"data":{"a":[1e400,-1e999]},"success":true}"#] {
            assert!(matches!(parse_members(fine, &keys), Ok(Json::Obj(_))), "{fine:.40}");
        }
        assert_eq!(parse_members(r#"{"success":1e400}"#, &keys).unwrap_err().reason, "number out of range");
        assert_eq!(parse_members(&deep(MAX_DEPTH).replace("data", "error"), &keys).unwrap_err().reason, "nesting too deep");
        // Otherwise a skipped member is checked all the same: the same error at the same place.
        for bad in [
            r#"{"data":"\x","success":true}"#,
            r#"{"data":"\u12","success":true}"#,
            "{\"data\":\"a\u{1}\",\"success\":true}",
            r#"{"data":{"a" 1},"success":true}"#,
            r#"{"data":{1:1},"success":true}"#,
            r#"{"data":[1,],"success":true}"#,
            r#"{"data":[1 2],"success":true}"#,
            r#"{"data":{"a":1,},"success":true}"#,
            r#"{"data":{"a":1 "b":2},"success":true}"#,
            r#"{"data":nul,"success":true}"#,
            r#"{"data":[1],"success":true} x"#,
            r#"{"data":[1],"success":true"#,
            r#"{"data":"abc"#,
        ] {
            let e = parse(bad).unwrap_err();
            assert_eq!(parse_members(bad, &keys), Err(e), "{bad:?}");
        }
    }

    #[test]
    fn refuses_malformed_truncated_and_absurd_documents() {
        for bad in [
            "",
            " ",
            "{",
            "[1,",
            "{\"a\":}",
            "01",
            "1.",
            "-",
            "1e400",
            "-1e400",
            "nul",
            "\"abc",
            "[1]]",
            "{\"a\" 1}",
            "<html></html>",
            "\"\\x\"",
            "\"\\u12\"",
            "\"a\u{1}\"",
            "{'a':1}",
        ] {
            assert!(parse(bad).is_err(), "accepted {bad:?}");
        }
        let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert_eq!(parse(&deep).unwrap_err().reason, "nesting too deep");
        let ok = "[".repeat(MAX_DEPTH - 1) + &"]".repeat(MAX_DEPTH - 1);
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn get_finds_members_and_type_names_read_well() {
        let v = parse(r#"{"errors":null,"chatRoom":{"id":"1"}}"#).unwrap();
        assert!(v.get("errors").unwrap().is_null());
        assert_eq!(v.get("chatRoom").and_then(|r| r.get("id")).and_then(Json::as_str), Some("1"));
        assert_eq!(v.get("missing"), None);
        assert_eq!(Json::Arr(vec![]).type_name(), "an array");
    }
}
