//! Search, facets, sold-out and shop listings over a known set of products.

use super::*;
use crate::catalog::search::search_key;
use crate::catalog::Facets;
use crate::platform::testing::{sellable, seller};

async fn names(db: &PgPool, f: &Filter) -> Vec<String> {
    super::tests::listed(db, f, 50)
        .await
        .items
        .into_iter()
        .map(|c| c.name)
        .collect()
}

fn search(q: &str) -> Filter {
    Filter {
        q: Some(q.into()),
        sort: Sort::Relevance,
        ..Filter::default()
    }
}

/// Sets a variant's option values (the helper gives each `{"색상": "c0"}`).
async fn options_of(db: &PgPool, variant: VariantId, values: serde_json::Value) {
    sqlx::query("UPDATE product_variants SET option_values = $2 WHERE id = $1")
        .bind(variant)
        .bind(values)
        .execute(db)
        .await
        .unwrap();
}

#[sqlx::test(migrations = "../migrations")]
async fn the_sql_search_key_is_the_rust_one(db: PgPool) {
    for text in [
        "시즌 머그컵",
        "값진 RED Mug\t2P",
        "ㅋㅋ 밝은 빛깔",
        "Ünïcode ÄÖ",
        "1+1 행사!",
    ] {
        let sql: String = sqlx::query_scalar("SELECT search_jamo($1)")
            .bind(text)
            .fetch_one(&db)
            .await
            .unwrap();
        assert_eq!(sql, search_key(text), "{text}");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn korean_search_ignores_spaces_forgives_a_typo_and_ranks_the_exact_name_first(db: PgPool) {
    let s = seller(&db).await;
    for name in [
        "시즌 머그컵",
        "머그컵",
        "머그컵 세트 2P",
        "스텐 텀블러",
        "린넨 셔츠",
    ] {
        sellable(&db, s, name, 10_000, &[3]).await;
    }
    // Typed together, the words still match a name that has them apart, and the reverse.
    assert_eq!(names(&db, &search("시즌머그컵")).await, vec!["시즌 머그컵"]);
    let apart = names(&db, &search("머그 컵")).await;
    assert_eq!(apart.len(), 3, "{apart:?}");
    assert_eq!(apart[0], "머그컵", "{apart:?}");
    // One letter wrong (컵 → 켭) still finds the mugs, and nothing else.
    let typo = names(&db, &search("머그켭")).await;
    assert!(typo.contains(&"머그컵".to_owned()), "{typo:?}");
    assert!(!typo.contains(&"스텐 텀블러".to_owned()), "{typo:?}");
    assert!(!typo.contains(&"린넨 셔츠".to_owned()), "{typo:?}");
    // The exact name first, then the names that contain it.
    let ranked = names(&db, &search("머그컵")).await;
    assert_eq!(ranked[0], "머그컵", "{ranked:?}");
    assert_eq!(ranked.len(), 3, "{ranked:?}");
    // Words in any order, any case.
    assert_eq!(names(&db, &search("2p 세트")).await, vec!["머그컵 세트 2P"]);
    // Relevance pages walk every match exactly once.
    let mut f = search("머그");
    let mut seen = Vec::new();
    loop {
        let page = super::tests::listed(&db, &f, 1).await;
        seen.extend(page.items.into_iter().map(|c| c.name));
        match page.next {
            Some(next) => f.cursor = Some(next),
            None => break,
        }
    }
    seen.sort();
    assert_eq!(seen, vec!["머그컵", "머그컵 세트 2P", "시즌 머그컵"]);
}

#[sqlx::test(migrations = "../migrations")]
async fn facet_counts_equal_sql_and_combine_with_the_price_range(db: PgPool) {
    let s = seller(&db).await;
    // Four shirts: red S, red+blue M/L, blue S, and a green one that is 30,000.
    let shirts = [
        (
            "셔츠 A",
            10_000,
            vec![json!({"색상": "빨강", "사이즈": "S"})],
        ),
        (
            "셔츠 B",
            12_000,
            vec![
                json!({"색상": "빨강", "사이즈": "M"}),
                json!({"색상": "파랑", "사이즈": "L"}),
            ],
        ),
        (
            "셔츠 C",
            14_000,
            vec![json!({"색상": "파랑", "사이즈": "S"})],
        ),
        (
            "셔츠 D",
            30_000,
            vec![json!({"색상": "초록", "사이즈": "M"})],
        ),
    ];
    for (name, price, variants) in &shirts {
        let stocks = vec![5; variants.len()];
        let (_, made) = sellable(&db, s, name, *price, &stocks).await;
        for ((v, _), values) in made.iter().zip(variants) {
            options_of(&db, *v, values.clone()).await;
        }
    }
    let tree = category_tree(&db).await.unwrap();
    let facets = store_facets(&db, &tree, &Filter::default()).await.unwrap();
    assert_eq!(facets.total, 4);
    assert_eq!(facets.min_price, Some(Decimal::from(10_000)));
    assert_eq!(facets.max_price, Some(Decimal::from(30_000)));
    // Counts are products, not variants, and equal a plain SQL count.
    let expected: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT k.key, k.value, count(DISTINCT v.product_id)
         FROM product_variants v, jsonb_each_text(v.option_values) k
         WHERE v.is_active GROUP BY 1, 2 ORDER BY 1, 3 DESC, 2",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    let got: Vec<(String, String, i64)> = facets
        .options
        .iter()
        .flat_map(|g| {
            g.values
                .iter()
                .map(|(v, n)| (g.name.clone(), v.clone(), *n))
        })
        .collect();
    assert_eq!(got, expected);
    // Choosing red keeps the other colours' counts (a facet ignores its own choice) and
    // narrows the sizes to red variants: B's L is blue, so L is not offered in red.
    let red = Filter {
        options: vec![("색상".into(), "빨강".into())],
        ..Filter::default()
    };
    let f = store_facets(&db, &tree, &red).await.unwrap();
    assert_eq!(f.total, 2);
    let group = |f: &Facets, name: &str| -> Vec<(String, i64)> {
        f.options
            .iter()
            .find(|g| g.name == name)
            .map(|g| g.values.clone())
            .unwrap_or_default()
    };
    assert_eq!(
        group(&f, "색상"),
        vec![("빨강".into(), 2), ("파랑".into(), 2), ("초록".into(), 1)]
    );
    assert_eq!(group(&f, "사이즈"), vec![("M".into(), 1), ("S".into(), 1)]);
    // Red and L together is one variant that has both: none here.
    let red_large = Filter {
        options: vec![
            ("색상".into(), "빨강".into()),
            ("사이즈".into(), "L".into()),
        ],
        ..Filter::default()
    };
    assert!(names(&db, &red_large).await.is_empty());
    // Two colours are either; a size on top is both; a price range narrows all of it.
    let combined = Filter {
        options: vec![
            ("색상".into(), "빨강".into()),
            ("색상".into(), "초록".into()),
            ("사이즈".into(), "M".into()),
        ],
        ..Filter::default()
    };
    let mut got = names(&db, &combined).await;
    got.sort();
    assert_eq!(got, vec!["셔츠 B", "셔츠 D"]);
    let cheap = Filter {
        max_price: Some(Decimal::from(20_000)),
        ..combined
    };
    assert_eq!(names(&db, &cheap).await, vec!["셔츠 B"]);
    let f = store_facets(&db, &tree, &cheap).await.unwrap();
    assert_eq!(f.total, 1);
    assert_eq!(group(&f, "사이즈"), vec![("M".into(), 1), ("S".into(), 1)]);
}

#[sqlx::test(migrations = "../migrations")]
async fn sold_out_products_are_marked_and_can_be_left_out(db: PgPool) {
    let s = seller(&db).await;
    sellable(&db, s, "재고 있음", 5_000, &[0, 2]).await;
    sellable(&db, s, "모두 품절", 5_000, &[0, 0]).await;
    let all = super::tests::listed(&db, &Filter::default(), 10)
        .await
        .items;
    let flag = |name: &str| all.iter().find(|c| c.name == name).unwrap().sold_out;
    assert!(!flag("재고 있음"));
    assert!(flag("모두 품절"));
    let in_stock = Filter {
        in_stock: true,
        ..Filter::default()
    };
    assert_eq!(names(&db, &in_stock).await, vec!["재고 있음"]);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_shop_lists_only_its_sellers_products_on_sale(db: PgPool) {
    let mine = seller(&db).await;
    let other = seller(&db).await;
    let (hidden, _) = sellable(&db, mine, "내 상품 판매중지", 5_000, &[1]).await;
    sellable(&db, mine, "내 상품", 5_000, &[1]).await;
    sellable(&db, other, "남의 상품", 5_000, &[1]).await;
    sqlx::query("UPDATE products SET status = 'inactive' WHERE id = $1")
        .bind(hidden)
        .execute(&db)
        .await
        .unwrap();
    let shop = Filter {
        seller: Some(mine),
        ..Filter::default()
    };
    assert_eq!(names(&db, &shop).await, vec!["내 상품"]);
    assert!(shop_of(&db, mine).await.unwrap().is_some());
    sqlx::query("UPDATE sellers SET status = 'suspended' WHERE id = $1")
        .bind(mine)
        .execute(&db)
        .await
        .unwrap();
    assert_eq!(shop_of(&db, mine).await.unwrap(), None);
    assert!(names(&db, &shop).await.is_empty());
}
