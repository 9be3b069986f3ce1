//! Storefront listings: filters, sorts and keyset pages.

use super::*;

pub(super) fn sort_sql(sort: Sort) -> (&'static str, &'static str, &'static str) {
    // (sort expression, direction, cast for the cursor value)
    match sort {
        Sort::Newest => ("p.created_at", "DESC", "timestamptz"),
        Sort::PriceAsc => ("p.price", "ASC", "numeric"),
        Sort::PriceDesc => ("p.price", "DESC", "numeric"),
        Sort::Rating => ("p.rating_avg", "DESC", "numeric"),
        Sort::Popular => ("p.purchase_count", "DESC", "bigint"),
    }
}

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
    let (expr, dir, cast) = sort_sql(f.sort);
    let mut qb: QueryBuilder<Postgres> = QueryBuilder::new(format!(
        "SELECT {columns}, p.id AS cursor_id, {expr} AS sort_value FROM products p JOIN sellers s ON s.id = p.seller_id
         WHERE p.status = 'active' AND p.deleted_at IS NULL AND s.status = 'approved'"
    ));
    if let Some(slug) = f.category.as_deref().filter(|s| !s.is_empty()) {
        // The subtree comes from the in-process tree: no recursive query per page view.
        let Some(ids) = subtree_ids(tree, slug) else {
            return Ok(Page {
                items: Vec::new(),
                next: None,
            });
        };
        qb.push(" AND EXISTS (SELECT 1 FROM product_categories pc WHERE pc.product_id = p.id AND pc.category_id = ANY(");
        qb.push_bind(ids);
        qb.push("))");
    }
    // Every word must appear in the name (any case). ILIKE '%…%' is served by the trigram
    // index, and works the same for Korean and English.
    // Control characters (a NUL from `?q=%00`) cannot be in a name; Postgres would refuse
    // them as text, so they separate words like spaces do.
    let q: String =
        f.q.as_deref()
            .unwrap_or_default()
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
    for word in q.split_whitespace().take(8) {
        let pattern = format!(
            "%{}%",
            word.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        qb.push(" AND p.name ILIKE ");
        qb.push_bind(pattern);
    }
    if let Some(min) = f.min_price {
        qb.push(" AND p.price >= ");
        qb.push_bind(min);
    }
    if let Some(max) = f.max_price {
        qb.push(" AND p.price <= ");
        qb.push_bind(max);
    }
    if let Some((name, value)) = f.option.as_deref().and_then(|o| o.split_once(':')) {
        qb.push(" AND EXISTS (SELECT 1 FROM product_variants v WHERE v.product_id = p.id AND v.is_active AND v.option_values @> ");
        qb.push_bind(json!({ name.trim(): value.trim() }));
        qb.push(")");
    }
    if let Some(raw) = f.cursor.as_deref().filter(|c| !c.is_empty()) {
        let (value, id) = parse_cursor(raw, f.sort).ok_or_else(|| {
            CatalogError::Invalid(vec![FieldError::new("cursor", Msg::ErrBadCursor)])
        })?;
        let op = if dir == "DESC" { "<" } else { ">" };
        qb.push(format!(" AND ({expr}, p.id) {op} ("));
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
    qb.push(format!(
        " ORDER BY {expr} {dir}, p.id {dir} LIMIT {}",
        limit + 1
    ));

    let rows = qb.build().fetch_all(db).await?;
    // One row more than the page means there is a next page, which starts after the last row
    // shown. Only that row's keyset position is read, and turned into text here rather than
    // by Postgres for every row.
    let next = match rows.get(limit) {
        Some(_) => Some(cursor(&rows[limit - 1], f.sort)?),
        None => None,
    };
    let items = rows
        .iter()
        .take(limit)
        .map(T::from_row)
        .collect::<Result<Vec<T>, _>>()?;
    Ok(Page { items, next })
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
        Sort::PriceAsc | Sort::PriceDesc | Sort::Rating => {
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
        Sort::PriceAsc | Sort::PriceDesc | Sort::Rating => {
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
        })
    }
}
