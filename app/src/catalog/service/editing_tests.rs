//! Images and product editing against a real Postgres (and a temporary storage folder).
use crate::catalog::domain::BundleItem;
use crate::catalog::{CategoryId, ProductId};
use crate::inventory::SkuId;
use crate::platform::money::PriceAdjustment;

fn adj(raw: &str) -> PriceAdjustment {
    PriceAdjustment::parse("price_adjustment", raw).expect("a valid adjustment")
}

fn item(sku: SkuId, quantity: i32) -> BundleItem {
    BundleItem { sku, quantity }
}

use super::images::{add_image, change_image, delete_image, product_images, ImageChange, NewImage};
use super::tests::{input, listed, tree};
use super::*;
use crate::media::Storage;
use crate::platform::testing::seller;
use std::io::Cursor;

fn storage() -> (Storage, std::path::PathBuf) {
    let root = std::env::temp_dir().join(format!("jangteo-test-{}", Uuid::new_v4()));
    (Storage::new(&root, 2 << 20), root)
}

fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, _| image::Rgb([(x % 200) as u8, 80, 160]));
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

fn upload(bytes: Vec<u8>) -> NewImage<'static> {
    NewImage {
        original_name: "C:\\photos\\셔츠.png",
        bytes,
        alt_text: Some("빨간 셔츠"),
    }
}

async fn stored_keys(db: &PgPool, product: ProductId) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT file_key FROM files WHERE reference_type = 'product' AND reference_id = $1 ORDER BY file_key",
    )
    .bind(product)
    .fetch_all(db)
    .await
    .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn images_are_stored_thumbnailed_ordered_and_removed(db: PgPool) {
    let (leaf, _) = tree(&db).await;
    let owner = seller(&db).await;
    let (store, root) = storage();
    let id = create_product(&db, owner, None, input("셔츠", "10000", leaf))
        .await
        .unwrap();

    let first = add_image(&db, &store, owner, None, id, upload(png(900, 600)))
        .await
        .unwrap();
    assert!(first.is_primary, "the first image becomes the primary one");
    let thumb = first.thumbnail_url.clone().unwrap();
    let on_disk = |url: &str| root.join(url.trim_start_matches("/media/"));
    assert!(on_disk(&first.url).is_file());
    let t = image::open(on_disk(&thumb)).unwrap();
    assert_eq!((t.width(), t.height()), (480, 480));
    let row: (String, String, i64, serde_json::Value) = sqlx::query_as(
        "SELECT original_name, mime_type, size_bytes, metadata FROM files WHERE reference_id = $1",
    )
    .bind(id)
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!((row.0.as_str(), row.1.as_str()), ("셔츠.png", "image/png"));
    assert_eq!(row.2, png(900, 600).len() as i64);
    assert_eq!(row.3["width"], 900);

    let second = add_image(&db, &store, owner, None, id, upload(png(50, 50)))
        .await
        .unwrap();
    assert!(!second.is_primary);
    // Cards show the primary thumbnail, through every change of the gallery.
    let card_thumb = || async {
        seller_products(&db, owner).await.unwrap()[0]
            .thumbnail_url
            .clone()
    };
    assert_eq!(card_thumb().await.as_deref(), Some(thumb.as_str()));

    change_image(&db, owner, id, second.id, ImageChange::MoveUp)
        .await
        .unwrap();
    change_image(&db, owner, id, second.id, ImageChange::MakePrimary)
        .await
        .unwrap();
    let gallery = product_images(&db, id).await.unwrap();
    assert_eq!(
        gallery
            .iter()
            .map(|i| (i.id, i.is_primary))
            .collect::<Vec<_>>(),
        vec![(second.id, true), (first.id, false)]
    );
    assert_eq!(card_thumb().await, second.thumbnail_url);

    // Deleting the primary image promotes the next one and removes both files.
    delete_image(&db, &store, owner, id, second.id)
        .await
        .unwrap();
    assert!(!on_disk(&second.url).exists());
    assert!(!on_disk(second.thumbnail_url.as_deref().unwrap()).exists());
    let gallery = product_images(&db, id).await.unwrap();
    assert_eq!(gallery.len(), 1);
    assert!(gallery[0].is_primary);
    assert_eq!(card_thumb().await.as_deref(), Some(thumb.as_str()));
    assert_eq!(stored_keys(&db, id).await.len(), 1);
    delete_image(&db, &store, owner, id, first.id)
        .await
        .unwrap();
    assert_eq!(card_thumb().await, None, "no images, no thumbnail");
    let _ = std::fs::remove_dir_all(root);
}

