//! Image checks and thumbnails. CPU-bound: call from `spawn_blocking`.

use super::MediaError;
use image::{ImageFormat, ImageReader, Limits};
use std::io::Cursor;

/// Square thumbnails for cards and the gallery strip.
pub const THUMB_SIZE: u32 = 480;
/// Larger sides are refused: decoding them would cost too much memory.
pub const MAX_SIDE: u32 = 8000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Jpeg,
    Png,
    Webp,
    Gif,
}

impl Kind {
    pub fn mime(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Webp => "image/webp",
            Self::Gif => "image/gif",
        }
    }

    pub fn ext(self) -> &'static str {
        match self {
            Self::Jpeg => "jpg",
            Self::Png => "png",
            Self::Webp => "webp",
            Self::Gif => "gif",
        }
    }

    fn format(self) -> ImageFormat {
        match self {
            Self::Jpeg => ImageFormat::Jpeg,
            Self::Png => ImageFormat::Png,
            Self::Webp => ImageFormat::WebP,
            Self::Gif => ImageFormat::Gif,
        }
    }
}

/// The type by the file's first bytes; the name and the browser's claim are not trusted
/// (an SVG or HTML file renamed to .png must never be served as an image).
pub fn sniff(bytes: &[u8]) -> Option<Kind> {
    match bytes {
        [0xFF, 0xD8, 0xFF, ..] => Some(Kind::Jpeg),
        [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Some(Kind::Png),
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => Some(Kind::Webp),
        [b'G', b'I', b'F', b'8', b'7' | b'9', b'a', ..] => Some(Kind::Gif),
        _ => None,
    }
}

#[derive(Debug)]
pub struct Processed {
    pub kind: Kind,
    pub width: u32,
    pub height: u32,
    /// A JPEG, cropped to a centred square.
    pub thumbnail: Vec<u8>,
}

/// Checks size, type and dimensions, decodes, and renders the thumbnail.
pub fn process(bytes: &[u8], max_bytes: usize) -> Result<Processed, MediaError> {
    if bytes.len() > max_bytes {
        return Err(MediaError::TooLarge);
    }
    let kind = sniff(bytes).ok_or(MediaError::UnsupportedType)?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), kind.format());
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    let img = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => MediaError::TooManyPixels,
        other => MediaError::Unreadable(other.to_string()),
    })?;
    let (width, height) = (img.width(), img.height());
    let thumb = img
        .resize_to_fill(
            THUMB_SIZE,
            THUMB_SIZE,
            image::imageops::FilterType::Triangle,
        )
        .into_rgb8();
    let mut thumbnail = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut thumbnail, 82)
        .encode_image(&thumb)
        .map_err(|e| MediaError::Unreadable(e.to_string()))?;
    Ok(Processed {
        kind,
        width,
        height,
        thumbnail,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        });
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn types_are_told_by_content() {
        assert_eq!(sniff(&png(2, 2)), Some(Kind::Png));
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0rest"), Some(Kind::Jpeg));
        assert_eq!(sniff(b"GIF89a...."), Some(Kind::Gif));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some(Kind::Webp));
        assert_eq!(sniff(b"<svg xmlns='http://www.w3.org/2000/svg'/>"), None);
        assert_eq!(sniff(b"\x89PN"), None);
    }

    #[test]
    fn thumbnails_are_square_jpegs() {
        let p = process(&png(900, 600), 10 << 20).unwrap();
        assert_eq!((p.kind, p.width, p.height), (Kind::Png, 900, 600));
        assert_eq!(sniff(&p.thumbnail), Some(Kind::Jpeg));
        let t = image::load_from_memory(&p.thumbnail).unwrap();
        assert_eq!((t.width(), t.height()), (THUMB_SIZE, THUMB_SIZE));
    }

    #[test]
    fn bad_uploads_are_named() {
        let small = png(40, 40);
        assert!(matches!(
            process(&small, small.len() - 1),
            Err(MediaError::TooLarge)
        ));
        assert!(matches!(
            process(b"hello, world", 1 << 20),
            Err(MediaError::UnsupportedType)
        ));
        let mut truncated = png(300, 300);
        truncated.truncate(60);
        assert!(matches!(
            process(&truncated, 1 << 20),
            Err(MediaError::Unreadable(_))
        ));
        // Wider than MAX_SIDE: refused by the decoder's limits, not decoded.
        let wide = png(MAX_SIDE + 1, 1);
        assert!(matches!(
            process(&wide, 1 << 20),
            Err(MediaError::TooManyPixels)
        ));
    }
}
