//! Page frame: header with navigation, user menu and language switch; footer.

use crate::identity::api::{current_user_view, Logout};
use crate::identity::{Role, UserView};
use crate::platform::i18n::{t, use_locale, Locale, Msg};
use crate::platform::notice::NoticeArea;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// Auth state shared by every page: the current user, and the sign-out action.
#[derive(Clone, Copy)]
pub struct AuthCtx {
    pub user: Resource<Option<UserView>>,
    pub logout: ServerAction<Logout>,
}

pub fn use_auth() -> AuthCtx {
    expect_context::<AuthCtx>()
}

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    let user = Resource::new(
        || (),
        |_| Box::pin(async move { current_user_view().await.ok().flatten() }),
    );
    provide_context(AuthCtx { user, logout });
    let cart = Resource::new(
        || (),
        |_| Box::pin(async move { crate::cart::api::cart_count().await.unwrap_or(0) }),
    );
    view! {
        // The browser follows `#main` and focuses it (it takes focus: tabindex -1).
        <a class="skip-link" href="#main">{t(Msg::SkipToContent)}</a>
        <header class="site-header">
            <div class="container header-row">
                <a href="/" class="brand">
                    <span class="brand-mark" aria-hidden="true">"場"</span>
                    {t(Msg::BrandName)}
                </a>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let me = user.await;
                        let count = cart.await;
                        view! { <MainNav me=me.clone() /> <HeaderSearch /> <CartLink count /> <UserMenu me=me /> }
                    })}
                </Suspense>
                <LanguageSwitch />
            </div>
        </header>
        <main id="main" class="container" tabindex="-1">
            <crate::admin::banner::Banners />
            <NoticeArea />
            {children()}
        </main>
        <footer class="site-footer">
            <div class="container">
                <a href="/notices">{t(Msg::NavNotices)}</a>" · "{t(Msg::FooterNote)}
            </div>
        </footer>
    }
}

#[component]
fn MainNav(me: Option<UserView>) -> impl IntoView {
    let role = me.map(|u| u.role);
    let is_seller = matches!(role, Some(Role::Seller | Role::Admin));
    let is_admin = role == Some(Role::Admin);
    view! {
        <nav class="main-nav" aria-label=t(Msg::NavMain)>
            <ul>
                <li><a href="/shop">{t(Msg::NavShop)}</a></li>
                <li><a href="/tickets">{t(Msg::NavTickets)}</a></li>
                <li><a href="/mobile">{t(Msg::NavMobile)}</a></li>
                {is_seller.then(|| view! { <li><a href="/seller">{t(Msg::NavSeller)}</a></li> })}
                {is_admin.then(|| view! { <li><a href="/admin">{t(Msg::NavAdmin)}</a></li> })}
            </ul>
        </nav>
    }
}

/// Search from every page; results open on `/shop`.
#[component]
fn HeaderSearch() -> impl IntoView {
    let locale = use_locale();
    view! {
        <form role="search" action="/shop" method="get" class="header-search">
            <label for="site-search" class="visually-hidden">{t(Msg::SearchSite)}</label>
            <input type="search" id="site-search" name="q" placeholder=Msg::ShopSearchPlaceholder.text(locale) />
            <button type="submit" class="button small">{t(Msg::ShopSearch)}</button>
        </form>
    }
}

/// The cart, with how many lines it holds.
#[component]
fn CartLink(count: i64) -> impl IntoView {
    let locale = use_locale();
    let label = Msg::CartLinkLabel
        .text(locale)
        .replace("{n}", &count.to_string());
    view! {
        <a href="/cart" class="cart-link" aria-label=label data-testid="cart-link">
            <span aria-hidden="true">{t(Msg::CartTitle)}</span>
            <span class="cart-count" aria-hidden="true" data-testid="cart-count">{count}</span>
        </a>
    }
}

#[component]
fn UserMenu(me: Option<UserView>) -> impl IntoView {
    let auth = use_auth();
    match me {
        Some(user) => view! {
            <nav class="user-menu" aria-label=t(Msg::UserMenu)>
                <a href="/account" class="user-name">{user.name}</a>
                <a href="/account/wishlist">{t(Msg::WishlistTitle)}</a>
                <ActionForm action=auth.logout attr:class="inline-form">
                    <button type="submit" class="link-button">{t(Msg::NavLogout)}</button>
                </ActionForm>
            </nav>
        }
        .into_any(),
        None => view! {
            <nav class="user-menu" aria-label=t(Msg::UserMenu)>
                <a href="/login">{t(Msg::NavLogin)}</a>
                <a href="/signup" class="button small">{t(Msg::NavSignup)}</a>
            </nav>
        }
        .into_any(),
    }
}

/// A plain form, so it works without JavaScript: POST /lang sets the cookie and redirects back.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let locale = use_locale();
    let other = match locale {
        Locale::Ko => Locale::En,
        Locale::En => Locale::Ko,
    };
    let location = use_location();
    let here = move || {
        let search = location.search.get();
        let search = search.trim_start_matches('?');
        if search.is_empty() {
            location.pathname.get()
        } else {
            format!("{}?{search}", location.pathname.get())
        }
    };
    view! {
        <form method="post" action="/lang" class="lang-switch">
            <input type="hidden" name="lang" value=other.code() />
            <input type="hidden" name="next" value=here />
            <button type="submit" class="link-button" lang=other.code()
                aria-label=format!("{}: {}", Msg::LanguageLabel.text(locale), Msg::LanguageSwitchTo.text(locale))>
                {Msg::LanguageSwitchTo.text(locale)}
            </button>
        </form>
    }
}
