//! HTML shell, router and route table. All of it renders on the server; the browser only
//! hydrates the `#[island]`s inside pages.

use crate::admin::pages::{
    AdminAuditPage, AdminConfigsPage, AdminNoticeEditPage, AdminNoticesPage, AdminUserPage,
    AdminUsersPage, NoticePage, NoticesPage,
};
use crate::cart::pages::CartPage;
use crate::catalog::pages::{
    AdminCategoriesPage, AdminProductsPage, ProductPage, SellerProductEditPage, SellerProductsPage,
    ShopPage,
};
use crate::identity::pages::{
    AccountPage, AddressesPage, LoginPage, PasswordPage, ProfilePage, SignupPage, WithdrawPage,
};
use crate::inventory::pages::{MovementsPage, StockPage};
use crate::ordering::pages::{CheckoutPage, OrderPage, OrdersPage, SellerOrdersPage};
use crate::payment::pages::{PaymentFailPage, PaymentSuccessPage};
use crate::plan_change::pages::{AdminIntegrationsPage, MobileHistoryPage, MobilePage};
use crate::platform::i18n::Locale;
use crate::platform::i18n::Msg;
use crate::promotion::pages::{CouponConsolePage, CouponsPage, MyCouponsPage};
use crate::seller::pages::{AdminSellersPage, SellerHomePage};
use crate::ticketing::pages::{
    AdmissionsPage, ConcertConsolePage, ConcertEditPage, ConcertPage, ConcertsPage, HoldPage,
    MyTicketsPage, QueuePage,
};
use crate::ui::layout::Layout;
use crate::ui::pages::{AdminPage, HomePage, NotFound};
use crate::wallet::pages::PointsPage;
use crate::wishlist::pages::WishlistPage;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

/// The document around the app. Runs only on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let locale = request_locale();
    provide_context(locale);
    #[cfg(feature = "ssr")]
    set_security_headers();
    view! {
        <!DOCTYPE html>
        <html lang=locale.code()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <HashedStylesheet options=options.clone() id="leptos" />
                <AutoReload options=options.clone() />
                <HydrationScripts options islands=true />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The request's locale. Pages render only on the server; the browser build compiles this
/// but never runs it (islands take their text as props).
fn request_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        crate::platform::i18n::request_locale()
    }
    #[cfg(not(feature = "ssr"))]
    {
        use_context::<Locale>().unwrap_or_default()
    }
}

/// `cargo leptos watch` (which sets `LEPTOS_WATCH`) reloads the page over a websocket; only
/// then may the page connect to it.
#[cfg(feature = "ssr")]
fn dev_reload_socket() -> &'static str {
    static SOCKET: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SOCKET.get_or_init(|| match std::env::var("LEPTOS_WATCH") {
        Ok(_) => {
            let port = std::env::var("LEPTOS_RELOAD_PORT").unwrap_or_else(|_| "3001".into());
            format!(" ws://127.0.0.1:{port}")
        }
        Err(_) => String::new(),
    })
}

