use super::*;
use crate::cart::service as cart;
use crate::catalog::VariantId;
use crate::identity::{AddressId, UserId};
use crate::inventory::{service as inventory, SkuId};
use crate::ordering::domain::NewCheckout;
use crate::ordering::{OrderStatus, OrderingError, PaymentMethod};
use crate::platform::config::Configs;
use crate::platform::testing::{seller, shopper, test_redis};
use crate::seller::SellerId;
use crate::wallet::service as wallet;
use rust_decimal::Decimal;
use sqlx::PgPool;
use std::sync::Arc;

/// A gateway client; points-only orders never call it.
fn pg(db: &PgPool) -> crate::payment::pg::Pg {
    crate::payment::pg::Pg::new(db.clone(), &Default::default())
}

fn won(n: i64) -> Decimal {
    Decimal::from(n)
}

async fn configs(db: &PgPool) -> Configs {
    Configs::new(db.clone(), test_redis().await)
}

/// An active one-variant product of `seller` at `price` with `stock` units.
async fn product(db: &PgPool, seller: SellerId, price: i64, stock: i32) -> (VariantId, SkuId) {
    crate::platform::testing::sellable(db, seller, "접시", price, &[stock])
        .await
        .1[0]
}

async fn address(db: &PgPool, user: UserId) -> AddressId {
    sqlx::query_scalar(
        "INSERT INTO addresses (user_id, recipient_name, phone, postal_code, address, is_default)
         VALUES ($1, '김장터', '010-1234-5678', '04524', '서울 중구 세종대로 110', TRUE)
         RETURNING id",
    )
    .bind(user)
    .fetch_one(db)
    .await
    .unwrap()
}

fn points_only(address: AddressId, points: i64) -> NewCheckout {
    NewCheckout {
        address,
        memo: Some("문 앞".into()),
        points: won(points),
        method: PaymentMethod::Points,
        coupon: None,
    }
}

async fn stock(db: &PgPool, sku: SkuId) -> (i32, i32) {
    let l = inventory::level(db, sku).await.unwrap();
    (l.stock, l.reserved)
}

