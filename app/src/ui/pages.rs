//! Pages outside any single context: home, area landings, admin overview, 404.

use crate::platform::error::AppError;
use crate::platform::i18n::{t, Msg};
use crate::ui::components::LoadError;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Title text="" />
        <crate::ui::components::Description text=t(Msg::HomeLead) />
        <section class="hero">
            <h1>{t(Msg::HomeTitle)}</h1>
            <p class="lead">{t(Msg::HomeLead)}</p>
        </section>
        <ul class="card-grid" role="list">
            <li class="card">
                <h2><a href="/shop">{t(Msg::NavShop)}</a></h2>
                <p>{t(Msg::HomeShopBody)}</p>
            </li>
            <li class="card">
                <h2><a href="/tickets">{t(Msg::NavTickets)}</a></h2>
                <p>{t(Msg::HomeTicketsBody)}</p>
            </li>
            <li class="card">
                <h2><a href="/mobile">{t(Msg::NavMobile)}</a></h2>
                <p>{t(Msg::HomeMobileBody)}</p>
            </li>
        </ul>
        <crate::catalog::pages::HomeShelvesView />
    }
}

/// Landing page of an area whose features arrive in later releases.
#[component]
pub fn AreaPage(title: Msg) -> impl IntoView {
    view! {
        <Title text=t(title) />
        <section class="panel">
            <h1>{t(title)}</h1>
            <h2>{t(Msg::AreaComingTitle)}</h2>
            <p>{t(Msg::AreaComingBody)}</p>
            <p><a href="/account" class="button">{t(Msg::NavAccount)}</a></p>
        </section>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text=t(Msg::NotFoundTitle) />
        <section class="error-page" aria-labelledby="nf-title">
            <p class="error-code" aria-hidden="true">"404"</p>
            <h1 id="nf-title">{t(Msg::NotFoundTitle)}</h1>
            <p>{t(Msg::NotFoundBody)}</p>
            <p><a href="/" class="button primary">{t(Msg::BackHome)}</a></p>
        </section>
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdminOverviewData {
    pub jobs: Vec<JobRow>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JobRow {
    pub name: String,
    pub status: String,
    pub last_started_at: String,
    pub duration_ms: Option<i64>,
    pub runs: i64,
    pub errors: i64,
    pub message: Option<String>,
}

#[server(prefix = "/fn", endpoint = "admin/overview")]
pub async fn admin_overview() -> Result<AdminOverviewData, AppError> {
    use crate::identity::Role;
    use crate::platform::{auth, jobs, state::AppState};
    let state = AppState::current()?;
    auth::current_user().await?.require(&[Role::Admin])?;
    let jobs = jobs::statuses(&state.db)
        .await?
        .into_iter()
        .map(|j| JobRow {
            name: j.name,
            status: j.last_status,
            last_started_at: crate::ui::format::local(j.last_started_at, "%Y-%m-%d %H:%M:%S"),
            duration_ms: j.last_duration_ms,
            runs: j.run_count,
            errors: j.error_count,
            message: j.last_message,
        })
        .collect();
    Ok(AdminOverviewData { jobs })
}

/// `/admin`. Anyone but an admin gets the 403 page, without the console's menu.
#[component]
pub fn AdminPage() -> impl IntoView {
    let auth = crate::ui::layout::use_auth();
    view! {
        <Title text=t(Msg::AdminTitle) />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match auth.user.await {
                    None => view! { <LoadError error=AppError::Unauthenticated /> }.into_any(),
                    Some(u) if u.role != crate::identity::Role::Admin => {
                        view! { <LoadError error=AppError::Forbidden /> }.into_any()
                    }
                    Some(_) => view! { <AdminConsole /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AdminConsole() -> impl IntoView {
    let data = Resource::new(|| (), |_| admin_overview());
    view! {
        <h1>{t(Msg::AdminTitle)}</h1>
        <nav class="tabs" aria-label=t(Msg::AdminTitle)>
            <a href="/admin/users">{t(Msg::AdminUsersTitle)}</a>
            <a href="/admin/configs">{t(Msg::AdminConfigsTitle)}</a>
            <a href="/admin/audit">{t(Msg::AuditTitle)}</a>
            <a href="/admin/notices">{t(Msg::AdminNoticesTitle)}</a>
            <a href="/admin/sellers">{t(Msg::AdminSellersTitle)}</a>
            <a href="/admin/products">{t(Msg::AdminProductsTitle)}</a>
            <a href="/admin/categories">{t(Msg::AdminCategoriesTitle)}</a>
            <a href="/admin/coupons">{t(Msg::CouponConsoleTitle)}</a>
            <a href="/admin/integrations">{t(Msg::IntegrationsTitle)}</a>
        </nav>
        <crate::admin::pages::dashboard::AdminDashboardPanels />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(o) => view! {
                        <section class="panel" aria-labelledby="jobs-title">
                            <h2 id="jobs-title">{t(Msg::AdminJobsTitle)}</h2>
                            <div class="table-wrap" tabindex="0" role="region" aria-label=t(Msg::TableRegion)>
                                <table>
                                    <thead>
                                        <tr>
                                            <th scope="col">{t(Msg::JobName)}</th>
                                            <th scope="col">{t(Msg::JobStatus)}</th>
                                            <th scope="col">{t(Msg::JobLastRun)}</th>
                                            <th scope="col">{t(Msg::JobDuration)}</th>
                                            <th scope="col">{t(Msg::JobRuns)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {o.jobs.into_iter().map(|j| view! {
                                            <tr>
                                                <td><code>{j.name}</code></td>
                                                <td>
                                                    <span class=format!("badge status-{}", j.status)>{j.status.clone()}</span>
                                                    {j.message.map(|m| view! { <small class="muted">" "{m}</small> })}
                                                </td>
                                                <td>{j.last_started_at}</td>
                                                <td>{j.duration_ms.map(|d| format!("{d} ms"))}</td>
                                                <td>{format!("{} / {}", j.runs, j.errors)}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
