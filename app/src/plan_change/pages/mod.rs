//! Mobile pages and the admin's Integrations page.

mod admin_integrations;
mod follow;
mod history;
mod mobile;

pub use admin_integrations::AdminIntegrationsPage;
pub use history::MobileHistoryPage;
pub use mobile::MobilePage;

use crate::plan_change::{reason_msg, ChangeView, PlanNames};
use crate::platform::i18n::{t, use_locale, Locale, Msg};
use leptos::prelude::*;

fn fee(won: i64) -> String {
    crate::ui::format::won(rust_decimal::Decimal::from(won))
}

/// A reason code in the reader's language; a code we do not know is a refusal by the
/// carrier, shown with the code for support.
fn reason_text(code: &str, locale: Locale) -> String {
    match reason_msg(code) {
        Some(m) => m.text(locale).to_owned(),
        None => crate::platform::i18n::Msg::ReasonRejectedOther
            .text(locale)
            .replace("{code}", code),
    }
}

#[component]
fn ChangeRow(change: ChangeView, names: PlanNames) -> impl IntoView {
    let locale = use_locale();
    let reason = change
        .reason()
        .map(|r| reason_text(r, locale))
        .unwrap_or_default();
    view! {
        <tr data-testid="change-row">
            <td>{crate::ui::format::local(change.requested_at, "%Y-%m-%d %H:%M")}</td>
            <td>{format!(
                "{} → {}",
                names.label(&change.current_product_code, locale),
                names.label(&change.target_product_code, locale),
            )}</td>
            <td><span class=format!("badge change-{}", change.status.as_str().to_lowercase())>
                {change.status.label().text(locale)}
            </span></td>
            <td>{reason}</td>
        </tr>
    }
}

/// A line's change requests as a table, or a note that there are none.
#[component]
fn ChangeTable(changes: Vec<ChangeView>, names: PlanNames) -> impl IntoView {
    if changes.is_empty() {
        return view! { <p class="muted">{t(Msg::MobileNoRequests)}</p> }.into_any();
    }
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=t(Msg::TableRegion)><table>
            <thead><tr>
                <th scope="col">{t(Msg::MobileRequestedAt)}</th>
                <th scope="col">{t(Msg::MobileChange)}</th>
                <th scope="col">{t(Msg::MobileStatus)}</th>
                <th scope="col">{t(Msg::MobileReason)}</th>
            </tr></thead>
            <tbody>
                {changes.into_iter().map(|c| view! { <ChangeRow change=c names=names.clone() /> }).collect_view()}
            </tbody>
        </table></div>
    }
    .into_any()
}
