//! Server functions for the catalog: storefront reads, the seller's products, admin review.

// The listing's query parameters are its arguments (a GET, not a form).
#![allow(clippy::too_many_arguments)]

use super::domain::CategoryForm;
use super::domain::{NewCategoryForm, NewProductForm, ReviewForm, TakeDownForm};
use super::{CategoryId, HomeShelves, ProductCard, ProductDetail, ProductId};
use crate::ui::server_html::ServerHtml;

mod editing;
use crate::platform::error::AppError;
pub use editing::*;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    super::{service, CardView, Filter, Sort},
    crate::identity::Role,
    crate::platform::audit::current_actor,
    crate::platform::auth::{current_user, maybe_user},
    crate::platform::forms::keep_on_error,
    crate::platform::i18n::Msg,
    crate::platform::notice::notice,
    crate::platform::once::once,
    crate::platform::state::AppState,
    crate::seller::ApprovedSeller,
};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SellerCatalogData {
    pub products: super::Page<super::SellerProductRow>,
    /// How many products match, over every page.
    pub total: i64,
    pub categories: Vec<(CategoryId, String)>,
}

/// The storefront listing, rendered to markup here (see `ServerHtml`): all products, a
/// category (`category`: its slug) or one seller's shop (`seller`: its id).
#[server(prefix = "/fn", endpoint = "store")]
pub async fn store_page(
    q: Option<String>,
    category: Option<String>,
    seller: Option<String>,
    min_price: Option<String>,
    max_price: Option<String>,
    #[server(default)] opts: Vec<String>,
    in_stock: Option<String>,
    sort: Option<String>,
    cursor: Option<String>,
) -> Result<ServerHtml, AppError> {
    use crate::catalog::pages::shop_html::{render, Listing, ShopQuery};
    let state = AppState::current()?;
    let money = |s: &Option<String>| {
        s.as_deref()
            .and_then(|s| s.trim().replace(',', "").parse().ok())
    };
    let blank = |s: Option<String>| s.filter(|v| !v.trim().is_empty());
    let query = ShopQuery {
        q: blank(q),
        min_price: blank(min_price),
        max_price: blank(max_price),
        opts: opts
            .into_iter()
            .filter(|o| Filter::parse_option(o).is_some())
            .take(20)
            .collect(),
        in_stock: in_stock.is_some_and(|v| !v.is_empty()),
        sort: blank(sort),
        cursor: blank(cursor),
    };
    let shop = match seller.as_deref().filter(|s| !s.is_empty()) {
        Some(raw) => {
            let id = raw.parse().map_err(|_| AppError::NotFound)?;
            Some(
                service::shop_of(&state.db, id)
                    .await?
                    .ok_or(AppError::NotFound)?,
            )
        }
        None => None,
    };
    let filter = Filter {
        q: query.q.clone(),
        category: category.filter(|c| !c.is_empty()),
        seller: shop.as_ref().map(|s| s.id),
        min_price: money(&query.min_price),
        max_price: money(&query.max_price),
        options: query
            .opts
            .iter()
            .filter_map(|o| Filter::parse_option(o))
            .collect(),
        in_stock: query.in_stock,
        sort: match &query.sort {
            Some(s) => Sort::parse(s),
            None if query.q.is_some() => Sort::Relevance,
            None => Sort::Newest,
        },
        cursor: query.cursor.clone(),
    };
    let locale = crate::platform::i18n::request_locale();
    // A browsed first page (no search, filter or cursor) is the same for every shopper: this
    // instance keeps it rendered for a moment (see `LISTING_MAX_AGE`).
    let shared = query.q.is_none()
        && query.min_price.is_none()
        && query.max_price.is_none()
        && query.opts.is_empty()
        && !query.in_stock
        && query.cursor.is_none()
        && query
            .sort
            .as_deref()
            .is_none_or(|s| Sort::parse(s).key() == s);
    let key = shared.then(|| {
        format!(
            "listing:{}:{}:{}:{}",
            locale.code(),
            filter.category.as_deref().unwrap_or_default(),
            filter.seller.map(|s| s.to_string()).unwrap_or_default(),
            filter.sort.key()
        )
    });
    let cached = key
        .as_deref()
        .and_then(|k| state.redis.local.get::<(ServerHtml, Vec<CardView>)>(k));
    let rendered = match cached {
        Some(hit) => hit,
        None => {
            let generation = state.redis.local.generation();
            let tree = service::category_tree_cached(&state.db, &state.redis).await?;
            // The breadcrumbs come from the cached tree: no query per page view.
            let crumbs = match &filter.category {
                Some(slug) => service::path_to(&tree, slug).ok_or(AppError::NotFound)?,
                None => Vec::new(),
            };
            let page = service::store_cards(&state.db, &tree, &filter, service::PAGE_SIZE).await?;
            let facets =
                service::store_facets_cached(&state.db, &state.redis, &tree, &filter).await?;
            let (base, heading) = match (&shop, &filter.category) {
                (Some(s), _) => (format!("/s/{}", s.id), Some(s.name.clone())),
                (None, Some(slug)) => (
                    format!("/shop/c/{slug}"),
                    crumbs.last().map(|c| {
                        if locale == crate::platform::i18n::Locale::En {
                            c.name_en.clone()
                        } else {
                            c.name.clone()
                        }
                    }),
                ),
                (None, None) => ("/shop".to_owned(), None),
            };
            let listing = Listing {
                base: &base,
                heading,
                query: &query,
                tree: &tree,
                crumbs: &crumbs,
                page: &page,
                facets: &facets,
            };
            let rendered = std::sync::Arc::new((render(&listing, locale), page.items));
            if let Some(k) = key.as_deref() {
                let (local, age) = (&state.redis.local, service::LISTING_MAX_AGE);
                local.put_for(k, rendered.clone(), generation, age);
            }
            rendered
        }
    };
    let (out, cards) = &*rendered;
    let mut out = out.clone();
    // The hearts of what this shopper keeps; a guest's page is the shared markup as it is.
    if let Some(user) = maybe_user().await? {
        let ids: Vec<_> = cards.iter().map(|c| c.id).collect();
        let wished = crate::wishlist::service::wished_among(&state.db, user.id, &ids).await?;
        if !wished.is_empty() {
            use crate::catalog::pages::card::CardHeart;
            out.html = CardHeart::mark_wished(&out.html, cards, &wished, locale).into();
        }
    }
    Ok(out)
}

