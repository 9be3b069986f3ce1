//! Helpers for tests that need real services. Tests use Redis db 1 (unless `REDIS_URL` says
//! otherwise) and a fresh key prefix each, so they never see a running app's keys or each other's.

use crate::identity::UserId;
use crate::platform::redis::Redis;

pub fn redis_url() -> String {
    std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379/1".into())
}

pub async fn test_redis() -> Redis {
    let prefix = format!("test:{}:", uuid::Uuid::new_v4().simple());
    Redis::connect(&redis_url(), &prefix, 2)
        .await
        .expect("tests need Redis; set REDIS_URL")
}

/// A valid, random Korean business number (check digit included).
pub fn business_number() -> String {
    use rand::Rng;
    const WEIGHTS: [u32; 9] = [1, 3, 7, 1, 3, 7, 1, 3, 5];
    let mut rng = rand::thread_rng();
    let digits: Vec<u32> = (0..9).map(|_| rng.gen_range(0..10)).collect();
    let mut sum: u32 = digits.iter().zip(WEIGHTS).map(|(d, w)| d * w).sum();
    sum += digits[8] * 5 / 10;
    let check = (10 - sum % 10) % 10;
    digits
        .iter()
        .chain(std::iter::once(&check))
        .map(|d| char::from_digit(*d, 10).unwrap_or('0'))
        .collect()
}

/// A customer account signed up the normal way, with `password`. Returns its id.
pub async fn user_with(db: &sqlx::PgPool, email: &str, password: &str) -> UserId {
    let form = crate::identity::domain::SignupForm {
        email: email.into(),
        password: password.into(),
        name: "테스터".into(),
        phone: None,
    };
    crate::identity::service::signup(db, form.try_into().expect("valid sign-up"))
        .await
        .expect("test user")
        .id
}

/// A customer account (password "spring market 2026").
pub async fn user(db: &sqlx::PgPool, email: &str) -> UserId {
    user_with(db, email, "spring market 2026").await
}

/// A valid seller application named `name`, with a fresh business number.
pub fn application(name: &str) -> crate::seller::domain::Application {
    crate::seller::domain::ApplicationForm {
        business_name: name.into(),
        business_number: business_number(),
        business_type: "individual".into(),
        representative_name: "Kim".into(),
        business_address: "Seoul".into(),
        business_phone: "02-123-4567".into(),
        bank_name: "KB".into(),
        bank_account_holder: "Kim".into(),
        bank_account_number: "123-456".into(),
    }
    .try_into()
    .expect("a valid application")
}

/// An admin acting from a local address, for services that write the audit log.
pub fn admin_actor(id: UserId) -> crate::platform::audit::Actor {
    crate::platform::audit::Actor {
        id,
        role: crate::identity::Role::Admin,
        ip: "127.0.0.1".into(),
    }
}

/// `user` applies to sell and `admin` approves. Returns the seller id.
pub async fn approve_seller(
    db: &sqlx::PgPool,
    configs: &crate::platform::config::Configs,
    user: UserId,
    admin: UserId,
    name: &str,
) -> crate::seller::SellerId {
    use crate::seller::service;
    let s = service::apply(db, user, application(name))
        .await
        .expect("application");
    service::approve(
        db,
        configs.redis(),
        configs,
        s.id,
        &admin_actor(admin),
        None,
    )
    .await
    .expect("approval")
    .id
}

/// An approved seller (with its user) for tests that need one. Returns the seller id.
pub async fn seller(db: &sqlx::PgPool) -> crate::seller::SellerId {
    let user: UserId = sqlx::query_scalar(
        "INSERT INTO users (email, name, role) VALUES ($1, 'Seller', 'seller') RETURNING id",
    )
    .bind(format!(
        "seller-{}@example.com",
        uuid::Uuid::new_v4().simple()
    ))
    .fetch_one(db)
    .await
    .expect("test user");
    sqlx::query_scalar(
        "INSERT INTO sellers (user_id, business_name, business_number, business_type,
             representative_name, business_address, business_phone, status, commission_rate,
             approval_date, bank_account_holder, bank_name, bank_account_number)
         VALUES ($1, 'Test Shop', $2, 'individual', 'Kim', 'Seoul', '02-123-4567', 'approved',
             10, now(), 'Kim', 'KB', '123-456')
         RETURNING id",
    )
    .bind(user)
    .bind(business_number())
    .fetch_one(db)
    .await
    .expect("test seller")
}

