//! Storefront listings: filters, sorts and keyset pages.

use super::*;
use crate::catalog::search::SearchTerms;
use crate::catalog::{FacetGroup, Facets};

pub(super) fn sort_sql(sort: Sort) -> (&'static str, &'static str, &'static str) {
    // (sort expression, direction, cast for the cursor value)
    match sort {
        Sort::Newest => ("p.created_at", "DESC", "timestamptz"),
        Sort::PriceAsc => ("p.price", "ASC", "numeric"),
        Sort::PriceDesc => ("p.price", "DESC", "numeric"),
        Sort::Rating => ("p.rating_avg", "DESC", "numeric"),
        Sort::Popular => ("p.purchase_count", "DESC", "bigint"),
        // Written by `push_relevance`; the cursor value is the score.
        Sort::Relevance => ("", "DESC", "numeric"),
    }
}

/// The name's key without spaces (`idx_products_search_compact`).
const COMPACT_KEY: &str = "replace(p.search_key, ' ', '')";

/// Products on sale, filtered, sorted, one page at a time (keyset pagination: the cursor is
/// the last row's sort value and id, so pages stay stable while products are added).
///
/// A category filter covers the category and everything below it in `tree`, the active tree
/// (`category_tree_cached`): hidden categories and their products leave category listings.
pub async fn store_listing(
    db: &PgPool,
    tree: &[CategoryNode],
    f: &Filter,
    limit: i64,
) -> Result<Page<ProductCard>, CatalogError> {
    let page = listing::<CardRow>(db, tree, f, CARD_COLUMNS, limit).await?;
    Ok(Page {
        items: page.items.into_iter().map(Into::into).collect(),
        next: page.next,
    })
}

/// The same listing with only what a product grid shows: the storefront pages.
pub async fn store_cards(
    db: &PgPool,
    tree: &[CategoryNode],
    f: &Filter,
    limit: i64,
) -> Result<Page<CardView>, CatalogError> {
    listing::<CardView>(db, tree, f, VIEW_COLUMNS, limit).await
}

/// `FROM … WHERE …` of a listing: products on sale from approved sellers, narrowed by every
/// filter but the options whose name is `except` (a facet counts its own values without
/// its own choice). `None` when the filter cannot match anything (an unknown category).
fn push_from_where<'a>(
    qb: &mut QueryBuilder<'a, Postgres>,
    tree: &[CategoryNode],
    f: &'a Filter,
    terms: Option<&'a SearchTerms>,
    except: Option<&str>,
) -> Option<()> {
    qb.push(
        " FROM products p JOIN sellers s ON s.id = p.seller_id
         WHERE p.status = 'active' AND p.deleted_at IS NULL AND s.status = 'approved'",
    );
    if let Some(slug) = f.category.as_deref().filter(|s| !s.is_empty()) {
        // The subtree comes from the in-process tree: no recursive query per page view.
        let ids = subtree_ids(tree, slug)?;
        qb.push(" AND EXISTS (SELECT 1 FROM product_categories pc WHERE pc.product_id = p.id AND pc.category_id = ANY(");
        qb.push_bind(ids);
        qb.push("))");
    }
    if let Some(seller) = f.seller {
        qb.push(" AND p.seller_id = ");
        qb.push_bind(seller);
    }
    if let Some(t) = terms {
        // Every word in the name, words typed together or apart alike (`LIKE` on the compact
        // key), or close enough to the words to be a typo (word similarity on letters).
        qb.push(" AND ((");
        for (i, w) in t.word_patterns.iter().enumerate() {
            if i > 0 {
                qb.push(" AND ");
            }
            qb.push(format!("{COMPACT_KEY} LIKE "));
            qb.push_bind(w.as_str());
        }
        qb.push(format!(") OR {COMPACT_KEY} LIKE "));
        qb.push_bind(t.compact_pattern.as_str());
        qb.push(" OR ");
        qb.push_bind(t.spaced.as_str());
        qb.push(" <% p.search_key OR ");
        qb.push_bind(t.compact.as_str());
        qb.push(format!(" <% {COMPACT_KEY})"));
    }
    if let Some(min) = f.min_price {
        qb.push(" AND p.price >= ");
        qb.push_bind(min);
    }
    if let Some(max) = f.max_price {
        qb.push(" AND p.price <= ");
        qb.push_bind(max);
    }
    // One active variant with a chosen value of every option name chosen (any of a name's
    // values): "red" and "L" find a red L, not a red M beside a blue L.
    if f.options.iter().any(|(n, _)| Some(n.as_str()) != except) {
        qb.push(" AND EXISTS (SELECT 1 FROM product_variants v WHERE v.product_id = p.id AND v.is_active");
        push_variant_options(qb, f, except);
        qb.push(")");
    }
    if f.in_stock {
        qb.push(" AND ");
        qb.push(IN_STOCK);
    }
    Some(())
}

