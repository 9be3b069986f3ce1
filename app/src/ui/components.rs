//! Small building blocks shared by forms and pages.

use crate::platform::error::AppError;
use crate::platform::i18n::{t, use_locale, Msg};
use leptos::prelude::*;

/// The error (if any) of a server action's last call, for forms.
pub fn action_error<O, S>(value: S) -> Signal<Option<AppError>>
where
    O: Send + Sync + Clone + 'static,
    S: Get<Value = Option<Result<O, AppError>>> + Send + Sync + 'static,
{
    Signal::derive(move || match value.get() {
        Some(Err(e)) => Some(e),
        _ => None,
    })
}

/// Counts an action's successful calls: a list that refetches on it keeps a refused form's
/// typed text in place (refetching on every call would redraw the form with stored values).
pub fn successes<A>(action: ServerAction<A>) -> Memo<u32>
where
    A: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    A::Output: Clone + Send + Sync + 'static,
{
    Memo::new(move |prev: Option<&u32>| {
        let n = prev.copied().unwrap_or(0);
        action.version().track();
        if action.value().with_untracked(|v| matches!(v, Some(Ok(_)))) {
            n + 1
        } else {
            n
        }
    })
}

/// The page's `<meta name="description">`, for search results and link previews. Cut to
/// the length search engines show.
#[component]
pub fn Description(#[prop(into)] text: String) -> impl IntoView {
    let text: String = match text.char_indices().nth(160) {
        Some((end, _)) => format!("{}…", text[..end].trim_end()),
        None => text,
    };
    view! { <leptos_meta::Meta name="description" content=text /> }
}

/// One server action shared by every row of a list (a stock table, an approval queue): its
/// error shows on the row whose form was sent, not above the list. The page calls
/// [`RowErrors::place`] with the row the form echo names; an error no row claims shows above
/// the list ([`RowErrors::unplaced`]).
#[derive(Clone, Copy)]
pub struct RowErrors {
    sent: RwSignal<Option<String>>,
    error: Signal<Option<AppError>>,
}

impl RowErrors {
    pub fn new<A>(action: ServerAction<A>) -> Self
    where
        A: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
        A::Output: Clone + Send + Sync + 'static,
    {
        Self {
            sent: RwSignal::new(None),
            error: action_error(action.value()),
        }
    }

    /// The row the failed form came from, as its echo names it.
    pub fn place(self, row: Option<&String>) {
        if let Some(row) = row {
            self.sent.set(Some(row.clone()));
        }
    }

    pub fn for_row(self, row: String) -> Signal<Option<AppError>> {
        Signal::derive(move || {
            (self.sent.get().as_deref() == Some(row.as_str()))
                .then(|| self.error.get())
                .flatten()
        })
    }

    /// The error when no row is known to have sent it.
    pub fn unplaced(self) -> Signal<Option<AppError>> {
        Signal::derive(move || {
            self.sent
                .get()
                .is_none()
                .then(|| self.error.get())
                .flatten()
        })
    }
}

/// A labelled input with its hint and its error, wired for screen readers. Its input is named
/// `form[{name}]`, the field `name` of the server function's one form struct.
#[component]
pub fn Field(
    label: Msg,
    name: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(default = None)] value: Option<String>,
    #[prop(optional)] hint: Option<Msg>,
    #[prop(into)] error: Signal<Option<AppError>>,
    /// Makes the id unique when a page has the same form once per row.
    #[prop(into, optional)]
    id_prefix: String,
    #[prop(optional)] placeholder: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
) -> impl IntoView {
    let locale = use_locale();
    let id = format!("{id_prefix}{name}");
    let err_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let message = move || error.get().and_then(|e| e.field_message(name, locale));
    let described = {
        let (err_id, hint_id) = (err_id.clone(), hint_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if message().is_some() {
                ids.push(err_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:has-error=move || message().is_some()>
            <label for=id.clone()>{label.text(locale)}</label>
            <input
                id=id
                name=format!("form[{name}]")
                type=kind
                autocomplete=autocomplete
                required=required
                value=value
                placeholder=placeholder
                inputmode=inputmode
                aria-invalid=move || message().map(|_| "true")
                aria-describedby=described
            />
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h.text(locale)}</p> })}
            <p class="field-error" id=err_id role="alert">{message}</p>
        </div>
    }
}

