//! `/admin` (the shop at a glance: cards, charts, jobs, partitions) and the seller's own
//! numbers on `/seller`.

use crate::admin::api::{admin_numbers, seller_numbers};
use crate::admin::dashboard::{AdminDashboard, PartitionStatus, SellerDashboard};
use crate::platform::i18n::{t, use_locale, Msg};
use crate::ui::charts::{BarList, ColumnChart, Unit};
use crate::ui::components::LoadError;
use crate::ui::format::won;
use leptos::prelude::*;

/// One number with its label, linking where it can be acted on.
#[component]
fn Card(
    label: Msg,
    value: String,
    #[prop(optional)] href: Option<&'static str>,
    #[prop(optional)] alert: bool,
) -> impl IntoView {
    let body = view! {
        <span class="stat-label">{t(label)}</span>
        <strong class="stat-value">{value}</strong>
    };
    view! {
        <li class="stat" class:alert=alert data-testid="stat">
            {match href {
                Some(h) => view! { <a href=h>{body}</a> }.into_any(),
                None => body.into_any(),
            }}
        </li>
    }
}

fn n(v: i64) -> String {
    crate::ui::charts::Unit::Count.exact(v)
}

fn w(v: i64) -> String {
    won(rust_decimal::Decimal::from(v))
}

/// The cards and charts of `/admin`.
#[component]
pub fn AdminDashboardPanels() -> impl IntoView {
    let data = Resource::new(|| (), |_| admin_numbers());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(d) => view! { <AdminPanels d /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AdminPanels(d: AdminDashboard) -> impl IntoView {
    let locale = use_locale();
    let statuses = d
        .orders_by_status
        .into_iter()
        .map(|mut p| {
            if let Some(s) = crate::ordering::OrderStatus::parse(&p.label) {
                p.label = s.label().text(locale).to_owned();
            }
            p
        })
        .collect();
    view! {
        <section aria-labelledby="stats-title">
            <h2 id="stats-title" class="visually-hidden">{t(Msg::DashboardNumbers)}</h2>
            <ul class="stats" role="list">
                <Card label=Msg::DashSalesToday value=w(d.sales_today) />
                <Card label=Msg::DashSalesMonth value=w(d.sales_month) />
                <Card label=Msg::DashOrdersToday value=n(d.orders_today) />
                <Card label=Msg::DashNewUsers value=n(d.new_users_today) href="/admin/users" />
                <Card label=Msg::DashPendingSellers value=n(d.pending_sellers) href="/admin/sellers" alert={d.pending_sellers > 0} />
                <Card label=Msg::DashPendingProducts value=n(d.pending_products) href="/admin/products" alert={d.pending_products > 0} />
                <Card label=Msg::DashOpenBreakers value=n(d.open_breakers) href="/admin/integrations" alert={d.open_breakers > 0} />
                <Card label=Msg::DashFailedJobs value=n(d.failed_jobs) href="#jobs-title" alert={d.failed_jobs > 0} />
            </ul>
        </section>
        <section class="panel charts" aria-labelledby="charts-title">
            <h2 id="charts-title">{t(Msg::DashCharts)}</h2>
            <div class="chart-grid">
                <ColumnChart id="chart-sales" title=Msg::ChartDailySales unit=Unit::Won points=d.daily_sales />
                <ColumnChart id="chart-orders" title=Msg::ChartDailyOrders unit=Unit::Count points=d.daily_orders />
                <BarList id="chart-status" title=Msg::ChartOrdersByStatus unit=Unit::Count points=statuses />
                <ColumnChart id="chart-signups" title=Msg::ChartSignups unit=Unit::Count points=d.signups />
                <BarList id="chart-products" title=Msg::ChartTopProducts unit=Unit::Won points=d.top_products />
                <BarList id="chart-sellers" title=Msg::ChartTopSellers unit=Unit::Won points=d.top_sellers />
            </div>
        </section>
        <Partitions rows=d.partitions />
    }
}

#[component]
fn Partitions(rows: Vec<PartitionStatus>) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="partitions-title">
            <h2 id="partitions-title">{t(Msg::DashPartitions)}</h2>
            <p class="muted">{t(Msg::DashPartitionsHint)}</p>
            <div class="table-wrap" tabindex="0" role="region" aria-label=t(Msg::DashPartitions)>
                <table class="table" data-testid="partitions">
                    <thead>
                        <tr>
                            <th scope="col">{t(Msg::DashTable)}</th>
                            <th scope="col">{t(Msg::DashPartitionCount)}</th>
                            <th scope="col">{t(Msg::DashOldest)}</th>
                            <th scope="col">{t(Msg::DashNewest)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows.into_iter().map(|r| view! {
                            <tr>
                                <td><code>{r.table}</code></td>
                                <td>{r.partitions}</td>
                                <td>{r.oldest.unwrap_or_else(|| "—".into())}</td>
                                <td>{r.newest.unwrap_or_else(|| "—".into())}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// The approved seller's numbers on `/seller`; nothing for anyone else.
#[component]
pub fn SellerDashboardPanels() -> impl IntoView {
    let data = Resource::new(|| (), |_| seller_numbers());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(None) => ().into_any(),
                    Ok(Some(d)) => view! { <SellerPanels d /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SellerPanels(d: SellerDashboard) -> impl IntoView {
    view! {
        <ul class="stats" role="list">
            <Card label=Msg::DashSalesToday value=w(d.sales_today) />
            <Card label=Msg::DashSalesMonth value=w(d.sales_month) />
            <Card label=Msg::DashToPrepare value=n(d.to_prepare) href="/seller/orders" alert={d.to_prepare > 0} />
            <Card label=Msg::DashLowStock value=n(d.low_stock_total) href="/seller/inventory" alert={d.low_stock_total > 0} />
        </ul>
        <section class="panel" aria-labelledby="seller-notices-title">
                <h2 id="seller-notices-title">{t(Msg::DashSellerNotices)}</h2>
                {if d.notices.is_empty() {
                    view! { <p class="muted">{t(Msg::NoticesEmpty)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="plain" data-testid="seller-notices">
                            {d.notices.into_iter().map(|n| view! {
                                <li>
                                    <a href=format!("/notices/{}", n.id)>{n.title}</a>
                                    {n.is_pinned.then(|| view! { " " <span class="badge">{t(Msg::NoticePinned)}</span> })}
                                    " "<small class="muted">{n.published_at.map(|a| crate::ui::format::local(a, "%Y-%m-%d"))}</small>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
                <p><a href="/notices">{t(Msg::DashAllNotices)}</a></p>
        </section>
        <section class="panel" aria-labelledby="seller-chart-title">
            <h2 id="seller-chart-title" class="visually-hidden">{t(Msg::ChartDailySales)}</h2>
            <ColumnChart id="chart-seller-sales" title=Msg::ChartDailySales unit=Unit::Won points=d.daily_sales />
        </section>
    }
}
