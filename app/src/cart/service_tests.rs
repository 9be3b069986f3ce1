use super::*;
use crate::cart::LineState;
use crate::inventory::service as inventory;
use crate::platform::testing::{seller, shopper, test_redis};
use std::sync::Arc;
use uuid::Uuid;

fn won(n: i64) -> Decimal {
    Decimal::from(n)
}

async fn configs(db: &PgPool) -> Configs {
    Configs::new(db.clone(), test_redis().await)
}

/// An active product of `seller` at `price`, with one variant per entry of `stocks`.
async fn product(
    db: &PgPool,
    seller: SellerId,
    price: i64,
    stocks: &[i32],
) -> (ProductId, Vec<VariantId>) {
    let (p, vs) = crate::platform::testing::sellable(db, seller, "머그컵", price, stocks).await;
    (p, vs.into_iter().map(|(v, _)| v).collect())
}

#[sqlx::test(migrations = "../migrations")]
async fn lines_group_by_seller_with_shipping_and_price_changes(db: PgPool) {
    let configs = configs(&db).await;
    let (a, b) = (seller(&db).await, seller(&db).await);
    let (pa, va) = product(&db, a, 20_000, &[10]).await;
    let (_, vb) = product(&db, b, 60_000, &[10]).await;
    let user = shopper(&db).await;
    add(&db, user, va[0], 2).await.unwrap();
    add(&db, user, vb[0], 1).await.unwrap();
    // The price of A's product changes after it was added.
    sqlx::query("UPDATE products SET price = 21000 WHERE id = $1")
        .bind(pa)
        .execute(&db)
        .await
        .unwrap();
    let v = view(&db, &configs, user).await.unwrap();
    assert_eq!(v.groups.len(), 2);
    let (ga, gb) = (&v.groups[0], &v.groups[1]);
    assert_eq!(ga.seller_id, a);
    let line = &ga.lines[0];
    assert!(line.price_changed());
    assert_eq!(
        (line.added_price, line.unit_price),
        (won(20_000), won(21_000))
    );
    // Default fee 3,000 below 50,000; B's 60,000 ships free.
    assert_eq!(ga.subtotal, won(42_000));
    assert_eq!(
        (ga.shipping_fee, ga.free_shipping_gap),
        (won(3_000), Some(won(8_000)))
    );
    assert_eq!(
        (gb.shipping_fee, gb.free_shipping_gap),
        (Decimal::ZERO, None)
    );
    assert_eq!(v.total, won(42_000 + 3_000 + 60_000));
    assert_eq!(count(&db, user).await.unwrap(), 2);
}

#[sqlx::test(migrations = "../migrations")]
async fn off_sale_and_sold_out_lines_are_marked_and_not_counted(db: PgPool) {
    let configs = configs(&db).await;
    let s = seller(&db).await;
    let (p, v) = product(&db, s, 10_000, &[3, 2]).await;
    let user = shopper(&db).await;
    add(&db, user, v[0], 3).await.unwrap();
    add(&db, user, v[1], 2).await.unwrap();
    // Someone else reserves the last of the second variant.
    inventory::reserve(
        &db,
        "other",
        &[(crate::inventory::Item::Variant(v[1]), 2)],
        inventory::DEFAULT_TTL,
        None,
    )
    .await
    .unwrap();
    let states: Vec<LineState> = view(&db, &configs, user).await.unwrap().groups[0]
        .lines
        .iter()
        .map(|l| l.state)
        .collect();
    assert_eq!(states, [LineState::Ok, LineState::SoldOut]);
    sqlx::query("UPDATE products SET status = 'inactive' WHERE id = $1")
        .bind(p)
        .execute(&db)
        .await
        .unwrap();
    let v2 = view(&db, &configs, user).await.unwrap();
    assert!(v2.groups[0]
        .lines
        .iter()
        .all(|l| l.state == LineState::OffSale));
    assert_eq!(
        (v2.blocked_lines, v2.subtotal, v2.shipping),
        (2, Decimal::ZERO, Decimal::ZERO)
    );
    assert!(matches!(
        add(&db, user, v[0], 1).await,
        Err(CartError::OffSale)
    ));
}

#[sqlx::test(migrations = "../migrations")]
async fn quantities_are_bounded_by_what_can_be_sold(db: PgPool) {
    let s = seller(&db).await;
    let (_, v) = product(&db, s, 10_000, &[5]).await;
    let user = shopper(&db).await;
    let id = add(&db, user, v[0], 4).await.unwrap();
    assert!(matches!(
        add(&db, user, v[0], 2).await,
        Err(CartError::Insufficient { available: 5 })
    ));
    // The same variant again adds to its line.
    assert_eq!(add(&db, user, v[0], 1).await.unwrap(), id);
    assert!(matches!(
        set_quantity(&db, user, id, 6).await,
        Err(CartError::Insufficient { available: 5 })
    ));
    set_quantity(&db, user, id, 2).await.unwrap();
    let raw = raw_lines(&db, user).await.unwrap();
    assert_eq!(raw.len(), 1);
    assert_eq!(raw[0].quantity, 2);
}

