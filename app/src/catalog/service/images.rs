//! A product's gallery: upload (checked and thumbnailed by `media`), primary image, order
//! and removal. Only the product's seller may change it.

use super::*;
use crate::catalog::ProductImage;
use crate::media::storage::Upload;
use crate::media::Storage;

/// More would only slow the product page down.
pub const MAX_IMAGES: i64 = 10;

pub struct NewImage<'a> {
    pub original_name: &'a str,
    pub bytes: Vec<u8>,
    pub alt_text: Option<&'a str>,
}

/// Adds an image at the end of the gallery; the first one becomes the primary image.
pub async fn add_image(
    db: &PgPool,
    storage: &Storage,
    seller: SellerId,
    actor: Option<UserId>,
    product: ProductId,
    image: NewImage<'_>,
) -> Result<ProductImage, CatalogError> {
    let alt = idd::optional_text("alt_text", image.alt_text, 255)?;
    // Ownership first (a short transaction), then the slow decoding with no connection held:
    // a few large uploads must not pin the pool and stall the site.
    let mut tx = db.begin().await?;
    own_product(&mut tx, seller, product).await?;
    tx.commit().await?;
    let processed = storage.prepare_image(image.bytes).await?;
    let mut tx = db.begin().await?;
    own_product(&mut tx, seller, product).await?;
    let (count, last): (i64, Option<i32>) = sqlx::query_as(
        "SELECT count(*), max(display_order) FROM product_images WHERE product_id = $1",
    )
    .bind(product)
    .fetch_one(&mut *tx)
    .await?;
    if count >= MAX_IMAGES {
        return Err(FieldError::new("image", Msg::ErrTooManyImages).into());
    }
    let stored = storage
        .store_image(
            &mut tx,
            Upload {
                original_name: image.original_name,
                uploaded_by: actor,
                reference_type: "product",
                reference_id: product.into_uuid(),
            },
            processed,
        )
        .await?;
    let saved = async {
        let row: ProductImage = sqlx::query_as(
            "INSERT INTO product_images (product_id, file_id, url, thumbnail_url, alt_text, display_order, is_primary)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             RETURNING id, url, thumbnail_url, alt_text, is_primary",
        )
        .bind(product)
        .bind(stored.id)
        .bind(&stored.url)
        .bind(&stored.thumbnail_url)
        .bind(&alt)
        .bind(last.map_or(0, |l| l + 1))
        .bind(count == 0)
        .fetch_one(&mut *tx)
        .await?;
        product_event(&mut tx, "product.updated", product).await?;
        tx.commit().await?;
        Ok::<_, sqlx::Error>(row)
    }
    .await;
    match saved {
        Ok(row) => Ok(row),
        Err(e) => {
            // The row is gone with the transaction; the files must go too.
            storage.remove(&stored.keys).await;
            Err(e.into())
        }
    }
}

/// The gallery in display order.
pub async fn product_images(
    db: &PgPool,
    product: ProductId,
) -> Result<Vec<ProductImage>, CatalogError> {
    Ok(sqlx::query_as(
        "SELECT id, url, thumbnail_url, alt_text, is_primary FROM product_images
         WHERE product_id = $1 ORDER BY display_order, created_at",
    )
    .bind(product)
    .fetch_all(db)
    .await?)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageChange {
    MakePrimary,
    MoveUp,
    MoveDown,
}

/// Makes an image the primary one, or swaps it with its neighbour.
pub async fn change_image(
    db: &PgPool,
    seller: SellerId,
    product: ProductId,
    image: ImageId,
    change: ImageChange,
) -> Result<(), CatalogError> {
    let mut tx = db.begin().await?;
    own_product(&mut tx, seller, product).await?;
    let ids: Vec<ImageId> = sqlx::query_scalar(
        "SELECT id FROM product_images WHERE product_id = $1 ORDER BY display_order, created_at",
    )
    .bind(product)
    .fetch_all(&mut *tx)
    .await?;
    let pos = ids
        .iter()
        .position(|i| *i == image)
        .ok_or(CatalogError::NotFound)?;
    match change {
        ImageChange::MakePrimary => {
            // Two statements: the partial unique index allows one primary at any moment.
            sqlx::query(
                "UPDATE product_images SET is_primary = FALSE WHERE product_id = $1 AND is_primary",
            )
            .bind(product)
            .execute(&mut *tx)
            .await?;
            sqlx::query("UPDATE product_images SET is_primary = TRUE WHERE id = $1")
                .bind(image)
                .execute(&mut *tx)
                .await?;
        }
        ImageChange::MoveUp | ImageChange::MoveDown => {
            let mut order = ids.clone();
            let other = match change {
                ImageChange::MoveUp if pos > 0 => pos - 1,
                ImageChange::MoveDown if pos + 1 < order.len() => pos + 1,
                _ => return Ok(()),
            };
            order.swap(pos, other);
            renumber(&mut tx, &order).await?;
        }
    }
    product_event(&mut tx, "product.updated", product).await?;
    tx.commit().await?;
    Ok(())
}

async fn renumber(conn: &mut PgConnection, order: &[ImageId]) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE product_images i SET display_order = o.ord - 1
         FROM unnest($1::uuid[]) WITH ORDINALITY AS o(id, ord) WHERE i.id = o.id",
    )
    .bind(order)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Removes an image and its files. If it was the primary image, the next one takes over.
pub async fn delete_image(
    db: &PgPool,
    storage: &Storage,
    seller: SellerId,
    product: ProductId,
    image: ImageId,
) -> Result<(), CatalogError> {
    let mut tx = db.begin().await?;
    own_product(&mut tx, seller, product).await?;
    let deleted: Option<(bool, Option<Uuid>)> = sqlx::query_as(
        "DELETE FROM product_images WHERE id = $1 AND product_id = $2 RETURNING is_primary, file_id",
    )
    .bind(image)
    .bind(product)
    .fetch_optional(&mut *tx)
    .await?;
    let (was_primary, file) = deleted.ok_or(CatalogError::NotFound)?;
    if was_primary {
        sqlx::query(
            "UPDATE product_images SET is_primary = TRUE WHERE id = (
                SELECT id FROM product_images WHERE product_id = $1 ORDER BY display_order, created_at LIMIT 1)",
        )
        .bind(product)
        .execute(&mut *tx)
        .await?;
    }
    let keys = match file {
        Some(f) => Storage::forget(&mut tx, &[f]).await?,
        None => Vec::new(),
    };
    product_event(&mut tx, "product.updated", product).await?;
    tx.commit().await?;
    // Only after the commit: a rolled-back delete must still find its files.
    storage.remove(&keys).await;
    Ok(())
}