/// Gives a product a (placeholder) image, as review requires one.
pub async fn picture(db: &sqlx::PgPool, product: crate::catalog::ProductId) {
    sqlx::query(
        "INSERT INTO product_images (product_id, url, thumbnail_url, is_primary)
         VALUES ($1, '/media/test/p.jpg', '/media/test/p_thumb.jpg',
                 NOT EXISTS (SELECT 1 FROM product_images WHERE product_id = $1))",
    )
    .bind(product)
    .execute(db)
    .await
    .expect("test image");
}

/// A customer account without a password, made in one INSERT: for tests that need hundreds.
pub async fn shopper(db: &sqlx::PgPool) -> UserId {
    sqlx::query_scalar("INSERT INTO users (email, name) VALUES ($1, '구매자') RETURNING id")
        .bind(format!(
            "shopper-{}@example.com",
            uuid::Uuid::new_v4().simple()
        ))
        .fetch_one(db)
        .await
        .expect("test shopper")
}

/// An active product of `seller` at `price`, with one variant per entry of `stocks`, each on
/// its own SKU holding that many.
pub async fn sellable(
    db: &sqlx::PgPool,
    seller: crate::seller::SellerId,
    name: &str,
    price: i64,
    stocks: &[i32],
) -> (
    crate::catalog::ProductId,
    Vec<(crate::catalog::VariantId, crate::inventory::SkuId)>,
) {
    use crate::inventory::service as inventory;
    let product: crate::catalog::ProductId = sqlx::query_scalar(
        "INSERT INTO products (seller_id, name, slug, price, status)
         VALUES ($1, $2, $3, $4, 'active') RETURNING id",
    )
    .bind(seller)
    .bind(name)
    .bind(format!("p-{}", uuid::Uuid::new_v4()))
    .bind(rust_decimal::Decimal::from(price))
    .fetch_one(db)
    .await
    .expect("test product");
    let mut variants = Vec::new();
    for (i, stock) in stocks.iter().enumerate() {
        let mut conn = db.acquire().await.expect("a connection");
        let code = format!("SKU-{}", uuid::Uuid::new_v4());
        let sku = inventory::create_sku(&mut conn, seller, &code, name)
            .await
            .expect("test SKU");
        drop(conn);
        if *stock > 0 {
            inventory::receive(db, sku, *stock, None, None)
                .await
                .expect("test stock");
        }
        let v: crate::catalog::VariantId = sqlx::query_scalar(
            "INSERT INTO product_variants (product_id, name, option_values, position)
             VALUES ($1, $2, jsonb_build_object('색상', $2::text), $3) RETURNING id",
        )
        .bind(product)
        .bind(format!("c{i}"))
        .bind(i as i32)
        .fetch_one(db)
        .await
        .expect("test variant");
        sqlx::query("INSERT INTO sku_mappings (variant_id, sku_id, quantity) VALUES ($1, $2, 1)")
            .bind(v)
            .bind(sku)
            .execute(db)
            .await
            .expect("test mapping");
        variants.push((v, sku));
    }
    (product, variants)
}

/// A paid order of `amount` for `user` from a new seller, paid `days_ago` days ago (by
/// points, written directly: for tests of what reads orders). Returns the seller.
pub async fn paid_order(
    db: &sqlx::PgPool,
    user: UserId,
    amount: i64,
    days_ago: i32,
) -> crate::seller::SellerId {
    let seller = seller(db).await;
    let checkout: uuid::Uuid = sqlx::query_scalar(
        "INSERT INTO checkouts (user_id, status, payment_method, items_total, shipping_total,
             points_used, amount_due, expires_at, paid_at)
         VALUES ($1, 'PAID', 'POINTS', $2, 0, $2, 0, now(), now()) RETURNING id",
    )
    .bind(user)
    .bind(rust_decimal::Decimal::from(amount))
    .fetch_one(db)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO orders (order_number, checkout_id, user_id, seller_id, status, items_total,
             total_amount, points_used, recipient_name, recipient_phone, postal_code, address,
             paid_at)
         VALUES ($1, $2, $3, $4, 'paid', $5, $5, $5, '김철수', '010-1234-5678', '04001', '서울',
             now() - make_interval(days => $6))",
    )
    .bind(format!(
        "T{}",
        &uuid::Uuid::new_v4().simple().to_string()[..12]
    ))
    .bind(checkout)
    .bind(user)
    .bind(seller)
    .bind(rust_decimal::Decimal::from(amount))
    .bind(days_ago)
    .execute(db)
    .await
    .unwrap();
    seller
}
