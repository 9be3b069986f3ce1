use crate::platform::i18n::{t, use_locale, Msg};
use crate::seller::api::{admin_sellers, ApproveSeller, RejectSeller, SuspendSeller};
use crate::seller::{SellerStatus, SellerView};
use crate::ui::components::{action_error, FormAlert, LoadError};
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
    let errors = Signal::derive(move || {
        action_error(approve.value())
            .get()
            .or_else(|| action_error(reject.value()).get())
            .or_else(|| action_error(suspend.value()).get())
    });
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
        <FormAlert error=errors />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(items) if items.is_empty() => view! { <p class="muted">{t(Msg::AdminSellersEmpty)}</p> }.into_any(),
                    Ok(items) => view! {
                        <ul class="review-list" role="list">
                            {items.into_iter().map(|s| view! {
                                <ApplicationCard seller=s approve reject suspend />
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ApplicationCard(
    seller: SellerView,
    approve: ServerAction<ApproveSeller>,
    reject: ServerAction<RejectSeller>,
    suspend: ServerAction<SuspendSeller>,
) -> impl IntoView {
    let locale = use_locale();
    let id = seller.id.to_string();
    let suspend_id = id.clone();
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
                <dt>{t(Msg::AdminApplicant)}</dt><dd>{seller.user_email.clone()}</dd>
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
            {(seller.status == SellerStatus::Pending).then(|| {
                let id2 = id.clone();
                view! {
                    <div class="review-actions">
                        <ActionForm action=approve attr:class="row-form">
                            <input type="hidden" name="id" value=id.clone() />
                            <div class="field">
                                <label for=format!("commission-{id}")>{t(Msg::SellerCommission)}</label>
                                <input id=format!("commission-{id}") name="commission_rate" inputmode="decimal"
                                    placeholder=t(Msg::AdminCommissionHint) />
                            </div>
                            <button type="submit" class="button primary">{t(Msg::AdminApprove)}</button>
                        </ActionForm>
                        <ActionForm action=reject attr:class="row-form">
                            <input type="hidden" name="id" value=id2.clone() />
                            <div class="field">
                                <label for=format!("reject-{id2}")>{t(Msg::SellerReason)}</label>
                                <input id=format!("reject-{id2}") name="reason" required=true />
                            </div>
                            <button type="submit" class="button danger">{t(Msg::AdminReject)}</button>
                        </ActionForm>
                    </div>
                }
            })}
            {(seller.status == SellerStatus::Approved).then(|| view! {
                <ActionForm action=suspend attr:class="row-form">
                    <input type="hidden" name="id" value=suspend_id.clone() />
                    <div class="field">
                        <label for=format!("suspend-{suspend_id}")>{t(Msg::SellerReason)}</label>
                        <input id=format!("suspend-{suspend_id}") name="reason" required=true />
                    </div>
                    <button type="submit" class="button danger">{t(Msg::AdminSuspend)}</button>
                </ActionForm>
            })}
        </li>
    }
}
