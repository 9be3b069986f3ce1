//! Checkout and orders (seed 000 orders_db, OrderEvents): a cart becomes one order per
//! seller, paid once; every transition is guarded and written as an order event.

pub mod api;
pub mod domain;
pub mod pages;

#[cfg(feature = "ssr")]
mod error;
#[cfg(feature = "ssr")]
pub mod service;

#[cfg(feature = "ssr")]
pub use error::OrderingError;

use crate::catalog::{ProductId, VariantId};
use crate::platform::i18n::Msg;
use crate::seller::SellerId;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

crate::id_type!(
    /// One order: one seller's part of a checkout.
    OrderId
);
crate::id_type!(
    /// What a shopper places and pays once; it owns the payment.
    CheckoutId
);
crate::id_type!(
    /// One line of an order.
    OrderItemId
);

crate::code_enum! {
    /// Seed 000's order statuses.
    pub enum OrderStatus {
        Pending = "pending",
        PaymentWaiting = "payment_waiting",
        Paid = "paid",
        Preparing = "preparing",
        Shipped = "shipped",
        Delivered = "delivered",
        Cancelled = "cancelled",
        Refunded = "refunded",
    }
}

impl OrderStatus {
    /// The statuses an order may move to from this one.
    pub fn next(self) -> &'static [OrderStatus] {
        use OrderStatus::*;
        match self {
            Pending => &[PaymentWaiting, Paid, Cancelled],
            PaymentWaiting => &[Paid, Cancelled],
            Paid => &[Preparing, Cancelled, Refunded],
            Preparing => &[Shipped, Cancelled, Refunded],
            Shipped => &[Delivered],
            Delivered => &[Refunded],
            Cancelled | Refunded => &[],
        }
    }

    pub fn can_become(self, to: OrderStatus) -> bool {
        self.next().contains(&to)
    }

    /// A customer may cancel until the parcel leaves.
    pub fn customer_can_cancel(self) -> bool {
        matches!(
            self,
            OrderStatus::Pending
                | OrderStatus::PaymentWaiting
                | OrderStatus::Paid
                | OrderStatus::Preparing
        )
    }

    pub fn label(self) -> Msg {
        match self {
            OrderStatus::Pending => Msg::OrderPending,
            OrderStatus::PaymentWaiting => Msg::OrderPaymentWaiting,
            OrderStatus::Paid => Msg::OrderPaid,
            OrderStatus::Preparing => Msg::OrderPreparing,
            OrderStatus::Shipped => Msg::OrderShipped,
            OrderStatus::Delivered => Msg::OrderDelivered,
            OrderStatus::Cancelled => Msg::OrderCancelled,
            OrderStatus::Refunded => Msg::OrderRefunded,
        }
    }
}

crate::code_enum! {
    /// How the part not covered by points is paid.
    pub enum PaymentMethod {
        Card = "CARD",
        VirtualAccount = "VIRTUAL_ACCOUNT",
        BankTransfer = "BANK_TRANSFER",
        /// Points cover everything.
        Points = "POINTS",
    }
}

crate::code_enum! {
    /// What a checkout pays for: the orders placed with it, or points bought by card.
    pub enum CheckoutPurpose {
        Order = "ORDER",
        PointCharge = "POINT_CHARGE",
    }
}

crate::code_enum! {
    pub enum CheckoutStatus {
        Pending = "PENDING",
        Paid = "PAID",
        Cancelled = "CANCELLED",
        Expired = "EXPIRED",
    }
}

crate::code_enum! {
    /// Who acted on an order.
    pub enum ActorRole {
        Customer = "customer",
        Seller = "seller",
        Admin = "admin",
        System = "system",
    }
}

/// An order in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow, utoipa::ToSchema))]
pub struct OrderSummary {
    pub id: OrderId,
    pub order_number: String,
    pub status: OrderStatus,
    pub seller_id: SellerId,
    pub seller_name: String,
    pub first_item: String,
    pub item_count: i64,
    pub total_amount: Decimal,
    pub ordered_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow, utoipa::ToSchema))]
pub struct OrderItem {
    pub id: OrderItemId,
    pub product_id: ProductId,
    pub variant_id: Option<VariantId>,
    pub product_name: String,
    pub variant_name: String,
    pub product_image: Option<String>,
    #[cfg_attr(feature = "ssr", sqlx(json))]
    pub option_values: BTreeMap<String, String>,
    pub quantity: i32,
    pub unit_price: Decimal,
    pub total_price: Decimal,
    pub discount_amount: Decimal,
    pub cancelled_quantity: i32,
}