async fn ledger_sum(db: &PgPool, user: UserId) -> Decimal {
    sqlx::query_scalar(
        "SELECT COALESCE(SUM(amount), 0) FROM balance_transactions WHERE user_id = $1",
    )
    .bind(user)
    .fetch_one(db)
    .await
    .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_cart_of_two_sellers_becomes_two_paid_orders(db: PgPool) {
    let configs = configs(&db).await;
    let (a, b) = (seller(&db).await, seller(&db).await);
    let (va, ska) = product(&db, a, 20_000, 5).await;
    let (vb, skb) = product(&db, b, 60_000, 5).await;
    let user = shopper(&db).await;
    let addr = address(&db, user).await;
    wallet::grant(&db, user, won(200_000), "welcome", "hi")
        .await
        .unwrap();
    cart::add(&db, user, va, 2).await.unwrap();
    cart::add(&db, user, vb, 1).await.unwrap();
    // A's 40,000 pays 3,000 shipping; B's 60,000 ships free.
    let total = 40_000 + 3_000 + 60_000;
    let placed = place(
        &db,
        &configs,
        user,
        &points_only(addr, total),
        &Actor::customer(user, None),
    )
    .await
    .unwrap();
    assert_eq!(placed.order_numbers.len(), 2);
    assert_eq!(placed.amount_due, Decimal::ZERO);
    let today = chrono::Utc::now()
        .with_timezone(&crate::ui::format::seoul())
        .format("%Y%m%d")
        .to_string();
    for n in &placed.order_numbers {
        assert!(
            n.starts_with(&format!("ORD-{today}-")) && n.len() == 19,
            "{n}"
        );
    }
    let orders = list_for_user(&db, user).await.unwrap();
    assert_eq!(orders.len(), 2);
    assert!(orders.iter().all(|o| o.status == OrderStatus::Paid));
    let totals: Decimal = orders.iter().map(|o| o.total_amount).sum();
    assert_eq!(totals, won(total));
    // Stock left the warehouse; nothing stays reserved; the cart is empty.
    assert_eq!(stock(&db, ska).await, (3, 0));
    assert_eq!(stock(&db, skb).await, (4, 0));
    assert_eq!(cart::count(&db, user).await.unwrap(), 0);
    assert_eq!(
        wallet::balance(&db, user).await.unwrap(),
        won(200_000 - total)
    );
    assert_eq!(ledger_sum(&db, user).await, won(200_000 - total));
    let first = detail_for_user(&db, user, &placed.order_numbers[0])
        .await
        .unwrap();
    let events: Vec<&str> = first.events.iter().map(|e| e.event_type.as_str()).collect();
    assert_eq!(events, ["order.created", "order.paid"]);
    assert_eq!(first.order.recipient_name, "김장터");
    let outbox: i64 =
        sqlx::query_scalar("SELECT count(*) FROM outbox_events WHERE aggregate_type = 'order'")
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(outbox, 4, "one outbox event per order event");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_checkout_that_fails_leaves_stock_cart_and_balance_as_they_were(db: PgPool) {
    let configs = configs(&db).await;
    let s = seller(&db).await;
    let (v, sku) = product(&db, s, 10_000, 5).await;
    let user = shopper(&db).await;
    let addr = address(&db, user).await;
    wallet::grant(&db, user, won(5_000), "welcome", "hi")
        .await
        .unwrap();
    cart::add(&db, user, v, 1).await.unwrap();
    let actor = Actor::customer(user, None);
    // 13,000 asked of a 5,000 balance.
    let err = place(&db, &configs, user, &points_only(addr, 13_000), &actor)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            OrderingError::Wallet(crate::wallet::WalletError::Insufficient)
        ),
        "{err:?}"
    );
    assert!(matches!(
        place(&db, &configs, user, &points_only(addr, 5_000), &actor).await,
        Err(OrderingError::PointsShort)
    ));
    assert_eq!(stock(&db, sku).await, (5, 0));
    assert_eq!(cart::count(&db, user).await.unwrap(), 1);
    assert_eq!(wallet::balance(&db, user).await.unwrap(), won(5_000));
    let orders: i64 = sqlx::query_scalar("SELECT count(*) FROM orders")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(orders, 0);
    // Someone else's address is not ours to ship to.
    let other = shopper(&db).await;
    let theirs = address(&db, other).await;
    assert!(matches!(
        place(&db, &configs, user, &points_only(theirs, 13_000), &actor).await,
        Err(OrderingError::Identity(
            crate::identity::IdentityError::NotFound
        ))
    ));
}

/// 100 in stock, 500 shoppers check out at once: exactly 100 orders are paid, the rest are
/// refused, and nothing stays reserved.
#[sqlx::test(migrations = "../migrations")]
async fn a_hot_sku_never_oversells(db: PgPool) {
    let configs = configs(&db).await;
    let s = seller(&db).await;
    let (v, sku) = product(&db, s, 10_000, 100).await;
    let users: Vec<UserId> = sqlx::query_scalar(
        "INSERT INTO users (email, name)
         SELECT 'hot-' || g || '-' || gen_random_uuid() || '@example.com', '구매자'
         FROM generate_series(1, 500) g RETURNING id",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    let mut addresses = Vec::new();
    for &u in &users {
        addresses.push(address(&db, u).await);
        wallet::grant(&db, u, won(13_000), &format!("welcome:{u}"), "hi")
            .await
            .unwrap();
        cart::add(&db, u, v, 1).await.unwrap();
    }
    let barrier = Arc::new(tokio::sync::Barrier::new(users.len()));
    let tasks: Vec<_> = users
        .iter()
        .zip(addresses)
        .map(|(&u, a)| {
            let (db, configs, barrier) = (db.clone(), configs.clone(), barrier.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                place(
                    &db,
                    &configs,
                    u,
                    &points_only(a, 13_000),
                    &Actor::customer(u, None),
                )
                .await
            })
        })
        .collect();
    let (mut paid, mut refused) = (0, 0);
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => paid += 1,
            // Sold out: at the stock guard, or already when the cart was read.
            Err(
                OrderingError::Inventory(crate::inventory::InventoryError::Insufficient { .. })
                | OrderingError::CartBlocked,
            ) => refused += 1,
            Err(e) => panic!("unexpected {e:?}"),
        }
    }
    assert_eq!((paid, refused), (100, 400));
    assert_eq!(stock(&db, sku).await, (0, 0));
    let (orders, active): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM orders WHERE status = 'paid'),
                (SELECT count(*) FROM reservations WHERE status = 'ACTIVE')",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!((orders, active), (100, 0));
    // The books: one sale per paid order, each taking the stock one step further down.
    let steps: Vec<(i32, i32)> = sqlx::query_as(
        "SELECT stock_before, stock_after FROM stock_movements
         WHERE sku_id = $1 AND movement_type = 'out' ORDER BY stock_after DESC",
    )
    .bind(sku)
    .fetch_all(&db)
    .await
    .unwrap();
    let expected: Vec<(i32, i32)> = (0..100).rev().map(|n| (n + 1, n)).collect();
    assert_eq!(steps, expected);
}

