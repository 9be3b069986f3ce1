//! Demo catalog: a three-level category tree and a few hundred products in Korean and English,
//! with options, stock and one bundle, all on sale from the demo seller.

use app::catalog::service::{self as catalog, ProductInput};
use app::catalog::CategoryId;
use app::identity::UserId;
use app::inventory::service as inventory;
use app::inventory::SkuId;
use app::platform::state::AppState;
use app::seller::SellerId;
use uuid::Uuid;

type Leaf = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    u32,
);
/// (slug, Korean name, English name, children)
type Node<C> = (&'static str, &'static str, &'static str, &'static [C]);

/// (root slug, ko, en) → (mid slug, ko, en) → leaves (slug, ko, en, option 1 "name:values", option 2, base price)
const TREE: &[Node<Node<Leaf>>] = &[
    (
        "fashion",
        "패션",
        "Fashion",
        &[
            (
                "fashion-women",
                "여성의류",
                "Women",
                &[
                    (
                        "women-tshirts",
                        "티셔츠",
                        "T-shirt",
                        "색상:화이트,블랙,네이비",
                        "사이즈:S,M,L",
                        19900,
                    ),
                    (
                        "women-dresses",
                        "원피스",
                        "Dress",
                        "색상:베이지,블랙",
                        "사이즈:S,M,L",
                        49900,
                    ),
                ],
            ),
            (
                "fashion-men",
                "남성의류",
                "Men",
                &[
                    (
                        "men-shirts",
                        "셔츠",
                        "Shirt",
                        "색상:화이트,스카이블루",
                        "사이즈:M,L,XL",
                        39900,
                    ),
                    (
                        "men-pants",
                        "바지",
                        "Trousers",
                        "색상:차콜,베이지",
                        "사이즈:30,32,34",
                        45900,
                    ),
                ],
            ),
        ],
    ),
    (
        "digital",
        "디지털",
        "Digital",
        &[
            (
                "digital-audio",
                "음향기기",
                "Audio",
                &[
                    (
                        "audio-earphones",
                        "무선 이어폰",
                        "Wireless Earbuds",
                        "색상:화이트,블랙",
                        "",
                        89000,
                    ),
                    (
                        "audio-speakers",
                        "블루투스 스피커",
                        "Bluetooth Speaker",
                        "색상:그레이,네이비",
                        "",
                        59000,
                    ),
                ],
            ),
            (
                "digital-computer",
                "컴퓨터 주변기기",
                "Computer accessories",
                &[
                    (
                        "computer-keyboards",
                        "기계식 키보드",
                        "Mechanical Keyboard",
                        "스위치:적축,갈축,청축",
                        "",
                        129000,
                    ),
                    (
                        "computer-mice",
                        "무선 마우스",
                        "Wireless Mouse",
                        "색상:블랙,화이트",
                        "",
                        39000,
                    ),
                ],
            ),
        ],
    ),
    (
        "food",
        "식품",
        "Food",
        &[
            (
                "food-fruit",
                "과일",
                "Fruit",
                &[
                    ("fruit-apples", "사과", "Apples", "중량:3kg,5kg", "", 29900),
                    (
                        "fruit-tangerines",
                        "제주 감귤",
                        "Jeju Tangerines",
                        "중량:3kg,5kg,10kg",
                        "",
                        19900,
                    ),
                ],
            ),
            (
                "food-snacks",
                "간식",
                "Snacks",
                &[
                    (
                        "snacks-nuts",
                        "하루견과",
                        "Daily Nuts",
                        "구성:20봉,50봉",
                        "",
                        24900,
                    ),
                    (
                        "snacks-cookies",
                        "수제 쿠키",
                        "Handmade Cookies",
                        "맛:초코,버터,녹차",
                        "",
                        12900,
                    ),
                ],
            ),
        ],
    ),
    (
        "living",
        "생활",
        "Living",
        &[(
            "living-kitchen",
            "주방",
            "Kitchen",
            &[
                (
                    "kitchen-pots",
                    "스테인리스 냄비",
                    "Stainless Pot",
                    "크기:18cm,20cm,24cm",
                    "",
                    39900,
                ),
                (
                    "kitchen-mugs",
                    "머그컵",
                    "Mug",
                    "색상:화이트,민트,코랄",
                    "",
                    9900,
                ),
            ],
        )],
    ),
];

