//! What a shopper types into the search box, turned into the forms the listing matches
//! against `products.search_key` (migration `…17_search`).

/// At most this many words count; the rest of a pasted paragraph is ignored.
pub const MAX_WORDS: usize = 8;

const CHO: [char; 19] = [
    'ㄱ', 'ㄲ', 'ㄴ', 'ㄷ', 'ㄸ', 'ㄹ', 'ㅁ', 'ㅂ', 'ㅃ', 'ㅅ', 'ㅆ', 'ㅇ', 'ㅈ', 'ㅉ', 'ㅊ', 'ㅋ',
    'ㅌ', 'ㅍ', 'ㅎ',
];
const JUNG: [char; 21] = [
    'ㅏ', 'ㅐ', 'ㅑ', 'ㅒ', 'ㅓ', 'ㅔ', 'ㅕ', 'ㅖ', 'ㅗ', 'ㅘ', 'ㅙ', 'ㅚ', 'ㅛ', 'ㅜ', 'ㅝ', 'ㅞ',
    'ㅟ', 'ㅠ', 'ㅡ', 'ㅢ', 'ㅣ',
];
const JONG: [Option<char>; 28] = [
    None,
    Some('ㄱ'),
    Some('ㄲ'),
    Some('ㄳ'),
    Some('ㄴ'),
    Some('ㄵ'),
    Some('ㄶ'),
    Some('ㄷ'),
    Some('ㄹ'),
    Some('ㄺ'),
    Some('ㄻ'),
    Some('ㄼ'),
    Some('ㄽ'),
    Some('ㄾ'),
    Some('ㄿ'),
    Some('ㅀ'),
    Some('ㅁ'),
    Some('ㅂ'),
    Some('ㅄ'),
    Some('ㅅ'),
    Some('ㅆ'),
    Some('ㅇ'),
    Some('ㅈ'),
    Some('ㅊ'),
    Some('ㅋ'),
    Some('ㅌ'),
    Some('ㅍ'),
    Some('ㅎ'),
];

/// The SQL function `search_jamo`: lower case, each Hangul syllable as its letters, any
/// white space as one space.
pub fn search_key(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for c in text.chars().flat_map(char::to_lowercase) {
        let code = (c as u32).wrapping_sub(0xAC00);
        if code < 11172 {
            out.push(CHO[(code / 588) as usize]);
            out.push(JUNG[((code % 588) / 28) as usize]);
            if let Some(j) = JONG[(code % 28) as usize] {
                out.push(j);
            }
        } else if c.is_whitespace() {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

/// A search, ready to bind: `None` when nothing searchable was typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchTerms {
    /// The words, as keys, each a `LIKE` pattern (`%…%`, escaped).
    pub word_patterns: Vec<String>,
    /// All words run together: "머그 컵" and "머그컵" alike.
    pub compact: String,
    /// `compact` as a `LIKE` pattern.
    pub compact_pattern: String,
    /// The words with single spaces, for word similarity (typos).
    pub spaced: String,
}

impl SearchTerms {
    pub fn parse(raw: &str) -> Option<Self> {
        // Control characters (a NUL from `?q=%00`) cannot be in a name; Postgres would refuse
        // them as text, so they separate words like spaces do.
        let cleaned: String = raw
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let words: Vec<String> = cleaned
            .split_whitespace()
            .take(MAX_WORDS)
            .map(search_key)
            .collect();
        if words.is_empty() {
            return None;
        }
        let compact = words.concat();
        Some(Self {
            word_patterns: words.iter().map(|w| like_pattern(w)).collect(),
            compact_pattern: like_pattern(&compact),
            spaced: words.join(" "),
            compact,
        })
    }
}

/// `%text%`, with `LIKE`'s own characters escaped.
pub fn like_pattern(text: &str) -> String {
    format!(
        "%{}%",
        text.replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syllables_become_letters() {
        assert_eq!(search_key("머그컵"), "ㅁㅓㄱㅡㅋㅓㅂ");
        assert_eq!(search_key("값 Red\tMug"), "ㄱㅏㅄ red mug");
        assert_eq!(search_key("ㅋㅋ 1+1"), "ㅋㅋ 1+1");
    }

    #[test]
    fn spaces_do_not_matter_to_the_compact_form() {
        let a = SearchTerms::parse("시즌 머그컵").unwrap();
        let b = SearchTerms::parse("  시즌머그컵 ").unwrap();
        assert_eq!(a.compact, b.compact);
        assert_eq!(a.word_patterns.len(), 2);
        assert_eq!(
            a.spaced,
            format!("{} {}", search_key("시즌"), search_key("머그컵"))
        );
        assert_eq!(SearchTerms::parse(" \u{0} \t"), None);
        let odd = SearchTerms::parse("100%_off\\").unwrap();
        assert_eq!(odd.compact_pattern, "%100\\%\\_off\\\\%");
    }
}
