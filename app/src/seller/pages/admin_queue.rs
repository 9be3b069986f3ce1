use crate::platform::forms::use_form_echo;
use crate::platform::i18n::{t, use_locale, Msg};
use crate::seller::api::{admin_sellers, ApproveSeller, RejectSeller, SuspendSeller};
use crate::seller::{SellerStatus, SellerView};
use crate::ui::components::{Field, FormAlert, LoadError, ReasonField, RowErrors};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Admin queue of seller applications, filtered by status (pending first by default).
#[component]
pub fn AdminSellersPage() -> impl IntoView {
    let approve = ServerAction::<ApproveSeller>::new();
    let reject = ServerAction::<RejectSeller>::new();
    let suspend = ServerAction::<SuspendSeller>::new();
    let query = use_query_map();
    let status = move || {
        query
            .with(|q| q.get("status"))
            .unwrap_or_else(|| "pending".into())
    };
    let list = Resource::new(
        move || {
            (
                status(),
                approve.version().get(),
                reject.version().get(),
                suspend.version().get(),
            )
        },
        |(s, ..)| admin_sellers((s != "all").then_some(s)),
    );
    // Each action serves every card: its error shows on the card whose form was sent.
    let errors = ReviewErrors {
        approve: RowErrors::new(approve),
        reject: RowErrors::new(reject),
        suspend: RowErrors::new(suspend),
    };
    let echo = use_form_echo("seller-review");
    let locale = use_locale();
    let tabs = [
        ("pending", SellerStatus::Pending.label()),
        ("approved", SellerStatus::Approved.label()),
        ("rejected", SellerStatus::Rejected.label()),
        ("suspended", SellerStatus::Suspended.label()),
        ("all", Msg::FilterAll),
    ];
    view! {
        <Title text=t(Msg::AdminSellersTitle) />
        <h1>{t(Msg::AdminSellersTitle)}</h1>
        <nav class="tabs" aria-label=t(Msg::SellerStatusLabel)>
            {tabs.into_iter().map(|(key, label)| view! {
                <a href=format!("/admin/sellers?status={key}")
                    aria-current=move || (status() == key).then_some("page")>{label.text(locale)}</a>
            }).collect_view()}
        </nav>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let echo = echo.await;
                for e in [errors.approve, errors.reject, errors.suspend] {
                    e.place(echo.get("id"));
                }
                let typed = StoredValue::new(echo);
                match list.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(q) if q.sellers.is_empty() => view! { <p class="muted">{t(Msg::AdminSellersEmpty)}</p> }.into_any(),
                    Ok(mut q) => view! {
                        <ul class="review-list" role="list">
                            {q.sellers.into_iter().map(|s| {
                                let history = q.history.remove(&s.id.to_string()).unwrap_or_default();
                                view! { <ApplicationCard seller=s history approve reject suspend errors typed /> }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[derive(Clone, Copy)]
struct ReviewErrors {
    approve: RowErrors,
    reject: RowErrors,
    suspend: RowErrors,
}

#[component]
fn ApplicationCard(
    seller: SellerView,
    /// The seller's last decisions, newest first.
    history: Vec<crate::platform::audit::AuditEntry>,
    approve: ServerAction<ApproveSeller>,
    reject: ServerAction<RejectSeller>,
    suspend: ServerAction<SuspendSeller>,
    errors: ReviewErrors,
    typed: StoredValue<crate::platform::forms::Echo>,
) -> impl IntoView {
    let locale = use_locale();
    let id = seller.id.to_string();
    let approve_error = errors.approve.for_row(id.clone());
    let reject_error = errors.reject.for_row(id.clone());
    let suspend_error = errors.suspend.for_row(id.clone());
    // What was typed into this row's form before it failed (without JavaScript).
    let value = {
        let id = id.clone();
        move |field: &str| {
            typed.with_value(|e| {
                (e.get("id") == Some(&id))
                    .then(|| e.get(field).cloned())
                    .flatten()
            })
        }
    };
    let business_type = if seller.business_type == "corporation" {
        Msg::BusinessCorporation
    } else {
        Msg::BusinessIndividual
    };
    view! {
        <li class="card review" data-testid="seller-application">
            <header>
                <h2>{seller.business_name.clone()}</h2>
                <span class=format!("badge status-{}", seller.status.as_str())>{seller.status.label().text(locale)}</span>
            </header>
            <dl class="facts">
                <dt>{t(Msg::AdminApplicant)}</dt>
                <dd><a href=format!("/admin/users/{}", seller.user_id)>{seller.user_email.clone()}</a></dd>
                <dt>{t(Msg::FieldBusinessNumber)}</dt><dd>{seller.business_number.clone()}</dd>
                <dt>{t(Msg::FieldBusinessType)}</dt><dd>{business_type.text(locale)}</dd>
                <dt>{t(Msg::FieldRepresentative)}</dt><dd>{seller.representative_name.clone()}</dd>
                <dt>{t(Msg::FieldBusinessAddress)}</dt><dd>{seller.business_address.clone()}</dd>
                <dt>{t(Msg::FieldBusinessPhone)}</dt><dd>{seller.business_phone.clone()}</dd>
                <dt>{t(Msg::FieldBankName)}</dt>
                <dd>{format!("{} {} ({})", seller.bank_name, seller.bank_account_number, seller.bank_account_holder)}</dd>
                <dt>{t(Msg::AdminAppliedAt)}</dt><dd>{crate::ui::format::local(seller.created_at, "%Y-%m-%d")}</dd>
                {seller.commission_rate.map(|r| view! { <dt>{t(Msg::SellerCommission)}</dt><dd>{format!("{r}%")}</dd> })}
                {seller.status_reason.clone().map(|r| view! { <dt>{t(Msg::SellerReason)}</dt><dd>{r}</dd> })}
            </dl>
            {(!history.is_empty()).then(|| {
                let all = crate::ui::format::href("/admin/audit", &[("resource", "seller"), ("id", &id)]);
                view! {
                    <details class="history-details" data-testid="seller-history">
                        <summary>{format!("{} ({})", Msg::AuditHistory.text(locale), history.len())}</summary>
                        <crate::admin::pages::history::HistoryTable entries=history />
                        <p><a href=all>{t(Msg::AuditSeeAll)}</a></p>
                    </details>
                }
            })}
            {(seller.status == SellerStatus::Pending).then(|| {
                let (id1, id2) = (id.clone(), id.clone());
                let (rate, reason) = (value("commission_rate"), value("reason"));
                view! {
                <div class="review-actions">
                    <ActionForm action=approve attr:class="row-form" attr:novalidate="true">
                        <input type="hidden" name="form[id]" value=id1.clone() />
                        <FormAlert error=approve_error fields=&["commission_rate"] />
                        <Field label=Msg::SellerCommission name="commission_rate" inputmode="decimal"
                            id_prefix=format!("approve-{id1}-") value=rate
                            placeholder=Msg::AdminCommissionHint.text(locale) error=approve_error />
                        <button type="submit" class="button primary">{t(Msg::AdminApprove)}</button>
                    </ActionForm>
                    <ActionForm action=reject attr:class="row-form" attr:novalidate="true">
                        <input type="hidden" name="form[id]" value=id2.clone() />
                        <ReasonField error=reject_error id_prefix=format!("reject-{id2}-") value=reason />
                        <button type="submit" class="button danger">{t(Msg::AdminReject)}</button>
                    </ActionForm>
                </div>
            }})}
            {(seller.status == SellerStatus::Approved).then(|| {
                let reason = value("reason");
                view! {
                <ActionForm action=suspend attr:class="row-form" attr:novalidate="true">
                    <input type="hidden" name="form[id]" value=id.clone() />
                    <ReasonField error=suspend_error id_prefix=format!("suspend-{id}-") value=reason />
                    <button type="submit" class="button danger">{t(Msg::AdminSuspend)}</button>
                </ActionForm>
            }})}
        </li>
    }
}
