//! Searching text for text, byte by byte. core's `str` searches for a `&str` pattern (`find`,
//! `contains`, `replace`, `split_once`) link its two-way searcher, and through it the panic
//! messages of string slicing with their `Debug` formatting: 5 KiB of wasm for what these few
//! lines do on texts the size of an error message or a URL. A UTF-8 needle found in UTF-8 text
//! starts and ends on character boundaries, so the pieces they cut are valid `str`s.

use crate::prelude::*;

/// Where `needle` first occurs in `text`; an empty needle occurs at 0.
pub fn find(text: &str, needle: &str) -> Option<usize> {
    let (h, n) = (text.as_bytes(), needle.as_bytes());
    let Some(&first) = n.first() else { return Some(0) };
    let last_start = h.len().checked_sub(n.len())?;
    (0..=last_start).find(|&i| h.get(i) == Some(&first) && h.get(i..i + n.len()) == Some(n))
}

pub fn contains(text: &str, needle: &str) -> bool {
    find(text, needle).is_some()
}

/// The text before and after the first `needle`.
pub fn split_once<'a>(text: &'a str, needle: &str) -> Option<(&'a str, &'a str)> {
    let i = find(text, needle)?;
    Some((text.get(..i)?, text.get(i + needle.len()..)?))
}

/// `text` with every `needle` replaced by `with`; `None` when there is none (or the needle is
/// empty), so that the common case allocates nothing.
pub fn replace_all(text: &str, needle: &str, with: &str) -> Option<String> {
    if needle.is_empty() {
        return None;
    }
    let mut rest = text;
    let mut out = String::new();
    while let Some((before, after)) = split_once(rest, needle) {
        out.push_str(before);
        out.push_str(with);
        rest = after;
    }
    if rest.len() == text.len() {
        return None;
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_and_replaces_as_str_does() {
        for (text, needle) in [("", "a"), ("a", ""), ("abcabc", "bc"), ("会议会议", "议"), ("xx", "xxx"), ("aaa", "aa"), ("tok tok", "tok")]
        {
            assert_eq!(find(text, needle), text.find(needle), "{text:?} {needle:?}");
            assert_eq!(split_once(text, needle), text.split_once(needle), "{text:?} {needle:?}");
            let want = (!needle.is_empty() && text.contains(needle)).then(|| text.replace(needle, "***"));
            assert_eq!(replace_all(text, needle, "***"), want, "{text:?} {needle:?}");
        }
    }
}