const STYLES: &[(&str, &str)] = &[
    ("베이직", "Basic"),
    ("프리미엄", "Premium"),
    ("데일리", "Daily"),
    ("클래식", "Classic"),
    ("모던", "Modern"),
    ("내추럴", "Natural"),
    ("스탠다드", "Standard"),
    ("시그니처", "Signature"),
    ("라이트", "Light"),
    ("에센셜", "Essential"),
    ("빈티지", "Vintage"),
    ("어반", "Urban"),
    ("코지", "Cozy"),
    ("슬림", "Slim"),
    ("오리지널", "Original"),
    ("스페셜", "Special"),
    ("컴팩트", "Compact"),
    ("시즌", "Season"),
];

/// Stock that reads like a real shop's: most products well stocked (20–199 per option), about
/// one in twenty running low and one in fifty sold out, so the seller's alerts are a short
/// list, not a wall.
fn demo_stock(style: usize, leaf: usize) -> i32 {
    let k = style * 31 + leaf * 17;
    match k % 50 {
        0 => 0,
        1 | 2 => 3 + (k % 5) as i32,
        _ => 20 + (k % 180) as i32,
    }
}

fn option(spec: &str) -> (String, Vec<String>) {
    match spec.split_once(':') {
        Some((name, values)) => (name.to_owned(), catalog::split_values(values)),
        None => (String::new(), Vec::new()),
    }
}

pub async fn demo(state: &AppState, seller_id: SellerId, actor: UserId) -> Result<usize, String> {
    let err = |e: &dyn std::fmt::Display| format!("demo catalog: {e}");
    let mut conn = state.db.acquire().await.map_err(|e| err(&e))?;
    let mut leaves: Vec<(CategoryId, &Leaf)> = Vec::new();
    for (ri, (rslug, rko, ren, mids)) in TREE.iter().enumerate() {
        let root = catalog::seed_category(&mut conn, None, rko, ren, rslug, ri as i32)
            .await
            .map_err(|e| err(&e))?;
        for (mi, (mslug, mko, men, leafs)) in mids.iter().enumerate() {
            let mid = catalog::seed_category(&mut conn, Some(root), mko, men, mslug, mi as i32)
                .await
                .map_err(|e| err(&e))?;
            for (li, leaf) in leafs.iter().enumerate() {
                let id =
                    catalog::seed_category(&mut conn, Some(mid), leaf.1, leaf.2, leaf.0, li as i32)
                        .await
                        .map_err(|e| err(&e))?;
                leaves.push((id, leaf));
            }
        }
    }
    drop(conn);
    let existing: i64 = sqlx::query_scalar("SELECT count(*) FROM products WHERE seller_id = $1")
        .bind(seller_id)
        .fetch_one(&state.db)
        .await
        .map_err(|e| err(&e))?;
    if existing > 0 {
        return Ok(0);
    }
    let mut created = 0;
    for (si, (sko, sen)) in STYLES.iter().enumerate() {
        for (li, (category, leaf)) in leaves.iter().enumerate() {
            let (_, ko, en, o1, o2, _) = **leaf;
            let base = leaf.5 as i64;
            // Prices vary by style; every third product is discounted.
            let price = base + (si as i64 % 5) * 2000;
            let original = (si % 3 == 0).then(|| format!("{}", price + price / 5));
            let input = ProductInput {
                name: format!("{sko} {ko} {sen} {en}"),
                description: format!(
                    "{sko} {ko}. 장터 데모 상품입니다.\n{sen} {en}, a Jangteo demo product."
                ),
                price: price.to_string(),
                original_price: original,
                category_id: Some(*category),
                options: vec![option(o1), option(o2)],
                initial_stock: demo_stock(si, li),
                product_type: app::catalog::service::ProductType::Normal,
            };
            let id = catalog::create_product(&state.db, seller_id, Some(actor), input)
                .await
                .map_err(|e| err(&e))?;
            sqlx::query("UPDATE products SET status = 'active', is_featured = $2, purchase_count = $3, rating_avg = $4 WHERE id = $1")
                .bind(id)
                .bind(si < 2)
                .bind(((si * 13 + li * 7) % 97) as i64)
                .bind(rust_decimal::Decimal::new(((si + li) % 21 + 30) as i64, 1))
                .execute(&state.db)
                .await
                .map_err(|e| err(&e))?;
            created += 1;
        }
    }
    bundle(state, seller_id, &leaves).await?;
    Ok(created + 1)
}

