use super::*;
use crate::catalog::domain::CategoryChange;
use crate::catalog::CategoryId;
use crate::platform::audit::{self, Actor, AuditResource};
use crate::platform::testing::seller;

/// The admin of these tests (the log names actors without a foreign key).
fn admin() -> Actor {
    crate::platform::testing::admin_actor(UserId(Uuid::new_v4()))
}

async fn edit_category(
    db: &PgPool,
    id: CategoryId,
    name: &str,
    name_en: &str,
    display_order: i32,
    is_active: bool,
) -> Result<(), CatalogError> {
    let change = CategoryChange {
        name: name.into(),
        name_en: name_en.into(),
        display_order,
        is_active,
    };
    update_category(db, &admin(), id, &change).await
}

pub(super) async fn tree(db: &PgPool) -> (CategoryId, CategoryId) {
    let mut conn = db.acquire().await.unwrap();
    let root = seed_category(&mut conn, None, "패션", "Fashion", "fashion", 1)
        .await
        .unwrap();
    let mid = seed_category(&mut conn, Some(root), "여성의류", "Women", "women", 1)
        .await
        .unwrap();
    let leaf = seed_category(
        &mut conn,
        Some(mid),
        "티셔츠",
        "T-shirts",
        "women-tshirts",
        1,
    )
    .await
    .unwrap();
    let other = seed_category(&mut conn, None, "식품", "Food", "food", 2)
        .await
        .unwrap();
    assert!(matches!(
        seed_category(
            &mut conn,
            Some(leaf),
            "너무 깊음",
            "Too deep",
            "too-deep",
            1
        )
        .await,
        Err(CatalogError::Invalid(_))
    ));
    (leaf, other)
}

