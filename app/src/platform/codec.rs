//! A resource codec: JSON, carried in the page as base64.
//!
//! Leptos writes each resolved resource into the page as a string literal escaped with
//! Rust's `{:?}`. JSON is full of quotes, and Korean text is outside ASCII, so that escaping
//! walked the payload character by character and was one of the largest costs of rendering
//! a catalog page. Base64 has no character that needs escaping: the literal is written in one
//! pass. The browser decodes it and parses the same JSON with `serde_json`.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::{de::DeserializeOwned, Serialize};

pub struct Base64Json;

#[derive(Debug, thiserror::Error)]
pub enum CodecError {
    #[error("resource JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("resource base64: {0}")]
    Base64(#[from] base64::DecodeError),
}

impl<T: Serialize> codee::Encoder<T> for Base64Json {
    type Error = CodecError;
    type Encoded = String;

    fn encode(val: &T) -> Result<String, Self::Error> {
        Ok(STANDARD.encode(serde_json::to_vec(val)?))
    }
}

impl<T: DeserializeOwned> codee::Decoder<T> for Base64Json {
    type Error = CodecError;
    type Encoded = str;

    fn decode(val: &str) -> Result<T, Self::Error> {
        Ok(serde_json::from_slice(&STANDARD.decode(val)?)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use codee::{Decoder, Encoder};

    #[test]
    fn korean_emoji_and_markup_round_trip_without_characters_to_escape() {
        let value = vec![
            "패션 > 여성의류".to_owned(),
            "mug ☕ 🍵".to_owned(),
            "\"q\"\n</script>".to_owned(),
        ];
        let encoded = <Base64Json as Encoder<Vec<String>>>::encode(&value).unwrap();
        assert!(
            encoded
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b)),
            "{encoded}"
        );
        assert_eq!(format!("{encoded:?}"), format!("\"{encoded}\""));
        let back: Vec<String> = <Base64Json as Decoder<Vec<String>>>::decode(&encoded).unwrap();
        assert_eq!(back, value);
        assert!(<Base64Json as Decoder<Vec<String>>>::decode("%%%").is_err());
    }
}
