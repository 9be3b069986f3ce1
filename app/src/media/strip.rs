//! Removes metadata (EXIF with its GPS position, XMP, comments, text chunks) from uploaded
//! images without re-encoding their pixels. Published originals must not tell where a
//! photo was taken. Colour profiles and what decoders need (JFIF, Adobe) are kept.

use super::image::Kind;

/// The same image without its metadata, or `None` if the file is not well-formed enough to
/// walk (the caller then re-encodes it).
pub fn strip(kind: Kind, bytes: &[u8]) -> Option<Vec<u8>> {
    match kind {
        Kind::Jpeg => jpeg(bytes),
        Kind::Png => png(bytes),
        Kind::Webp => webp(bytes),
        Kind::Gif => gif(bytes),
    }
}

fn jpeg(b: &[u8]) -> Option<Vec<u8>> {
    if !b.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut out = vec![0xFF, 0xD8];
    let mut i = 2;
    loop {
        // Fill bytes may precede a marker.
        while b.get(i) == Some(&0xFF) && b.get(i + 1) == Some(&0xFF) {
            i += 1;
        }
        if *b.get(i)? != 0xFF {
            return None;
        }
        let marker = *b.get(i + 1)?;
        if marker == 0xDA || marker == 0xD9 {
            // Start of scan (or an image without one): the rest is pixel data, copied as is.
            out.extend_from_slice(&b[i..]);
            return Some(out);
        }
        let len = u16::from_be_bytes([*b.get(i + 2)?, *b.get(i + 3)?]) as usize;
        let end = i + 2 + len;
        if len < 2 || end > b.len() {
            return None;
        }
        // APP1 (EXIF, XMP), APP3–APP13 and APP15, and comments go. APP0 (JFIF), APP2 (ICC
        // profile) and APP14 (Adobe colour transform) stay: decoders need them.
        let drop = matches!(marker, 0xE1 | 0xE3..=0xED | 0xEF | 0xFE);
        if !drop {
            out.extend_from_slice(&b[i..end]);
        }
        i = end;
    }
}

fn png(b: &[u8]) -> Option<Vec<u8>> {
    const SIG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    if !b.starts_with(SIG) {
        return None;
    }
    let mut out = SIG.to_vec();
    let mut i = SIG.len();
    while i < b.len() {
        let len = u32::from_be_bytes(b.get(i..i + 4)?.try_into().ok()?) as usize;
        let end = i.checked_add(12)?.checked_add(len)?;
        if end > b.len() {
            return None;
        }
        let kind = &b[i + 4..i + 8];
        if !matches!(kind, b"tEXt" | b"zTXt" | b"iTXt" | b"eXIf" | b"tIME") {
            out.extend_from_slice(&b[i..end]);
        }
        i = end;
    }
    Some(out)
}

fn webp(b: &[u8]) -> Option<Vec<u8>> {
    if b.len() < 12 || &b[..4] != b"RIFF" || &b[8..12] != b"WEBP" {
        return None;
    }
    let mut body = b"WEBP".to_vec();
    let mut i = 12;
    while i + 8 <= b.len() {
        let fourcc = &b[i..i + 4];
        let len = u32::from_le_bytes(b[i + 4..i + 8].try_into().ok()?) as usize;
        let end = (i + 8).checked_add(len + (len & 1))?.min(b.len());
        if i + 8 + len > b.len() {
            return None;
        }
        match fourcc {
            b"EXIF" | b"XMP " => {}
            b"VP8X" => {
                let start = body.len();
                body.extend_from_slice(&b[i..end]);
                // The extended header's flags announce EXIF (0x08) and XMP (0x04).
                if let Some(flags) = body.get_mut(start + 8) {
                    *flags &= !0x0C;
                }
            }
            _ => body.extend_from_slice(&b[i..end]),
        }
        i = end;
    }
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&u32::try_from(body.len()).ok()?.to_le_bytes());
    out.extend_from_slice(&body);
    Some(out)
}

