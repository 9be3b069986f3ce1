//! `/admin/configs`: every registered key by category, each with an input that fits its
//! kind, its default, and its change history. One form per key, so a bad value keeps its
//! message next to its own field.

use super::history::HistoryTable;
use crate::admin::api::{admin_configs, SaveConfig};
use crate::admin::{ConfigCategory, ConfigField, ConfigKind};
use crate::platform::forms::use_form_echo;
use crate::platform::i18n::{t, use_locale, Msg};
use crate::ui::components::{successes, FormAlert, LoadError, RowErrors};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AdminConfigsPage() -> impl IntoView {
    let save = ServerAction::<SaveConfig>::new();
    let saved = successes(save);
    let list = Resource::new(move || saved.get(), |_| admin_configs());
    let errors = RowErrors::new(save);
    // With JavaScript the echo is empty: the form being sent names the key.
    Effect::new(move || {
        if let Some(sent) = save.input().get() {
            errors.place(Some(&sent.form.key));
        }
    });
    let echo = use_form_echo("config");
    view! {
        <Title text=t(Msg::AdminConfigsTitle) />
        <h1>{t(Msg::AdminConfigsTitle)}</h1>
        <p class="muted">{t(Msg::ConfigsIntro)}</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let echo = echo.await;
                errors.place(echo.get("key"));
                match list.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(fields) => {
                        let unplaced = view! { <FormAlert error=errors.unplaced() /> };
                        let groups = ConfigCategory::ALL.iter().filter_map(|cat| {
                            let mine: Vec<ConfigField> = fields.iter().filter(|f| f.category == *cat).cloned().collect();
                            (!mine.is_empty()).then(|| {
                                let heading = format!("cfg-cat-{}", cat.as_str());
                                let labelled = heading.clone();
                                view! {
                                    <section class="panel" aria-labelledby=labelled data-testid="config-group">
                                        <h2 id=heading>{t(cat.label())}</h2>
                                        {mine.into_iter().map(|f| {
                                            let typed = (echo.get("key") == Some(&f.key)).then(|| (echo.get("value").cloned(), echo.get("reason").cloned()));
                                            let error = errors.for_row(f.key.clone());
                                            view! { <ConfigRow field=f save error typed /> }
                                        }).collect_view()}
                                    </section>
                                }
                            })
                        }).collect_view();
                        view! { {unplaced} {groups} }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn ConfigRow(
    field: ConfigField,
    save: ServerAction<SaveConfig>,
    error: Signal<Option<crate::platform::error::AppError>>,
    /// What was typed into this key's form before a refused save (no JavaScript).
    typed: Option<(Option<String>, Option<String>)>,
) -> impl IntoView {
    let locale = use_locale();
    let id = format!("cfg-{}", field.key.replace('.', "-"));
    let (typed_value, typed_reason) = typed.unwrap_or_default();
    let value = typed_value.unwrap_or_else(|| field.value.clone());
    let message =
        move |name: &'static str| move || error.get().and_then(|e| e.field_message(name, locale));
    let (err_id, hint_id, reason_id) = (
        format!("{id}-error"),
        format!("{id}-hint"),
        format!("{id}-reason"),
    );
    let described = format!("{hint_id} {err_id}");
    let input = match field.kind {
        ConfigKind::Boolean => view! {
            <input type="checkbox" id=id.clone() name="form[value]" value="true"
                checked=value == "true" aria-describedby=described.clone() />
        }.into_any(),
        ConfigKind::Count | ConfigKind::Seconds | ConfigKind::Minutes => view! {
            <input type="number" id=id.clone() name="form[value]" value=value.clone() min="1" step="1"
                inputmode="numeric" required=true aria-describedby=described.clone() />
        }.into_any(),
        ConfigKind::Money | ConfigKind::Percent => view! {
            <input type="text" id=id.clone() name="form[value]" value=value.clone()
                inputmode=if field.kind == ConfigKind::Money { "numeric" } else { "decimal" }
                required=true aria-describedby=described.clone() />
        }.into_any(),
        ConfigKind::Text => view! {
            <input type="text" id=id.clone() name="form[value]" value=value.clone()
                maxlength="500" aria-describedby=described.clone() />
        }.into_any(),
    };
    let unit = field
        .kind
        .unit()
        .map(|u| view! { <span class="unit">{u.text(locale)}</span> });
    let changes = field.history.len();
    let (key, anchor, hidden, shown) = (
        field.key.clone(),
        field.key.clone(),
        field.key.clone(),
        field.key.clone(),
    );
    view! {
        <article class="config" id=anchor data-testid="config" data-key=key>
            <ActionForm action=save attr:class="config-form" attr:novalidate="true">
                <input type="hidden" name="form[key]" value=hidden />
                <div class="field" class:has-error=move || message("value")().is_some()>
                    <label for=id.clone()>{field.label.text(locale)}</label>
                    <div class="input-unit">{input}{unit}</div>
                    <p class="hint" id=hint_id>
                        <code>{shown}</code>" · "
                        {format!("{} {}", Msg::ConfigDefault.text(locale), field.default)}
                        {(!field.is_default).then(|| view! { " " <span class="badge">{t(Msg::ConfigChanged)}</span> })}
                    </p>
                    <p class="field-error" id=err_id role="alert" data-testid="config-error">{message("value")}</p>
                </div>
                <div class="field">
                    <label for=reason_id.clone()>{t(Msg::ConfigReason)}</label>
                    <input type="text" id=reason_id name="form[reason]" maxlength="500" value=typed_reason />
                    <p class="field-error" role="alert">{message("reason")}</p>
                </div>
                <button type="submit" class="button primary small">{t(Msg::ConfigSave)}</button>
            </ActionForm>
            <details class="history-details">
                <summary>{format!("{} ({changes})", Msg::AuditHistory.text(locale))}</summary>
                <HistoryTable entries=field.history />
            </details>
        </article>
    }
}
