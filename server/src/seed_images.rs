//! Generated product photos for the demo catalog: a soft studio backdrop in the category's
//! colour with a simple "object" whose shape and tint vary per product, so every card looks
//! different. They go through the same upload path as a seller's images.

use app::catalog::service::images::{self, NewImage};
use app::catalog::ProductId;
use app::platform::state::AppState;
use app::seller::SellerId;
use image::{ImageFormat, Rgb, RgbImage};
use std::io::Cursor;

const SIZE: u32 = 640;

/// HSL (h in degrees, s and l in 0..1) to RGB.
fn hsl(h: f32, s: f32, l: f32) -> [f32; 3] {
    let c = (1.0 - (2.0 * l - 1.0).abs()) * s;
    let hp = (h.rem_euclid(360.0)) / 60.0;
    let x = c * (1.0 - (hp % 2.0 - 1.0).abs());
    let (r, g, b) = match hp as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = l - c / 2.0;
    [r + m, g + m, b + m]
}

fn to_px(c: [f32; 3]) -> Rgb<u8> {
    Rgb(c.map(|v| (v.clamp(0.0, 1.0) * 255.0).round() as u8))
}

fn mix(a: [f32; 3], b: [f32; 3], t: f32) -> [f32; 3] {
    [0, 1, 2].map(|i| a[i] + (b[i] - a[i]) * t)
}

/// A JPEG for product `n` of a category with hue `hue`.
pub fn render(hue: f32, n: u32) -> Vec<u8> {
    let back_top = hsl(hue, 0.45, 0.93);
    let back_bottom = hsl(hue, 0.40, 0.82);
    let body = hsl(
        hue + (n % 5) as f32 * 24.0 - 48.0,
        0.55,
        0.45 + (n % 3) as f32 * 0.08,
    );
    let shade = mix(body, [0.0, 0.0, 0.0], 0.35);
    let shape = n % 3;
    let c = SIZE as f32 / 2.0;
    let r = SIZE as f32 * (0.26 + (n % 4) as f32 * 0.025);
    let img = RgbImage::from_fn(SIZE, SIZE, |x, y| {
        let (fx, fy) = (x as f32, y as f32);
        let mut px = mix(back_top, back_bottom, fy / SIZE as f32);
        // A soft floor shadow under the object.
        let (sx, sy) = ((fx - c) / (r * 1.1), (fy - (c + r * 1.05)) / (r * 0.22));
        let floor = sx * sx + sy * sy;
        if floor < 1.0 {
            px = mix(px, [0.0, 0.0, 0.0], 0.18 * (1.0 - floor));
        }
        let (dx, dy) = (fx - c, fy - c);
        let inside = match shape {
            0 => dx * dx + dy * dy < r * r,
            1 => dx.abs() < r * 0.85 && dy.abs() < r * 0.85,
            _ => dy > -r && dy < r && dx.abs() < r * (0.35 + 0.65 * (dy + r) / (2.0 * r)),
        };
        if inside {
            // Light from the top left.
            let t = ((dx + dy) / (2.0 * r) + 0.5).clamp(0.0, 1.0);
            px = mix(mix(body, [1.0, 1.0, 1.0], 0.18), shade, t);
        }
        to_px(px)
    });
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, ImageFormat::Jpeg)
        .expect("encoding a generated image cannot fail");
    out.into_inner()
}

/// Gives every image-less demo product one generated picture. Returns how many got one.
pub async fn demo(state: &AppState, seller: SellerId) -> Result<usize, String> {
    let err = |e: &dyn std::fmt::Display| format!("demo images: {e}");
    let rows: Vec<(ProductId, String, i32, i64)> = sqlx::query_as(
        "SELECT p.id, p.name,
                coalesce((SELECT abs(hashtext(c.slug)) % 360 FROM product_categories pc
                          JOIN categories c ON c.id = pc.category_id
                          WHERE pc.product_id = p.id AND pc.is_primary), 200),
                row_number() OVER (ORDER BY p.created_at, p.id)
         FROM products p
         WHERE p.seller_id = $1 AND p.deleted_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM product_images i WHERE i.product_id = p.id)",
    )
    .bind(seller)
    .fetch_all(&state.db)
    .await
    .map_err(|e| err(&e))?;
    let total = rows.len();
    for (id, name, hue, n) in rows {
        let bytes = tokio::task::spawn_blocking(move || render(hue as f32, n as u32))
            .await
            .map_err(|e| err(&e))?;
        images::add_image(
            &state.db,
            &state.settings.storage,
            seller,
            None,
            id,
            NewImage {
                original_name: "demo.jpg",
                bytes,
                alt_text: Some(&name),
            },
        )
        .await
        .map_err(|e| err(&e))?;
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    #[test]
    fn generated_images_are_valid_and_differ() {
        let a = super::render(10.0, 1);
        let b = super::render(10.0, 2);
        assert_ne!(a, b);
        let img = image::load_from_memory(&a).unwrap();
        assert_eq!((img.width(), img.height()), (super::SIZE, super::SIZE));
    }
}
