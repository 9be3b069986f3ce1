use super::live::HoldCountdown;
use super::show_time;
use crate::platform::i18n::{t, use_locale, Msg};
use crate::platform::once::{FormToken, OnceField};
use crate::ticketing::api::{hold_page, PayHold, ReleaseHold};
use crate::ticketing::{HoldId, HoldView};
use crate::ui::components::{action_error, FormAlert, LoadError};
use crate::ui::format::{local, won};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// `/tickets/holds/{id}`: the held seats, how long they stay held, and paying for them.
#[component]
pub fn HoldPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || params.with(|p| p.get("id").and_then(|s| s.parse::<HoldId>().ok())),
        |id| async move {
            match id {
                Some(id) => hold_page(id).await,
                None => Err(crate::platform::error::AppError::NotFound),
            }
        },
    );
    view! {
        <Title text=t(Msg::HoldTitle) />
        <h1>{t(Msg::HoldTitle)}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(h) => view! { <Hold hold=h /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Hold(hold: HoldView) -> impl IntoView {
    let locale = use_locale();
    let now = chrono::Utc::now();
    let held = hold.is_held(now);
    let pay = ServerAction::<PayHold>::new();
    let pay_error = action_error(pay.value());
    let release = ServerAction::<ReleaseHold>::new();
    let missing = hold.total - hold.balance;
    let c = hold.concert.clone();
    let left = (hold.reserved_until - now).num_seconds().max(0);
    let state = if hold.is_paid() {
        Msg::TicketConfirmed
    } else if held {
        Msg::TicketHeld
    } else {
        Msg::TicketExpired
    };
    view! {
        <section class="panel" aria-labelledby="hold-concert">
            <h2 id="hold-concert"><a href=format!("/tickets/{}", c.id)>{c.title.clone()}</a></h2>
            <p class="muted">{c.venue.clone()}" · "{show_time(c.starts_at, locale)}</p>
            <p><span class="badge" data-testid="hold-status">{state.text(locale)}</span></p>
            <ul class="hold-seats" role="list" data-testid="hold-seats">
                {hold.seats.iter().map(|s| view! {
                    <li>
                        {Msg::SeatPlace.text(locale)
                            .replace("{section}", &s.section)
                            .replace("{row}", &s.row_label)
                            .replace("{n}", &s.number_in_row.to_string())}
                        " · "{s.grade.clone()}" · "{won(s.price)}
                    </li>
                }).collect_view()}
            </ul>
            <dl class="totals">
                <dt class="grand">{t(Msg::CartTotal)}</dt><dd class="grand" data-testid="hold-total">{won(hold.total)}</dd>
                <dt>{t(Msg::PointsBalance)}</dt><dd data-testid="hold-balance">{won(hold.balance)}</dd>
            </dl>
        </section>
        {held.then(|| view! {
            <section class="panel" aria-labelledby="pay-title">
                <h2 id="pay-title">{t(Msg::HoldPay)}</h2>
                <p data-testid="hold-until">
                    {Msg::HoldUntil.text(locale).replace("{at}", &local(hold.reserved_until, "%H:%M:%S"))}
                    " "
                    <HoldCountdown seconds=left template=Msg::HoldSecondsLeft.text(locale).to_owned() />
                </p>
                {(missing > rust_decimal::Decimal::ZERO).then(|| view! {
                    <p class="alert alert-error" role="alert" data-testid="points-missing">
                        {Msg::HoldPointsMissing.text(locale).replace("{n}", &won(missing))}
                        " "<a href="/account/points">{t(Msg::HoldChargePoints)}</a>
                    </p>
                })}
                <FormAlert error=pay_error fields=&[] />
                <ActionForm action=pay attr:class="inline-form">
                    <OnceField token=FormToken(uuid::Uuid::new_v4().to_string()) />
                    <input type="hidden" name="form[hold]" value=hold.id.to_string() />
                    <button type="submit" class="button primary" data-testid="pay-hold">
                        {Msg::HoldPaySubmit.text(locale).replace("{n}", &won(hold.total))}
                    </button>
                </ActionForm>
                " "
                <ActionForm action=release attr:class="inline-form">
                    <input type="hidden" name="hold" value=hold.id.to_string() />
                    <input type="hidden" name="concert" value=c.id.to_string() />
                    <button type="submit" class="button">{t(Msg::HoldRelease)}</button>
                </ActionForm>
            </section>
        })}
        {(!held && !hold.is_paid()).then(|| view! {
            <p class="alert" role="status">{t(Msg::ErrHoldExpired)}" "<a href=format!("/tickets/{}", c.id)>{t(Msg::HoldPickAgain)}</a></p>
        })}
    }
}
