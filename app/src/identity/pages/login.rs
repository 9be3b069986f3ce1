use crate::identity::api::Login;
use crate::platform::forms::use_form_echo;
use crate::platform::i18n::{t, Msg};
use crate::ui::components::{action_error, Field, FormAlert, Submit};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn LoginPage() -> impl IntoView {
    let action = ServerAction::<Login>::new();
    let error = action_error(action.value());
    let echo = use_form_echo("login");
    let query = leptos_router::hooks::use_query_map();
    let next = move || query.with(|q| q.get("next")).unwrap_or_default();
    view! {
        <Title text=t(Msg::LoginTitle) />
        <crate::ui::components::Description text=t(Msg::MetaLogin) />
        <section class="auth-card" aria-labelledby="login-title">
            <h1 id="login-title">{t(Msg::LoginTitle)}</h1>
            <FormAlert error=error fields=&["email", "password"] />
            <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
            let email = echo.await.get("email").cloned();
            view! {
            <ActionForm action=action attr:novalidate="true">
                <input type="hidden" name="form[next]" value=next />
                <Field label=Msg::FieldEmail name="email" kind="email" autocomplete="username" required=true
                    value=email error=error />
                <Field label=Msg::FieldPassword name="password" kind="password" autocomplete="current-password"
                    required=true error=error />
                <Submit label=Msg::LoginSubmit pending=action.pending() />
            </ActionForm>
            }
            })}
            </Suspense>
            <p class="muted">{t(Msg::NoAccount)}" "<a href="/signup">{t(Msg::NavSignup)}</a></p>
        </section>
    }
}
