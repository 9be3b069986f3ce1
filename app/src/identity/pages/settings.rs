//! Self-service pages: edit the profile, change the password, withdraw the account.

use crate::identity::api::{withdrawal_check, ChangePassword, UpdateProfile, WithdrawAccount};
use crate::identity::domain::WithdrawReason;
use crate::platform::error::AppError;
use crate::platform::forms::use_form_echo;
use crate::platform::i18n::{t, use_locale, Msg};
use crate::ui::components::{action_error, Field, FormAlert, LoadError, Submit};
use crate::ui::layout::use_auth;
use leptos::prelude::*;
use leptos_meta::Title;

/// A page section only its signed-in owner sees.
fn signed_in<V: IntoView + 'static>(
    render: impl Fn(crate::identity::UserView) -> V + Send + Sync + Copy + 'static,
) -> impl IntoView {
    let auth = use_auth();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match auth.user.await {
                    None => view! { <LoadError error=AppError::Unauthenticated /> }.into_any(),
                    Some(user) => render(user).into_any(),
                }
            })}
        </Suspense>
    }
}

/// A form's own field error, for inputs `Field` does not draw (select, checkbox).
fn field_error(
    error: Signal<Option<AppError>>,
    name: &'static str,
) -> impl Fn() -> Option<&'static str> + Send + Sync + Copy + 'static {
    let locale = use_locale();
    move || error.get().and_then(|e| e.field_message(name, locale))
}

#[component]
pub fn ProfilePage() -> impl IntoView {
    let action = ServerAction::<UpdateProfile>::new();
    let error = action_error(action.value());
    let echo = use_form_echo("profile");
    view! {
        <Title text=t(Msg::ProfileEditTitle) />
        <section class="panel narrow" aria-labelledby="profile-edit-title">
            <h1 id="profile-edit-title">{t(Msg::ProfileEditTitle)}</h1>
            <FormAlert error=error fields=&["name", "phone"] />
            {signed_in(move |user| view! {
                <Suspense fallback=|| ()>
                    {move || {
                        let user = user.clone();
                        Suspend::new(async move {
                            let echo = echo.await;
                            let v = move |k: &str, stored: Option<String>| echo.get(k).cloned().or(stored);
                            view! {
                                <ActionForm action=action attr:novalidate="true">
                                    <Field label=Msg::FieldName name="name" autocomplete="name" required=true
                                        value=v("name", Some(user.name.clone())) error=error />
                                    <Field label=Msg::FieldPhone name="phone" kind="tel" autocomplete="tel"
                                        hint=Msg::ProfilePhoneHint value=v("phone", user.phone.clone()) error=error />
                                    <div class="form-actions">
                                        <Submit label=Msg::ProfileSave pending=action.pending() />
                                        <a href="/account" class="button">{t(Msg::Cancel)}</a>
                                    </div>
                                </ActionForm>
                            }
                        })
                    }}
                </Suspense>
            })}
        </section>
    }
}

#[component]
pub fn PasswordPage() -> impl IntoView {
    let action = ServerAction::<ChangePassword>::new();
    let error = action_error(action.value());
    view! {
        <Title text=t(Msg::PasswordChangeTitle) />
        <section class="panel narrow" aria-labelledby="password-title">
            <h1 id="password-title">{t(Msg::PasswordChangeTitle)}</h1>
            <FormAlert error=error fields=&["current_password", "password"] />
            {signed_in(move |_| view! {
                <ActionForm action=action attr:novalidate="true">
                    <Field label=Msg::FieldCurrentPassword name="current_password" kind="password"
                        autocomplete="current-password" required=true error=error />
                    <Field label=Msg::FieldNewPassword name="password" kind="password"
                        autocomplete="new-password" required=true hint=Msg::PasswordHint error=error />
                    <div class="field checkbox">
                        <input type="checkbox" id="sign_out_others" name="form[sign_out_others]" value="on" checked=true />
                        <label for="sign_out_others">{t(Msg::PasswordSignOutOthers)}</label>
                    </div>
                    <div class="form-actions">
                        <Submit label=Msg::PasswordChangeSubmit pending=action.pending() />
                        <a href="/account" class="button">{t(Msg::Cancel)}</a>
                    </div>
                </ActionForm>
            })}
        </section>
    }
}

