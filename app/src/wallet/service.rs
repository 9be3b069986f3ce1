//! Balance changes. Each is one statement: the guarded balance update and its ledger row are
//! one `WITH … INSERT`, so a balance never goes below zero and never changes without its row,
//! whatever runs at the same time. The wallet row's lock orders concurrent spends of one
//! balance; it is held only until the caller's transaction ends.

use super::{LedgerEntry, TxKind, WalletError, WalletView};
use crate::identity::UserId;
use crate::platform::db::OnConstraint;
use rust_decimal::Decimal;
use sqlx::{PgConnection, PgPool};

const RETURNING: &str =
    "RETURNING id, tx_type AS kind, amount, balance_before, balance_after, related_id, memo, created_at";

/// A balance change and why.
#[derive(Clone, Debug)]
pub struct Change<'a> {
    pub kind: TxKind,
    /// Positive, whole won; the kind says which way it goes.
    pub amount: Decimal,
    /// What caused it (an order number, a refund id). One cause changes a balance once.
    pub related_id: Option<&'a str>,
    pub memo: Option<&'a str>,
}

/// Applies one change inside the caller's transaction. A debit the balance cannot cover is
/// `Insufficient`; a cause that already changed the balance is `AlreadyApplied` (the caller's
/// transaction is then aborted, so nothing it did sticks either).
pub async fn apply(
    conn: &mut PgConnection,
    user: UserId,
    change: Change<'_>,
) -> Result<LedgerEntry, WalletError> {
    if change.amount <= Decimal::ZERO || change.amount.fract() != Decimal::ZERO {
        return Err(WalletError::BadAmount);
    }
    let signed = if change.kind.is_debit() {
        -change.amount
    } else {
        change.amount
    };
    let wallet = if change.kind.is_debit() {
        "UPDATE wallets SET balance = balance + $2, updated_at = now()
         WHERE user_id = $1 AND balance + $2 >= 0 RETURNING balance"
    } else {
        "INSERT INTO wallets AS w (user_id, balance) VALUES ($1, $2)
         ON CONFLICT (user_id) DO UPDATE SET balance = w.balance + EXCLUDED.balance,
             updated_at = now()
         RETURNING balance"
    };
    let entry: Option<LedgerEntry> = sqlx::query_as(&format!(
        "WITH w AS ({wallet})
         INSERT INTO balance_transactions
             (user_id, tx_type, amount, balance_before, balance_after, related_id, memo)
         SELECT $1, $3, $2, balance - $2, balance, $4, $5 FROM w
         {RETURNING}"
    ))
    .bind(user)
    .bind(signed)
    .bind(change.kind)
    .bind(change.related_id)
    .bind(change.memo)
    .fetch_optional(&mut *conn)
    .await
    .on_constraint(|c| (c == "balance_transactions_once").then_some(WalletError::AlreadyApplied))?;
    entry.ok_or(WalletError::Insufficient)
}

/// `apply` in its own transaction.
pub async fn apply_now(
    db: &PgPool,
    user: UserId,
    change: Change<'_>,
) -> Result<LedgerEntry, WalletError> {
    let mut conn = db.acquire().await?;
    apply(&mut conn, user, change).await
}

/// The balance; an account that never had points has 0.
pub async fn balance(db: &PgPool, user: UserId) -> Result<Decimal, WalletError> {
    let b: Option<Decimal> = sqlx::query_scalar("SELECT balance FROM wallets WHERE user_id = $1")
        .bind(user)
        .fetch_optional(db)
        .await?;
    Ok(b.unwrap_or(Decimal::ZERO))
}

/// Ledger rows per page.
pub const PAGE: i64 = 30;

/// The balance and one page of its history, newest first, older than `before`.
pub async fn history(
    db: &PgPool,
    user: UserId,
    before: Option<i64>,
    limit: i64,
) -> Result<WalletView, WalletError> {
    let mut entries: Vec<LedgerEntry> = sqlx::query_as(
        "SELECT id, tx_type AS kind, amount, balance_before, balance_after, related_id, memo,
                created_at
         FROM balance_transactions
         WHERE user_id = $1 AND ($2::bigint IS NULL OR id < $2)
         ORDER BY id DESC LIMIT $3",
    )
    .bind(user)
    .bind(before)
    .bind(limit + 1)
    .fetch_all(db)
    .await?;
    let next = if entries.len() as i64 > limit {
        entries.truncate(limit as usize);
        entries.last().map(|e| e.id)
    } else {
        None
    };
    Ok(WalletView {
        balance: balance(db, user).await?,
        entries,
        next,
    })
}

