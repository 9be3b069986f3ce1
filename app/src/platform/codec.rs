//! A resource codec: JSON in which every non-ASCII character is a `\u` escape.
//!
//! Leptos writes each resolved resource into the page as a string literal escaped with
//! Rust's `{:?}`, which looks every non-ASCII character up in Unicode tables. With Korean
//! names that escaping took about a tenth of the category page's CPU time; ASCII-only JSON
//! keeps it on the fast path. The browser decodes it with the same `serde_json`.

use serde::{de::DeserializeOwned, Serialize};
use std::fmt::Write;

pub struct AsciiJson;

impl<T: Serialize> codee::Encoder<T> for AsciiJson {
    type Error = serde_json::Error;
    type Encoded = String;

    fn encode(val: &T) -> Result<String, Self::Error> {
        serde_json::to_string(val).map(ascii_only)
    }
}

impl<T: DeserializeOwned> codee::Decoder<T> for AsciiJson {
    type Error = serde_json::Error;
    type Encoded = str;

    fn decode(val: &str) -> Result<T, Self::Error> {
        serde_json::from_str(val)
    }
}

/// Rewrites non-ASCII characters as `\uXXXX` (UTF-16, as JSON wants). serde_json only emits
/// non-ASCII inside strings, where the escape means the same character.
pub fn ascii_only(json: String) -> String {
    if json.is_ascii() {
        return json;
    }
    let mut out = String::with_capacity(json.len() * 2);
    for c in json.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use codee::{Decoder, Encoder};

    #[test]
    fn korean_and_emoji_round_trip_as_ascii() {
        let value = vec![
            "패션 > 여성의류".to_owned(),
            "mug ☕ 🍵".to_owned(),
            "\"q\"\n".to_owned(),
        ];
        let encoded = <AsciiJson as Encoder<Vec<String>>>::encode(&value).unwrap();
        assert!(encoded.is_ascii(), "{encoded}");
        assert!(
            encoded.contains("\\ud83c\\udf75"),
            "surrogate pair for 🍵: {encoded}"
        );
        let back: Vec<String> = <AsciiJson as Decoder<Vec<String>>>::decode(&encoded).unwrap();
        assert_eq!(back, value);
    }
}