/// Why an admin refuses something (reject, suspend, take down): required, its error on the
/// field, and what was typed kept when the form comes back without JavaScript.
#[component]
pub fn ReasonField(
    #[prop(into)] error: Signal<Option<AppError>>,
    /// Makes the id unique when a page has the form once per row.
    #[prop(into)]
    id_prefix: String,
    #[prop(default = None)] value: Option<String>,
) -> impl IntoView {
    view! {
        <FormAlert error=error fields=&["reason"] />
        <Field label=Msg::SellerReason name="reason" required=true id_prefix=id_prefix value=value error=error />
    }
}

/// Form-level message. Errors on fields the form shows next to their inputs (`fields`) are
/// summed up as "check the highlighted fields"; every other reason is said here in full, so
/// a refusal from a row form or a rule about the whole thing (no image yet, below what is
/// reserved) always reaches the screen.
#[component]
pub fn FormAlert(
    #[prop(into)] error: Signal<Option<AppError>>,
    /// The fields this form shows its own errors for.
    #[prop(optional)]
    fields: &'static [&'static str],
) -> impl IntoView {
    let locale = use_locale();
    let text = move || {
        error.get().map(|e| match &e {
            AppError::Validation(errors) => {
                let unshown: Vec<&str> = errors
                    .iter()
                    .filter(|f| f.field == "form" || !fields.contains(&f.field.as_str()))
                    .map(|f| f.msg.text(locale))
                    .collect();
                if unshown.is_empty() {
                    Msg::FormHasErrors.text(locale).to_owned()
                } else {
                    unshown.join(" ")
                }
            }
            _ => e.message(locale),
        })
    };
    view! {
        <Show when=move || text().is_some()>
            <div class="alert alert-error" role="alert">{text}</div>
        </Show>
    }
}

/// Shown by a page whose data failed to load.
#[component]
pub fn LoadError(error: AppError) -> impl IntoView {
    let locale = use_locale();
    if matches!(error, AppError::Unauthenticated) {
        // Back to this page after signing in.
        let location = leptos_router::hooks::use_location();
        let here = format!(
            "{}{}",
            location.pathname.get_untracked(),
            location.search.get_untracked()
        );
        let here = match here.split_once('?') {
            Some((p, "")) => p.to_owned(),
            _ => here,
        };
        let path = crate::platform::paths::login_for(&here);
        return view! { <leptos_router::components::Redirect path=path /> }.into_any();
    }
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(status) = http::StatusCode::from_u16(error.status()) {
            res.set_status(status);
        }
    }
    // A missing product or category is a 404 page with its own title, like any other.
    let title = if matches!(error, AppError::NotFound) {
        Msg::NotFoundTitle
    } else {
        Msg::ErrorPageTitle
    };
    view! {
        <leptos_meta::Title text=t(title) />
        <section class="error-page" aria-labelledby="error-title">
            <h1 id="error-title">{t(title)}</h1>
            <p>{error.message(locale)}</p>
            <p>
                <a href="/" class="button">{t(Msg::BackHome)}</a>
            </p>
        </section>
    }
    .into_any()
}

/// A submit button that says it is working while the action runs.
#[component]
pub fn Submit(label: Msg, #[prop(into)] pending: Signal<bool>) -> impl IntoView {
    view! {
        <button type="submit" class="button primary" disabled=move || pending.get()>
            {move || if pending.get() { t(Msg::Working) } else { t(label) }}
        </button>
    }
}
