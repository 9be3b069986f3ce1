-- Storefront search (issue 18): Korean without spaces and with small typos.
--
-- A product's `search_key` is its name lower-cased with every Hangul syllable split into its
-- letters (jamo): "머그컵" → "ㅁㅓㄱㅡㅋㅓㅂ". Trigrams over letters rather than syllables
-- make a one-letter typo ("머그켭") cost one or two trigrams, not every trigram of the
-- syllable. `catalog::domain::search_key` is the same function in Rust, for the query; a test
-- keeps the two equal.
--
-- Trigrams treat Hangul as word characters only under a UTF-8 ctype (the project's own
-- cluster is C.UTF-8); under a plain "C" database, Korean search falls back to a scan.
CREATE FUNCTION search_jamo(t TEXT) RETURNS TEXT AS $$
DECLARE
    cho CONSTANT TEXT := 'ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ';
    jung CONSTANT TEXT := 'ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ';
    jong CONSTANT TEXT := ' ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ';
    out TEXT := '';
    c TEXT;
    code INT;
BEGIN
    FOREACH c IN ARRAY regexp_split_to_array(lower(t), '') LOOP
        code := ascii(c) - 44032; -- U+AC00, the first syllable
        IF code >= 0 AND code < 11172 THEN
            out := out || substr(cho, code / 588 + 1, 1) || substr(jung, (code % 588) / 28 + 1, 1);
            IF code % 28 > 0 THEN
                out := out || substr(jong, code % 28 + 1, 1);
            END IF;
        ELSIF c ~ '\s' THEN
            out := out || ' ';
        ELSE
            out := out || c;
        END IF;
    END LOOP;
    RETURN out;
END
$$ LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE;

ALTER TABLE products ADD COLUMN search_key TEXT GENERATED ALWAYS AS (search_jamo(name)) STORED;

-- Words typed apart or together match alike: the compact key has no spaces.
CREATE INDEX idx_products_search_compact ON products
    USING gin ((replace(search_key, ' ', '')) gin_trgm_ops);
-- A typo in one word: word similarity against the spaced key.
CREATE INDEX idx_products_search_words ON products USING gin (search_key gin_trgm_ops);
