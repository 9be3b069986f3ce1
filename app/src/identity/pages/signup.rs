use crate::identity::api::Signup;
use crate::platform::i18n::{t, Msg};
use crate::ui::components::{action_error, Field, FormAlert, Submit};
use crate::ui::layout::use_auth;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn SignupPage() -> impl IntoView {
    let action = ServerAction::<Signup>::new();
    use_auth().refresh_on(move || action.version().get());
    let error = action_error(action.value());
    view! {
        <Title text=t(Msg::SignupTitle) />
        <section class="auth-card" aria-labelledby="signup-title">
            <h1 id="signup-title">{t(Msg::SignupTitle)}</h1>
            <FormAlert error=error />
            <ActionForm action=action attr:novalidate="true">
                <Field label=Msg::FieldEmail name="email" kind="email" autocomplete="email" required=true error=error />
                <Field label=Msg::FieldPassword name="password" kind="password" autocomplete="new-password"
                    required=true hint=Msg::PasswordHint error=error />
                <Field label=Msg::FieldName name="name" autocomplete="name" required=true error=error />
                <Field label=Msg::FieldPhone name="phone" kind="tel" autocomplete="tel" error=error />
                <Submit label=Msg::SignupSubmit pending=action.pending() />
            </ActionForm>
            <p class="muted">{t(Msg::HaveAccount)}" "<a href="/login">{t(Msg::NavLogin)}</a></p>
        </section>
    }
}