#[sqlx::test(migrations = "../migrations")]
async fn another_shoppers_line_looks_missing(db: PgPool) {
    let s = seller(&db).await;
    let (_, v) = product(&db, s, 10_000, &[5]).await;
    let (a, b) = (shopper(&db).await, shopper(&db).await);
    let id = add(&db, a, v[0], 1).await.unwrap();
    assert!(matches!(
        set_quantity(&db, b, id, 2).await,
        Err(CartError::NotFound)
    ));
    assert!(matches!(remove(&db, b, id).await, Err(CartError::NotFound)));
    assert_eq!(count(&db, a).await.unwrap(), 1);
    remove(&db, a, id).await.unwrap();
    assert_eq!(count(&db, a).await.unwrap(), 0);
}

/// 120 tabs add 120 different variants at once: the cart ends with exactly 100 lines.
#[sqlx::test(migrations = "../migrations")]
async fn concurrent_adds_never_pass_the_line_limit(db: PgPool) {
    let s = seller(&db).await;
    let (_, variants) = product(&db, s, 1_000, &[5; 120]).await;
    let user = shopper(&db).await;
    let barrier = Arc::new(tokio::sync::Barrier::new(variants.len()));
    let tasks: Vec<_> = variants
        .iter()
        .map(|&v| {
            let (db, barrier) = (db.clone(), barrier.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                add(&db, user, v, 1).await
            })
        })
        .collect();
    let (mut ok, mut full) = (0, 0);
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => ok += 1,
            Err(CartError::Full) => full += 1,
            Err(e) => panic!("unexpected {e:?}"),
        }
    }
    assert_eq!((ok, full), (MAX_LINES as usize, 20));
    assert_eq!(count(&db, user).await.unwrap(), MAX_LINES);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_guest_cart_merges_capped_by_stock(db: PgPool) {
    let s = seller(&db).await;
    let (p, v) = product(&db, s, 10_000, &[5, 5, 5]).await;
    let user = shopper(&db).await;
    add(&db, user, v[0], 3).await.unwrap();
    let line = |variant, quantity| RawLine {
        id: CartItemId(Uuid::new_v4()),
        variant_id: variant,
        quantity,
        added_price: won(10_000),
    };
    // Same variant: 3 + 4 is capped at the 5 in stock; a new variant joins as it is.
    let merged = merge(&db, user, &[line(v[0], 4), line(v[1], 2)])
        .await
        .unwrap();
    assert_eq!(
        merged,
        Merged {
            lines: 2,
            trimmed: true
        }
    );
    let mut got: Vec<(VariantId, i32)> = raw_lines(&db, user)
        .await
        .unwrap()
        .into_iter()
        .map(|l| (l.variant_id, l.quantity))
        .collect();
    got.sort();
    let mut want = vec![(v[0], 5), (v[1], 2)];
    want.sort();
    assert_eq!(got, want);
    // A product taken off sale does not come along.
    sqlx::query("UPDATE products SET status = 'inactive' WHERE id = $1")
        .bind(p)
        .execute(&db)
        .await
        .unwrap();
    let merged = merge(&db, user, &[line(v[2], 1)]).await.unwrap();
    assert_eq!(
        merged,
        Merged {
            lines: 0,
            trimmed: true
        }
    );
    assert_eq!(count(&db, user).await.unwrap(), 2);
}

#[sqlx::test(migrations = "../migrations")]
async fn carts_expire_thirty_days_after_their_last_change(db: PgPool) {
    let s = seller(&db).await;
    let (_, v) = product(&db, s, 10_000, &[5]).await;
    let (old, fresh) = (shopper(&db).await, shopper(&db).await);
    add(&db, old, v[0], 1).await.unwrap();
    add(&db, fresh, v[0], 1).await.unwrap();
    sqlx::query("UPDATE carts SET expires_at = now() - INTERVAL '1 second' WHERE user_id = $1")
        .bind(old)
        .execute(&db)
        .await
        .unwrap();
    assert_eq!(expire_due(&db).await.unwrap(), 1);
    assert_eq!(count(&db, old).await.unwrap(), 0);
    assert_eq!(count(&db, fresh).await.unwrap(), 1);
    let expires_in_days: f64 = sqlx::query_scalar(
        "SELECT (EXTRACT(EPOCH FROM expires_at - now()) / 86400)::float8 FROM carts WHERE user_id = $1",
    )
    .bind(fresh)
    .fetch_one(&db)
    .await
    .unwrap();
    assert!(
        (29.9..=30.0).contains(&expires_in_days),
        "{expires_in_days}"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn options_resolve_to_their_variant(db: PgPool) {
    let s = seller(&db).await;
    let (p, v) = product(&db, s, 10_000, &[5, 5]).await;
    sqlx::query(
        "INSERT INTO product_options (product_id, name, option_values) VALUES ($1, '색상', '[\"c0\",\"c1\"]')",
    )
    .bind(p)
    .execute(&db)
    .await
    .unwrap();
    let pick = |s: &str| Choice::Options(vec![s.to_owned()]);
    assert_eq!(resolve(&db, p, &pick("c1")).await.unwrap(), v[1]);
    assert!(matches!(
        resolve(&db, p, &pick("c9")).await,
        Err(CartError::NoSuchOption)
    ));
    let other = product(&db, s, 10_000, &[1]).await.1[0];
    assert!(matches!(
        resolve(&db, p, &Choice::Variant(other)).await,
        Err(CartError::NoSuchOption)
    ));
}
