//! Mobile plan change (seed 002): a shopper links a mobile line, compares plans, and asks for
//! a change that runs on the carrier's core system (KOS) through circuit breakers.

pub mod api;
pub mod domain;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod error;
#[cfg(feature = "ssr")]
pub mod kos;
#[cfg(feature = "ssr")]
pub mod service;

#[cfg(feature = "ssr")]
pub use error::PlanChangeError;

use crate::platform::i18n::{Locale, Msg};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A plan of the carrier's catalogue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    pub code: String,
    pub name: String,
    pub name_en: String,
    /// KRW per month.
    pub monthly_fee: i64,
    /// `None`: unlimited.
    pub data_gb: Option<i32>,
    /// `None`: unlimited.
    pub voice_minutes: Option<i32>,
    pub changeable: bool,
}

/// Plan names by code, for showing a change as "5G 슬림 → 5G 프리미엄". A plan KOS no longer
/// lists (or KOS being down) shows its code.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PlanNames(pub Vec<(String, String, String)>);

impl PlanNames {
    pub fn of(plans: &[Plan]) -> Self {
        Self(
            plans
                .iter()
                .map(|p| (p.code.clone(), p.name.clone(), p.name_en.clone()))
                .collect(),
        )
    }

    /// The line's current plan and every plan it is offered.
    pub fn of_line(plans: &LinePlans) -> Self {
        let all: Vec<Plan> = std::iter::once(plans.line.current.clone())
            .chain(plans.options.iter().map(|o| o.plan.clone()))
            .collect();
        Self::of(&all)
    }

    pub fn label<'a>(&'a self, code: &'a str, locale: Locale) -> &'a str {
        self.0
            .iter()
            .find(|(c, ..)| c == code)
            .map_or(code, |(_, ko, en)| match locale {
                Locale::Ko => ko,
                Locale::En => en,
            })
    }
}

impl Plan {
    pub fn label(&self, locale: Locale) -> &str {
        match locale {
            Locale::Ko => &self.name,
            Locale::En => &self.name_en,
        }
    }
}

/// A line as KOS describes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct LineInfo {
    pub line_number: String,
    pub customer_id: String,
    /// Masked for display (김*준).
    pub customer_name: String,
    pub contract_status: String,
    pub current: Plan,
}

/// A plan the line could move to, with the monthly difference.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PlanOption {
    pub plan: Plan,
    /// Target fee minus current fee, KRW per month.
    pub fee_difference: i64,
    /// Why KOS would refuse this move (a reason code, see [`reason_msg`]); offered disabled.
    pub blocked: Option<String>,
}

/// The current plan and the choices, side by side.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct LinePlans {
    pub line: LineInfo,
    pub options: Vec<PlanOption>,
}

crate::code_enum! {
    /// Where a change request stands. A stored status the code does not know fails the read;
    /// it never becomes "requested".
    pub enum ChangeStatus {
        Requested = "REQUESTED",
        Validated = "VALIDATED",
        Processing = "PROCESSING",
        Completed = "COMPLETED",
        Failed = "FAILED",
    }
}

impl ChangeStatus {
    pub fn label(self) -> Msg {
        match self {
            Self::Requested => Msg::ChangeRequested,
            Self::Validated => Msg::ChangeValidated,
            Self::Processing => Msg::ChangeProcessing,
            Self::Completed => Msg::ChangeCompleted,
            Self::Failed => Msg::ChangeFailed,
        }
    }

    pub fn is_final(self) -> bool {
        matches!(self, Self::Completed | Self::Failed)
    }
}

/// One change request and where it stands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ChangeView {
    pub request_id: Uuid,
    pub line_number: String,
    pub current_product_code: String,
    pub target_product_code: String,
    pub status: ChangeStatus,
    /// Pre-check outcome: `OK`, or the code of the rule that failed.
    pub validation_result: Option<String>,
    /// Processing outcome code (see [`reason_msg`]).
    pub process_message: Option<String>,
    pub requested_at: DateTime<Utc>,
    pub processed_at: Option<DateTime<Utc>>,
    pub version: i64,
}

impl ChangeView {
    /// The reason to show: the processing message, else the pre-check's.
    pub fn reason(&self) -> Option<&str> {
        self.process_message
            .as_deref()
            .or(self.validation_result.as_deref().filter(|r| *r != "OK"))
    }
}

/// The text for a pre-check or processing code; unknown codes show as they are.
pub fn reason_msg(code: &str) -> Option<Msg> {
    Some(match code {
        "LINE_NOT_ACTIVE" => Msg::ReasonLineNotActive,
        "PRODUCT_NOT_FOUND" => Msg::ReasonProductNotFound,
        "PRODUCT_CLOSED" => Msg::ReasonProductClosed,
        "SAME_PRODUCT" => Msg::ReasonSameProduct,
        "CONTRACT_DOWNGRADE" => Msg::ReasonContractDowngrade,
        "PLAN_MISMATCH" => Msg::ReasonPlanMismatch,
        "CUSTOMER_MISMATCH" | "LINE_NOT_FOUND" => Msg::ReasonLineMismatch,
        "KOS_UNAVAILABLE" => Msg::ReasonKosUnavailable,
        "KOS_PENDING" => Msg::ReasonKosPending,
        "NOT_EXECUTED" => Msg::ReasonNotExecuted,
        "INTERRUPTED" => Msg::ReasonInterrupted,
        "COMPLETED" => Msg::ReasonCompleted,
        "CONFIRMED_LATE" => Msg::ReasonConfirmedLate,
        _ => return None,
    })
}

/// A line linked to the shopper's account.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct LinkedLine {
    pub line_number: String,
    pub linked_at: DateTime<Utc>,
}

/// What the Mobile page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MobileOverview {
    pub lines: Vec<LinkedLine>,
    pub selected: Option<String>,
    /// KOS may be unreachable: the page still shows the lines and says why the plans are not.
    pub plans: Option<Result<LinePlans, crate::platform::error::AppError>>,
    pub recent: Vec<ChangeView>,
    pub plan_names: PlanNames,
    /// A fresh request id for the change forms: a double submit sends the same one.
    pub form_key: Uuid,
}

/// `01055500001` → `010-5550-0001`.
pub fn format_line(digits: &str) -> String {
    match digits.len() {
        11 => format!("{}-{}-{}", &digits[..3], &digits[3..7], &digits[7..]),
        10 => format!("{}-{}-{}", &digits[..3], &digits[3..6], &digits[6..]),
        _ => digits.to_owned(),
    }
}

/// Parses a Korean mobile number typed any way (`010-5550-0001`, `010 5550 0001`).
pub fn parse_line(input: &str) -> Option<String> {
    let digits: String = input
        .chars()
        .filter(|c| !matches!(c, '-' | ' ' | '.'))
        .collect();
    let ok = digits.chars().all(|c| c.is_ascii_digit())
        && (10..=11).contains(&digits.len())
        && digits.starts_with("01");
    ok.then_some(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_numbers_parse_and_format() {
        assert_eq!(parse_line("010-5550-0001").as_deref(), Some("01055500001"));
        assert_eq!(
            parse_line(" 010 5550 0001 ".trim()).as_deref(),
            Some("01055500001")
        );
        assert_eq!(parse_line("02-123-4567"), None);
        assert_eq!(parse_line("010-5550-00a1"), None);
        assert_eq!(format_line("01055500001"), "010-5550-0001");
        assert_eq!(format_line("0111234567"), "011-123-4567");
    }
}