#[sqlx::test(migrations = "../migrations")]
async fn bad_uploads_and_strangers_store_nothing(db: PgPool) {
    let (leaf, _) = tree(&db).await;
    let owner = seller(&db).await;
    let stranger = seller(&db).await;
    let (store, root) = storage();
    let id = create_product(&db, owner, None, input("셔츠", "10000", leaf))
        .await
        .unwrap();
    let field = |r: Result<_, CatalogError>| match r {
        Err(CatalogError::Media(e)) => e.field_error("image").map(|f| f.msg),
        Err(CatalogError::Invalid(f)) => f.first().map(|f| f.msg),
        other => panic!("expected a field error, got {:?}", other.map(|_| ())),
    };
    let svg = b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>".to_vec();
    assert_eq!(
        field(add_image(&db, &store, owner, None, id, upload(svg)).await),
        Some(Msg::ErrImageType)
    );
    let small = Storage::new(&root, 1000);
    assert_eq!(
        field(add_image(&db, &small, owner, None, id, upload(png(400, 400))).await),
        Some(Msg::ErrImageTooLarge)
    );
    assert!(matches!(
        add_image(&db, &store, stranger, None, id, upload(png(10, 10))).await,
        Err(CatalogError::NotFound)
    ));
    assert!(stored_keys(&db, id).await.is_empty());
    let files_on_disk = walk(&root);
    assert!(files_on_disk.is_empty(), "{files_on_disk:?}");

    for _ in 0..images::MAX_IMAGES {
        add_image(&db, &store, owner, None, id, upload(png(10, 10)))
            .await
            .unwrap();
    }
    assert_eq!(
        field(add_image(&db, &store, owner, None, id, upload(png(10, 10))).await),
        Some(Msg::ErrTooManyImages)
    );
    let image = product_images(&db, id).await.unwrap()[0].id;
    assert!(matches!(
        delete_image(&db, &store, stranger, id, image).await,
        Err(CatalogError::NotFound)
    ));
    assert!(matches!(
        change_image(&db, stranger, id, image, ImageChange::MakePrimary).await,
        Err(CatalogError::NotFound)
    ));
    let _ = std::fs::remove_dir_all(root);
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .flat_map(|e| {
            let p = e.path();
            if p.is_dir() {
                walk(&p)
            } else {
                vec![p]
            }
        })
        .collect()
}

#[sqlx::test(migrations = "../migrations")]
async fn sellers_edit_details_categories_variants_and_delete(db: PgPool) {
    let (leaf, other) = tree(&db).await;
    let owner = seller(&db).await;
    let stranger = seller(&db).await;
    let id = create_product(&db, owner, None, input("셔츠", "10000", leaf))
        .await
        .unwrap();
    let update = |name: &str, price: &str, cats: Vec<CategoryId>| ProductUpdate {
        name: name.into(),
        description: "새 설명".into(),
        price: price.into(),
        original_price: Some("20,000".into()),
        category_ids: cats,
    };
    update_product(
        &db,
        owner,
        id,
        update("린넨 셔츠", "15,000", vec![leaf, other, leaf]),
    )
    .await
    .unwrap();
    let e = product_edit(&db, owner, id).await.unwrap();
    assert_eq!(e.name, "린넨 셔츠");
    assert_eq!(e.price, Decimal::new(15000, 0));
    assert_eq!(
        e.category_ids,
        vec![leaf, other],
        "primary first, duplicates dropped"
    );
    let discount: Decimal = sqlx::query_scalar("SELECT discount_rate FROM products WHERE id = $1")
        .bind(id)
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(discount, Decimal::new(25, 0));
    // The product is listed under both categories' trees.
    let in_food = store_listing_all(&db, "food").await;
    assert!(in_food.is_empty(), "drafts are not listed");
    sqlx::query("UPDATE products SET status = 'active' WHERE id = $1")
        .bind(id)
        .execute(&db)
        .await
        .unwrap();
    assert_eq!(store_listing_all(&db, "food").await, vec![id]);
    assert_eq!(store_listing_all(&db, "fashion").await, vec![id]);

    // Strangers cannot read or change it; bad input is named.
    assert!(matches!(
        product_edit(&db, stranger, id).await,
        Err(CatalogError::NotFound)
    ));
    assert!(matches!(
        update_product(&db, stranger, id, update("x", "1", vec![leaf])).await,
        Err(CatalogError::NotFound)
    ));
    assert!(matches!(
        update_product(&db, owner, id, update("", "-1", vec![])).await,
        Err(CatalogError::Invalid(f)) if f.len() == 3
    ));

    // Variants: a price adjustment, switching one off, and never all of them.
    let variants = product_edit(&db, owner, id).await.unwrap().variants;
    assert_eq!(variants.len(), 6);
    update_variant(&db, owner, id, variants[0].id, adj("+2,000"), true, None)
        .await
        .unwrap();
    update_variant(&db, owner, id, variants[1].id, adj("0"), false, None)
        .await
        .unwrap();
    assert!(matches!(
        update_variant(&db, owner, id, variants[2].id, adj("-20000"), true, None).await,
        Err(CatalogError::Invalid(f)) if f[0].msg == Msg::ErrVariantPrice
    ));
    let slug = product_edit(&db, owner, id).await.unwrap().slug;
    let d = product_detail(&db, &slug, Viewer::Public).await.unwrap();
    assert_eq!(
        d.variants.len(),
        5,
        "the switched-off variant is not offered"
    );
    assert_eq!(d.variants[0].price, Decimal::new(17000, 0));
    for v in &variants[2..] {
        update_variant(&db, owner, id, v.id, adj("0"), false, None)
            .await
            .unwrap();
    }
    assert!(matches!(
        update_variant(&db, owner, id, variants[0].id, adj("0"), false, None).await,
        Err(CatalogError::Invalid(f)) if f[0].msg == Msg::ErrLastVariant
    ));

    // A new size adds one variant per colour, each with its own SKU.
    assert_eq!(
        add_option_value(&db, owner, id, "사이즈", "XL")
            .await
            .unwrap(),
        2
    );
    let e = product_edit(&db, owner, id).await.unwrap();
    assert_eq!(e.options[1].values, vec!["S", "M", "L", "XL"]);
    let xl: Vec<&crate::catalog::VariantEdit> = e
        .variants
        .iter()
        .filter(|v| v.name.ends_with("/ XL"))
        .collect();
    assert_eq!(xl.len(), 2);
    assert!(xl
        .iter()
        .all(|v| v.items.len() == 1 && v.items[0].available == 0));
    assert!(matches!(
        add_option_value(&db, owner, id, "사이즈", "XL").await,
        Err(CatalogError::Invalid(f)) if f[0].msg == Msg::ErrOptionValueExists
    ));

    // Soft delete: gone from the store, the console and editing; the row stays.
    assert!(matches!(
        delete_product(&db, stranger, id).await,
        Err(CatalogError::NotFound)
    ));
    delete_product(&db, owner, id).await.unwrap();
    assert!(seller_products(&db, owner).await.unwrap().is_empty());
    assert!(store_listing_all(&db, "fashion").await.is_empty());
    assert!(matches!(
        product_detail(&db, &slug, Viewer::Public).await,
        Err(CatalogError::NotFound)
    ));
    assert!(matches!(
        product_edit(&db, owner, id).await,
        Err(CatalogError::NotFound)
    ));
    let kept: bool =
        sqlx::query_scalar("SELECT deleted_at IS NOT NULL FROM products WHERE id = $1")
            .bind(id)
            .fetch_one(&db)
            .await
            .unwrap();
    assert!(kept);
}

