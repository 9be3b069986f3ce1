use crate::plan_change::api::{admin_integrations, BreakerStatus, IntegrationsData, ResetBreaker};
use crate::platform::i18n::{t, use_locale, Msg};
use crate::ui::components::{action_error, FormAlert, LoadError};
use leptos::prelude::*;
use leptos_meta::Title;

/// `/admin/integrations`: breakers, KOS success rates and response times, recent failures,
/// and the plan-change summary.
#[component]
pub fn AdminIntegrationsPage() -> impl IntoView {
    let reset = ServerAction::<ResetBreaker>::new();
    let data = Resource::new(move || reset.version().get(), |_| admin_integrations());
    view! {
        <Title text=t(Msg::IntegrationsTitle) />
        <h1>{t(Msg::IntegrationsTitle)}</h1>
        <FormAlert error=action_error(reset.value()) />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(d) => view! { <Integrations data=d reset /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn ms(v: Option<f64>) -> String {
    v.map_or("–".into(), |v| format!("{v:.0} ms"))
}

#[component]
fn Integrations(data: IntegrationsData, reset: ServerAction<ResetBreaker>) -> impl IntoView {
    let locale = use_locale();
    view! {
        <section class="panel" aria-labelledby="breakers-title">
            <h2 id="breakers-title">{t(Msg::IntegrationsBreakers)}</h2>
            <div class="table-wrap" tabindex="0" role="region" aria-label=t(Msg::TableRegion)><table>
                <thead><tr>
                    <th scope="col">{t(Msg::IntegrationsService)}</th>
                    <th scope="col">{t(Msg::IntegrationsState)}</th>
                    <th scope="col">{t(Msg::IntegrationsCounts)}</th>
                    <th scope="col">{t(Msg::IntegrationsThresholds)}</th>
                    <th scope="col">{t(Msg::IntegrationsNextAttempt)}</th>
                    <th scope="col">{t(Msg::IntegrationsAction)}</th>
                    <th scope="col"><span class="visually-hidden">{t(Msg::IntegrationsReset)}</span></th>
                </tr></thead>
                <tbody>
                    {data.breakers.into_iter().map(|b| view! { <BreakerRowView b reset /> }).collect_view()}
                </tbody>
            </table></div>
        </section>
        <section class="panel" aria-labelledby="stats-title">
            <h2 id="stats-title">{t(Msg::IntegrationsStats)}</h2>
            {if data.stats.is_empty() {
                view! { <p class="muted">{t(Msg::IntegrationsNoCalls)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap" tabindex="0" role="region" aria-label=t(Msg::TableRegion)><table>
                        <thead><tr>
                            <th scope="col">{t(Msg::IntegrationsType)}</th>
                            <th scope="col">{t(Msg::IntegrationsCalls)}</th>
                            <th scope="col">{t(Msg::IntegrationsSuccessRate)}</th>
                            <th scope="col">{t(Msg::IntegrationsAvg)}</th>
                            <th scope="col">"p95"</th>
                            <th scope="col">{t(Msg::IntegrationsToday)}</th>
                        </tr></thead>
                        <tbody>
                            {data.stats.into_iter().map(|s| view! {
                                <tr data-testid="integration-stats">
                                    <th scope="row">{s.integration_type}</th>
                                    <td>{s.total_requests}</td>
                                    <td>{s.success_rate.map_or("–".into(), |r| format!("{r:.2}%"))}</td>
                                    <td>{ms(s.avg_response_time_ms)}</td>
                                    <td>{ms(s.p95_response_time_ms)}</td>
                                    <td>{s.today_count}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table></div>
                }.into_any()
            }}
        </section>
        <section class="panel" aria-labelledby="changes-title">
            <h2 id="changes-title">{t(Msg::IntegrationsChanges)}</h2>
            {if data.changes.is_empty() {
                view! { <p class="muted">{t(Msg::MobileNoRequests)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap" tabindex="0" role="region" aria-label=t(Msg::TableRegion)><table>
                        <thead><tr>
                            <th scope="col">{t(Msg::MobileStatus)}</th>
                            <th scope="col">{t(Msg::IntegrationsRequests)}</th>
                            <th scope="col">{t(Msg::IntegrationsToday)}</th>
                            <th scope="col">{t(Msg::IntegrationsAvgProcessing)}</th>
                        </tr></thead>
                        <tbody>
                            {data.changes.into_iter().map(|c| {
                                let label = c.process_status.label();
                                view! {
                                    <tr data-testid="change-summary">
                                        <th scope="row">{label.text(locale)}</th>
                                        <td>{c.request_count}</td>
                                        <td>{c.today_count}</td>
                                        <td>{c.avg_processing_time_sec.map_or("–".into(), |s| format!("{s:.1} s"))}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table></div>
                }.into_any()
            }}
        </section>
        <section class="panel" aria-labelledby="failures-title">
            <h2 id="failures-title">{t(Msg::IntegrationsFailures)}</h2>
            {if data.failures.is_empty() {
                view! { <p class="muted">{t(Msg::IntegrationsNoFailures)}</p> }.into_any()
            } else {
                view! {
                    <ul class="failure-list" role="list">
                        {data.failures.into_iter().map(|f| view! {
                            <li data-testid="failed-call">
                                <details>
                                    <summary>
                                        {crate::ui::format::local(f.created_at, "%m-%d %H:%M:%S")} " · "
                                        {f.integration_type.clone()} " · " {f.method.clone()} " "
                                        <code>{f.endpoint_url.clone()}</code> " · "
                                        {f.response_status.map_or("–".into(), |s| s.to_string())} " · "
                                        {f.error_message.clone().unwrap_or_default()}
                                    </summary>
                                    <dl class="facts">
                                        <dt>{t(Msg::IntegrationsState)}</dt><dd>{f.circuit_breaker_state.clone().unwrap_or_default()}</dd>
                                        <dt>{t(Msg::IntegrationsRetries)}</dt><dd>{f.retry_count}</dd>
                                        <dt>{t(Msg::IntegrationsAvg)}</dt><dd>{ms(f.response_time_ms.map(f64::from))}</dd>
                                        <dt>{t(Msg::IntegrationsRequest)}</dt><dd><pre>{f.request_body.clone().unwrap_or_default()}</pre></dd>
                                        <dt>{t(Msg::IntegrationsResponse)}</dt><dd><pre>{f.response_body.clone().unwrap_or_default()}</pre></dd>
                                    </dl>
                                </details>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <section class="panel" aria-labelledby="events-title">
            <h2 id="events-title">{t(Msg::IntegrationsEvents)}</h2>
            <ul role="list" class="event-list">
                {data.events.into_iter().map(|e| view! {
                    <li>
                        {crate::ui::format::local(e.created_at, "%m-%d %H:%M:%S")} " · " {e.service_name} " · "
                        {e.from_state} " → " {e.to_state} " · " {e.reason}
                        {e.by.map(|who| view! { " · " {t(Msg::IntegrationsResetBy)} " " <span data-testid="reset-by">{who}</span> })}
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn BreakerRowView(b: BreakerStatus, reset: ServerAction<ResetBreaker>) -> impl IntoView {
    let locale = use_locale();
    // The seed's view says STABLE for an OPEN breaker still in its open period; it is not.
    let action = match (b.recommended_action.as_str(), b.state.as_str()) {
        ("READY_FOR_HALF_OPEN", _) => Msg::BreakerReadyHalfOpen,
        ("READY_FOR_CLOSE", _) => Msg::BreakerReadyClose,
        (_, "OPEN") => Msg::BreakerWaitOpen,
        (_, "HALF_OPEN") => Msg::BreakerProbing,
        _ => Msg::BreakerStable,
    };
    let closed = b.state == "CLOSED";
    let testid = format!("breaker-{}", b.service_name);
    view! {
        <tr data-testid=testid>
            <th scope="row">{b.service_name.clone()}</th>
            <td><span class=format!("badge breaker-{}", b.state.to_lowercase()) data-testid="breaker-state">{b.state.clone()}</span></td>
            <td>{format!("{} / {}", b.failure_count, b.success_count)}</td>
            <td>{format!("{} / {} / {} s", b.failure_threshold, b.success_threshold, b.timeout_duration_ms / 1000)}</td>
            <td>{b.next_attempt_time.map(|t| crate::ui::format::local(t, "%H:%M:%S")).unwrap_or_else(|| "–".into())}</td>
            <td>{action.text(locale)}</td>
            <td>
                <ActionForm action=reset attr:class="inline-form">
                    <input type="hidden" name="service" value=b.service_name.clone() />
                    <button type="submit" class="button small" disabled=closed
                        aria-label=format!("{}: {}", Msg::IntegrationsReset.text(locale), b.service_name)>
                        {t(Msg::IntegrationsReset)}
                    </button>
                </ActionForm>
            </td>
        </tr>
    }
}