/// A gift set: one option holding two mugs and one pot, drawing on their SKUs.
async fn bundle(
    state: &AppState,
    seller_id: SellerId,
    leaves: &[(CategoryId, &Leaf)],
) -> Result<(), String> {
    let err = |e: &dyn std::fmt::Display| format!("demo bundle: {e}");
    let sku_of = |slug: &'static str| async move {
        sqlx::query_scalar::<_, SkuId>(
            "SELECT m.sku_id FROM sku_mappings m JOIN product_variants v ON v.id = m.variant_id
             JOIN product_categories pc ON pc.product_id = v.product_id JOIN categories c ON c.id = pc.category_id
             WHERE c.slug = $1 ORDER BY v.created_at LIMIT 1",
        )
        .bind(slug)
        .fetch_one(&state.db)
        .await
    };
    let mug = sku_of("kitchen-mugs").await.map_err(|e| err(&e))?;
    let pot = sku_of("kitchen-pots").await.map_err(|e| err(&e))?;
    let category = leaves
        .iter()
        .find(|(_, l)| l.0 == "kitchen-pots")
        .map(|(id, _)| *id);
    let mut tx = state.db.begin().await.map_err(|e| err(&e))?;
    let id: Uuid = sqlx::query_scalar(
        "INSERT INTO products (seller_id, name, slug, description, product_type, price, original_price, discount_rate, status)
         VALUES ($1, '주방 선물 세트 Kitchen Gift Set', 'kitchen-gift-set', '머그컵 2개와 냄비 1개. Two mugs and a pot.',
                 'BUNDLE', 49900, 59700, 16.42, 'active')
         ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name RETURNING id",
    )
    .bind(seller_id)
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| err(&e))?;
    if let Some(c) = category {
        sqlx::query("INSERT INTO product_categories (product_id, category_id, is_primary) VALUES ($1, $2, TRUE) ON CONFLICT DO NOTHING")
            .bind(id)
            .bind(c)
            .execute(&mut *tx)
            .await
            .map_err(|e| err(&e))?;
    }
    let variant: Uuid = sqlx::query_scalar("INSERT INTO product_variants (product_id, name) VALUES ($1, '기본 구성 Standard set') RETURNING id")
        .bind(id)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| err(&e))?;
    for (sku, q) in [(mug, 2), (pot, 1)] {
        sqlx::query("INSERT INTO sku_mappings (variant_id, sku_id, quantity) VALUES ($1, $2, $3)")
            .bind(variant)
            .bind(sku)
            .bind(q)
            .execute(&mut *tx)
            .await
            .map_err(|e| err(&e))?;
    }
    tx.commit().await.map_err(|e| err(&e))?;
    for sku in [mug, pot] {
        inventory::receive(&state.db, sku, 20, Some("demo"), None)
            .await
            .map_err(|e| err(&e))?;
    }
    Ok(())
}
