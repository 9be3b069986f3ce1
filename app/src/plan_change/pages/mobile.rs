use super::follow::FollowChange;
use super::{fee, ChangeTable};
use crate::plan_change::api::{mobile_data, LinkLine, RequestChange, UnlinkLine};
use crate::plan_change::{format_line, LinePlans, MobileOverview, Plan};
use crate::platform::error::AppError;
use crate::platform::i18n::{t, use_locale, Locale, Msg};
use crate::ui::components::{action_error, Field, FormAlert, LoadError, Submit};
use crate::ui::islands::BusyOnSubmit;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/mobile`: the shopper's lines, the current plan next to the plans they can move to, and
/// the change form. Plain forms: works without JavaScript.
#[component]
pub fn MobilePage() -> impl IntoView {
    let link = ServerAction::<LinkLine>::new();
    let unlink = ServerAction::<UnlinkLine>::new();
    let change = ServerAction::<RequestChange>::new();
    let query = use_query_map();
    let data = Resource::new(
        move || {
            (
                query.with(|q| q.get("line")),
                link.version().get(),
                unlink.version().get(),
                change.version().get(),
            )
        },
        |(line, ..)| mobile_data(line),
    );
    view! {
        <Title text=t(Msg::MobileTitle) />
        <h1>{t(Msg::MobileTitle)}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(d) => view! { <Mobile data=d link unlink change /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Mobile(
    data: MobileOverview,
    link: ServerAction<LinkLine>,
    unlink: ServerAction<UnlinkLine>,
    change: ServerAction<RequestChange>,
) -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let asked = query.with_untracked(|q| q.get("request"));
    let result = data
        .recent
        .iter()
        .find(|c| Some(c.request_id.to_string()) == asked)
        .cloned();
    let change_error = action_error(change.value());
    let unlink_error = action_error(unlink.value());
    let has_lines = !data.lines.is_empty();
    let selected = data.selected.clone().unwrap_or_default();
    view! {
        {(!has_lines).then(|| view! { <p class="lead">{t(Msg::MobileLead)}</p> })}
        {has_lines.then(|| view! {
            <nav class="tabs" aria-label=t(Msg::MobileLines)>
                {data.lines.iter().map(|l| {
                    let current = l.line_number == selected;
                    view! {
                        <a href=format!("/mobile?line={}", l.line_number)
                            aria-current=current.then_some("page")>{format_line(&l.line_number)}</a>
                    }
                }).collect_view()}
            </nav>
        })}
        {result.map(|c| view! {
            <div class=format!("alert {}", if c.status == crate::plan_change::ChangeStatus::Failed { "alert-error" } else { "alert-success" })
                role="status" data-testid="change-result">
                <strong>{c.status.label().text(locale)}</strong>
                {c.reason().map(|r| view! { " " {super::reason_text(r, locale)} })}
            </div>
            {(!c.status.is_final()).then(|| view! { <FollowChange request_id=c.request_id /> })}
        })}
        <FormAlert error=change_error />
        <FormAlert error=unlink_error />
        {match data.plans {
            None => ().into_any(),
            Some(Err(e)) => view! {
                <div class="alert alert-error" role="alert" data-testid="kos-error">{e.message(locale)}</div>
            }.into_any(),
            Some(Ok(plans)) => view! {
                <LinePanel plans change form_key=data.form_key.to_string() />
            }.into_any(),
        }}
        {has_lines.then(|| view! {
            <section class="panel" aria-labelledby="recent-title">
                <h2 id="recent-title">{t(Msg::MobileRecent)}</h2>
                <ChangeTable changes=data.recent names=data.plan_names.clone() />
                <p><a href=format!("/mobile/history?line={selected}")>{t(Msg::MobileAllHistory)}</a></p>
                <ActionForm action=unlink attr:class="inline-form">
                    <input type="hidden" name="line_number" value=selected.clone() />
                    <button type="submit" class="link-button">{t(Msg::MobileUnlink)}</button>
                </ActionForm>
            </section>
        })}
        <LinkForm link open=!has_lines />
    }
}

#[component]
fn LinePanel(
    plans: LinePlans,
    change: ServerAction<RequestChange>,
    form_key: String,
) -> impl IntoView {
    let locale = use_locale();
    let line = plans.line.clone();
    let active = line.contract_status == "ACTIVE";
    view! {
        <section class="panel" aria-labelledby="current-title" data-testid="current-plan">
            <h2 id="current-title">{t(Msg::MobileCurrentPlan)}</h2>
            <dl class="facts">
                <dt>{t(Msg::MobileLine)}</dt><dd>{format_line(&line.line_number)}</dd>
                <dt>{t(Msg::MobileHolder)}</dt><dd>{line.customer_name.clone()}</dd>
                <dt>{t(Msg::MobilePlan)}</dt><dd data-testid="current-plan-name">{line.current.label(locale).to_owned()}</dd>
                <dt>{t(Msg::MobileMonthlyFee)}</dt><dd>{fee(line.current.monthly_fee)}</dd>
                <dt>{t(Msg::MobileAllowance)}</dt><dd>{allowance(&line.current, locale)}</dd>
                <dt>{t(Msg::MobileContract)}</dt><dd>{contract_label(&line.contract_status).text(locale)}</dd>
            </dl>
            {(!active).then(|| view! { <p class="alert alert-error">{t(Msg::ReasonLineNotActive)}</p> })}
        </section>
        <section class="panel" aria-labelledby="plans-title">
            <h2 id="plans-title">{t(Msg::MobilePlans)}</h2>
            // KOS may take seconds to answer: the page says so, and no second change goes out.
            <BusyOnSubmit message=Msg::MobileChanging.text(locale).to_owned()>
            <div class="table-wrap" tabindex="0" role="region" aria-label=t(Msg::TableRegion)><table class="plans">
                <thead><tr>
                    <th scope="col">{t(Msg::MobilePlan)}</th>
                    <th scope="col">{t(Msg::MobileMonthlyFee)}</th>
                    <th scope="col">{t(Msg::MobileAllowance)}</th>
                    <th scope="col">{t(Msg::MobileDifference)}</th>
                    <th scope="col"><span class="visually-hidden">{t(Msg::MobileChangeTo)}</span></th>
                </tr></thead>
                <tbody>
                    {plans.options.into_iter().map(|o| {
                        let diff = o.fee_difference;
                        let blocked = o.blocked.as_deref().map(|r| super::reason_text(r, locale));
                        let open = active && blocked.is_none();
                        let diff_class = if diff > 0 { "diff up" } else { "diff down" };
                        let label = o.plan.label(locale).to_owned();
                        let (line_number, key) = (line.line_number.clone(), form_key.clone());
                        view! {
                            <tr data-testid="plan-option">
                                <th scope="row">{label.clone()}</th>
                                <td>{fee(o.plan.monthly_fee)}</td>
                                <td>{allowance(&o.plan, locale)}</td>
                                <td class=diff_class>
                                    {format!("{}{}", if diff > 0 { "+" } else { "" }, fee(diff))}
                                </td>
                                <td>
                                    <ActionForm action=change attr:class="inline-form">
                                        <input type="hidden" name="form[line_number]" value=line_number />
                                        <input type="hidden" name="form[target]" value=o.plan.code.clone() />
                                        <input type="hidden" name="form[request_id]" value=key />
                                        <button type="submit" class="button small" disabled=!open
                                            aria-label=format!("{}: {label}", Msg::MobileChangeTo.text(locale))>
                                            {t(Msg::MobileChangeTo)}
                                        </button>
                                    </ActionForm>
                                    {blocked.map(|why| view! { <p class="small muted" data-testid="plan-blocked">{why}</p> })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table></div>
            </BusyOnSubmit>
        </section>
    }
}

#[component]
fn LinkForm(link: ServerAction<LinkLine>, open: bool) -> impl IntoView {
    let error: Signal<Option<AppError>> = action_error(link.value());
    view! {
        <details class="panel" open=open>
            <summary><h2 class="inline">{t(Msg::MobileLinkTitle)}</h2></summary>
            <p class="muted">{t(Msg::MobileLinkLead)}</p>
            <FormAlert error=error fields=&["line_number", "birth_date"] />
            <ActionForm action=link attr:novalidate="true">
                <div class="grid-2">
                    <Field label=Msg::MobileLine name="line_number" kind="tel" required=true
                        hint=Msg::MobileLineHint error=error />
                    <Field label=Msg::MobileBirthDate name="birth_date" required=true
                        hint=Msg::MobileBirthDateHint error=error />
                </div>
                <Submit label=Msg::MobileLinkSubmit pending=link.pending() />
            </ActionForm>
        </details>
    }
}

fn allowance(p: &Plan, locale: Locale) -> String {
    let unlimited = Msg::MobileUnlimited.text(locale);
    let data = p.data_gb.map_or(unlimited.to_owned(), |g| format!("{g}GB"));
    let voice = p.voice_minutes.map_or(unlimited.to_owned(), |m| {
        format!("{m}{}", Msg::MobileMinutes.text(locale))
    });
    format!(
        "{} {data} · {} {voice}",
        Msg::MobileData.text(locale),
        Msg::MobileVoice.text(locale)
    )
}

fn contract_label(status: &str) -> Msg {
    match status {
        "ACTIVE" => Msg::ContractActive,
        "SUSPENDED" => Msg::ContractSuspended,
        _ => Msg::ContractTerminated,
    }
}