/// This request's session, if the session layer gave it one.
#[cfg(feature = "ssr")]
async fn session() -> Option<tower_sessions::Session> {
    leptos_axum::extract::<tower_sessions::Session>().await.ok()
}

/// A guest's first view, kept in its cookie (`recent::FIRST_VIEW_COOKIE`).
#[cfg(feature = "ssr")]
fn first_view() -> Option<(super::ProductId, &'static str)> {
    use_context::<http::request::Parts>()
        .and_then(|p| p.headers.get(http::header::COOKIE).cloned())
        .and_then(|v| v.to_str().ok().and_then(service::recent::first_view_in))
}

/// Sets (or, with `None`, clears) the first-view cookie on this response.
#[cfg(feature = "ssr")]
fn keep_first_view(view: Option<(super::ProductId, &str)>) -> Result<(), AppError> {
    let secure = AppState::current()?.settings.cookie_secure;
    let cookie = service::recent::first_view_cookie(view, secure);
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.append_header(
            http::header::SET_COOKIE,
            http::HeaderValue::from_str(&cookie).map_err(AppError::internal)?,
        );
    }
    Ok(())
}

#[server(prefix = "/fn", endpoint = "home")]
pub async fn load_home() -> Result<HomeShelves, AppError> {
    let state = AppState::current()?;
    let user = maybe_user().await?.map(|u| u.id);
    let guest_recent = match user {
        Some(_) => Vec::new(),
        None => {
            let kept = match session().await {
                Some(s) => service::recent::guest_ids(&s).await,
                None => Vec::new(),
            };
            match first_view() {
                Some((first, _)) if kept.is_empty() => vec![first],
                _ => kept,
            }
        }
    };
    Ok(service::home(&state.db, user, &guest_recent).await?)
}

