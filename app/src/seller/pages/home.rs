use crate::inventory::pages::LowStockAlerts;
use crate::platform::error::AppError;
use crate::platform::forms::{use_form_echo, Echo};
use crate::platform::i18n::{t, use_locale, Msg};
use crate::seller::api::{my_seller, ApplySeller};
use crate::seller::{SellerStatus, SellerView};
use crate::ui::components::{action_error, Field, FormAlert, LoadError, Submit};
use leptos::prelude::*;
use leptos_meta::Title;

/// Seller console home: the application form, or the application's status.
#[component]
pub fn SellerHomePage() -> impl IntoView {
    let apply = ServerAction::<ApplySeller>::new();
    let seller = Resource::new(move || apply.version().get(), |_| my_seller());
    let echo = use_form_echo("seller-apply");
    view! {
        <Title text=t(Msg::SellerTitle) />
        <h1>{t(Msg::SellerTitle)}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let echo = echo.await;
                match seller.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(None) => view! { <ApplyForm apply=apply echo=echo /> }.into_any(),
                    Ok(Some(s)) if s.status == SellerStatus::Rejected => view! {
                        <StatusCard seller=s />
                        <ApplyForm apply=apply echo=echo />
                    }.into_any(),
                    Ok(Some(s)) if s.status == SellerStatus::Approved => view! {
                        <crate::admin::pages::dashboard::SellerDashboardPanels />
                        <StatusCard seller=s />
                    }.into_any(),
                    Ok(Some(s)) => view! { <StatusCard seller=s /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn StatusCard(seller: SellerView) -> impl IntoView {
    let locale = use_locale();
    let body = match seller.status {
        SellerStatus::Pending => Msg::SellerPendingBody,
        SellerStatus::Approved => Msg::SellerApprovedBody,
        SellerStatus::Rejected => Msg::SellerRejectedBody,
        SellerStatus::Suspended => Msg::SellerSuspendedBody,
    };
    view! {
        <section class="panel" aria-labelledby="seller-status-title">
            <h2 id="seller-status-title">{seller.business_name.clone()}</h2>
            <dl class="facts">
                <dt>{t(Msg::SellerStatusLabel)}</dt>
                <dd><span class=format!("badge status-{}", seller.status.as_str()) data-testid="seller-status">
                    {seller.status.label().text(locale)}
                </span></dd>
                <dt>{t(Msg::FieldBusinessNumber)}</dt><dd>{seller.business_number.clone()}</dd>
                {seller.commission_rate.map(|r| view! {
                    <dt>{t(Msg::SellerCommission)}</dt><dd>{format!("{r}%")}</dd>
                })}
                {seller.status_reason.clone().map(|r| view! {
                    <dt>{t(Msg::SellerReason)}</dt><dd data-testid="seller-reason">{r}</dd>
                })}
            </dl>
            <p>{body.text(locale)}</p>
            {(seller.status == SellerStatus::Approved).then(|| view! {
                <p class="form-actions">
                    <a href="/seller/products" class="button primary">{t(Msg::SellerManageProducts)}</a>
                    <a href="/seller/inventory" class="button">{t(Msg::StockTitle)}</a>
                    <a href="/seller/orders" class="button">{t(Msg::SellerOrdersTitle)}</a>
                    <a href="/seller/coupons" class="button">{t(Msg::CouponConsoleTitle)}</a>
                </p>
            })}
        </section>
        {(seller.status == SellerStatus::Approved).then(|| view! { <LowStockAlerts /> })}
    }
}

#[component]
fn ApplyForm(apply: ServerAction<ApplySeller>, echo: Echo) -> impl IntoView {
    let error: Signal<Option<AppError>> = action_error(apply.value());
    let v = move |k: &str| echo.get(k).cloned();
    let corp = v("business_type").as_deref() == Some("corporation");
    view! {
        <section class="panel" aria-labelledby="apply-title">
            <h2 id="apply-title">{t(Msg::SellerApplyTitle)}</h2>
            <p class="muted">{t(Msg::SellerApplyLead)}</p>
            <FormAlert error=error fields=&["business_name", "business_number", "representative_name",
                "business_address", "business_phone", "bank_name", "bank_account_holder", "bank_account_number"] />
            <ActionForm action=apply attr:novalidate="true">
                <div class="grid-2">
                    <Field label=Msg::FieldBusinessName name="business_name" required=true value=v("business_name") error=error />
                    <Field label=Msg::FieldBusinessNumber name="business_number" required=true
                        hint=Msg::FieldBusinessNumberHint value=v("business_number") error=error />
                </div>
                <fieldset class="field">
                    <legend>{t(Msg::FieldBusinessType)}</legend>
                    <label class="inline-choice">
                        <input type="radio" name="form[business_type]" value="individual" checked=!corp />
                        {t(Msg::BusinessIndividual)}
                    </label>
                    <label class="inline-choice">
                        <input type="radio" name="form[business_type]" value="corporation" checked=corp />
                        {t(Msg::BusinessCorporation)}
                    </label>
                </fieldset>
                <div class="grid-2">
                    <Field label=Msg::FieldRepresentative name="representative_name" required=true value=v("representative_name") error=error />
                    <Field label=Msg::FieldBusinessPhone name="business_phone" kind="tel" required=true value=v("business_phone") error=error />
                </div>
                <Field label=Msg::FieldBusinessAddress name="business_address" required=true value=v("business_address") error=error />
                <div class="grid-2">
                    <Field label=Msg::FieldBankName name="bank_name" required=true value=v("bank_name") error=error />
                    <Field label=Msg::FieldBankHolder name="bank_account_holder" required=true value=v("bank_account_holder") error=error />
                </div>
                <Field label=Msg::FieldBankNumber name="bank_account_number" required=true value=v("bank_account_number") error=error />
                <Submit label=Msg::SellerApplySubmit pending=apply.pending() />
            </ActionForm>
        </section>
    }
}