fn gif(b: &[u8]) -> Option<Vec<u8>> {
    if b.len() < 13 || !b.starts_with(b"GIF8") {
        return None;
    }
    let table = |flags: u8| {
        if flags & 0x80 != 0 {
            3usize << ((flags & 7) + 1)
        } else {
            0
        }
    };
    let mut i = 13 + table(b[10]);
    let mut out = b.get(..i)?.to_vec();
    // Data sub-blocks: a length byte, that many bytes, until a zero length.
    let sub_blocks = |mut j: usize| -> Option<usize> {
        loop {
            let n = *b.get(j)? as usize;
            j += 1 + n;
            if n == 0 {
                return Some(j);
            }
        }
    };
    loop {
        match *b.get(i)? {
            0x3B => {
                out.push(0x3B);
                return Some(out);
            }
            0x21 => {
                let label = *b.get(i + 1)?;
                let end = sub_blocks(i + 2)?;
                // Comments and application data (XMP) go; the looping extension stays.
                let keep = match label {
                    0xFE => false,
                    0xFF => b.get(i + 3..i + 14) == Some(b"NETSCAPE2.0"),
                    _ => true,
                };
                if keep {
                    out.extend_from_slice(b.get(i..end)?);
                }
                i = end;
            }
            0x2C => {
                let flags = *b.get(i + 9)?;
                let data = i + 10 + table(flags) + 1;
                let end = sub_blocks(data)?;
                out.extend_from_slice(b.get(i..end)?);
                i = end;
            }
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"GPS 37.5665N 126.9780E";

    #[test]
    fn jpeg_loses_exif_and_comments_but_keeps_its_pixels() {
        let img = image::RgbImage::from_pixel(16, 16, image::Rgb([200, 10, 10]));
        let mut plain = Vec::new();
        image::codecs::jpeg::JpegEncoder::new(&mut plain)
            .encode_image(&img)
            .unwrap();
        // SOI, then an APP1 "Exif" segment and a comment carrying the secret.
        let mut tagged = vec![0xFF, 0xD8];
        for marker in [0xE1u8, 0xFE] {
            let mut body = b"Exif\0\0".to_vec();
            body.extend_from_slice(SECRET);
            tagged.extend_from_slice(&[0xFF, marker]);
            tagged.extend_from_slice(&((body.len() + 2) as u16).to_be_bytes());
            tagged.extend_from_slice(&body);
        }
        tagged.extend_from_slice(&plain[2..]);
        let clean = strip(Kind::Jpeg, &tagged).unwrap();
        assert!(!contains(&clean, SECRET));
        assert_eq!(clean, plain);
        assert!(image::load_from_memory(&clean).is_ok());
    }

    #[test]
    fn png_loses_text_and_exif_chunks() {
        let img = image::RgbaImage::from_pixel(4, 4, image::Rgba([1, 2, 3, 128]));
        let mut plain = std::io::Cursor::new(Vec::new());
        img.write_to(&mut plain, image::ImageFormat::Png).unwrap();
        let plain = plain.into_inner();
        let mut tagged = plain[..33].to_vec(); // signature + IHDR
        for kind in [b"tEXt", b"eXIf"] {
            tagged.extend_from_slice(&(SECRET.len() as u32).to_be_bytes());
            tagged.extend_from_slice(kind);
            tagged.extend_from_slice(SECRET);
            tagged.extend_from_slice(&[0, 0, 0, 0]); // CRC: not checked by the walk
        }
        tagged.extend_from_slice(&plain[33..]);
        let clean = strip(Kind::Png, &tagged).unwrap();
        assert!(!contains(&clean, SECRET));
        assert_eq!(clean, plain);
    }

    #[test]
    fn webp_loses_exif_and_its_flag() {
        let mut body = b"WEBP".to_vec();
        body.extend_from_slice(b"VP8X");
        body.extend_from_slice(&10u32.to_le_bytes());
        body.extend_from_slice(&[0x08, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        body.extend_from_slice(b"EXIF");
        body.extend_from_slice(&(SECRET.len() as u32).to_le_bytes());
        body.extend_from_slice(SECRET);
        let mut file = b"RIFF".to_vec();
        file.extend_from_slice(&(body.len() as u32).to_le_bytes());
        file.extend_from_slice(&body);
        let clean = strip(Kind::Webp, &file).unwrap();
        assert!(!contains(&clean, SECRET));
        assert_eq!(clean[20] & 0x08, 0, "EXIF flag cleared");
        assert_eq!(
            u32::from_le_bytes(clean[4..8].try_into().unwrap()) as usize,
            clean.len() - 8
        );
    }

    #[test]
    fn gif_loses_comments() {
        let mut file = b"GIF89a".to_vec();
        file.extend_from_slice(&[1, 0, 1, 0, 0x80, 0, 0]); // 1×1, 2-colour global table
        file.extend_from_slice(&[0, 0, 0, 255, 255, 255]);
        file.extend_from_slice(&[0x21, 0xFE, SECRET.len() as u8]);
        file.extend_from_slice(SECRET);
        file.push(0);
        file.extend_from_slice(&[0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 0x01, 0, 0x3B]);
        let clean = strip(Kind::Gif, &file).unwrap();
        assert!(!contains(&clean, SECRET));
        assert!(image::load_from_memory(&clean).is_ok());
    }

    #[test]
    fn garbage_is_not_walked() {
        assert!(strip(Kind::Jpeg, b"\xFF\xD8\xFF\xE1\xFF\xFF").is_none());
        assert!(strip(Kind::Png, b"not a png").is_none());
    }

    fn contains(hay: &[u8], needle: &[u8]) -> bool {
        hay.windows(needle.len()).any(|w| w == needle)
    }
}
