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
    /// The original without its metadata (EXIF, GPS, comments), upright.
    pub original: Vec<u8>,
    /// A JPEG, cropped to a centred square, transparency on white.
    pub thumbnail: Vec<u8>,
}

/// Checks size, type and dimensions, decodes, strips metadata and renders the thumbnail.
pub fn process(bytes: &[u8], max_bytes: usize) -> Result<Processed, MediaError> {
    use image::ImageDecoder;
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
    let unreadable = |e: image::ImageError| match e {
        image::ImageError::Limits(_) => MediaError::TooManyPixels,
        other => MediaError::Unreadable(other.to_string()),
    };
    let mut decoder = reader.into_decoder().map_err(unreadable)?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = image::DynamicImage::from_decoder(decoder).map_err(unreadable)?;
    // Phones store photos sideways with an EXIF rotation; stripping the EXIF means turning
    // the pixels themselves.
    let rotated = orientation != image::metadata::Orientation::NoTransforms;
    img.apply_orientation(orientation);
    let (width, height) = (img.width(), img.height());
    let original = if rotated && kind == Kind::Jpeg {
        encode_jpeg(&img.to_rgb8(), 90)?
    } else {
        super::strip::strip(kind, bytes)
            .ok_or_else(|| MediaError::Unreadable("malformed image structure".into()))?
    };
    let thumb = on_white(img.resize_to_fill(
        THUMB_SIZE,
        THUMB_SIZE,
        image::imageops::FilterType::Triangle,
    ));
    Ok(Processed {
        kind,
        width,
        height,
        original,
        thumbnail: encode_jpeg(&thumb, 82)?,
    })
}

/// JPEG has no transparency: see-through pixels become white, not black.
fn on_white(img: image::DynamicImage) -> image::RgbImage {
    if !img.color().has_alpha() {
        return img.into_rgb8();
    }
    let rgba = img.into_rgba8();
    image::RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let over = |c: u8| ((u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a))) / 255) as u8;
        image::Rgb([over(r), over(g), over(b)])
    })
}

fn encode_jpeg(img: &image::RgbImage, quality: u8) -> Result<Vec<u8>, MediaError> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(img)
        .map_err(|e| MediaError::Unreadable(e.to_string()))?;
    Ok(out)
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
    fn transparent_corners_become_white_not_black() {
        let img = image::RgbaImage::from_fn(600, 600, |x, y| {
            let inside = (x as i32 - 300).pow(2) + (y as i32 - 300).pow(2) < 200 * 200;
            if inside {
                image::Rgba([200, 0, 0, 255])
            } else {
                image::Rgba([0, 0, 0, 0])
            }
        });
        let mut bytes = Cursor::new(Vec::new());
        img.write_to(&mut bytes, ImageFormat::Png).unwrap();
        let p = process(&bytes.into_inner(), 10 << 20).unwrap();
        let t = image::load_from_memory(&p.thumbnail).unwrap().into_rgb8();
        let corner = t.get_pixel(2, 2).0;
        assert!(corner.iter().all(|c| *c > 240), "corner is {corner:?}");
        let centre = t.get_pixel(THUMB_SIZE / 2, THUMB_SIZE / 2).0;
        assert!(centre[0] > 150 && centre[1] < 60, "centre is {centre:?}");
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