/// Content-Security-Policy with a per-response nonce for the hydration scripts.
#[cfg(feature = "ssr")]
fn set_security_headers() {
    use leptos::nonce::{provide_nonce, use_nonce};
    provide_nonce();
    let nonce = use_nonce().map(|n| n.to_string()).unwrap_or_default();
    let reload = dev_reload_socket();
    // Checkout's form is answered with a redirect to the gateway's payment page, and a
    // form's redirects must be allowed too.
    let gateway = crate::platform::state::AppState::current()
        .map(|s| format!(" {}", s.pg.public_url))
        .unwrap_or_default();
    let csp = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'{reload}; \
         font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'{gateway}; \
         frame-ancestors 'none'"
    );
    if let (Some(res), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(&csp),
    ) {
        res.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let locale = request_locale();
    provide_context(locale);
    view! {
        <Title formatter=move |page: String| {
            let brand = Msg::BrandName.text(locale);
            if page.is_empty() { brand.to_owned() } else { format!("{page} · {brand}") }
        } />
        <Router>
            <Layout>
                <Routes fallback=|| view! { <NotFound /> }>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("/signup") view=SignupPage ssr=SsrMode::Async />
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async />
                    <Route path=path!("/account/addresses") view=AddressesPage ssr=SsrMode::Async />
                    <Route path=path!("/account/profile") view=ProfilePage ssr=SsrMode::Async />
                    <Route path=path!("/account/password") view=PasswordPage ssr=SsrMode::Async />
                    <Route path=path!("/account/withdraw") view=WithdrawPage ssr=SsrMode::Async />
                    <Route path=path!("/account/points") view=PointsPage ssr=SsrMode::Async />
                    <Route path=path!("/account/points/charge/success") view=|| view! { <PaymentSuccessPage for_points=true /> } ssr=SsrMode::Async />
                    <Route path=path!("/account/points/charge/fail") view=|| view! { <PaymentFailPage for_points=true /> } ssr=SsrMode::Async />
                    <Route path=path!("/account/wishlist") view=WishlistPage ssr=SsrMode::Async />
                    <Route path=path!("/cart") view=CartPage ssr=SsrMode::Async />
                    <Route path=path!("/coupons") view=CouponsPage ssr=SsrMode::Async />
                    <Route path=path!("/account/coupons") view=MyCouponsPage ssr=SsrMode::Async />
                    <Route path=path!("/checkout") view=CheckoutPage ssr=SsrMode::Async />
                    <Route path=path!("/checkout/success") view=|| view! { <PaymentSuccessPage /> } ssr=SsrMode::Async />
                    <Route path=path!("/checkout/fail") view=|| view! { <PaymentFailPage /> } ssr=SsrMode::Async />
                    <Route path=path!("/orders") view=OrdersPage ssr=SsrMode::Async />
                    <Route path=path!("/orders/:number") view=OrderPage ssr=SsrMode::Async />
                    <Route path=path!("/seller/orders") view=SellerOrdersPage ssr=SsrMode::Async />
                    <Route path=path!("/seller/coupons") view=CouponConsolePage ssr=SsrMode::Async />
                    <Route path=path!("/admin/coupons") view=CouponConsolePage ssr=SsrMode::Async />
                    <Route path=path!("/shop") view=ShopPage ssr=SsrMode::Async />
                    <Route path=path!("/shop/c/:slug") view=ShopPage ssr=SsrMode::Async />
                    <Route path=path!("/s/:seller") view=ShopPage ssr=SsrMode::Async />
                    <Route path=path!("/p/:slug") view=ProductPage ssr=SsrMode::Async />
                    <Route path=path!("/seller/products") view=SellerProductsPage ssr=SsrMode::Async />
                    <Route path=path!("/seller/products/:id") view=SellerProductEditPage ssr=SsrMode::Async />
                    <Route path=path!("/seller/inventory") view=StockPage ssr=SsrMode::Async />
                    <Route path=path!("/seller/inventory/:sku") view=MovementsPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/products") view=AdminProductsPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/categories") view=AdminCategoriesPage ssr=SsrMode::Async />
                    <Route path=path!("/tickets") view=ConcertsPage ssr=SsrMode::Async />
                    <Route path=path!("/tickets/me") view=MyTicketsPage ssr=SsrMode::Async />
                    <Route path=path!("/tickets/holds/:id") view=HoldPage ssr=SsrMode::Async />
                    <Route path=path!("/tickets/:id") view=ConcertPage ssr=SsrMode::Async />
                    <Route path=path!("/tickets/:id/queue") view=QueuePage ssr=SsrMode::Async />
                    <Route path=path!("/tickets/:id/edit") view=ConcertEditPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/concerts/:id/admissions") view=AdmissionsPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/concerts") view=ConcertConsolePage ssr=SsrMode::Async />
                    <Route path=path!("/seller/concerts") view=ConcertConsolePage ssr=SsrMode::Async />
                    <Route path=path!("/mobile") view=MobilePage ssr=SsrMode::Async />
                    <Route path=path!("/mobile/history") view=MobileHistoryPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/integrations") view=AdminIntegrationsPage ssr=SsrMode::Async />
                    <Route path=path!("/seller") view=SellerHomePage ssr=SsrMode::Async />
                    <Route path=path!("/admin/sellers") view=AdminSellersPage ssr=SsrMode::Async />
                    <Route path=path!("/notices") view=NoticesPage ssr=SsrMode::Async />
                    <Route path=path!("/notices/:id") view=NoticePage ssr=SsrMode::Async />
                    <Route path=path!("/admin/notices") view=AdminNoticesPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/configs") view=AdminConfigsPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/audit") view=AdminAuditPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/users") view=AdminUsersPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/users/:id") view=AdminUserPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/notices/:id/edit") view=AdminNoticeEditPage ssr=SsrMode::Async />
                    <Route path=path!("/admin") view=AdminPage ssr=SsrMode::Async />
                </Routes>
            </Layout>
        </Router>
    }
}
