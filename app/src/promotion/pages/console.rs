use crate::platform::forms::Echo;
use crate::platform::i18n::{t, use_locale, Msg};
use crate::platform::once::{FormToken, OnceField};
use crate::promotion::api::{coupon_console, CreateCoupon};
use crate::promotion::{Console, Scope};
use crate::ui::components::{action_error, Field, FormAlert, LoadError};
use crate::ui::format::local;
use leptos::prelude::*;
use leptos_meta::Title;

const FIELDS: &[&str] = &[
    "code",
    "name",
    "discount_type",
    "discount_value",
    "max_discount_amount",
    "min_purchase_amount",
    "total_quantity",
    "valid_from",
    "valid_until",
    "target",
];

fn scope_label(scope: Scope) -> Msg {
    match scope {
        Scope::All => Msg::CouponTargetAll,
        Scope::Category => Msg::CouponTargetCategory,
        Scope::Product => Msg::CouponTargetProduct,
        Scope::Seller => Msg::CouponTargetSeller,
    }
}

/// `/seller/coupons` and `/admin/coupons`: the coupons made here, and a form for a new one.
/// A seller's coupon covers their shop or one of their products; an admin's anything.
#[component]
pub fn CouponConsolePage() -> impl IntoView {
    let create = ServerAction::<CreateCoupon>::new();
    let data = Resource::new(move || create.version().get(), |_| coupon_console());
    let echo = crate::platform::forms::use_form_echo("coupon");
    view! {
        <Title text=t(Msg::CouponConsoleTitle) />
        <h1>{t(Msg::CouponConsoleTitle)}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let typed = echo.await;
                match data.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(c) => view! {
                        <NewCouponForm create console=c.clone() typed />
                        <MadeList console=c />
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn NewCouponForm(
    create: ServerAction<CreateCoupon>,
    console: Console,
    typed: Echo,
) -> impl IntoView {
    let locale = use_locale();
    let error = action_error(create.value());
    let token = FormToken(uuid::Uuid::new_v4().to_string());
    let v = move |k: &str| typed.get(k).cloned();
    let from = v("valid_from").unwrap_or_else(|| local(console.now, "%Y-%m-%dT%H:%M"));
    let until = v("valid_until")
        .unwrap_or_else(|| local(console.now + chrono::Duration::days(30), "%Y-%m-%dT%H:%M"));
    let kind = v("discount_type").unwrap_or_else(|| "percentage".into());
    let target = v("target").unwrap_or_else(|| "all".into());
    let field_error =
        move |name: &'static str| move || error.get().and_then(|e| e.field_message(name, locale));
    let groups: Vec<(Scope, Vec<(String, String)>)> =
        [Scope::Category, Scope::Seller, Scope::Product]
            .into_iter()
            .map(|scope| {
                let these = console
                    .targets
                    .iter()
                    .filter(|t| t.scope == scope)
                    .map(|t| (t.value.clone(), t.label.clone()))
                    .collect::<Vec<_>>();
                (scope, these)
            })
            .filter(|(_, these)| !these.is_empty())
            .collect();
    let everything = if console.is_admin {
        Msg::CouponTargetAll
    } else {
        Msg::CouponTargetShop
    };
    view! {
        <section class="panel" aria-labelledby="new-coupon-title">
            <h2 id="new-coupon-title">{t(Msg::CouponNew)}</h2>
            <FormAlert error=error fields=FIELDS />
            <ActionForm action=create attr:novalidate="true" attr:data-testid="coupon-form">
                <OnceField token />
                <div class="grid-2">
                    <Field label=Msg::CouponCodeField name="code" required=true hint=Msg::CouponCodeHint value=v("code") error=error />
                    <Field label=Msg::CouponNameField name="name" required=true value=v("name") error=error />
                </div>
                <fieldset class="field">
                    <legend>{t(Msg::CouponKindField)}</legend>
                    <div class="choice">
                        <input type="radio" id="kind-percentage" name="form[discount_type]" value="percentage" checked={kind == "percentage"} />
                        <label for="kind-percentage">{t(Msg::CouponKindPercent)}</label>
                    </div>
                    <div class="choice">
                        <input type="radio" id="kind-fixed" name="form[discount_type]" value="fixed_amount" checked={kind == "fixed_amount"} />
                        <label for="kind-fixed">{t(Msg::CouponKindFixed)}</label>
                    </div>
                </fieldset>
                <div class="grid-2">
                    <Field label=Msg::CouponValueField name="discount_value" required=true inputmode="numeric" hint=Msg::CouponValueHint value=v("discount_value") error=error />
                    <Field label=Msg::CouponMaxField name="max_discount_amount" inputmode="numeric" hint=Msg::CouponOptionalHint value=v("max_discount_amount") error=error />
                    <Field label=Msg::CouponMinField name="min_purchase_amount" inputmode="numeric" hint=Msg::CouponOptionalHint value=v("min_purchase_amount") error=error />
                    <Field label=Msg::CouponQuantityField name="total_quantity" inputmode="numeric" hint=Msg::CouponQuantityHint value=v("total_quantity") error=error />
                    <Field label=Msg::CouponFromField name="valid_from" kind="datetime-local" required=true value=Some(from) error=error />
                    <Field label=Msg::CouponUntilField name="valid_until" kind="datetime-local" required=true value=Some(until) error=error />
                </div>
                <div class="field">
                    <label for="target">{t(Msg::CouponTargetField)}</label>
                    <select id="target" name="form[target]" aria-describedby="target-error">
                        <option value="all" selected={target == "all"}>{t(everything)}</option>
                        {groups.into_iter().map(|(scope, these)| view! {
                            <optgroup label=scope_label(scope).text(locale)>
                                {these.into_iter().map(|(value, label)| {
                                    let selected = value == target;
                                    view! { <option value=value selected=selected>{label}</option> }
                                }).collect_view()}
                            </optgroup>
                        }).collect_view()}
                    </select>
                    <p class="field-error" id="target-error" role="alert">{field_error("target")}</p>
                </div>
                <p class="form-actions">
                    <button type="submit" class="button primary">{t(Msg::CouponCreate)}</button>
                </p>
            </ActionForm>
        </section>
    }
}

#[component]
fn MadeList(console: Console) -> impl IntoView {
    let admin = console.is_admin;
    view! {
        <section class="panel" aria-labelledby="made-coupons-title">
            <h2 id="made-coupons-title">{t(Msg::CouponMadeTitle)}</h2>
            {if console.coupons.is_empty() {
                view! { <p class="muted">{t(Msg::CouponMadeNone)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap" tabindex="0" role="region" aria-label=t(Msg::CouponMadeTitle)>
                        <table class="table" data-testid="made-coupons">
                            <thead>
                                <tr>
                                    <th scope="col">{t(Msg::CouponCodeField)}</th>
                                    <th scope="col">{t(Msg::CouponNameField)}</th>
                                    <th scope="col">{t(Msg::CouponTargetField)}</th>
                                    <th scope="col" class="num">{t(Msg::CouponIssuedCol)}</th>
                                    <th scope="col" class="num">{t(Msg::CouponUsedCol)}</th>
                                    <th scope="col">{t(Msg::CouponUntil)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {console.coupons.into_iter().map(|m| {
                                    let c = m.coupon;
                                    let issued = match c.total_quantity {
                                        Some(total) => format!("{} / {total}", c.issued_quantity),
                                        None => c.issued_quantity.to_string(),
                                    };
                                    view! {
                                        <tr>
                                            <td><code>{c.code.clone()}</code></td>
                                            <td>{c.name.clone()}</td>
                                            <td>{if !admin && c.applicable_to == Scope::Seller { t(Msg::CouponTargetShop) } else { t(scope_label(c.applicable_to)) }}</td>
                                            <td class="num">{issued}</td>
                                            <td class="num">{m.used_quantity}</td>
                                            <td>{local(c.valid_until, "%Y-%m-%d %H:%M")}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}