/// One entry of an order's timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow, utoipa::ToSchema))]
pub struct OrderEvent {
    pub event_type: String,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    pub actor_role: ActorRole,
    pub data: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow, utoipa::ToSchema))]
pub struct Order {
    pub id: OrderId,
    pub order_number: String,
    pub checkout_id: CheckoutId,
    pub status: OrderStatus,
    pub seller_id: SellerId,
    pub seller_name: String,
    pub items_total: Decimal,
    pub shipping_fee: Decimal,
    pub discount_amount: Decimal,
    pub total_amount: Decimal,
    pub points_used: Decimal,
    pub paid_amount: Decimal,
    pub refunded_amount: Decimal,
    pub payment_method: PaymentMethod,
    pub recipient_name: String,
    pub recipient_phone: String,
    pub postal_code: String,
    pub address: String,
    pub address_detail: Option<String>,
    pub delivery_memo: Option<String>,
    pub ordered_at: DateTime<Utc>,
    pub paid_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
}

/// An order with its lines and timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OrderDetail {
    pub order: Order,
    pub items: Vec<OrderItem>,
    pub events: Vec<OrderEvent>,
    /// The gateway's part of the checkout, if any.
    pub payment: Option<crate::payment::PaymentView>,
}

/// What placing a checkout did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Placed {
    pub checkout_id: CheckoutId,
    pub order_numbers: Vec<String>,
    /// What is left to pay through the gateway (0 when points covered it all).
    pub amount_due: Decimal,
    pub status: CheckoutStatus,
}

/// The checkout page's data: the cart, the address book and the balance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckoutPage {
    pub cart: crate::cart::CartView,
    pub addresses: Vec<crate::identity::Address>,
    pub balance: Decimal,
    /// My coupons that can be used now, with what each takes off this cart.
    pub coupons: Vec<(
        crate::promotion::UserCouponId,
        crate::promotion::Coupon,
        Decimal,
    )>,
}

/// Splits `amount` (whole won) across `weights` in proportion, largest remainders first, so
/// the parts are whole won and sum exactly to `amount`.
pub fn allocate(amount: Decimal, weights: &[Decimal]) -> Vec<Decimal> {
    let total: Decimal = weights.iter().copied().sum();
    if weights.is_empty() || total <= Decimal::ZERO || amount <= Decimal::ZERO {
        return vec![Decimal::ZERO; weights.len()];
    }
    let exact: Vec<Decimal> = weights.iter().map(|w| amount * *w / total).collect();
    let mut parts: Vec<Decimal> = exact.iter().map(|e| e.floor()).collect();
    let mut left = amount - parts.iter().copied().sum::<Decimal>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    // Largest fractional part first; ties to the earlier line, so the result is stable.
    order.sort_by(|&a, &b| {
        (exact[b] - parts[b])
            .cmp(&(exact[a] - parts[a]))
            .then(a.cmp(&b))
    });
    for i in order {
        if left <= Decimal::ZERO {
            break;
        }
        parts[i] += Decimal::ONE;
        left -= Decimal::ONE;
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(n: i64) -> Decimal {
        Decimal::from(n)
    }

    #[test]
    fn allocation_is_whole_won_and_sums_exactly() {
        let parts = allocate(d(1000), &[d(1), d(1), d(1)]);
        assert_eq!(parts, [d(334), d(333), d(333)]);
        let parts = allocate(d(7), &[d(10_000), d(30_000)]);
        assert_eq!(parts.iter().copied().sum::<Decimal>(), d(7));
        assert_eq!(parts, [d(2), d(5)]);
        assert_eq!(allocate(d(0), &[d(5)]), [d(0)]);
        assert_eq!(allocate(d(5), &[]), Vec::<Decimal>::new());
    }

    #[test]
    fn only_guarded_transitions_exist() {
        assert!(OrderStatus::Paid.can_become(OrderStatus::Preparing));
        assert!(!OrderStatus::Shipped.can_become(OrderStatus::Cancelled));
        assert!(!OrderStatus::Cancelled.can_become(OrderStatus::Paid));
        assert!(OrderStatus::Preparing.customer_can_cancel());
        assert!(!OrderStatus::Shipped.customer_can_cancel());
    }
}