async fn store_listing_all(db: &PgPool, category: &str) -> Vec<ProductId> {
    let f = Filter {
        category: Some(category.into()),
        ..Filter::default()
    };
    listed(db, &f, 100)
        .await
        .items
        .into_iter()
        .map(|c| c.id)
        .collect()
}

#[sqlx::test(migrations = "../migrations")]
async fn bundles_are_filled_from_the_sellers_own_skus(db: PgPool) {
    let (leaf, _) = tree(&db).await;
    let owner = seller(&db).await;
    let stranger = seller(&db).await;
    let mug = create_product(
        &db,
        owner,
        None,
        ProductInput {
            options: vec![],
            ..input("머그", "5000", leaf)
        },
    )
    .await
    .unwrap();
    let foreign = create_product(
        &db,
        stranger,
        None,
        ProductInput {
            options: vec![],
            ..input("남의 컵", "5000", leaf)
        },
    )
    .await
    .unwrap();
    let sku_of = |p: ProductId| {
        let db = db.clone();
        async move {
            sqlx::query_scalar::<_, SkuId>(
                "SELECT m.sku_id FROM sku_mappings m JOIN product_variants v ON v.id = m.variant_id WHERE v.product_id = $1",
            )
            .bind(p)
            .fetch_one(&db)
            .await
            .unwrap()
        }
    };
    let (mug_sku, foreign_sku) = (sku_of(mug).await, sku_of(foreign).await);
    let set = create_product(
        &db,
        owner,
        None,
        ProductInput {
            options: vec![],
            product_type: ProductType::Bundle,
            ..input("머그 세트", "9000", leaf)
        },
    )
    .await
    .unwrap();
    let e = product_edit(&db, owner, set).await.unwrap();
    assert_eq!(e.product_type, "BUNDLE");
    let variant = e.variants[0].id;
    assert!(e.variants[0].items.is_empty(), "a bundle starts empty");

    set_bundle_item(&db, owner, set, variant, item(mug_sku, 2))
        .await
        .unwrap();
    assert!(matches!(
        set_bundle_item(&db, owner, set, variant, item(foreign_sku, 1)).await,
        Err(CatalogError::NotFound)
    ));
    assert!(matches!(
        set_bundle_item(&db, owner, mug, variant, item(mug_sku, 1)).await,
        Err(CatalogError::WrongState)
    ));
    // 5 mugs in stock, 2 per set: 2 sets.
    let slug = product_edit(&db, owner, set).await.unwrap().slug;
    let d = product_detail(&db, &slug, Viewer::Seller(owner))
        .await
        .unwrap();
    assert_eq!(d.variants[0].available, 2);
    assert_eq!(d.variants[0].contents.len(), 1);
    set_bundle_item(&db, owner, set, variant, item(mug_sku, 0))
        .await
        .unwrap();
    let e = product_edit(&db, owner, set).await.unwrap();
    assert!(e.variants[0].items.is_empty());
}
