//! Placing a checkout: the cart split into one order per seller.

use super::events::{record_all, Actor, Event};
use super::numbers::next_numbers;
use crate::cart::service as cart;
use crate::catalog::VariantId;
use crate::identity::UserId;
use crate::inventory::{service as inventory, Item};
use crate::ordering::domain::NewCheckout;
use crate::ordering::{
    allocate, CheckoutId, CheckoutPage, CheckoutStatus, OrderId, OrderStatus, OrderingError,
    PaymentMethod, Placed,
};
use crate::platform::config::{Configs, CHECKOUT_HOLD_MINUTES};
use crate::wallet::{service as wallet, TxKind};
use rust_decimal::Decimal;
use serde_json::json;
use sqlx::{Connection, PgPool};
use std::time::Duration;

/// What `/checkout` shows: the cart as it is now, the address book and the balance.
pub async fn checkout_page(
    db: &PgPool,
    configs: &Configs,
    user: UserId,
) -> Result<CheckoutPage, OrderingError> {
    let cart = cart::view(db, configs, user).await?;
    Ok(CheckoutPage {
        coupons: super::coupon::usable(db, user, &cart).await?,
        addresses: crate::identity::addresses::list(db, user).await?,
        balance: wallet::balance(db, user).await?,
        cart,
    })
}

/// The default size of the checkout pool (`AppState::checkout_db`): about twice the cores of
/// the database host this project is sized for.
pub const DEFAULT_CONCURRENT_CHECKOUTS: u32 = 4;

