//! Linking a mobile line to a shop account, and reading its plans from KOS.

use crate::identity::UserId;
use crate::plan_change::kos::Kos;
use crate::plan_change::{
    parse_line, LineInfo, LinePlans, LinkedLine, Plan, PlanChangeError, PlanOption,
};
use sqlx::PgPool;

/// Links a line after checking the holder's birth date (YYMMDD) with KOS. Linking the same
/// line again is a no-op; a line linked to someone else is refused.
/// Birth dates are guessable: a few tries per account, and per line (so many accounts cannot
/// take turns on one line), per quarter hour.
pub const LINK_LIMIT: crate::platform::ratelimit::Limit = crate::platform::ratelimit::Limit {
    max: 5,
    window: std::time::Duration::from_secs(15 * 60),
};

/// `link_line` behind its rate limits. Each try is counted before KOS is asked, so
/// concurrent guesses cannot all pass while the first call is still out.
pub async fn link_line_limited(
    db: &PgPool,
    redis: &crate::platform::redis::Redis,
    kos: &Kos,
    user: UserId,
    line_input: &str,
    birth_date: &str,
) -> Result<LinkedLine, PlanChangeError> {
    use crate::platform::ratelimit;
    let user_key = format!("line-link:user:{user}");
    let mut keys = vec![user_key.clone()];
    if let Some(line) = parse_line(line_input.trim()) {
        keys.push(format!("line-link:line:{line}"));
    }
    for key in &keys {
        ratelimit::hit(redis, key, LINK_LIMIT)
            .await
            .map_err(|wait| PlanChangeError::RateLimited {
                retry_after_secs: wait.as_secs(),
            })?;
    }
    let linked = link_line(db, kos, user, line_input, birth_date).await?;
    // Linking several of one's own lines is not guessing.
    ratelimit::reset(redis, &user_key).await;
    Ok(linked)
}

pub async fn link_line(
    db: &PgPool,
    kos: &Kos,
    user: UserId,
    line_input: &str,
    birth_date: &str,
) -> Result<LinkedLine, PlanChangeError> {
    let line = parse_line(line_input.trim()).ok_or(PlanChangeError::BadLine)?;
    let birth = birth_date.trim();
    if birth.len() != 6 || !birth.chars().all(|c| c.is_ascii_digit()) {
        return Err(PlanChangeError::BadBirthDate);
    }
    let customer = kos.customer(&line).await?;
    let customer = match customer {
        Some(c) if c.birth_date == birth => c,
        _ => return Err(PlanChangeError::NotVerified),
    };
    if customer.contract_status == "TERMINATED" {
        return Err(PlanChangeError::LineTerminated);
    }
    let linked: Option<LinkedLine> = sqlx::query_as(
        "INSERT INTO product_change.pc_mobile_line (line_number, user_id, customer_id)
         VALUES ($1, $2, $3)
         ON CONFLICT (line_number) DO UPDATE SET customer_id = EXCLUDED.customer_id
             WHERE pc_mobile_line.user_id = EXCLUDED.user_id
         RETURNING line_number, linked_at",
    )
    .bind(&line)
    .bind(user)
    .bind(&customer.customer_id)
    .fetch_optional(db)
    .await?;
    linked.ok_or(PlanChangeError::LineTaken)
}

pub async fn unlink_line(db: &PgPool, user: UserId, line: &str) -> Result<(), PlanChangeError> {
    let done = sqlx::query(
        "DELETE FROM product_change.pc_mobile_line WHERE line_number = $1 AND user_id = $2",
    )
    .bind(line)
    .bind(user)
    .execute(db)
    .await?;
    if done.rows_affected() == 0 {
        return Err(PlanChangeError::NotFound);
    }
    Ok(())
}

pub async fn lines_of(db: &PgPool, user: UserId) -> Result<Vec<LinkedLine>, PlanChangeError> {
    Ok(sqlx::query_as(
        "SELECT line_number, linked_at FROM product_change.pc_mobile_line
         WHERE user_id = $1 ORDER BY linked_at, line_number LIMIT 20",
    )
    .bind(user)
    .fetch_all(db)
    .await?)
}

/// The line's KOS customer id, if `user` linked it; anyone else gets `NotFound`.
pub(super) async fn owned_line(
    db: &PgPool,
    user: UserId,
    line: &str,
) -> Result<String, PlanChangeError> {
    let customer: Option<String> = sqlx::query_scalar(
        "SELECT customer_id FROM product_change.pc_mobile_line WHERE line_number = $1 AND user_id = $2",
    )
    .bind(line)
    .bind(user)
    .fetch_optional(db)
    .await?;
    customer.ok_or(PlanChangeError::NotFound)
}

/// The current plan (KOS customer info) and the plans open for change (KOS product info).
pub async fn line_plans(
    db: &PgPool,
    kos: &Kos,
    user: UserId,
    line: &str,
) -> Result<LinePlans, PlanChangeError> {
    let line = parse_line(line).ok_or(PlanChangeError::NotFound)?;
    owned_line(db, user, &line).await?;
    let customer = kos
        .customer(&line)
        .await?
        .ok_or(PlanChangeError::NotFound)?;
    let plans = kos.plans().await?;
    let current = plans
        .iter()
        .find(|p| p.code == customer.product_code)
        .cloned()
        .unwrap_or_else(|| unknown_plan(&customer.product_code));
    let options = plans
        .into_iter()
        .filter(|p| p.changeable && p.code != current.code)
        .map(|plan| {
            let fee_difference = plan.monthly_fee - current.monthly_fee;
            // Said before asking, so the shopper is not offered a move KOS will refuse.
            let blocked = (customer.contract_locked && fee_difference < 0)
                .then(|| "CONTRACT_DOWNGRADE".to_owned());
            PlanOption {
                fee_difference,
                plan,
                blocked,
            }
        })
        .collect();
    Ok(LinePlans {
        line: LineInfo {
            line_number: customer.line_number,
            customer_id: customer.customer_id,
            customer_name: crate::platform::integration::mask_name(&customer.customer_name),
            contract_status: customer.contract_status,
            current,
        },
        options,
    })
}

/// A plan KOS reports on the line but no longer lists.
fn unknown_plan(code: &str) -> Plan {
    Plan {
        code: code.to_owned(),
        name: code.to_owned(),
        name_en: code.to_owned(),
        monthly_fee: 0,
        data_gb: None,
        voice_minutes: None,
        changeable: false,
    }
}
