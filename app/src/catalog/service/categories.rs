//! The category tree: reading it (cached), admin changes, breadcrumbs.

use super::*;
use crate::platform::audit::{self, Actor, AuditResource, Change};
use crate::platform::db::OnConstraint;

#[derive(sqlx::FromRow)]
pub(super) struct CategoryRow {
    id: CategoryId,
    parent_id: Option<CategoryId>,
    name: String,
    name_en: String,
    slug: String,
    level: i32,
}

/// The active tree, ordered by display order then name.
pub async fn category_tree(db: &PgPool) -> Result<Vec<CategoryNode>, CatalogError> {
    let rows: Vec<CategoryRow> = sqlx::query_as(
        "SELECT id, parent_id, name, name_en, slug, level FROM categories
         WHERE is_active ORDER BY level, display_order, name",
    )
    .fetch_all(db)
    .await?;
    let mut children: HashMap<Option<CategoryId>, Vec<&CategoryRow>> = HashMap::new();
    for r in &rows {
        children.entry(r.parent_id).or_default().push(r);
    }
    fn build(
        parent: Option<CategoryId>,
        children: &HashMap<Option<CategoryId>, Vec<&CategoryRow>>,
    ) -> Vec<CategoryNode> {
        children
            .get(&parent)
            .map(|list| {
                list.iter()
                    .map(|r| CategoryNode {
                        id: r.id,
                        name: r.name.clone(),
                        name_en: r.name_en.clone(),
                        slug: r.slug.clone(),
                        level: r.level,
                        children: build(Some(r.id), children),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
    Ok(build(None, &children))
}

pub async fn create_category(
    conn: &mut PgConnection,
    new: &NewCategory,
) -> Result<CategoryId, CatalogError> {
    let parent = new.parent;
    let level: i32 = match parent {
        None => 1,
        Some(p) => {
            let l: Option<i32> = sqlx::query_scalar("SELECT level FROM categories WHERE id = $1")
                .bind(p)
                .fetch_optional(&mut *conn)
                .await?;
            l.ok_or(CatalogError::NotFound)? + 1
        }
    };
    if level > 3 {
        return Err(FieldError::new("parent_id", Msg::ErrCategoryDepth).into());
    }
    // A plain insert: two admins creating the same slug get one category and one "taken",
    // never a silent rename of the first.
    let id: CategoryId = sqlx::query_scalar(
        "INSERT INTO categories (parent_id, name, name_en, slug, level, display_order)
         VALUES ($1, $2, $3, $4, $5, $6)
         RETURNING id",
    )
    .bind(parent)
    .bind(&new.name)
    .bind(&new.name_en)
    .bind(&new.slug)
    .bind(level)
    .bind(new.display_order)
    .fetch_one(&mut *conn)
    .await
    .on_constraint(|c| {
        (c == "categories_slug_key")
            .then(|| CatalogError::Invalid(vec![FieldError::new("slug", Msg::ErrSlugTaken)]))
    })?;
    category_event(conn, id).await?;
    Ok(id)
}

/// An admin adds a category; the audit log keeps what was made.
pub async fn add_category(
    db: &PgPool,
    actor: &Actor,
    new: &NewCategory,
) -> Result<CategoryId, CatalogError> {
    let mut tx = db.begin().await?;
    let id = create_category(&mut tx, new).await?;
    let after = json!({
        "parent_id": new.parent,
        "name": new.name,
        "name_en": new.name_en,
        "slug": new.slug,
        "display_order": new.display_order,
    });
    audit::record(
        &mut tx,
        actor,
        &Change::create(AuditResource::Category, id, after),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The seeds' version of `create_category`: running them again renames in place.
pub async fn seed_category(
    conn: &mut PgConnection,
    parent: Option<CategoryId>,
    name: &str,
    name_en: &str,
    slug: &str,
    display_order: i32,
) -> Result<CategoryId, CatalogError> {
    let existing: Option<CategoryId> = sqlx::query_scalar(
        "UPDATE categories SET name = $2, name_en = $3 WHERE slug = $1 RETURNING id",
    )
    .bind(slug)
    .bind(name)
    .bind(name_en)
    .fetch_optional(&mut *conn)
    .await?;
    let new = NewCategory {
        parent,
        name: name.to_owned(),
        name_en: name_en.to_owned(),
        slug: slug.to_owned(),
        display_order,
    };
    match existing {
        Some(id) => Ok(id),
        None => create_category(conn, &new).await,
    }
}

/// Tells caches that the tree changed.
pub(super) async fn category_event(
    conn: &mut PgConnection,
    id: CategoryId,
) -> Result<(), sqlx::Error> {
    outbox::enqueue(
        conn,
        NewEvent {
            event_type: "category.updated",
            aggregate_type: "category",
            aggregate_id: id.to_string(),
            payload: json!({ "categoryId": id }),
        },
    )
    .await
    .map(|_| ())
}

/// Every category, active or not, in tree order: each one right after its parent, siblings by
/// display order, then name, then id (so siblings sharing an order never swap children).
/// For the admin console.
pub async fn all_categories(
    db: &PgPool,
) -> Result<Vec<crate::catalog::CategoryAdminRow>, CatalogError> {
    Ok(sqlx::query_as(
        "WITH RECURSIVE t AS (
             SELECT id, parent_id, name, name_en, slug, level, display_order, is_active,
                    lpad((display_order::bigint + 2147483648)::text, 10, '0') || ':' || name || ':' || id AS path
             FROM categories WHERE parent_id IS NULL
             UNION ALL
             SELECT c.id, c.parent_id, c.name, c.name_en, c.slug, c.level, c.display_order, c.is_active,
                    t.path || '/' || lpad((c.display_order::bigint + 2147483648)::text, 10, '0')
                        || ':' || c.name || ':' || c.id
             FROM categories c JOIN t ON c.parent_id = t.id)
         SELECT id, parent_id, name, name_en, slug, level, display_order, is_active FROM t
         ORDER BY path COLLATE \"C\"",
    )
    .fetch_all(db)
    .await?)
}

/// Renames, reorders or (de)activates a category. Deactivating hides its whole subtree from
/// the storefront tree (children of an inactive category are not reachable).
pub async fn update_category(
    db: &PgPool,
    actor: &Actor,
    id: CategoryId,
    change: &CategoryChange,
) -> Result<(), CatalogError> {
    let mut tx = db.begin().await?;
    let before: Option<(String, String, i32, bool)> = sqlx::query_as(
        "SELECT name, name_en, display_order, is_active FROM categories WHERE id = $1 FOR UPDATE",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let (name, name_en, display_order, is_active) = before.ok_or(CatalogError::NotFound)?;
    sqlx::query(
        "UPDATE categories SET name = $2, name_en = $3, display_order = $4, is_active = $5 WHERE id = $1",
    )
    .bind(id)
    .bind(&change.name)
    .bind(&change.name_en)
    .bind(change.display_order)
    .bind(change.is_active)
    .execute(&mut *tx)
    .await?;
    let was = json!({
        "name": name, "name_en": name_en, "display_order": display_order, "is_active": is_active,
    });
    let now = json!({
        "name": change.name,
        "name_en": change.name_en,
        "display_order": change.display_order,
        "is_active": change.is_active,
    });
    audit::record(
        &mut tx,
        actor,
        &Change::update(AuditResource::Category, id, &was, &now),
    )
    .await?;
    category_event(&mut tx, id).await?;
    tx.commit().await?;
    Ok(())
}

pub use crate::catalog::domain::parse_slug;
use crate::catalog::domain::{CategoryChange, NewCategory};
use crate::catalog::CategoryId;

/// The path from the root to `slug` in an (active) tree, as breadcrumbs.
pub fn path_to(tree: &[CategoryNode], slug: &str) -> Option<Vec<Crumb>> {
    for node in tree {
        let crumb = || Crumb {
            name: node.name.clone(),
            name_en: node.name_en.clone(),
            slug: node.slug.clone(),
        };
        if node.slug == slug {
            return Some(vec![crumb()]);
        }
        if let Some(mut rest) = path_to(&node.children, slug) {
            rest.insert(0, crumb());
            return Some(rest);
        }
    }
    None
}

/// The ids of the category with this slug and of every category below it.
/// The slug of an active category.
pub async fn active_category_slug(
    db: &PgPool,
    id: CategoryId,
) -> Result<Option<String>, CatalogError> {
    Ok(
        sqlx::query_scalar("SELECT slug FROM categories WHERE id = $1 AND is_active")
            .bind(id)
            .fetch_optional(db)
            .await?,
    )
}

pub fn subtree_ids(tree: &[CategoryNode], slug: &str) -> Option<Vec<CategoryId>> {
    fn find<'a>(nodes: &'a [CategoryNode], slug: &str) -> Option<&'a CategoryNode> {
        nodes.iter().find_map(|n| {
            (n.slug == slug)
                .then_some(n)
                .or_else(|| find(&n.children, slug))
        })
    }
    fn collect(node: &CategoryNode, ids: &mut Vec<CategoryId>) {
        ids.push(node.id);
        for child in &node.children {
            collect(child, ids);
        }
    }
    let mut ids = Vec::new();
    collect(find(tree, slug)?, &mut ids);
    Some(ids)
}

/// From the root down to the category with this slug.
pub async fn breadcrumbs(db: &PgPool, slug: &str) -> Result<Vec<Crumb>, CatalogError> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "WITH RECURSIVE up AS (
             SELECT id, parent_id, name, name_en, slug, level FROM categories WHERE slug = $1
             UNION ALL
             SELECT c.id, c.parent_id, c.name, c.name_en, c.slug, c.level FROM categories c JOIN up ON c.id = up.parent_id)
         SELECT name, name_en, slug FROM up ORDER BY level",
    )
    .bind(slug)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(name, name_en, slug)| Crumb {
            name,
            name_en,
            slug,
        })
        .collect())
}

/// Leaf categories with their full path, for the seller's product form.
pub async fn leaf_categories(db: &PgPool) -> Result<Vec<(CategoryId, String)>, CatalogError> {
    Ok(sqlx::query_as(
        "SELECT c.id, concat_ws(' > ', g.name, p.name, c.name) FROM categories c
         LEFT JOIN categories p ON p.id = c.parent_id
         LEFT JOIN categories g ON g.id = p.parent_id
         WHERE c.is_active AND NOT EXISTS (SELECT 1 FROM categories k WHERE k.parent_id = c.id)
         ORDER BY 2",
    )
    .fetch_all(db)
    .await?)
}

/// The tree every storefront page shows: this instance's copy, else Redis, else Postgres.
pub async fn category_tree_cached(
    db: &PgPool,
    redis: &crate::platform::redis::Redis,
) -> Result<std::sync::Arc<Vec<CategoryNode>>, CatalogError> {
    use crate::platform::cache;
    cache::get_or_load_local(
        redis,
        cache::category_tree_key(),
        cache::CATEGORY_TTL,
        || category_tree(db),
    )
    .await
}
