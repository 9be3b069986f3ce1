//! `/admin/users` (search, filters, pages) and `/admin/users/{id}` (the account, its
//! purchases, sessions and masked addresses, what an admin may change, and its history).

use super::history::HistoryTable;
use crate::admin::api::{admin_user, admin_users, SetUserGrade, SetUserRole, SetUserStatus};
use crate::admin::domain::UserQuery;
use crate::admin::{UserDetail, UserList, UserRow};
use crate::identity::{Grade, Role, UserId, UserStatus};
use crate::platform::error::AppError;
use crate::platform::i18n::{t, use_locale, Msg};
use crate::ui::components::{action_error, successes, FormAlert, LoadError};
use crate::ui::format::{local, won};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

pub fn status_label(s: UserStatus) -> Msg {
    match s {
        UserStatus::Active => Msg::UserStatusActive,
        UserStatus::Suspended => Msg::UserStatusSuspended,
        UserStatus::Deleted => Msg::UserStatusDeleted,
    }
}

#[component]
pub fn AdminUsersPage() -> impl IntoView {
    let query = use_query_map();
    let read = move || {
        query.with(|q| UserQuery {
            q: q.get("q").unwrap_or_default(),
            role: q.get("role").unwrap_or_default(),
            status: q.get("status").unwrap_or_default(),
            grade: q.get("grade").unwrap_or_default(),
            page: q.get("page").and_then(|p| p.parse().ok()),
        })
    };
    let list = Resource::new(read, admin_users);
    view! {
        <Title text=t(Msg::AdminUsersTitle) />
        <h1>{t(Msg::AdminUsersTitle)}</h1>
        {move || view! { <UserFilters query=read() /> }}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(l) => view! { <UserTable list=l query=read() /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A `<select>` of codes with an "any" first.
fn choice(
    id: &'static str,
    label: Msg,
    current: String,
    options: Vec<(&'static str, Msg)>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{t(label)}</label>
            <select id=id name=id>
                <option value="">{t(Msg::FilterAll)}</option>
                {options.into_iter().map(|(code, m)| view! {
                    <option value=code selected={current == code}>{t(m)}</option>
                }).collect_view()}
            </select>
        </div>
    }
}

#[component]
fn UserFilters(query: UserQuery) -> impl IntoView {
    let roles = Role::ALL.iter().map(|r| (r.as_str(), r.label())).collect();
    let statuses = [UserStatus::Active, UserStatus::Suspended]
        .iter()
        .map(|s| (s.as_str(), status_label(*s)))
        .collect();
    let grades = Grade::ALL.iter().map(|g| (g.as_str(), g.label())).collect();
    view! {
        <form method="get" action="/admin/users" class="filters panel" role="search" data-testid="user-filters">
            <div class="field">
                <label for="q">{t(Msg::UserSearch)}</label>
                <input type="search" id="q" name="q" value=query.q maxlength="100" aria-describedby="q-hint" />
                <p class="hint" id="q-hint">{t(Msg::UserSearchHint)}</p>
            </div>
            {choice("role", Msg::UserRole, query.role, roles)}
            {choice("status", Msg::UserStatus, query.status, statuses)}
            {choice("grade", Msg::AccountGrade, query.grade, grades)}
            <button type="submit" class="button">{t(Msg::ShopSearch)}</button>
        </form>
    }
}

#[component]
fn UserTable(list: UserList, query: UserQuery) -> impl IntoView {
    let locale = use_locale();
    let filters = vec![
        ("q", query.q),
        ("role", query.role),
        ("status", query.status),
        ("grade", query.grade),
    ];
    let (page, pages) = (list.page, list.pages);
    view! {
        <p class="muted" data-testid="user-count">{format!("{} {}", list.total, Msg::UsersCount.text(locale))}</p>
        {if list.items.is_empty() {
            view! { <p class="muted">{t(Msg::UsersEmpty)}</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap" tabindex="0" role="region" aria-label=t(Msg::AdminUsersTitle)>
                    <table class="table" data-testid="users">
                        <thead>
                            <tr>
                                <th scope="col">{t(Msg::FieldEmail)}</th>
                                <th scope="col">{t(Msg::FieldName)}</th>
                                <th scope="col">{t(Msg::UserPhone)}</th>
                                <th scope="col">{t(Msg::UserRole)}</th>
                                <th scope="col">{t(Msg::UserStatus)}</th>
                                <th scope="col">{t(Msg::AccountGrade)}</th>
                                <th scope="col">{t(Msg::UserJoined)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {list.items.into_iter().map(|u: UserRow| view! {
                                <tr data-testid="user-row">
                                    <td><a href=format!("/admin/users/{}", u.id)>{u.email}</a></td>
                                    <td>{u.name}</td>
                                    <td>{u.phone}</td>
                                    <td>{u.role.label().text(locale)}</td>
                                    <td><span class=format!("badge status-{}", u.status.as_str())>{status_label(u.status).text(locale)}</span></td>
                                    <td>{u.grade.label().text(locale)}</td>
                                    <td>{local(u.created_at, "%Y-%m-%d")}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
        <super::notices::Pager page pages base="/admin/users" filters />
    }
}

/// `/admin/users/{id}`.
#[component]
pub fn AdminUserPage() -> impl IntoView {
    let params = use_params_map();
    let status = ServerAction::<SetUserStatus>::new();
    let role = ServerAction::<SetUserRole>::new();
    let grade = ServerAction::<SetUserGrade>::new();
    let id = move || params.with(|p| p.get("id").and_then(|s| s.parse::<UserId>().ok()));
    let data = Resource::new(
        {
            let done = (successes(status), successes(role), successes(grade));
            move || (id(), done.0.get(), done.1.get(), done.2.get())
        },
        |(id, ..)| async move {
            match id {
                Some(id) => admin_user(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Title text=t(Msg::AdminUsersTitle) />
        <p><a href="/admin/users">{t(Msg::AdminUsersTitle)}</a></p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(d) => view! { <UserPanels d status role grade /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn UserPanels(
    d: UserDetail,
    status: ServerAction<SetUserStatus>,
    role: ServerAction<SetUserRole>,
    grade: ServerAction<SetUserGrade>,
) -> impl IntoView {
    let locale = use_locale();
    let u = d.user.clone();
    let id = u.id.to_string();
    let audit_link = format!("/admin/audit?resource=user&id={}", u.id);
    view! {
        <h1 data-testid="user-email">{u.email.clone()}</h1>
        <section class="panel" aria-labelledby="user-account">
            <h2 id="user-account">{t(Msg::UserAccount)}</h2>
            <dl class="facts">
                <dt>{t(Msg::FieldName)}</dt><dd>{u.name.clone()}</dd>
                <dt>{t(Msg::UserPhone)}</dt><dd>{u.phone.clone().unwrap_or_else(|| "—".into())}</dd>
                <dt>{t(Msg::UserRole)}</dt><dd data-testid="user-role">{u.role.label().text(locale)}</dd>
                <dt>{t(Msg::UserStatus)}</dt>
                <dd data-testid="user-status">
                    {status_label(u.status).text(locale)}
                    {d.status_reason.clone().map(|r| view! { " — " {r} })}
                </dd>
                <dt>{t(Msg::AccountGrade)}</dt>
                <dd data-testid="user-grade">
                    {u.grade.label().text(locale)}
                    {d.grade_manual.then(|| view! { " " <span class="badge">{t(Msg::GradeManual)}</span> })}
                </dd>
                <dt>{t(Msg::UserJoined)}</dt><dd>{local(u.created_at, "%Y-%m-%d %H:%M")}</dd>
                <dt>{t(Msg::UserLastLogin)}</dt><dd>{u.last_login_at.map(|a| local(a, "%Y-%m-%d %H:%M")).unwrap_or_else(|| "—".into())}</dd>
                <dt>{t(Msg::UserOrders)}</dt><dd>{d.orders_count}</dd>
                <dt>{t(Msg::UserTotalPurchase)}</dt><dd>{won(d.total_purchase)}</dd>
                <dt>{t(Msg::UserPurchase12)}</dt><dd>{won(d.purchase_12_months)}</dd>
            </dl>
        </section>
        <div class="grid-2">
            <StatusForm id=id.clone() suspended=u.status == UserStatus::Suspended action=status />
            <RoleForm id=id.clone() current=u.role action=role />
        </div>
        <GradeForm id=id.clone() current=u.grade manual=d.grade_manual action=grade />
        <section class="panel" aria-labelledby="user-sessions">
            <h2 id="user-sessions">{t(Msg::SessionsTitle)}</h2>
            {if d.sessions.is_empty() {
                view! { <p class="muted">{t(Msg::UserNoSessions)}</p> }.into_any()
            } else {
                view! {
                    <ul class="plain" data-testid="user-sessions">
                        {d.sessions.into_iter().map(|s| view! {
                            <li>{s.device}" · "{s.ip}" · "{local(s.last_seen, "%Y-%m-%d %H:%M")}</li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <section class="panel" aria-labelledby="user-addresses">
            <h2 id="user-addresses">{t(Msg::AddressesTitle)}</h2>
            {if d.addresses.is_empty() {
                view! { <p class="muted">{t(Msg::UserNoAddresses)}</p> }.into_any()
            } else {
                view! {
                    <ul class="plain" data-testid="user-addresses">
                        {d.addresses.into_iter().map(|a| view! {
                            <li>
                                {a.label.map(|l| view! { <strong>{l}</strong>" " })}
                                {a.recipient_name}" · "{a.phone}" · ("{a.postal_code}") "{a.address}
                                {a.is_default.then(|| view! { " " <span class="badge">{t(Msg::AddrDefaultBadge)}</span> })}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <section class="panel" aria-labelledby="user-history">
            <h2 id="user-history">{t(Msg::AuditHistory)}</h2>
            <HistoryTable entries=d.history />
            <p><a href=audit_link>{t(Msg::AuditSeeAll)}</a></p>
        </section>
    }
}

/// The reason input every user action asks for.
#[component]
fn Reason(id: String, #[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let locale = use_locale();
    let message = move || error.get().and_then(|e| e.field_message("reason", locale));
    view! {
        <div class="field" class:has-error=move || message().is_some()>
            <label for=id.clone()>{t(Msg::AuditReason)}</label>
            <input type="text" id=id.clone() name="form[reason]" required=true maxlength="500"
                aria-describedby=format!("{id}-error") />
            <p class="field-error" id=format!("{id}-error") role="alert">{message}</p>
        </div>
    }
}

#[component]
fn StatusForm(id: String, suspended: bool, action: ServerAction<SetUserStatus>) -> impl IntoView {
    let error = action_error(action.value());
    view! {
        <section class="panel" aria-labelledby="user-status-title">
            <h2 id="user-status-title">{if suspended { t(Msg::UserReactivate) } else { t(Msg::UserSuspend) }}</h2>
            <ActionForm action attr:novalidate="true" attr:data-testid="user-status-form">
                <FormAlert error fields=&["reason"] />
                <input type="hidden" name="form[id]" value=id />
                <input type="hidden" name="form[action]" value=if suspended { "reactivate" } else { "suspend" } />
                <Reason id="status-reason".into() error />
                <button type="submit" class=if suspended { "button" } else { "button danger" }>
                    {if suspended { t(Msg::UserReactivate) } else { t(Msg::UserSuspend) }}
                </button>
            </ActionForm>
        </section>
    }
}

#[component]
fn RoleForm(id: String, current: Role, action: ServerAction<SetUserRole>) -> impl IntoView {
    let locale = use_locale();
    let error = action_error(action.value());
    let message =
        move |f: &'static str| move || error.get().and_then(|e| e.field_message(f, locale));
    if current == Role::Seller {
        return view! {
            <section class="panel" aria-labelledby="user-role-title">
                <h2 id="user-role-title">{t(Msg::UserChangeRole)}</h2>
                <p class="muted">{t(Msg::ErrSellerRoleViaReview)}" "<a href="/admin/sellers">{t(Msg::AdminSellersTitle)}</a></p>
            </section>
        }
        .into_any();
    }
    view! {
        <section class="panel" aria-labelledby="user-role-title">
            <h2 id="user-role-title">{t(Msg::UserChangeRole)}</h2>
            <ActionForm action attr:novalidate="true" attr:data-testid="user-role-form">
                <FormAlert error fields=&["role", "confirm", "reason"] />
                <input type="hidden" name="form[id]" value=id />
                <div class="field">
                    <label for="role">{t(Msg::UserRole)}</label>
                    <select id="role" name="form[role]">
                        {[Role::Customer, Role::Admin].into_iter().map(|r| view! {
                            <option value=r.as_str() selected={r != current}>{r.label().text(locale)}</option>
                        }).collect_view()}
                    </select>
                    <p class="field-error" role="alert">{message("role")}</p>
                </div>
                <div class="choice">
                    <input type="checkbox" id="confirm-admin" name="form[confirm]" value="on" aria-describedby="confirm-admin-error" />
                    <label for="confirm-admin">{t(Msg::UserConfirmAdmin)}</label>
                </div>
                <p class="field-error" id="confirm-admin-error" role="alert">{message("confirm")}</p>
                <Reason id="role-reason".into() error />
                <button type="submit" class="button">{t(Msg::UserChangeRole)}</button>
            </ActionForm>
        </section>
    }
    .into_any()
}

#[component]
fn GradeForm(
    id: String,
    current: Grade,
    manual: bool,
    action: ServerAction<SetUserGrade>,
) -> impl IntoView {
    let locale = use_locale();
    let error = action_error(action.value());
    let selected = if manual { current.as_str() } else { "auto" };
    view! {
        <section class="panel" aria-labelledby="user-grade-title">
            <h2 id="user-grade-title">{t(Msg::UserChangeGrade)}</h2>
            <ActionForm action attr:novalidate="true" attr:class="row-form" attr:data-testid="user-grade-form">
                <FormAlert error fields=&["grade", "reason"] />
                <input type="hidden" name="form[id]" value=id />
                <div class="field">
                    <label for="grade">{t(Msg::AccountGrade)}</label>
                    <select id="grade" name="form[grade]">
                        <option value="auto" selected={selected == "auto"}>{t(Msg::GradeAuto)}</option>
                        {Grade::ALL.iter().map(|g| view! {
                            <option value=g.as_str() selected={selected == g.as_str()}>{g.label().text(locale)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <Reason id="grade-reason".into() error />
                <button type="submit" class="button">{t(Msg::UserChangeGrade)}</button>
            </ActionForm>
        </section>
    }
}
