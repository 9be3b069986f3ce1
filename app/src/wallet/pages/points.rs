use crate::platform::i18n::{t, use_locale, Msg};
use crate::platform::once::{FormToken, OnceField};
use crate::ui::components::{action_error, Field, FormAlert, LoadError};
use crate::ui::format::{local, won};
use crate::wallet::api::{my_wallet, ChargePoints};
use crate::wallet::domain::{MAX_CHARGE, MIN_CHARGE};
use crate::wallet::WalletView;
use leptos::prelude::*;
use leptos_meta::Title;
use rust_decimal::Decimal;

/// `/account/points`: the balance and every change to it, newest first.
#[component]
pub fn PointsPage() -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    let data = Resource::new(
        move || query.with(|q| q.get("before").and_then(|b| b.parse::<i64>().ok())),
        my_wallet,
    );
    view! {
        <Title text=t(Msg::PointsTitle) />
        <h1>{t(Msg::PointsTitle)}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(w) => view! { <Ledger wallet=w /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Ledger(wallet: WalletView) -> impl IntoView {
    let locale = use_locale();
    let signed = |n: Decimal| {
        if n > Decimal::ZERO {
            format!("+{}", won(n))
        } else {
            format!("−{}", won(-n))
        }
    };
    view! {
        <section class="panel balance-card" aria-labelledby="balance-title">
            <h2 id="balance-title">{t(Msg::PointsBalance)}</h2>
            <p class="balance" data-testid="balance">{won(wallet.balance)}</p>
            <ChargeForm />
        </section>
        <section class="panel" aria-labelledby="ledger-title">
            <h2 id="ledger-title">{t(Msg::PointsHistory)}</h2>
            {if wallet.entries.is_empty() {
                view! { <p class="muted">{t(Msg::PointsEmpty)}</p> }.into_any()
            } else {
                view! {
                    <table class="table">
                        <thead>
                            <tr>
                                <th scope="col">{t(Msg::PointsWhen)}</th>
                                <th scope="col">{t(Msg::PointsKind)}</th>
                                <th scope="col" class="num">{t(Msg::PointsAmount)}</th>
                                <th scope="col" class="num">{t(Msg::PointsAfter)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {wallet.entries.iter().map(|e| view! {
                                <tr data-testid="ledger-row">
                                    <td><time datetime=e.created_at.to_rfc3339()>{local(e.created_at, "%Y-%m-%d %H:%M")}</time></td>
                                    <td>
                                        {e.kind.label().text(locale)}
                                        {e.memo.clone().map(|m| view! { <span class="muted small">" · "{m}</span> })}
                                    </td>
                                    <td class="num" class:negative={e.amount < Decimal::ZERO}>{signed(e.amount)}</td>
                                    <td class="num">{won(e.balance_after)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            {wallet.next.map(|n| view! {
                <p><a class="button" href=format!("/account/points?before={n}")>{t(Msg::PointsOlder)}</a></p>
            })}
        </section>
    }
}

/// "포인트 충전": an amount, then the gateway's card page.
#[component]
fn ChargeForm() -> impl IntoView {
    let locale = use_locale();
    let action = ServerAction::<ChargePoints>::new();
    let error = action_error(action.value());
    let echo = crate::platform::forms::use_form_echo("charge");
    let token = FormToken(uuid::Uuid::new_v4().to_string());
    let hint = Msg::PointsChargeHint
        .text(locale)
        .replace("{min}", &won(MIN_CHARGE.into()))
        .replace("{max}", &won(MAX_CHARGE.into()));
    view! {
        <ActionForm action=action attr:class="charge-form" attr:novalidate="true">
            <OnceField token />
            <FormAlert error=error fields=&["amount"] />
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let typed = echo.await;
                    view! {
                        <Field label=Msg::PointsChargeAmount name="amount" inputmode="numeric" required=true
                            value=typed.get("amount").cloned() error=error />
                    }
                })}
            </Suspense>
            <p class="hint">{hint}</p>
            <button type="submit" class="button primary">{t(Msg::PointsChargeSubmit)}</button>
        </ActionForm>
    }
}
