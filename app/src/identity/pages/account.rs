use crate::identity::api::{list_sessions, list_tokens, CreateToken, RevokeSession, RevokeToken};
use crate::identity::{describe_user_agent, grade_label};
use crate::platform::i18n::{t, use_locale, Msg};
use crate::ui::components::{action_error, Field, FormAlert, LoadError, Submit};
use crate::ui::layout::use_auth;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AccountPage() -> impl IntoView {
    let auth = use_auth();
    let locale = use_locale();
    view! {
        <Title text=t(Msg::AccountTitle) />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match auth.user.await {
                    None => view! { <LoadError error=crate::platform::error::AppError::Unauthenticated /> }.into_any(),
                    Some(user) => view! {
                        <h1>{Msg::AccountGreeting.text(locale).replace("{name}", &user.name)}</h1>
                        <section class="panel" aria-labelledby="profile-title">
                            <h2 id="profile-title">{t(Msg::AccountProfile)}</h2>
                            <dl class="facts">
                                <dt>{t(Msg::FieldEmail)}</dt><dd>{user.email.clone()}</dd>
                                <dt>{t(Msg::FieldName)}</dt><dd data-testid="profile-name">{user.name.clone()}</dd>
                                <dt>{t(Msg::FieldPhone)}</dt>
                                <dd data-testid="profile-phone">{user.phone.clone().unwrap_or_else(|| t(Msg::ProfileNoPhone).to_owned())}</dd>
                                <dt>{t(Msg::AccountRole)}</dt><dd>{user.role.label().text(locale)}</dd>
                                <dt>{t(Msg::AccountGrade)}</dt><dd>{grade_label(&user.grade).text(locale)}</dd>
                                <dt>{t(Msg::AccountTotalPurchase)}</dt>
                                <dd>{format!("₩{}", user.total_purchase_amount.round())}</dd>
                                <dt>{t(Msg::AccountSince)}</dt><dd>{crate::ui::format::local(user.created_at, "%Y-%m-%d")}</dd>
                            </dl>
                            <p class="form-actions">
                                <a href="/account/profile" class="button">{t(Msg::ProfileEditTitle)}</a>
                                <a href="/account/password" class="button">{t(Msg::PasswordChangeTitle)}</a>
                            </p>
                            <p class="form-actions">
                                <a href="/account/addresses" class="button">{t(Msg::NavAddresses)}</a>
                                <a href="/orders" class="button">{t(Msg::OrdersTitle)}</a>
                                <a href="/account/points" class="button">{t(Msg::PointsTitle)}</a>
                                <a href="/account/coupons" class="button">{t(Msg::MyCouponsTitle)}</a>
                                <a href="/account/wishlist" class="button">{t(Msg::WishlistTitle)}</a>
                                // Sellers (and admins) go to their console; only shoppers are offered to apply.
                                <a href="/seller" class="button" data-testid="seller-link">
                                    {if user.role == crate::identity::Role::Customer { t(Msg::SellerBecome) } else { t(Msg::SellerTitle) }}
                                </a>
                            </p>
                        </section>
                        <Sessions />
                        <Tokens />
                        <p class="muted small"><a href="/account/withdraw" data-testid="withdraw-link">{t(Msg::WithdrawTitle)}</a></p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Sessions() -> impl IntoView {
    let revoke = ServerAction::<RevokeSession>::new();
    let sessions = Resource::new(move || revoke.version().get(), |_| list_sessions());
    view! {
        <section class="panel" aria-labelledby="sessions-title">
            <h2 id="sessions-title">{t(Msg::SessionsTitle)}</h2>
            <p class="muted">{t(Msg::SessionsLead)}</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match sessions.await {
                        Err(e) => view! { <LoadError error=e /> }.into_any(),
                        Ok(list) => view! {
                            <ul class="session-list" role="list">
                                {list.into_iter().map(|s| view! {
                                    <li class="session" class:current=s.current>
                                        <div>
                                            <strong>{describe_user_agent(&s.user_agent)}</strong>
                                            {s.current.then(|| view! { <span class="badge">{t(Msg::SessionCurrent)}</span> })}
                                            <div class="muted small">
                                                {t(Msg::SessionIp)}": "{s.ip.clone()}" · "
                                                {t(Msg::SessionLastSeen)}": "
                                                <time datetime=s.last_seen.to_rfc3339()>{crate::ui::format::local(s.last_seen, "%Y-%m-%d %H:%M")}</time>
                                            </div>
                                        </div>
                                        <ActionForm action=revoke attr:class="inline-form">
                                            <input type="hidden" name="id" value=s.id.clone() />
                                            <button type="submit" class="button small danger">{t(Msg::SessionRevoke)}</button>
                                        </ActionForm>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Tokens() -> impl IntoView {
    let create = ServerAction::<CreateToken>::new();
    let revoke = ServerAction::<RevokeToken>::new();
    let error = action_error(create.value());
    let tokens = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| list_tokens(),
    );
    view! {
        <section class="panel" aria-labelledby="tokens-title">
            <h2 id="tokens-title">{t(Msg::TokensTitle)}</h2>
            <p class="muted">{t(Msg::TokensLead)}</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match tokens.await {
                        Err(e) => view! { <LoadError error=e /> }.into_any(),
                        Ok((list, fresh)) => view! {
                            {fresh.map(|tok| view! {
                                <div class="alert alert-success" role="status">
                                    <p>{t(Msg::TokenCreatedOnce)}</p>
                                    <code class="token" data-testid="new-token">{tok}</code>
                                </div>
                            })}
                            {list.is_empty().then(|| view! { <p>{t(Msg::TokensNone)}</p> })}
                            <ul class="token-list" role="list">
                                {list.into_iter().map(|tk| view! {
                                    <li>
                                        <span><strong>{tk.name}</strong>" "<code>{format!("{}…", tk.token_prefix)}</code></span>
                                        <span class="muted small">{t(Msg::TokenExpires)}" "{crate::ui::format::local(tk.expires_at, "%Y-%m-%d")}</span>
                                        <ActionForm action=revoke attr:class="inline-form">
                                            <input type="hidden" name="id" value=tk.id.to_string() />
                                            <button type="submit" class="button small danger">{t(Msg::TokenRevoke)}</button>
                                        </ActionForm>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Suspense>
            <FormAlert error=error />
            <ActionForm action=create attr:class="row-form">
                <Field label=Msg::TokenName name="name" id_prefix="token-" error=error />
                <Submit label=Msg::TokenCreate pending=create.pending() />
            </ActionForm>
        </section>
    }
}