#[component]
pub fn WithdrawPage() -> impl IntoView {
    let action = ServerAction::<WithdrawAccount>::new();
    let error = action_error(action.value());
    let echo = use_form_echo("withdraw");
    let preview = Resource::new(|| (), |_| withdrawal_check());
    let locale = use_locale();
    let reason_error = field_error(error, "reason");
    let confirm_error = field_error(error, "confirm");
    view! {
        <Title text=t(Msg::WithdrawTitle) />
        <section class="panel narrow danger-zone" aria-labelledby="withdraw-title">
            <h1 id="withdraw-title">{t(Msg::WithdrawTitle)}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let preview = match preview.await {
                        Ok(p) => p,
                        Err(e) => return view! { <LoadError error=e /> }.into_any(),
                    };
                    let echo = echo.await;
                    let picked = echo.get("reason").cloned().unwrap_or_default();
                    let lost = preview.balance > rust_decimal::Decimal::ZERO;
                    view! {
                        <ul class="facts-list">
                            <li>{t(Msg::WithdrawWhatGoes)}</li>
                            <li>{t(Msg::WithdrawWhatStays)}</li>
                            <li>{t(Msg::WithdrawEmailReusable)}</li>
                            {lost.then(|| view! {
                                <li class="warning" data-testid="withdraw-points">
                                    {Msg::WithdrawPointsLost.text(locale)
                                        .replace("{n}", &crate::ui::format::won(preview.balance))}
                                </li>
                            })}
                        </ul>
                        {preview.blocked_by.map(|m| view! {
                            <div class="alert alert-error" role="alert" data-testid="withdraw-blocked">{m.text(locale)}</div>
                        })}
                        <FormAlert error=error fields=&["password", "reason", "details", "confirm"] />
                        <ActionForm action=action attr:novalidate="true">
                            <div class="field" class:has-error=move || reason_error().is_some()>
                                <label for="reason">{t(Msg::WithdrawReasonLabel)}</label>
                                <select id="reason" name="form[reason]" required=true aria-describedby="reason-error"
                                    aria-invalid=move || reason_error().map(|_| "true")>
                                    <option value="">{t(Msg::WithdrawReasonPick)}</option>
                                    {WithdrawReason::ALL.iter().map(|r| view! {
                                        <option value=r.as_str() selected=picked == r.as_str()>{r.label().text(locale)}</option>
                                    }).collect_view()}
                                </select>
                                <p class="field-error" id="reason-error" role="alert">{reason_error}</p>
                            </div>
                            <Field label=Msg::WithdrawDetails name="details" value=echo.get("details").cloned()
                                hint=Msg::WithdrawDetailsHint error=error />
                            <Field label=Msg::FieldPassword name="password" kind="password"
                                autocomplete="current-password" required=true error=error />
                            <div class="field checkbox" class:has-error=move || confirm_error().is_some()>
                                <input type="checkbox" id="confirm" name="form[confirm]" value="on" aria-describedby="confirm-error" />
                                <label for="confirm">{t(Msg::WithdrawConfirm)}</label>
                                <p class="field-error" id="confirm-error" role="alert">{confirm_error}</p>
                            </div>
                            <div class="form-actions">
                                <button type="submit" class="button danger" disabled=move || action.pending().get()>
                                    {t(Msg::WithdrawSubmit)}
                                </button>
                                <a href="/account" class="button">{t(Msg::Cancel)}</a>
                            </div>
                        </ActionForm>
                    }.into_any()
                })}
            </Suspense>
        </section>
    }
}