/// ` AND v.option_values @> ANY(…)` for every chosen option name but `except`.
fn push_variant_options<'a>(
    qb: &mut QueryBuilder<'a, Postgres>,
    f: &'a Filter,
    except: Option<&str>,
) {
    let mut names: Vec<&str> = f.options.iter().map(|(n, _)| n.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    for name in names.into_iter().filter(|n| Some(*n) != except) {
        let values: Vec<serde_json::Value> = f
            .options
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(n, v)| json!({ n: v }))
            .collect();
        qb.push(" AND v.option_values @> ANY(");
        qb.push_bind(values);
        qb.push("::jsonb[])");
    }
}

/// How well a product's name matches the search, for `Sort::Relevance`: a match of the
/// whole query first, then the closest (an exact name scores highest).
fn push_relevance<'a>(qb: &mut QueryBuilder<'a, Postgres>, t: &'a SearchTerms) {
    qb.push(format!("round((CASE WHEN {COMPACT_KEY} LIKE "));
    qb.push_bind(t.compact_pattern.as_str());
    qb.push(" THEN 2 ELSE 0 END + word_similarity(");
    qb.push_bind(t.compact.as_str());
    qb.push(format!(", {COMPACT_KEY}) + similarity("));
    qb.push_bind(t.compact.as_str());
    qb.push(format!(", {COMPACT_KEY}))::numeric, 4)"));
}

async fn listing<T>(
    db: &PgPool,
    tree: &[CategoryNode],
    f: &Filter,
    columns: &str,
    limit: i64,
) -> Result<Page<T>, CatalogError>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow> + Send + Unpin,
{
    let limit = limit.clamp(1, 1000) as usize;
    let terms = f.q.as_deref().and_then(SearchTerms::parse);
    let sort = match (f.sort, &terms) {
        (Sort::Relevance, None) => Sort::Newest,
        (sort, _) => sort,
    };
    let (expr, dir, cast) = sort_sql(sort);
    let mut qb: QueryBuilder<Postgres> =
        QueryBuilder::new(format!("SELECT {columns}, p.id AS cursor_id, "));
    match (&terms, sort) {
        (Some(t), Sort::Relevance) => push_relevance(&mut qb, t),
        _ => {
            qb.push(expr);
        }
    }
    qb.push(" AS sort_value");
    if push_from_where(&mut qb, tree, f, terms.as_ref(), None).is_none() {
        return Ok(Page {
            items: Vec::new(),
            next: None,
        });
    }
    if let Some(raw) = f.cursor.as_deref().filter(|c| !c.is_empty()) {
        let (value, id) = parse_cursor(raw, sort).ok_or_else(|| {
            CatalogError::Invalid(vec![FieldError::new("cursor", Msg::ErrBadCursor)])
        })?;
        let op = if dir == "DESC" { "<" } else { ">" };
        qb.push(" AND (");
        match (&terms, sort) {
            (Some(t), Sort::Relevance) => push_relevance(&mut qb, t),
            _ => {
                qb.push(expr);
            }
        }
        qb.push(format!(", p.id) {op} ("));
        match value {
            CursorValue::Time(t) => qb.push_bind(t),
            CursorValue::Number(d) => qb.push_bind(d),
            CursorValue::Count(n) => qb.push_bind(n),
        };
        qb.push(format!("::{cast}, "));
        qb.push_bind(id);
        qb.push(")");
    }
    // The limit is written into the SQL, not bound: with `LIMIT $n` Postgres cannot judge a
    // generic plan and re-plans the statement on every execution (~2 ms of CPU at 100k rows).
    let order = if sort == Sort::Relevance {
        "sort_value"
    } else {
        expr
    };
    qb.push(format!(
        " ORDER BY {order} {dir}, p.id {dir} LIMIT {}",
        limit + 1
    ));

    let rows = qb.build().fetch_all(db).await?;
    // One row more than the page means there is a next page, which starts after the last row
    // shown. Only that row's keyset position is read, and turned into text here rather than
    // by Postgres for every row.
    let next = match rows.get(limit) {
        Some(_) => Some(cursor(&rows[limit - 1], sort)?),
        None => None,
    };
    let items = rows
        .iter()
        .take(limit)
        .map(T::from_row)
        .collect::<Result<Vec<T>, _>>()?;
    Ok(Page { items, next })
}