#[server(prefix = "/fn", endpoint = "product")]
pub async fn product_page(slug: String, from: Option<String>) -> Result<ProductDetail, AppError> {
    let state = AppState::current()?;
    let user = maybe_user().await?;
    let viewer = service::Viewer::of(&state.db, user.as_ref()).await?;
    let detail = service::product_detail_cached(&state.db, &state.redis, &slug, viewer).await?;
    // Shopper page views only: not the seller's or an admin's previews, nor API reads.
    if matches!(viewer, service::Viewer::Public) {
        service::views::count_view(&state.db, &state.redis, detail.card.id).await?;
    }
    if detail.card.status == super::ProductStatus::Active {
        let source = from.as_deref().unwrap_or("direct");
        let first = first_view();
        match &user {
            Some(u) => {
                // A first view from before signing in joins the account now.
                if let Some((product, source)) = first {
                    // The product may be gone since; the page does not fail for it.
                    if let Err(e) = service::record_view(&state.db, u.id, product, source).await {
                        tracing::debug!(error = %e, "a guest's first view not kept");
                    }
                    keep_first_view(None)?;
                }
                service::record_view(&state.db, u.id, detail.card.id, source).await?
            }
            None if matches!(viewer, service::Viewer::Public) => {
                if let Some(s) = session().await {
                    // The session's cookie, or the first view's, came back: this browser
                    // keeps cookies, so the views go into the session.
                    if s.id().is_some() || first.is_some() {
                        if let Some((product, source)) = first {
                            service::recent::record_guest(&s, product, source).await;
                            keep_first_view(None)?;
                        }
                        service::recent::record_guest(&s, detail.card.id, source).await;
                    } else {
                        keep_first_view(Some((detail.card.id, source)))?;
                    }
                }
            }
            None => {}
        }
    }
    Ok(detail)
}

#[server(prefix = "/fn", endpoint = "seller/products")]
pub async fn seller_catalog(
    q: Option<String>,
    status: Option<String>,
    sort: Option<String>,
    cursor: Option<String>,
) -> Result<SellerCatalogData, AppError> {
    let state = AppState::current()?;
    let seller = ApprovedSeller::current().await?;
    let query = super::domain::seller_product_query(q, status, sort, cursor)?;
    let (products, total) =
        service::seller_product_page(&state.db, seller.id, &query, service::SELLER_PAGE).await?;
    Ok(SellerCatalogData {
        products,
        total,
        categories: service::leaf_categories(&state.db).await?,
    })
}

#[server(prefix = "/fn", endpoint = "seller/products/create")]
pub async fn create_product(form: NewProductForm) -> Result<ProductId, AppError> {
    let state = AppState::current()?;
    let seller = ApprovedSeller::current().await?;
    let created = once("seller/products/create", &form.once, &form, async {
        let input = service::ProductInput::try_from(form.clone())?;
        let actor = Some(seller.user.id);
        let id = service::create_product(&state.db, seller.id, actor, input).await?;
        Ok::<_, AppError>(id)
    });
    let id = keep_on_error("product", &form, created.await).await?;
    // Straight on to pictures and options; a repeated submit lands on the same product.
    notice(Msg::NoticeProductCreated).await;
    leptos_axum::redirect(&format!("/seller/products/{id}"));
    Ok(id)
}