/// The welcome points a new demo account starts with; the related id makes it once per user.
pub async fn grant(
    db: &PgPool,
    user: UserId,
    amount: Decimal,
    cause: &str,
    memo: &str,
) -> Result<LedgerEntry, WalletError> {
    apply_now(
        db,
        user,
        Change {
            kind: TxKind::Grant,
            amount,
            related_id: Some(cause),
            memo: Some(memo),
        },
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn won(n: i64) -> Decimal {
        Decimal::from(n)
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

    fn pay(amount: i64, related: &str) -> Change<'_> {
        Change {
            kind: TxKind::Payment,
            amount: won(amount),
            related_id: Some(related),
            memo: None,
        }
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn charge_pay_and_refund_each_write_one_ledger_row(db: PgPool) {
        let user = crate::platform::testing::shopper(&db).await;
        assert_eq!(balance(&db, user).await.unwrap(), Decimal::ZERO);
        let charged = apply_now(
            &db,
            user,
            Change {
                kind: TxKind::Charge,
                amount: won(10_000),
                related_id: Some("charge-1"),
                memo: None,
            },
        )
        .await
        .unwrap();
        assert_eq!(
            (charged.balance_before, charged.balance_after),
            (won(0), won(10_000))
        );
        let paid = apply_now(&db, user, pay(7_000, "ORD-1")).await.unwrap();
        assert_eq!(paid.amount, won(-7_000));
        assert_eq!(paid.balance_after, won(3_000));
        let refunded = apply_now(
            &db,
            user,
            Change {
                kind: TxKind::Refund,
                amount: won(2_000),
                related_id: Some("refund-1"),
                memo: None,
            },
        )
        .await
        .unwrap();
        assert_eq!(refunded.balance_after, won(5_000));
        let view = history(&db, user, None, PAGE).await.unwrap();
        assert_eq!(view.balance, won(5_000));
        let kinds: Vec<TxKind> = view.entries.iter().map(|e| e.kind).collect();
        assert_eq!(kinds, [TxKind::Refund, TxKind::Payment, TxKind::Charge]);
        assert_eq!(ledger_sum(&db, user).await, view.balance);
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn a_debit_beyond_the_balance_changes_nothing(db: PgPool) {
        let user = crate::platform::testing::shopper(&db).await;
        // No wallet row at all yet.
        assert!(matches!(
            apply_now(&db, user, pay(1, "ORD-0")).await,
            Err(WalletError::Insufficient)
        ));
        grant(&db, user, won(5_000), "welcome", "hi").await.unwrap();
        assert!(matches!(
            apply_now(&db, user, pay(5_001, "ORD-1")).await,
            Err(WalletError::Insufficient)
        ));
        assert_eq!(balance(&db, user).await.unwrap(), won(5_000));
        assert_eq!(ledger_sum(&db, user).await, won(5_000));
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn one_cause_changes_a_balance_once(db: PgPool) {
        let user = crate::platform::testing::shopper(&db).await;
        grant(&db, user, won(5_000), "welcome", "hi").await.unwrap();
        assert!(matches!(
            grant(&db, user, won(5_000), "welcome", "again").await,
            Err(WalletError::AlreadyApplied)
        ));
        apply_now(&db, user, pay(1_000, "ORD-1")).await.unwrap();
        assert!(matches!(
            apply_now(&db, user, pay(1_000, "ORD-1")).await,
            Err(WalletError::AlreadyApplied)
        ));
        assert_eq!(balance(&db, user).await.unwrap(), won(4_000));
        assert_eq!(ledger_sum(&db, user).await, won(4_000));
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn amounts_must_be_positive_whole_won(db: PgPool) {
        let user = crate::platform::testing::shopper(&db).await;
        for bad in [Decimal::ZERO, won(-5), Decimal::new(15, 1)] {
            let change = Change {
                kind: TxKind::Grant,
                amount: bad,
                related_id: None,
                memo: None,
            };
            assert!(matches!(
                apply_now(&db, user, change).await,
                Err(WalletError::BadAmount)
            ));
        }
    }

    /// Forty tabs spend 1,000 each from a balance of 33,000 at once: exactly 33 go through,
    /// the balance ends at zero, and the ledger still sums to it.
    #[sqlx::test(migrations = "../migrations")]
    async fn concurrent_spending_never_goes_negative(db: PgPool) {
        let user = crate::platform::testing::shopper(&db).await;
        grant(&db, user, won(33_000), "welcome", "hi")
            .await
            .unwrap();
        let barrier = Arc::new(tokio::sync::Barrier::new(40));
        let tasks: Vec<_> = (0..40)
            .map(|i| {
                let (db, barrier) = (db.clone(), barrier.clone());
                tokio::spawn(async move {
                    barrier.wait().await;
                    let related = format!("ORD-{i}");
                    apply_now(&db, user, pay(1_000, &related)).await
                })
            })
            .collect();
        let mut ok = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok(e) => {
                    assert!(e.balance_after >= Decimal::ZERO);
                    ok += 1;
                }
                Err(WalletError::Insufficient) => {}
                Err(e) => panic!("unexpected {e:?}"),
            }
        }
        assert_eq!(ok, 33);
        assert_eq!(balance(&db, user).await.unwrap(), Decimal::ZERO);
        assert_eq!(ledger_sum(&db, user).await, Decimal::ZERO);
        // Every row continues from the one before it.
        let broken: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM (
                 SELECT balance_before, lag(balance_after) OVER (ORDER BY id) AS prev
                 FROM balance_transactions WHERE user_id = $1) t
             WHERE prev IS NOT NULL AND prev <> balance_before",
        )
        .bind(user)
        .fetch_one(&db)
        .await
        .unwrap();
        assert_eq!(broken, 0);
    }
}
