use crate::catalog::api::{admin_categories, CreateCategory, UpdateCategory};
use crate::catalog::CategoryAdminRow;
use crate::platform::forms::use_form_echo;
use crate::platform::i18n::{t, Msg};
use crate::platform::once::{once_token, OnceField};
use crate::ui::components::{action_error, Field, FormAlert, LoadError, Submit};
use leptos::prelude::*;
use leptos_meta::Title;

/// `/admin/categories`: the whole tree, editable in place, and a form for a new category.
#[component]
pub fn AdminCategoriesPage() -> impl IntoView {
    let create = ServerAction::<CreateCategory>::new();
    let update = ServerAction::<UpdateCategory>::new();
    let echo = use_form_echo("category");
    let once = once_token(move || create.version().get());
    let rows = Resource::new(
        move || (create.version().get(), update.version().get()),
        |_| admin_categories(),
    );
    let create_error = action_error(create.value());
    let update_error = action_error(update.value());
    view! {
        <Title text=t(Msg::AdminCategoriesTitle) />
        <h1>{t(Msg::AdminCategoriesTitle)}</h1>
        <FormAlert error=update_error />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let echo = echo.await;
                let once = once.await;
                let v = move |k: &str| echo.get(k).cloned();
                let parent = v("parent_id");
                match rows.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(rows) => {
                        let parents: Vec<CategoryAdminRow> = rows.iter().filter(|r| r.level < 3).cloned().collect();
                        view! {
                            <ul class="category-admin" role="list">
                                {rows.into_iter().map(|r| view! { <CategoryRow row=r update /> }).collect_view()}
                            </ul>
                            <section class="panel" aria-labelledby="new-category">
                                <h2 id="new-category">{t(Msg::CategoryAdd)}</h2>
                                <FormAlert error=create_error fields=&["name", "name_en", "slug", "display_order"] />
                                <ActionForm action=create attr:novalidate="true">
                                    <OnceField token=once />
                                    <div class="field">
                                        <label for="parent_id">{t(Msg::CategoryParent)}</label>
                                        <select id="parent_id" name="form[parent_id]">
                                            <option value="">{t(Msg::CategoryTopLevel)}</option>
                                            {parents.into_iter().map(|p| {
                                                let selected = parent.as_deref() == Some(p.id.to_string().as_str());
                                                view! {
                                                    <option value=p.id.to_string() selected=selected>{format!("{}{}", "— ".repeat(p.level as usize - 1), p.name)}</option>
                                                }
                                            }).collect_view()}
                                        </select>
                                    </div>
                                    <div class="grid-2">
                                        <Field label=Msg::CategoryNameKo name="name" value=v("name") required=true error=create_error id_prefix="new-" />
                                        <Field label=Msg::CategoryNameEn name="name_en" value=v("name_en") required=true error=create_error id_prefix="new-" />
                                    </div>
                                    <div class="grid-2">
                                        <Field label=Msg::CategorySlug name="slug" value=v("slug") required=true error=create_error id_prefix="new-" />
                                        <Field label=Msg::CategoryOrder name="display_order" value=v("display_order") kind="number" error=create_error id_prefix="new-" />
                                    </div>
                                    <Submit label=Msg::CategoryAdd pending=create.pending() />
                                </ActionForm>
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn CategoryRow(row: CategoryAdminRow, update: ServerAction<UpdateCategory>) -> impl IntoView {
    let id = row.id.to_string();
    view! {
        <li class=format!("category-row level-{}", row.level) class:inactive=!row.is_active data-testid="category-row">
            <ActionForm action=update attr:class="mini-form">
                <input type="hidden" name="form[id]" value=id.clone() />
                <code>{row.slug.clone()}</code>
                <label class="visually-hidden" for=format!("name-{id}")>{t(Msg::CategoryNameKo)}</label>
                <input id=format!("name-{id}") name="form[name]" value=row.name.clone() required=true />
                <label class="visually-hidden" for=format!("name-en-{id}")>{t(Msg::CategoryNameEn)}</label>
                <input id=format!("name-en-{id}") name="form[name_en]" value=row.name_en.clone() required=true />
                <label class="visually-hidden" for=format!("order-{id}")>{t(Msg::CategoryOrder)}</label>
                <input id=format!("order-{id}") name="form[display_order]" type="number" value=row.display_order.to_string() />
                <label class="inline-choice">
                    <input type="checkbox" name="form[is_active]" value="on" checked=row.is_active />
                    {t(Msg::CategoryActive)}
                </label>
                <button type="submit" class="button small">{t(Msg::CategorySave)}</button>
            </ActionForm>
        </li>
    }
}