#[sqlx::test(migrations = "../migrations")]
async fn cancels_refund_exactly_what_was_paid_and_return_the_stock(db: PgPool) {
    let configs = configs(&db).await;
    let s = seller(&db).await;
    let (v1, sku1) = product(&db, s, 10_000, 5).await;
    let (v2, sku2) = product(&db, s, 7_000, 5).await;
    let user = shopper(&db).await;
    let addr = address(&db, user).await;
    wallet::grant(&db, user, won(100_000), "welcome", "hi")
        .await
        .unwrap();
    cart::add(&db, user, v1, 2).await.unwrap();
    cart::add(&db, user, v2, 1).await.unwrap();
    let total = 27_000 + 3_000;
    let actor = Actor::customer(user, None);
    let placed = place(&db, &configs, user, &points_only(addr, total), &actor)
        .await
        .unwrap();
    let number = &placed.order_numbers[0];
    let order = detail_for_user(&db, user, number).await.unwrap();
    let second = order
        .items
        .iter()
        .find(|i| i.unit_price == won(7_000))
        .unwrap()
        .id;

    // One item first: its price back, its stock back.
    let c = cancel(
        &db,
        &pg(&db),
        number,
        Canceller::Customer(user),
        &[second],
        CancelReason::CustomerRequest,
        &actor,
    )
    .await
    .unwrap();
    assert_eq!(
        c,
        Cancelled {
            refunded: won(7_000),
            whole: false
        }
    );
    assert_eq!(stock(&db, sku2).await, (5, 0));
    // Then the rest: everything left, shipping included.
    let c = cancel(
        &db,
        &pg(&db),
        number,
        Canceller::Customer(user),
        &[],
        CancelReason::CustomerRequest,
        &actor,
    )
    .await
    .unwrap();
    assert_eq!(
        c,
        Cancelled {
            refunded: won(23_000),
            whole: true
        }
    );
    assert_eq!(stock(&db, sku1).await, (5, 0));
    let after = detail_for_user(&db, user, number).await.unwrap();
    assert_eq!(after.order.status, OrderStatus::Cancelled);
    assert_eq!(after.order.refunded_amount, won(total));
    assert_eq!(wallet::balance(&db, user).await.unwrap(), won(100_000));
    assert_eq!(ledger_sum(&db, user).await, won(100_000));
    let refunds: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM balance_transactions WHERE user_id = $1 AND tx_type = 'REFUND'",
    )
    .bind(user)
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(refunds, 2);
    // A cancelled order cannot be cancelled again.
    assert!(matches!(
        cancel(
            &db,
            &pg(&db),
            number,
            Canceller::Customer(user),
            &[],
            CancelReason::CustomerRequest,
            &actor
        )
        .await,
        Err(OrderingError::IllegalTransition {
            from: OrderStatus::Cancelled,
            ..
        })
    ));
}