/// Places the shopper's cart, on `db`: the app passes its checkout pool, a few connections
/// only. Past about twice the database's cores, more checkouts of one hot SKU writing at once
/// do not sell faster: they queue on its row inside Postgres, where every waiter costs the
/// database CPU (lock queues, re-checks of the updated row, shared locks on the product's
/// rows), and each extra backend is one more process to warm and switch to. Waiting for a
/// pooled connection instead is cheap (docs/benchmarks.md, session 17).
///
/// Points-only checkouts are paid at once. Otherwise the points
/// are taken now, the orders wait for the gateway (`payment_waiting`), the stock stays held,
/// and the cart keeps its lines until the payment completes (`payment::service`).
pub async fn place(
    db: &PgPool,
    configs: &Configs,
    user: UserId,
    new: &NewCheckout,
    actor: &Actor,
) -> Result<Placed, OrderingError> {
    // Settings first: from here on the checkout runs on one connection, and nothing may wait
    // for a second one while holding it.
    let shipping = cart::Shipping::from_configs(configs).await?;
    let hold_minutes: i64 = configs.get(&CHECKOUT_HOLD_MINUTES).await?;
    let mut conn = db.acquire().await?;
    let view = cart::view_on(&mut conn, shipping, user).await?;
    if view.is_empty() {
        return Err(OrderingError::EmptyCart);
    }
    if view.blocked_lines > 0 {
        return Err(OrderingError::CartBlocked);
    }
    let address = crate::identity::addresses::get(&mut *conn, user, new.address).await?;
    let applied = match new.coupon {
        Some(chosen) => Some(super::coupon::apply(&mut conn, user, chosen, &view).await?),
        None => None,
    };
    let discount = applied.as_ref().map_or(Decimal::ZERO, |a| a.total);
    let total = view.total - discount;
    if new.points > total {
        return Err(OrderingError::PointsOverTotal);
    }
    match new.method {
        PaymentMethod::Points if new.points != total => return Err(OrderingError::PointsShort),
        // Points covering everything need no gateway.
        m if m != PaymentMethod::Points && new.points == total => {
            return Err(OrderingError::PointsCoverAll)
        }
        _ => {}
    }
    let amount_due = total - new.points;
    // Each group's and line's share of the coupon.
    let line_discount = |gi: usize, li: usize| {
        applied
            .as_ref()
            .map_or(Decimal::ZERO, |a| a.per_line[gi][li])
    };
    let group_discount = |gi: usize| -> Decimal {
        (0..view.groups[gi].lines.len())
            .map(|li| line_discount(gi, li))
            .sum()
    };
    let hold = Duration::from_secs(u64::try_from(hold_minutes.clamp(1, 60)).unwrap_or(15) * 60);
    let paid_now = amount_due == Decimal::ZERO;
    let next = if paid_now {
        OrderStatus::Paid
    } else {
        OrderStatus::PaymentWaiting
    };
    if !OrderStatus::Pending.can_become(next) {
        return Err(OrderingError::IllegalTransition {
            from: OrderStatus::Pending,
            to: next,
        });
    }
    let items: Vec<(Item, i32)> = view
        .groups
        .iter()
        .flat_map(|g| {
            g.lines
                .iter()
                .map(|l| (Item::Variant(l.variant_id), l.quantity))
        })
        .collect();
    let demand = inventory::demand(&mut conn, &items).await?;
    let numbers = next_numbers(&mut *conn, view.groups.len()).await?;
    let checkout = CheckoutId(uuid::Uuid::new_v4());
    let reference = checkout.to_string();

    // The orders' shares and their items' snapshots, as columns.
    let totals: Vec<Decimal> = view
        .groups
        .iter()
        .enumerate()
        .map(|(gi, g)| g.subtotal + g.shipping_fee - group_discount(gi))
        .collect();
    let points = allocate(new.points, &totals);
    let orders: Vec<OrderId> = view
        .groups
        .iter()
        .map(|_| OrderId(uuid::Uuid::new_v4()))
        .collect();
    let shares: Vec<Decimal> = (0..view.groups.len()).map(group_discount).collect();
    let coupon_of = |share: &Decimal| {
        applied
            .as_ref()
            .filter(|_| *share > Decimal::ZERO)
            .map(|a| (a.coupon, a.user_coupon))
    };
    let lines: Vec<(OrderId, usize, usize)> = view
        .groups
        .iter()
        .enumerate()
        .flat_map(|(gi, g)| (0..g.lines.len()).map(move |li| (gi, li)))
        .map(|(gi, li)| (orders[gi], gi, li))
        .collect();
    let line = |gi: usize, li: usize| &view.groups[gi].lines[li];

    // One transaction. The rows other checkouts contend for (a coupon's count, the SKUs'
    // stock) are touched last, so their locks are held for as short a time as possible.
    let mut tx = conn.begin().await?;
    // Not on an account being withdrawn at this moment (its check of open orders could not
    // see this one yet).
    crate::identity::account::require_active(&mut tx, user).await?;
    // Nor from a shop that is closing at this moment: a seller's withdrawal holds its shop's
    // row for update while it checks the shop's open orders, which cannot see these yet.
    let mut sellers: Vec<_> = view.groups.iter().map(|g| g.seller_id).collect();
    sellers.sort_unstable();
    sellers.dedup();
    let open: Vec<uuid::Uuid> = sqlx::query_scalar(
        "SELECT id FROM sellers WHERE id = ANY($1) AND status = 'approved' ORDER BY id
         FOR KEY SHARE",
    )
    .bind(&sellers)
    .fetch_all(&mut *tx)
    .await?;
    if open.len() != sellers.len() {
        return Err(OrderingError::CartBlocked);
    }
    let reservation = if paid_now {
        None
    } else {
        Some(inventory::record_hold(&mut tx, &reference, &demand, hold, Some(user)).await?)
    };
    // The checkout, its orders and their items in one statement (foreign keys are checked at
    // its end).
    sqlx::query(
        "WITH c AS (
             INSERT INTO checkouts (id, user_id, status, payment_method, items_total,
                 shipping_total, points_used, amount_due, reservation_id, expires_at, paid_at,
                 discount_total)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, COALESCE($10, now()),
                     CASE WHEN $3 = 'PAID' THEN now() END, $11)),
         o AS (
             INSERT INTO orders (id, order_number, checkout_id, user_id, seller_id, status,
                 items_total, shipping_fee, discount_amount, total_amount, points_used,
                 recipient_name, recipient_phone, postal_code, address, address_detail,
                 delivery_memo, coupon_id, user_coupon_id, paid_at)
             SELECT x.id, x.num, $1, $2, x.seller, $12, x.items, x.ship, x.disc,
                    x.items + x.ship - x.disc, x.pts, $13, $14, $15, $16, $17, $18, x.coupon,
                    x.uc, CASE WHEN $12 = 'paid' THEN now() END
             FROM unnest($19::uuid[], $20::text[], $21::uuid[], $22::numeric[],
                         $23::numeric[], $24::numeric[], $25::numeric[], $26::uuid[],
                         $27::uuid[])
                  AS x(id, num, seller, items, ship, disc, pts, coupon, uc))
         INSERT INTO order_items (order_id, product_id, variant_id, product_name,
             variant_name, product_image, option_values, quantity, unit_price, total_price,
             discount_amount)
         SELECT x.o, x.p, x.v, x.pn, x.vn, x.img, x.opts, x.q, x.price, x.price * x.q, x.disc
         FROM unnest($28::uuid[], $29::uuid[], $30::uuid[], $31::text[], $32::text[],
                     $33::text[], $34::jsonb[], $35::int[], $36::numeric[], $37::numeric[])
              WITH ORDINALITY AS x(o, p, v, pn, vn, img, opts, q, price, disc, n)
         ORDER BY x.n",
    )
    // The checkout.
    .bind(checkout)
    .bind(user)
    .bind(if paid_now {
        CheckoutStatus::Paid
    } else {
        CheckoutStatus::Pending
    })
    .bind(new.method)
    .bind(view.subtotal)
    .bind(view.shipping)
    .bind(new.points)
    .bind(amount_due)
    .bind(reservation.as_ref().map(|r| r.id))
    .bind(reservation.as_ref().map(|r| r.expires_at))
    .bind(discount)
    // The orders: what they share, then a column each.
    .bind(next)
    .bind(&address.recipient_name)
    .bind(&address.phone)
    .bind(&address.postal_code)
    .bind(&address.address)
    .bind(address.address_detail.as_deref())
    .bind(new.memo.as_deref())
    .bind(&orders)
    .bind(&numbers)
    .bind(view.groups.iter().map(|g| g.seller_id).collect::<Vec<_>>())
    .bind(view.groups.iter().map(|g| g.subtotal).collect::<Vec<_>>())
    .bind(
        view.groups
            .iter()
            .map(|g| g.shipping_fee)
            .collect::<Vec<_>>(),
    )
    .bind(&shares)
    .bind(&points)
    .bind(
        shares
            .iter()
            .map(|s| coupon_of(s).map(|c| c.0))
            .collect::<Vec<_>>(),
    )
    .bind(
        shares
            .iter()
            .map(|s| coupon_of(s).map(|c| c.1))
            .collect::<Vec<_>>(),
    )
    // The items, a column each.
    .bind(lines.iter().map(|l| l.0).collect::<Vec<_>>())
    .bind(
        lines
            .iter()
            .map(|&(_, g, i)| line(g, i).product_id)
            .collect::<Vec<_>>(),
    )
    .bind(
        lines
            .iter()
            .map(|&(_, g, i)| line(g, i).variant_id)
            .collect::<Vec<_>>(),
    )
    .bind(
        lines
            .iter()
            .map(|&(_, g, i)| line(g, i).product_name.as_str())
            .collect::<Vec<_>>(),
    )
    .bind(
        lines
            .iter()
            .map(|&(_, g, i)| line(g, i).variant_name.as_str())
            .collect::<Vec<_>>(),
    )
    .bind(
        lines
            .iter()
            .map(|&(_, g, i)| line(g, i).thumbnail_url.as_deref())
            .collect::<Vec<_>>(),
    )
    .bind(
        lines
            .iter()
            .map(|&(_, g, i)| json!(line(g, i).options))
            .collect::<Vec<_>>(),
    )
    .bind(
        lines
            .iter()
            .map(|&(_, g, i)| line(g, i).quantity)
            .collect::<Vec<_>>(),
    )
    .bind(
        lines
            .iter()
            .map(|&(_, g, i)| line(g, i).unit_price)
            .collect::<Vec<_>>(),
    )
    .bind(
        lines
            .iter()
            .map(|&(_, g, i)| line_discount(g, i))
            .collect::<Vec<_>>(),
    )
    .execute(&mut *tx)
    .await?;
    if let Some(a) = &applied {
        // Held by this checkout; used once it is paid (at once for points).
        let held = sqlx::query(
            "UPDATE user_coupons SET checkout_id = $2,
                 status = CASE WHEN $3 THEN 'used' ELSE status END,
                 used_at = CASE WHEN $3 THEN now() ELSE used_at END
             WHERE id = $1 AND status = 'available' AND (checkout_id IS NULL OR NOT EXISTS (
                 SELECT 1 FROM checkouts k WHERE k.id = user_coupons.checkout_id
                   AND k.status = 'PENDING'))",
        )
        .bind(a.user_coupon)
        .bind(checkout)
        .bind(paid_now)
        .execute(&mut *tx)
        .await?;
        if held.rows_affected() == 0 {
            return Err(OrderingError::CouponUnavailable);
        }
    }
    let mut events = Vec::with_capacity(orders.len() * 2);
    for (gi, (group, number)) in view.groups.iter().zip(&numbers).enumerate() {
        events.push(Event {
            order: orders[gi],
            number,
            event_type: "order.created",
            from: None,
            to: Some(OrderStatus::Pending),
            data: json!({ "checkoutId": checkout,
                          "total": group.subtotal + group.shipping_fee - shares[gi],
                          "discount": shares[gi], "lines": group.lines.len(),
                          "method": new.method }),
        });
    }
    let next_type = format!("order.{}", next.as_str());
    for (gi, number) in numbers.iter().enumerate() {
        events.push(Event {
            order: orders[gi],
            number,
            event_type: &next_type,
            from: Some(OrderStatus::Pending),
            to: Some(next),
            data: json!({ "method": new.method, "points": new.points }),
        });
    }
    record_all(&mut tx, actor, &events).await?;
    if new.points > Decimal::ZERO {
        let related = format!("checkout:{checkout}");
        wallet::apply(
            &mut tx,
            user,
            wallet::Change {
                kind: TxKind::Payment,
                amount: new.points,
                related_id: Some(&related),
                memo: Some(numbers.first().map_or("", String::as_str)),
            },
        )
        .await?;
    }
    if paid_now {
        let variants: Vec<VariantId> = view
            .groups
            .iter()
            .flat_map(|g| g.lines.iter().map(|l| l.variant_id))
            .collect();
        // The coupon's count before the cart, in the order settling a card payment takes
        // them, so the two never wait on each other.
        if let Some(a) = &applied {
            sqlx::query("UPDATE coupons SET used_quantity = used_quantity + 1 WHERE id = $1")
                .bind(a.coupon)
                .execute(&mut *tx)
                .await?;
        }
        cart::remove_variants(&mut tx, user, &variants).await?;
    }
    match &reservation {
        Some(r) => inventory::take_hold(&mut tx, r, Some(user)).await?,
        None => inventory::sell_in(&mut tx, &demand, &reference, Some(user)).await?,
    }
    tx.commit().await?;
    Ok(Placed {
        checkout_id: checkout,
        order_numbers: numbers,
        amount_due,
        status: if paid_now {
            CheckoutStatus::Paid
        } else {
            CheckoutStatus::Pending
        },
    })
}