pub(super) fn input(name: &str, price: &str, category: CategoryId) -> ProductInput {
    ProductInput {
        name: name.into(),
        description: "부드러운 면 티셔츠".into(),
        price: price.into(),
        original_price: None,
        category_id: Some(category),
        options: vec![
            ("색상".into(), split_values("빨강, 파랑")),
            ("사이즈".into(), split_values("S, M, L")),
        ],
        initial_stock: 5,
        product_type: ProductType::Normal,
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn a_product_gets_one_variant_and_sku_per_combination(db: PgPool) {
    let (leaf, _) = tree(&db).await;
    let s = seller(&db).await;
    let id = create_product(
        &db,
        s,
        None,
        input("오버핏 티셔츠 Overfit Tee", "19,900", leaf),
    )
    .await
    .unwrap();
    let slug: String = sqlx::query_scalar("SELECT slug FROM products WHERE id = $1")
        .bind(id)
        .fetch_one(&db)
        .await
        .unwrap();
    assert!(slug.starts_with("overfit-tee-"), "{slug}");
    let d = product_detail(&db, &slug, Viewer::Seller(s)).await.unwrap();
    assert_eq!(d.card.status, ProductStatus::Draft);
    assert_eq!(d.variants.len(), 6);
    assert!(d
        .variants
        .iter()
        .all(|v| v.available == 5 && v.price == Decimal::new(19900, 0)));
    assert_eq!(d.options[0].values, vec!["빨강", "파랑"]);
    assert_eq!(
        d.breadcrumbs
            .iter()
            .map(|c| c.slug.as_str())
            .collect::<Vec<_>>(),
        vec!["fashion", "women", "women-tshirts"]
    );
    // Not public until approved.
    assert!(matches!(
        product_detail(&db, &slug, Viewer::Public).await,
        Err(CatalogError::NotFound)
    ));
    assert!(matches!(
        product_detail(&db, &slug, Viewer::Seller(seller(&db).await)).await,
        Err(CatalogError::NotFound)
    ));
}

#[sqlx::test(migrations = "../migrations")]
async fn review_lifecycle_and_who_may_move_it(db: PgPool) {
    let (leaf, _) = tree(&db).await;
    let owner = seller(&db).await;
    let stranger = seller(&db).await;
    let id = create_product(&db, owner, None, input("셔츠", "10000", leaf))
        .await
        .unwrap();
    assert!(
        matches!(
            review(&db, &admin(), id, true, None).await,
            Err(CatalogError::WrongState)
        ),
        "drafts are not reviewed"
    );
    assert!(matches!(
        submit(&db, stranger, id).await,
        Err(CatalogError::NotFound)
    ));
    crate::platform::testing::picture(&db, id).await;
    submit(&db, owner, id).await.unwrap();
    assert!(matches!(
        review(&db, &admin(), id, false, Some(" ")).await,
        Err(CatalogError::Invalid(_))
    ));
    review(&db, &admin(), id, false, Some("사진이 필요합니다"))
        .await
        .unwrap();
    crate::platform::testing::picture(&db, id).await;
    submit(&db, owner, id).await.unwrap();
    review(&db, &admin(), id, true, None).await.unwrap();
    assert!(matches!(
        set_on_sale(&db, stranger, id, false).await,
        Err(CatalogError::NotFound)
    ));
    set_on_sale(&db, owner, id, false).await.unwrap();
    assert!(listed(&db, &Filter::default(), 10).await.items.is_empty());
    set_on_sale(&db, owner, id, true).await.unwrap();
    assert_eq!(listed(&db, &Filter::default(), 10).await.items.len(), 1);

    // Admins' moves are in the log with their reasons; the seller's own are not.
    let by = admin();
    take_down(&db, &by, id, "위조 의심").await.unwrap();
    let log = audit::history(&db, AuditResource::Product, &id.to_string(), 10)
        .await
        .unwrap();
    assert_eq!(log.len(), 3, "{log:?}");
    assert_eq!(log[0].actor_id, Some(by.id));
    assert_eq!(log[0].reason.as_deref(), Some("위조 의심"));
    assert_eq!(log[0].before, Some(json!({ "status": "active" })));
    assert_eq!(log[0].after, Some(json!({ "status": "taken_down" })));
    assert_eq!(log[2].reason.as_deref(), Some("사진이 필요합니다"));
}

#[sqlx::test(migrations = "../migrations")]
async fn storefront_search_filters_sorting_and_cursor_pages(db: PgPool) {
    let (leaf, food) = tree(&db).await;
    let s = seller(&db).await;
    let mut ids = Vec::new();
    for i in 0..7 {
        let mut inp = input(
            &format!("린넨 셔츠 Linen Shirt {i}"),
            &format!("{}", 10000 + i * 1000),
            leaf,
        );
        if i == 3 {
            inp.options = vec![("색상".into(), vec!["초록".into()])];
        }
        ids.push(create_product(&db, s, None, inp).await.unwrap());
    }
    let mut apple = input("사과 Apple", "5000", food);
    apple.options.clear();
    ids.push(create_product(&db, s, None, apple).await.unwrap());
    for id in &ids {
        crate::platform::testing::picture(&db, *id).await;
        submit(&db, s, *id).await.unwrap();
        review(&db, &admin(), *id, true, None).await.unwrap();
    }
    let f = |q: Option<&str>, cat: Option<&str>| Filter {
        q: q.map(Into::into),
        category: cat.map(Into::into),
        ..Filter::default()
    };
    async fn count(db: &PgPool, f: &Filter) -> usize {
        listed(db, f, 50).await.items.len()
    }
    // Korean and English search.
    assert_eq!(count(&db, &f(Some("셔츠"), None)).await, 7);
    assert_eq!(count(&db, &f(Some("linen"), None)).await, 7);
    assert_eq!(count(&db, &f(Some("사과"), None)).await, 1);
    // A top-level category includes its descendants.
    assert_eq!(count(&db, &f(None, Some("fashion"))).await, 7);
    assert_eq!(count(&db, &f(None, Some("food"))).await, 1);
    assert_eq!(count(&db, &f(None, Some("no-such-category"))).await, 0);
    // Price range and option value.
    let ranged = Filter {
        min_price: Some(Decimal::from(12000)),
        max_price: Some(Decimal::from(14000)),
        ..Filter::default()
    };
    assert_eq!(count(&db, &ranged).await, 3);
    let green = Filter {
        options: vec![("색상".into(), "초록".into())],
        ..Filter::default()
    };
    assert_eq!(count(&db, &green).await, 1);
    // Price ascending, three per page, walked with the cursor: every product once, in order.
    let seen: Vec<_> = walk(&db, Sort::PriceAsc, 3)
        .await
        .iter()
        .map(|c| c.price)
        .collect();
    assert_eq!(seen.len(), 8);
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
    // Every sort walks every product exactly once, ties (equal ratings, no purchases) included.
    for sort in [
        Sort::Newest,
        Sort::PriceAsc,
        Sort::PriceDesc,
        Sort::Rating,
        Sort::Popular,
    ] {
        let ids: Vec<_> = walk(&db, sort, 3).await.iter().map(|c| c.id).collect();
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!((ids.len(), unique.len()), (8, 8), "{sort:?}");
    }
    // Newest first by default, also across pages.
    let first = listed(&db, &Filter::default(), 4).await;
    let second = listed(
        &db,
        &Filter {
            cursor: first.next.clone(),
            ..Filter::default()
        },
        4,
    )
    .await;
    let all: Vec<_> = first
        .items
        .iter()
        .chain(&second.items)
        .map(|c| c.id)
        .collect();
    let mut dedup = all.clone();
    dedup.sort();
    dedup.dedup();
    assert_eq!(dedup.len(), 8);
    assert!(second.next.is_none());
    // A hidden category takes its products out of its parents' listings, not out of search.
    edit_category(&db, leaf, "티셔츠", "T-shirts", 0, false)
        .await
        .unwrap();
    assert_eq!(count(&db, &f(None, Some("fashion"))).await, 0);
    assert_eq!(count(&db, &f(None, Some("women-tshirts"))).await, 0);
    assert_eq!(count(&db, &f(Some("셔츠"), None)).await, 7);
    edit_category(&db, leaf, "티셔츠", "T-shirts", 0, true)
        .await
        .unwrap();
    let log = audit::history(&db, AuditResource::Category, &leaf.to_string(), 10)
        .await
        .unwrap();
    assert_eq!(log.len(), 2, "one row per edit: {log:?}");
    assert_eq!(log[0].before, Some(json!({ "is_active": false })));
    assert_eq!(log[0].after, Some(json!({ "is_active": true })));
    assert_eq!(
        log[1].before,
        Some(json!({ "display_order": 1, "is_active": true }))
    );
    // The storefront's lean cards list the same products, in the same order, with the same
    // cursors as the full cards.
    for sort in [Sort::Newest, Sort::PriceDesc] {
        let f = Filter {
            sort,
            ..Filter::default()
        };
        let full = listed(&db, &f, 5).await;
        let lean = store_cards(&db, &category_tree(&db).await.unwrap(), &f, 5)
            .await
            .unwrap();
        let lean_slugs: Vec<&str> = lean.items.iter().map(|c| c.slug.as_str()).collect();
        let full_slugs: Vec<&str> = full.items.iter().map(|c| c.slug.as_str()).collect();
        assert_eq!(lean_slugs, full_slugs);
        assert!(lean.next.is_some());
        assert_eq!(lean.next, full.next);
        // Every field of every card, read by position, equals the one read by name.
        let expected: Vec<CardView> = full.items.into_iter().map(CardView::from).collect();
        assert_eq!(lean.items, expected);
    }
}

/// Every card of an unfiltered listing in `sort`, `per_page` at a time, following the cursors.
async fn walk(db: &PgPool, sort: Sort, per_page: i64) -> Vec<ProductCard> {
    let mut filter = Filter {
        sort,
        ..Filter::default()
    };
    let mut cards = Vec::new();
    loop {
        let page = listed(db, &filter, per_page).await;
        cards.extend(page.items);
        match page.next {
            Some(next) => filter.cursor = Some(next),
            None => return cards,
        }
    }
}

/// A storefront listing over the current category tree.
pub(super) async fn listed(db: &PgPool, f: &Filter, limit: i64) -> Page<ProductCard> {
    store_listing(db, &category_tree(db).await.unwrap(), f, limit)
        .await
        .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn bad_product_input_is_named(db: PgPool) {
    let (leaf, _) = tree(&db).await;
    let s = seller(&db).await;
    let mut bad = input(" ", "abc", leaf);
    bad.original_price = Some("100".into());
    bad.options = vec![("색상".into(), vec![]), ("".into(), vec!["x".into()])];
    let Err(CatalogError::Invalid(f)) = create_product(&db, s, None, bad).await else {
        panic!()
    };
    let names: Vec<_> = f.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        names,
        vec!["name", "price", "option1_values", "option2_name"]
    );
    let mut cheap = input("셔츠", "10000", leaf);
    cheap.original_price = Some("9000".into());
    let Err(CatalogError::Invalid(f)) = create_product(&db, s, None, cheap).await else {
        panic!()
    };
    assert_eq!(f[0].msg, Msg::ErrOriginalPrice);
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM products")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(count, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn popular_counts_recent_sales_and_views_are_per_user(db: PgPool) {
    use crate::inventory::{service as inv, Item};
    let (leaf, _) = tree(&db).await;
    let s = seller(&db).await;
    let mut a_in = input("인기 셔츠", "10000", leaf);
    a_in.options.clear();
    let a = create_product(&db, s, None, a_in).await.unwrap();
    let mut b_in = input("보통 셔츠", "10000", leaf);
    b_in.options.clear();
    let b = create_product(&db, s, None, b_in).await.unwrap();
    for id in [a, b] {
        crate::platform::testing::picture(&db, id).await;
        submit(&db, s, id).await.unwrap();
        review(&db, &admin(), id, true, None).await.unwrap();
    }
    let variant_of = |p: ProductId| {
        let db = db.clone();
        async move {
            sqlx::query_scalar::<_, VariantId>(
                "SELECT id FROM product_variants WHERE product_id = $1",
            )
            .bind(p)
            .fetch_one(&db)
            .await
            .unwrap()
        }
    };
    let (va, vb) = (variant_of(a).await, variant_of(b).await);
    for (v, q) in [(va, 3), (vb, 1)] {
        let r = inv::reserve(
            &db,
            "order",
            &[(Item::Variant(v), q)],
            inv::DEFAULT_TTL,
            None,
        )
        .await
        .unwrap();
        inv::commit(&db, r.id, None).await.unwrap();
    }
    // A released reservation is not a sale.
    let r = inv::reserve(
        &db,
        "order",
        &[(Item::Variant(vb), 4)],
        inv::DEFAULT_TTL,
        None,
    )
    .await
    .unwrap();
    inv::release(&db, r.id, None).await.unwrap();
    assert_eq!(refresh_popular(&db).await.unwrap(), 2);
    let shelves = home(&db, None, &[]).await.unwrap();
    assert_eq!(
        shelves.popular.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![a, b]
    );
    assert_eq!(shelves.newest.len(), 2);
    assert!(shelves.recently_viewed.is_empty());

    let shopper = crate::platform::testing::user(&db, "view@example.com").await;
    record_view(&db, shopper, b, "search").await.unwrap();
    record_view(&db, shopper, a, "direct").await.unwrap();
    record_view(&db, shopper, b, "category").await.unwrap();
    let mine = home(&db, Some(shopper), &[]).await.unwrap().recently_viewed;
    assert_eq!(
        mine.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![b, a],
        "latest first, no duplicates"
    );
    assert!(home(&db, None, &[])
        .await
        .unwrap()
        .recently_viewed
        .is_empty());

    // A guest's views live in the session, and join the account at sign-in.
    let redis = crate::platform::testing::test_redis().await;
    let store = std::sync::Arc::new(tower_sessions_redis_store::RedisStore::new(
        redis.pool.clone(),
    ));
    let session = tower_sessions::Session::new(None, store, None);
    recent::record_guest(&session, a, "search").await;
    recent::record_guest(&session, b, "direct").await;
    recent::record_guest(&session, a, "category").await;
    let guest = recent::guest_ids(&session).await;
    assert_eq!(guest, vec![a, b]);
    let shelf = home(&db, None, &guest).await.unwrap().recently_viewed;
    assert_eq!(shelf.iter().map(|c| c.id).collect::<Vec<_>>(), vec![a, b]);
    let newcomer = crate::platform::testing::user(&db, "guest-then@example.com").await;
    recent::merge_guest(&db, &session, newcomer).await;
    assert!(recent::guest_ids(&session).await.is_empty());
    let merged = home(&db, Some(newcomer), &[])
        .await
        .unwrap()
        .recently_viewed;
    assert_eq!(merged.iter().map(|c| c.id).collect::<Vec<_>>(), vec![a, b]);
}

#[sqlx::test(migrations = "../migrations")]
async fn cached_pages_follow_changes_through_events(db: PgPool) {
    use crate::inventory::service as inv;
    use crate::platform::outbox::{relay_once, Consumer};
    let redis = crate::platform::testing::test_redis().await;
    let (leaf, _) = tree(&db).await;
    let s = seller(&db).await;
    let mut inp = input("캐시 셔츠", "10000", leaf);
    inp.options.clear();
    let id = create_product(&db, s, None, inp).await.unwrap();
    crate::platform::testing::picture(&db, id).await;
    submit(&db, s, id).await.unwrap();
    review(&db, &admin(), id, true, None).await.unwrap();
    // Events so far are history; the invalidator starts reading from here.
    relay_once(&db, &redis, 1000).await.unwrap();
    let consumer = Consumer::join(&redis, "cache", "t").await.unwrap();
    async fn drain(db: &PgPool, redis: &crate::platform::redis::Redis, consumer: &Consumer) {
        relay_once(db, redis, 1000).await.unwrap();
        for e in consumer.poll(100, 300).await.unwrap() {
            crate::platform::cache::invalidate(redis, &stale_keys(db, &e).await.unwrap()).await;
            consumer.ack(&e.stream_id).await.unwrap();
        }
    }
    let slug: String = sqlx::query_scalar("SELECT slug FROM products WHERE id = $1")
        .bind(id)
        .fetch_one(&db)
        .await
        .unwrap();
    let first = product_detail_cached(&db, &redis, &slug, Viewer::Public)
        .await
        .unwrap();
    assert_eq!(first.variants[0].available, 5);
    // Changes that emit no event are not seen until the TTL...
    sqlx::query("UPDATE products SET name = '바뀐 이름' WHERE id = $1")
        .bind(id)
        .execute(&db)
        .await
        .unwrap();
    let stale = product_detail_cached(&db, &redis, &slug, Viewer::Public)
        .await
        .unwrap();
    assert_eq!(stale.card.name, "캐시 셔츠");
    // ...while changes through the services are, as soon as their events are processed.
    let sku: SkuId = sqlx::query_scalar(
        "SELECT m.sku_id FROM sku_mappings m JOIN product_variants v ON v.id = m.variant_id WHERE v.product_id = $1",
    )
    .bind(id)
    .fetch_one(&db)
    .await
    .unwrap();
    inv::receive(&db, sku, 10, None, None).await.unwrap();
    set_on_sale(&db, s, id, false).await.unwrap();
    set_on_sale(&db, s, id, true).await.unwrap();
    drain(&db, &redis, &consumer).await;
    let fresh = product_detail_cached(&db, &redis, &slug, Viewer::Public)
        .await
        .unwrap();
    assert_eq!(
        (fresh.card.name.as_str(), fresh.variants[0].available),
        ("바뀐 이름", 15)
    );
    // The category tree too, on this instance and on another one that keeps its own copy.
    let other = crate::platform::redis::Redis::connect(
        &crate::platform::testing::redis_url(),
        redis.prefix(),
        1,
    )
    .await
    .unwrap();
    crate::platform::cache::spawn_local_invalidation(&other)
        .await
        .unwrap();
    assert_eq!(category_tree_cached(&db, &redis).await.unwrap().len(), 2);
    assert_eq!(category_tree_cached(&db, &other).await.unwrap().len(), 2);
    let mut conn = db.acquire().await.unwrap();
    seed_category(&mut conn, None, "도서", "Books", "books", 3)
        .await
        .unwrap();
    drop(conn);
    assert_eq!(
        category_tree_cached(&db, &redis).await.unwrap().len(),
        2,
        "still cached"
    );
    // The other instance's copy survives a Redis delete made behind its back...
    use fred::prelude::KeysInterface;
    let _: i64 = redis
        .pool
        .del(redis.key(crate::platform::cache::category_tree_key()))
        .await
        .unwrap();
    assert_eq!(category_tree_cached(&db, &other).await.unwrap().len(), 2);
    // ...but not an invalidation: it hears of it and reloads.
    drain(&db, &redis, &consumer).await;
    assert_eq!(category_tree_cached(&db, &redis).await.unwrap().len(), 3);
    let mut seen = 0;
    for _ in 0..50 {
        seen = category_tree_cached(&db, &other).await.unwrap().len();
        if seen == 3 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(seen, 3, "the other instance still shows the old tree");
}

#[sqlx::test(migrations = "../migrations")]
async fn breadcrumbs_from_the_tree_match_the_database(db: PgPool) {
    tree(&db).await;
    let from_db = breadcrumbs(&db, "women-tshirts").await.unwrap();
    let from_tree = path_to(&category_tree(&db).await.unwrap(), "women-tshirts").unwrap();
    assert_eq!(from_tree, from_db);
    assert_eq!(
        from_tree
            .iter()
            .map(|c| c.slug.as_str())
            .collect::<Vec<_>>(),
        vec!["fashion", "women", "women-tshirts"]
    );
    assert_eq!(path_to(&category_tree(&db).await.unwrap(), "nope"), None);
}

#[sqlx::test(migrations = "../migrations")]
async fn admins_rename_reorder_and_hide_categories(db: PgPool) {
    let (leaf, food) = tree(&db).await;
    let rows = all_categories(&db).await.unwrap();
    assert_eq!(
        rows.iter().map(|r| r.slug.as_str()).collect::<Vec<_>>(),
        vec!["fashion", "women", "women-tshirts", "food"]
    );
    edit_category(&db, food, "신선식품", "Fresh food", 0, true)
        .await
        .unwrap();
    let rows = all_categories(&db).await.unwrap();
    assert_eq!(rows[0].slug, "food", "display order moves it first");
    assert_eq!(rows[0].name, "신선식품");
    edit_category(&db, leaf, "티셔츠", "T-shirts", 1, false)
        .await
        .unwrap();
    let tree = category_tree(&db).await.unwrap();
    assert!(
        path_to(&tree, "women-tshirts").is_none(),
        "inactive categories leave the storefront"
    );
    assert_eq!(
        all_categories(&db).await.unwrap().len(),
        4,
        "but stay in the console"
    );
    let blank = crate::catalog::domain::CategoryForm {
        id: leaf,
        name: " ".into(),
        name_en: "x".into(),
        display_order: None,
        is_active: Some("on".into()),
    };
    assert!(CategoryChange::try_from(&blank).is_err());
    assert!(parse_slug("new-arrivals-2026").is_ok());
    for bad in ["", "Has Space", "-x", "x-", "한글"] {
        assert!(parse_slug(bad).is_err(), "{bad}");
    }
}

#[test]
fn a_first_view_cookie_reads_back_and_refuses_what_is_not_one() {
    let p = crate::catalog::ProductId(uuid::Uuid::from_u128(42));
    let set = recent::first_view_cookie(Some((p, "search")), true);
    assert!(set.contains("HttpOnly") && set.contains("Secure"), "{set}");
    let value = set.split(';').next().unwrap();
    assert_eq!(
        recent::first_view_in(&format!("jangteo_sid=x; {value}; other=1")),
        Some((p, "search"))
    );
    // An unknown source reads as a direct visit; junk reads as nothing.
    assert_eq!(
        recent::first_view_in(&format!("jt_view={p}.<script>")),
        Some((p, "direct"))
    );
    assert_eq!(recent::first_view_in("jt_view=not-a-product.search"), None);
    assert_eq!(recent::first_view_in("jt_view="), None);
    assert!(recent::first_view_cookie(None, false).contains("Max-Age=0"));
}