#[sqlx::test(migrations = "../migrations")]
async fn orders_are_their_owners_and_sellers_alone(db: PgPool) {
    let configs = configs(&db).await;
    let (a, b) = (seller(&db).await, seller(&db).await);
    let (v, _) = product(&db, a, 60_000, 5).await;
    let user = shopper(&db).await;
    let addr = address(&db, user).await;
    wallet::grant(&db, user, won(60_000), "welcome", "hi")
        .await
        .unwrap();
    cart::add(&db, user, v, 1).await.unwrap();
    let actor = Actor::customer(user, None);
    let placed = place(&db, &configs, user, &points_only(addr, 60_000), &actor)
        .await
        .unwrap();
    let number = &placed.order_numbers[0];
    let stranger = shopper(&db).await;
    assert!(matches!(
        detail_for_user(&db, stranger, number).await,
        Err(OrderingError::NotFound)
    ));
    assert!(matches!(
        cancel(
            &db,
            &pg(&db),
            number,
            Canceller::Customer(stranger),
            &[],
            CancelReason::CustomerRequest,
            &actor
        )
        .await,
        Err(OrderingError::NotFound)
    ));
    assert!(list_for_seller(&db, b, None).await.unwrap().is_empty());
    assert!(matches!(
        detail_for_seller(&db, b, number).await,
        Err(OrderingError::NotFound)
    ));
    assert_eq!(list_for_seller(&db, a, None).await.unwrap().len(), 1);
    // The seller packs it; packing twice is refused; a packed order still cancels.
    let seller_actor = Actor::system();
    mark_preparing(&db, a, number, &seller_actor).await.unwrap();
    assert!(matches!(
        mark_preparing(&db, a, number, &seller_actor).await,
        Err(OrderingError::IllegalTransition {
            from: OrderStatus::Preparing,
            to: OrderStatus::Preparing
        })
    ));
    let c = cancel(
        &db,
        &pg(&db),
        number,
        Canceller::Seller(a),
        &[],
        CancelReason::OutOfStock,
        &seller_actor,
    )
    .await
    .unwrap();
    assert_eq!(c.refunded, won(60_000));
}

#[sqlx::test(migrations = "../migrations")]
async fn order_numbers_are_never_given_twice(db: PgPool) {
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let db = db.clone();
            tokio::spawn(async move { next_numbers(&db, 2).await.unwrap() })
        })
        .collect();
    let mut all = std::collections::HashSet::new();
    for t in tasks {
        for n in t.await.unwrap() {
            assert!(all.insert(n), "a number was given twice");
        }
    }
    assert_eq!(all.len(), 100);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_coupon_is_shared_across_lines_exactly_and_comes_back_on_cancel(db: PgPool) {
    let configs = configs(&db).await;
    let (a, b) = (seller(&db).await, seller(&db).await);
    let (va, _) = product(&db, a, 10_001, 5).await;
    let (vb, _) = product(&db, b, 20_003, 5).await;
    let user = shopper(&db).await;
    let addr = address(&db, user).await;
    wallet::grant(&db, user, won(100_000), "welcome", "hi")
        .await
        .unwrap();
    let coupon: crate::promotion::CouponId = sqlx::query_scalar(
        "INSERT INTO coupons (code, name, discount_type, discount_value, max_discount_amount,
             valid_from, valid_until)
         VALUES ('TEN', '10%', 'percentage', 10, 100000, now() - INTERVAL '1 hour', now() + INTERVAL '1 day')
         RETURNING id",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    let redis = test_redis().await;
    let mine = crate::promotion::service::claim(&db, &redis, user, coupon)
        .await
        .unwrap();
    cart::add(&db, user, va, 1).await.unwrap();
    cart::add(&db, user, vb, 1).await.unwrap();
    // 10 % of 30,004 = 3,000 (floored), shared 10,001 : 20,003 in whole won.
    let page = checkout_page(&db, &configs, user).await.unwrap();
    assert_eq!(page.coupons.len(), 1);
    assert_eq!(page.coupons[0].2, won(3_000));
    let total = 30_004 + 3_000 + 3_000 - 3_000; // both groups below free shipping
    let mut new = points_only(addr, total);
    new.coupon = Some(mine);
    let actor = Actor::customer(user, None);
    let placed = place(&db, &configs, user, &new, &actor).await.unwrap();
    let shares: Vec<Decimal> = sqlx::query_scalar(
        "SELECT discount_amount FROM orders WHERE checkout_id = $1 ORDER BY items_total",
    )
    .bind(placed.checkout_id)
    .fetch_all(&db)
    .await
    .unwrap();
    assert_eq!(shares.iter().copied().sum::<Decimal>(), won(3_000));
    assert_eq!(shares, [won(1_000), won(2_000)]);
    let line_sum: Decimal = sqlx::query_scalar(
        "SELECT SUM(i.discount_amount) FROM order_items i JOIN orders o ON o.id = i.order_id
         WHERE o.checkout_id = $1",
    )
    .bind(placed.checkout_id)
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(line_sum, won(3_000));
    let status: String = sqlx::query_scalar("SELECT status FROM user_coupons WHERE id = $1")
        .bind(mine)
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(status, "used");
    // Used once: a second checkout cannot take it again.
    cart::add(&db, user, va, 1).await.unwrap();
    let mut again = points_only(addr, 13_001);
    again.coupon = Some(mine);
    assert!(matches!(
        place(&db, &configs, user, &again, &actor).await,
        Err(OrderingError::CouponUnavailable)
    ));
    // Cancelling both orders gives it back.
    for n in &placed.order_numbers {
        cancel(
            &db,
            &pg(&db),
            n,
            Canceller::Customer(user),
            &[],
            CancelReason::CustomerRequest,
            &actor,
        )
        .await
        .unwrap();
    }
    let status: String = sqlx::query_scalar("SELECT status FROM user_coupons WHERE id = $1")
        .bind(mine)
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(status, "available");
    assert_eq!(wallet::balance(&db, user).await.unwrap(), won(100_000));
}