#[server(prefix = "/fn", endpoint = "seller/products/submit")]
pub async fn submit_product(id: ProductId) -> Result<(), AppError> {
    let state = AppState::current()?;
    let seller = ApprovedSeller::current().await?;
    service::submit(&state.db, seller.id, id).await?;
    notice(Msg::NoticeSubmitted).await;
    Ok(())
}

#[server(prefix = "/fn", endpoint = "seller/products/sale")]
pub async fn set_product_on_sale(id: ProductId, on_sale: bool) -> Result<(), AppError> {
    let state = AppState::current()?;
    let seller = ApprovedSeller::current().await?;
    service::set_on_sale(&state.db, seller.id, id, on_sale).await?;
    notice(if on_sale {
        Msg::NoticeSaleResumed
    } else {
        Msg::NoticeSaleStopped
    })
    .await;
    Ok(())
}

#[server(prefix = "/fn", endpoint = "admin/products")]
pub async fn pending_products() -> Result<Vec<ProductCard>, AppError> {
    let state = AppState::current()?;
    current_user().await?.require(&[Role::Admin])?;
    Ok(service::pending_products(&state.db).await?)
}

#[server(prefix = "/fn", endpoint = "admin/products/review")]
pub async fn review_product(form: ReviewForm) -> Result<(), AppError> {
    let state = AppState::current()?;
    let actor = current_actor(&[Role::Admin]).await?;
    let approve = form.decision()? == super::domain::Decision::Approve;
    let reason = form.reason.as_deref();
    let reviewed = service::review(&state.db, &actor, form.id, approve, reason).await;
    keep_on_error("product-review", &form, reviewed).await?;
    notice(if approve {
        Msg::NoticeProductApproved
    } else {
        Msg::NoticeProductRejected
    })
    .await;
    Ok(())
}

/// Takes a product off the store, with a reason its seller reads.
#[server(prefix = "/fn", endpoint = "admin/products/take-down")]
pub async fn take_down_product(form: TakeDownForm) -> Result<(), AppError> {
    let state = AppState::current()?;
    let actor = current_actor(&[Role::Admin]).await?;
    let taken = service::take_down(&state.db, &actor, form.id, &form.reason).await;
    keep_on_error("product-take-down", &form, taken).await?;
    notice(Msg::NoticeProductTakenDown).await;
    Ok(())
}

#[server(prefix = "/fn", endpoint = "admin/categories")]
pub async fn admin_categories() -> Result<Vec<super::CategoryAdminRow>, AppError> {
    let state = AppState::current()?;
    current_user().await?.require(&[Role::Admin])?;
    Ok(service::all_categories(&state.db).await?)
}

#[server(prefix = "/fn", endpoint = "admin/categories/create")]
pub async fn create_category(form: NewCategoryForm) -> Result<(), AppError> {
    let state = AppState::current()?;
    let actor = current_actor(&[Role::Admin]).await?;
    let created = once("admin/categories/create", &form.once, &form, async {
        let category = super::domain::NewCategory::try_from(form.clone())?;
        Ok::<_, AppError>(service::add_category(&state.db, &actor, &category).await?)
    });
    keep_on_error("category", &form, created.await).await?;
    notice(Msg::NoticeCategoryCreated).await;
    // The admin sees the change at once; other readers within a second, through the event.
    crate::platform::cache::invalidate(
        &state.redis,
        &[crate::platform::cache::category_tree_key().to_owned()],
    )
    .await;
    Ok(())
}

#[server(prefix = "/fn", endpoint = "admin/categories/update")]
pub async fn update_category(form: CategoryForm) -> Result<(), AppError> {
    let state = AppState::current()?;
    let actor = current_actor(&[Role::Admin]).await?;
    let updated = async {
        let change = super::domain::CategoryChange::try_from(&form)?;
        let updated = service::update_category(&state.db, &actor, form.id, &change);
        Ok::<_, AppError>(updated.await?)
    };
    keep_on_error("category-edit", &form, updated.await).await?;
    notice(Msg::SellerSaved).await;
    Ok(())
}
