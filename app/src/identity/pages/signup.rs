use crate::identity::api::Signup;
use crate::platform::forms::use_form_echo;
use crate::platform::i18n::{t, Msg};
use crate::ui::components::{action_error, Field, FormAlert, Submit};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn SignupPage() -> impl IntoView {
    let action = ServerAction::<Signup>::new();
    let error = action_error(action.value());
    let echo = use_form_echo("signup");
    view! {
        <Title text=t(Msg::SignupTitle) />
        <crate::ui::components::Description text=t(Msg::MetaSignup) />
        <section class="auth-card" aria-labelledby="signup-title">
            <h1 id="signup-title">{t(Msg::SignupTitle)}</h1>
            <FormAlert error=error fields=&["email", "password", "name", "phone"] />
            <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
            let echo = echo.await;
            let v = move |k: &str| echo.get(k).cloned();
            view! {
            <ActionForm action=action attr:novalidate="true">
                <Field label=Msg::FieldEmail name="email" kind="email" autocomplete="email" required=true
                    value=v("email") error=error />
                <Field label=Msg::FieldPassword name="password" kind="password" autocomplete="new-password"
                    required=true hint=Msg::PasswordHint error=error />
                <Field label=Msg::FieldName name="name" autocomplete="name" required=true
                    value=v("name") error=error />
                <Field label=Msg::FieldPhone name="phone" kind="tel" autocomplete="tel"
                    value=v("phone") error=error />
                <Submit label=Msg::SignupSubmit pending=action.pending() />
            </ActionForm>
            }
            })}
            </Suspense>
            <p class="muted">{t(Msg::HaveAccount)}" "<a href="/login">{t(Msg::NavLogin)}</a></p>
        </section>
    }
}