/// Whose withdrawal a checkout meets: the shopper's own, or the seller's (closing the shop).
enum Leaving {
    Shopper,
    Seller,
}

/// A checkout that meets a withdrawal: the withdrawal takes its row first (as
/// `account::withdraw` does), the checkout starts and must wait, then the withdrawal closes
/// the account or the shop and commits. Returns the checkout's answer, having checked that a
/// refused one left no order, stock or points behind.
async fn checkout_meeting_a_withdrawal(
    db: &PgPool,
    leaving: Leaving,
) -> Result<crate::ordering::Placed, OrderingError> {
    let configs = configs(db).await;
    let s = seller(db).await;
    let (v, sku) = product(db, s, 10_000, 5).await;
    let user = shopper(db).await;
    let addr = address(db, user).await;
    wallet::grant(db, user, won(50_000), "welcome", "hi")
        .await
        .unwrap();
    cart::add(db, user, v, 1).await.unwrap();
    let (lock, close, row) = match leaving {
        Leaving::Shopper => (
            "SELECT 1 FROM users WHERE id = $1 FOR UPDATE",
            "UPDATE users SET status = 'deleted', deleted_at = now() WHERE id = $1",
            user.0,
        ),
        Leaving::Seller => (
            "SELECT 1 FROM sellers WHERE id = $1 FOR UPDATE",
            "UPDATE sellers SET status = 'suspended', status_reason = 'withdrawn' WHERE id = $1",
            s.0,
        ),
    };
    let mut withdrawal = db.begin().await.unwrap();
    let run = |sql| sqlx::query(sql).bind(row);
    run(lock).execute(&mut *withdrawal).await.unwrap();
    let checkout = tokio::spawn({
        let (db, configs) = (db.clone(), configs.clone());
        async move {
            place(
                &db,
                &configs,
                user,
                &points_only(addr, 13_000),
                &Actor::customer(user, None),
            )
            .await
        }
    });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(
        !checkout.is_finished(),
        "the checkout waits for the withdrawal"
    );
    run(close).execute(&mut *withdrawal).await.unwrap();
    withdrawal.commit().await.unwrap();
    let answer = checkout.await.unwrap();
    if answer.is_err() {
        let orders: i64 = sqlx::query_scalar("SELECT count(*) FROM orders WHERE seller_id = $1")
            .bind(s)
            .fetch_one(db)
            .await
            .unwrap();
        assert_eq!(orders, 0);
        assert_eq!(stock(db, sku).await, (5, 0));
        assert_eq!(wallet::balance(db, user).await.unwrap(), won(50_000));
    }
    answer
}

/// A checkout that reaches the account while a withdrawal holds it waits, then is refused:
/// the withdrawal's check of open orders ran before this order existed, so the order must
/// not be written after it.
#[sqlx::test(migrations = "../migrations")]
async fn a_checkout_during_a_withdrawal_is_refused(db: PgPool) {
    let err = checkout_meeting_a_withdrawal(&db, Leaving::Shopper)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            OrderingError::Identity(crate::identity::IdentityError::Closed)
        ),
        "{err:?}"
    );
}

/// The same from the shop's side: a checkout from a shop whose seller is withdrawing waits
/// for the withdrawal, then finds the shop closed.
#[sqlx::test(migrations = "../migrations")]
async fn a_checkout_from_a_shop_closing_at_that_moment_is_refused(db: PgPool) {
    let err = checkout_meeting_a_withdrawal(&db, Leaving::Seller)
        .await
        .unwrap_err();
    assert!(matches!(err, OrderingError::CartBlocked), "{err:?}");
}