/// Option names a facet lists at most, and values per name.
pub const MAX_FACET_NAMES: usize = 6;
pub const MAX_FACET_VALUES: usize = 30;

/// The facets of a listing (`Facets`), straight from Postgres. Each option name's values are
/// counted with every filter but that name's own choices, so ticking a second colour shows
/// how many more it adds, as shoppers expect of facets. A value counts a product when one
/// of its variants has the value and every other choice, as the filter matches.
pub async fn store_facets(
    db: &PgPool,
    tree: &[CategoryNode],
    f: &Filter,
) -> Result<Facets, CatalogError> {
    let terms = f.q.as_deref().and_then(SearchTerms::parse);
    let mut qb: QueryBuilder<Postgres> =
        QueryBuilder::new("SELECT count(*), min(p.price), max(p.price)");
    if push_from_where(&mut qb, tree, f, terms.as_ref(), None).is_none() {
        return Ok(Facets::default());
    }
    let (total, min_price, max_price): (i64, Option<Decimal>, Option<Decimal>) =
        qb.build_query_as().fetch_one(db).await?;
    let mut options = Vec::new();
    if total == 0 {
        return Ok(Facets::default());
    }
    // The names in the result, then each name's values without its own choice.
    let mut qb: QueryBuilder<Postgres> = QueryBuilder::new(
        "SELECT k.name FROM (SELECT DISTINCT jsonb_object_keys(v.option_values) AS name
         FROM product_variants v WHERE v.is_active AND v.product_id IN (SELECT p.id",
    );
    push_from_where(&mut qb, tree, f, terms.as_ref(), None);
    qb.push(format!(")) k ORDER BY k.name LIMIT {MAX_FACET_NAMES}"));
    let names: Vec<String> = qb.build_query_scalar().fetch_all(db).await?;
    for name in names {
        let mut qb: QueryBuilder<Postgres> = QueryBuilder::new(
            "SELECT o.value, count(DISTINCT o.product_id) AS n FROM (
                 SELECT v.product_id, v.option_values ->> ",
        );
        qb.push_bind(name.clone());
        qb.push(" AS value FROM product_variants v WHERE v.is_active");
        // The variant itself has the other names' choices.
        push_variant_options(&mut qb, f, Some(&name));
        qb.push(" AND v.product_id IN (SELECT p.id");
        push_from_where(&mut qb, tree, f, terms.as_ref(), Some(&name));
        qb.push(format!(
            ")) o WHERE o.value IS NOT NULL GROUP BY o.value ORDER BY n DESC, o.value LIMIT {MAX_FACET_VALUES}"
        ));
        let values: Vec<(String, i64)> = qb.build_query_as().fetch_all(db).await?;
        if !values.is_empty() {
            options.push(FacetGroup { name, values });
        }
    }
    Ok(Facets {
        total,
        options,
        min_price,
        max_price,
    })
}

/// How long an instance reuses the facets it counted for a listing. Counts are a guide: a
/// minute-old count is fine, and counting a large category on every view is not.
pub const FACETS_MAX_AGE: std::time::Duration = std::time::Duration::from_secs(30);

/// `store_facets`, kept by this instance for `FACETS_MAX_AGE` per filter (pages and sort
/// do not change the facets).
pub async fn store_facets_cached(
    db: &PgPool,
    redis: &crate::platform::redis::Redis,
    tree: &[CategoryNode],
    f: &Filter,
) -> Result<Facets, CatalogError> {
    let mut options = f.options.clone();
    options.sort();
    let key = format!(
        "facets:{:?}",
        (
            &f.q,
            &f.category,
            f.seller,
            f.min_price,
            f.max_price,
            options,
            f.in_stock
        )
    );
    if let Some(hit) = redis.local.get::<Facets>(&key) {
        return Ok((*hit).clone());
    }
    // One count per filter at a time: a busy page whose copy just ran out would otherwise
    // start the same heavy count once per request waiting for it.
    let gate = {
        let mut flights = FACET_FLIGHTS.lock().unwrap_or_else(|e| e.into_inner());
        flights.entry(key.clone()).or_default().clone()
    };
    let _turn = gate.lock().await;
    if let Some(hit) = redis.local.get::<Facets>(&key) {
        return Ok((*hit).clone());
    }
    let generation = redis.local.generation();
    let counted = store_facets(db, tree, f).await;
    FACET_FLIGHTS
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .remove(&key);
    let facets = counted?;
    redis.local.put_for(
        &key,
        std::sync::Arc::new(facets.clone()),
        generation,
        FACETS_MAX_AGE,
    );
    Ok(facets)
}

type Flights = std::collections::HashMap<String, std::sync::Arc<tokio::sync::Mutex<()>>>;
/// Facet counts in progress on this instance, by filter.
static FACET_FLIGHTS: std::sync::LazyLock<std::sync::Mutex<Flights>> =
    std::sync::LazyLock::new(Default::default);

/// A seller's public shop: its id and name.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Shop {
    pub id: SellerId,
    pub name: String,
}

