use crate::identity::api::{list_addresses, DeleteAddress, SaveAddress, SetDefaultAddress};
use crate::identity::Address;
use crate::platform::forms::{use_form_echo, Echo};
use crate::platform::i18n::{t, Msg};
use crate::platform::once::{once_token, FormToken, OnceField};
use crate::ui::components::{action_error, Field, FormAlert, LoadError, Submit};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AddressesPage() -> impl IntoView {
    let save = ServerAction::<SaveAddress>::new();
    let delete = ServerAction::<DeleteAddress>::new();
    let make_default = ServerAction::<SetDefaultAddress>::new();
    let query = use_query_map();
    let editing = move || query.with(|q| q.get("edit"));
    let echo = use_form_echo("address");
    let once = once_token(move || save.version().get());
    let list = Resource::new(
        move || {
            (
                save.version().get(),
                delete.version().get(),
                make_default.version().get(),
            )
        },
        |_| list_addresses(),
    );
    view! {
        <Title text=t(Msg::AddressesTitle) />
        <h1>{t(Msg::AddressesTitle)}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(items) => {
                        let echo = echo.await;
                        let once = once.await;
                        let edit_target = editing()
                            .and_then(|id| items.iter().find(|a| a.id.to_string() == id).cloned());
                        view! {
                            {items.is_empty().then(|| view! { <p class="muted">{t(Msg::AddressesNone)}</p> })}
                            <ul class="address-list" role="list">
                                {items.into_iter().map(|a| view! {
                                    <AddressCard address=a delete=delete make_default=make_default />
                                }).collect_view()}
                            </ul>
                            <AddressForm save=save existing=edit_target echo=echo once=once />
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn AddressCard(
    address: Address,
    delete: ServerAction<DeleteAddress>,
    make_default: ServerAction<SetDefaultAddress>,
) -> impl IntoView {
    let id = address.id.to_string();
    view! {
        <li class="address card" class:default=address.is_default data-testid="address">
            <div>
                <strong>{address.recipient_name}</strong>
                {address.label.map(|l| view! { <span class="muted">" · "{l}</span> })}
                {address.is_default.then(|| view! { <span class="badge">{t(Msg::AddrDefaultBadge)}</span> })}
                <p>
                    {format!("({}) {}", address.postal_code, address.address)}
                    {address.address_detail.map(|d| format!(" {d}"))}
                </p>
                <p class="muted small">{address.phone}</p>
            </div>
            <div class="actions">
                <a class="button small" href=format!("/account/addresses?edit={id}")>{t(Msg::AddrEdit)}</a>
                {(!address.is_default).then(|| {
                    let id = id.clone();
                    view! {
                        <ActionForm action=make_default attr:class="inline-form">
                            <input type="hidden" name="id" value=id />
                            <button type="submit" class="button small">{t(Msg::AddrMakeDefault)}</button>
                        </ActionForm>
                    }
                })}
                <ActionForm action=delete attr:class="inline-form">
                    <input type="hidden" name="id" value=id.clone() />
                    <button type="submit" class="button small danger">{t(Msg::AddrDelete)}</button>
                </ActionForm>
            </div>
        </li>
    }
}

#[component]
fn AddressForm(
    save: ServerAction<SaveAddress>,
    existing: Option<Address>,
    echo: Echo,
    once: FormToken,
) -> impl IntoView {
    let error = action_error(save.value());
    let title = if existing.is_some() {
        Msg::AddrEditTitle
    } else {
        Msg::AddrAddTitle
    };
    let e = existing.clone();
    // What the user just typed wins over the stored address.
    let get = move |name: &str, f: fn(&Address) -> Option<String>| {
        echo.get(name).cloned().or_else(|| e.as_ref().and_then(f))
    };
    view! {
        <section class="panel" aria-labelledby="addr-form-title">
            <h2 id="addr-form-title">{t(title)}</h2>
            <FormAlert error=error fields=&["recipient_name", "phone", "postal_code", "address", "address_detail", "label"] />
            <ActionForm action=save attr:novalidate="true">
                <OnceField token=once />
                {existing.as_ref().map(|a| view! { <input type="hidden" name="form[id]" value=a.id.to_string() /> })}
                <div class="grid-2">
                    <Field label=Msg::AddrRecipient name="recipient_name" autocomplete="name" required=true
                        value=get("recipient_name", |a| Some(a.recipient_name.clone())) error=error />
                    <Field label=Msg::AddrPhone name="phone" kind="tel" autocomplete="tel" required=true
                        value=get("phone", |a| Some(a.phone.clone())) error=error />
                </div>
                <Field label=Msg::AddrPostal name="postal_code" autocomplete="postal-code" required=true
                    value=get("postal_code", |a| Some(a.postal_code.clone())) error=error />
                <Field label=Msg::AddrAddress name="address" autocomplete="address-line1" required=true
                    value=get("address", |a| Some(a.address.clone())) error=error />
                <Field label=Msg::AddrDetail name="address_detail" autocomplete="address-line2"
                    value=get("address_detail", |a| a.address_detail.clone()) error=error />
                <Field label=Msg::AddrLabel name="label"
                    value=get("label", |a| a.label.clone()) error=error />
                <div class="field checkbox">
                    <input type="checkbox" id="make_default" name="form[make_default]" value="on"
                        checked=existing.as_ref().is_some_and(|a| a.is_default) />
                    <label for="make_default">{t(Msg::AddrSetDefault)}</label>
                </div>
                <div class="form-actions">
                    <Submit label=if existing.is_some() { Msg::AddrSave } else { Msg::AddrAdd } pending=save.pending() />
                    {existing.is_some().then(|| view! { <a href="/account/addresses" class="button">{t(Msg::Cancel)}</a> })}
                </div>
            </ActionForm>
        </section>
    }
}
