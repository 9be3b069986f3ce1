//! Coupons (seeds 000 and 003): made by admins for anything, or by sellers for their own
//! products; claimed first come, first served, at most once per shopper.

pub mod api;
pub mod domain;
pub mod pages;

#[cfg(feature = "ssr")]
mod error;
#[cfg(feature = "ssr")]
pub mod service;

#[cfg(feature = "ssr")]
pub use error::PromotionError;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

crate::id_type!(
    /// A coupon as its maker defined it.
    CouponId
);
crate::id_type!(
    /// One shopper's copy of a coupon.
    UserCouponId
);

crate::code_enum! {
    pub enum DiscountType {
        Percentage = "percentage",
        FixedAmount = "fixed_amount",
    }
}

crate::code_enum! {
    /// What a coupon applies to.
    pub enum Scope {
        All = "all",
        Category = "category",
        Product = "product",
        Seller = "seller",
    }
}

crate::code_enum! {
    pub enum UserCouponStatus {
        Available = "available",
        Used = "used",
        Expired = "expired",
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow, utoipa::ToSchema))]
pub struct Coupon {
    pub id: CouponId,
    pub code: String,
    pub name: String,
    pub discount_type: DiscountType,
    pub discount_value: Decimal,
    pub max_discount_amount: Option<Decimal>,
    pub min_purchase_amount: Decimal,
    /// `None`: unlimited.
    pub total_quantity: Option<i32>,
    pub issued_quantity: i32,
    pub valid_from: DateTime<Utc>,
    pub valid_until: DateTime<Utc>,
    pub applicable_to: Scope,
}

/// A coupon in its maker's console.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct MadeCoupon {
    #[cfg_attr(feature = "ssr", sqlx(flatten))]
    pub coupon: Coupon,
    pub used_quantity: i32,
}

/// Something a coupon can be aimed at, in the console's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    /// As `domain::target` reads it: `category:{id}`, `seller:{id}` or `product:{id}`.
    pub value: String,
    pub scope: Scope,
    pub label: String,
}

/// The console's coupon page: what the maker made, and what a new one can be aimed at.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Console {
    pub is_admin: bool,
    /// For the form's default window (from now, for 30 days).
    pub now: DateTime<Utc>,
    pub coupons: Vec<MadeCoupon>,
    pub targets: Vec<Target>,
}

impl Coupon {
    /// The discount on `amount` (the lines in scope), in whole won.
    pub fn discount_on(&self, amount: Decimal) -> Decimal {
        if amount < self.min_purchase_amount || amount <= Decimal::ZERO {
            return Decimal::ZERO;
        }
        let raw = match self.discount_type {
            DiscountType::Percentage => (amount * self.discount_value / Decimal::from(100)).floor(),
            DiscountType::FixedAmount => self.discount_value,
        };
        let capped = self.max_discount_amount.map_or(raw, |m| raw.min(m));
        capped.min(amount)
    }

    pub fn left(&self) -> Option<i32> {
        self.total_quantity
            .map(|t| (t - self.issued_quantity).max(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn coupon(kind: DiscountType, value: i64, max: Option<i64>, min: i64) -> Coupon {
        Coupon {
            id: CouponId(uuid::Uuid::nil()),
            code: "C".into(),
            name: "c".into(),
            discount_type: kind,
            discount_value: value.into(),
            max_discount_amount: max.map(Into::into),
            min_purchase_amount: min.into(),
            total_quantity: None,
            issued_quantity: 0,
            valid_from: Utc::now(),
            valid_until: Utc::now(),
            applicable_to: Scope::All,
        }
    }

    #[test]
    fn discounts_are_whole_won_capped_and_need_the_minimum() {
        let ten = coupon(DiscountType::Percentage, 10, Some(3_000), 10_000);
        assert_eq!(ten.discount_on(9_999.into()), Decimal::ZERO);
        assert_eq!(ten.discount_on(12_345.into()), Decimal::from(1_234));
        assert_eq!(ten.discount_on(50_000.into()), Decimal::from(3_000));
        let fixed = coupon(DiscountType::FixedAmount, 5_000, None, 0);
        assert_eq!(
            fixed.discount_on(3_000.into()),
            Decimal::from(3_000),
            "never more than the lines"
        );
    }
}