/// The shop of an approved seller; `None` for a seller that is pending, suspended or
/// withdrawn (its shop page is a 404).
pub async fn shop_of(db: &PgPool, seller: SellerId) -> Result<Option<Shop>, CatalogError> {
    Ok(sqlx::query_as(
        "SELECT id, business_name AS name FROM sellers WHERE id = $1 AND status = 'approved'",
    )
    .bind(seller)
    .fetch_optional(db)
    .await?)
}

enum CursorValue {
    Time(chrono::DateTime<chrono::Utc>),
    Number(Decimal),
    Count(i64),
}

/// Reads a `value~id` cursor back for `sort`; `None` for anything `cursor` did not write
/// (a hand-edited link), which the caller refuses with a message rather than a 500.
fn parse_cursor(raw: &str, sort: Sort) -> Option<(CursorValue, Uuid)> {
    let (value, id) = raw.rsplit_once('~')?;
    let id = id.parse::<Uuid>().ok()?;
    let value = match sort {
        Sort::Newest => CursorValue::Time(
            chrono::DateTime::parse_from_str(value, "%Y-%m-%d %H:%M:%S%.f%#z")
                .ok()?
                .with_timezone(&chrono::Utc),
        ),
        Sort::PriceAsc | Sort::PriceDesc | Sort::Rating | Sort::Relevance => {
            CursorValue::Number(value.parse::<Decimal>().ok()?)
        }
        Sort::Popular => CursorValue::Count(value.parse::<i64>().ok()?),
    };
    Some((value, id))
}

/// `value~id` of a listed row: `listing` selects the id and the sort value last. The value is
/// written so that `CAST(value AS <sort cast>)` gives it back exactly.
fn cursor(row: &sqlx::postgres::PgRow, sort: Sort) -> sqlx::Result<String> {
    use sqlx::Row;
    let n = row.len();
    let id: Uuid = row.try_get(n - 2)?;
    let value = match sort {
        Sort::Newest => row
            .try_get::<chrono::DateTime<chrono::Utc>, _>(n - 1)?
            .format("%Y-%m-%d %H:%M:%S%.6f+00")
            .to_string(),
        Sort::PriceAsc | Sort::PriceDesc | Sort::Rating | Sort::Relevance => {
            row.try_get::<Decimal, _>(n - 1)?.to_string()
        }
        Sort::Popular => row.try_get::<i64, _>(n - 1)?.to_string(),
    };
    Ok(format!("{value}~{id}"))
}

/// A storefront card from the columns of `VIEW_COLUMNS`, by position and without the type
/// checks of a lookup by name: this runs for every card of every listing page, and the
/// columns are fixed here (the storefront tests read every field back).
impl<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow> for CardView {
    fn from_row(row: &'r sqlx::postgres::PgRow) -> sqlx::Result<Self> {
        use sqlx::Row;
        Ok(CardView {
            slug: row.try_get_unchecked(0)?,
            name: row.try_get_unchecked(1)?,
            price: row.try_get_unchecked(2)?,
            original_price: row.try_get_unchecked(3)?,
            discount_rate: row.try_get_unchecked(4)?,
            seller_name: row.try_get_unchecked(5)?,
            thumbnail_url: row.try_get_unchecked(6)?,
            id: row.try_get_unchecked(7)?,
            sold_out: row.try_get_unchecked(8)?,
        })
    }
}
