//! Notices (seed 000 `notices`): admins write them in Markdown and publish them now or at a
//! later time, for everyone, shoppers or sellers. Every change writes one audit row in its
//! transaction.

use super::super::domain::{NewNotice, Publish};
use super::super::{
    AdminError, Audience, Banner, NoticeId, NoticeList, NoticeTarget, NoticeType, NoticeView,
};
use crate::platform::audit::{self, Actor, AuditResource, Change};
use crate::platform::redis::Redis;
use crate::platform::view_counts::ViewCounter;
use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::{PgConnection, PgPool};

pub const PAGE_SIZE: i64 = 20;
/// Past it, a page is empty anyway; the bound keeps the offset far from overflow.
pub const MAX_PAGE: i64 = 1_000_000;

const VIEWS: ViewCounter = ViewCounter {
    pending: "notices:views:pending",
    flushing: "notices:views:flushing",
    table: "notices",
};

#[derive(sqlx::FromRow)]
struct Row {
    id: NoticeId,
    #[sqlx(rename = "type")]
    notice_type: NoticeType,
    title: String,
    content: String,
    target: NoticeTarget,
    is_pinned: bool,
    is_published: bool,
    published_at: Option<DateTime<Utc>>,
    view_count: i32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<Row> for NoticeView {
    fn from(r: Row) -> Self {
        NoticeView {
            html: super::super::markdown::render(&r.content),
            id: r.id,
            notice_type: r.notice_type,
            title: r.title,
            content: r.content,
            target: r.target,
            is_pinned: r.is_pinned,
            is_published: r.is_published,
            published_at: r.published_at,
            view_count: r.view_count,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

const COLUMNS: &str = "id, type, title, content, target, is_pinned, is_published, published_at,
    view_count, created_at, updated_at";

/// What the audit log keeps of a notice.
fn fields(r: &Row) -> serde_json::Value {
    json!({
        "type": r.notice_type,
        "title": r.title,
        "content": r.content,
        "target": r.target,
        "is_pinned": r.is_pinned,
        "is_published": r.is_published,
        "published_at": r.published_at,
    })
}

/// The audit row of an update: only the fields that changed.
async fn record_update(
    conn: &mut PgConnection,
    actor: &Actor,
    before: &Row,
    after: &Row,
) -> Result<(), AdminError> {
    let change = Change::update(
        AuditResource::Notice,
        after.id,
        &fields(before),
        &fields(after),
    );
    audit::record(conn, actor, &change).await?;
    Ok(())
}

fn published(p: Publish) -> (bool, Option<DateTime<Utc>>) {
    match p {
        Publish::Draft => (false, None),
        Publish::Now => (true, Some(Utc::now())),
        Publish::At(at) => (true, Some(at)),
    }
}

async fn locked(conn: &mut PgConnection, id: NoticeId) -> Result<Row, AdminError> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM notices WHERE id = $1 FOR UPDATE"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?
    .ok_or(AdminError::NotFound)
}

pub async fn create(db: &PgPool, actor: &Actor, n: &NewNotice) -> Result<NoticeId, AdminError> {
    let (is_published, at) = published(n.publish);
    let mut tx = db.begin().await?;
    let row: Row = sqlx::query_as(&format!(
        "INSERT INTO notices (type, title, content, target, is_pinned, is_published, published_at,
             created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {COLUMNS}"
    ))
    .bind(n.notice_type)
    .bind(&n.title)
    .bind(&n.content)
    .bind(n.target)
    .bind(n.pinned)
    .bind(is_published)
    .bind(at)
    .bind(actor.id)
    .fetch_one(&mut *tx)
    .await?;
    let change = Change::create(AuditResource::Notice, row.id, fields(&row));
    audit::record(&mut tx, actor, &change).await?;
    tx.commit().await?;
    Ok(row.id)
}

/// Rewrites a notice. A notice already showing keeps its publication time unless the form
/// moves it; "publish now" on a published notice keeps the time it first showed.
pub async fn update(
    db: &PgPool,
    actor: &Actor,
    id: NoticeId,
    n: &NewNotice,
) -> Result<(), AdminError> {
    let mut tx = db.begin().await?;
    let before = locked(&mut tx, id).await?;
    let (is_published, at) = match (n.publish, before.is_published, before.published_at) {
        (Publish::Now, true, Some(at)) if at <= Utc::now() => (true, Some(at)),
        (p, _, _) => published(p),
    };
    let after: Row = sqlx::query_as(&format!(
        "UPDATE notices SET type = $2, title = $3, content = $4, target = $5, is_pinned = $6,
             is_published = $7, published_at = $8
         WHERE id = $1 RETURNING {COLUMNS}"
    ))
    .bind(id)
    .bind(n.notice_type)
    .bind(&n.title)
    .bind(&n.content)
    .bind(n.target)
    .bind(n.pinned)
    .bind(is_published)
    .bind(at)
    .fetch_one(&mut *tx)
    .await?;
    record_update(&mut tx, actor, &before, &after).await?;
    tx.commit().await?;
    Ok(())
}

/// Publishes a draft now, or takes a published notice down (back to a draft).
pub async fn set_published(
    db: &PgPool,
    actor: &Actor,
    id: NoticeId,
    publish: bool,
) -> Result<(), AdminError> {
    let mut tx = db.begin().await?;
    let before = locked(&mut tx, id).await?;
    if before.is_published == publish {
        return Err(AdminError::WrongState);
    }
    let after: Row = sqlx::query_as(&format!(
        "UPDATE notices SET is_published = $2,
             published_at = CASE WHEN $2 THEN now() ELSE NULL END
         WHERE id = $1 RETURNING {COLUMNS}"
    ))
    .bind(id)
    .bind(publish)
    .fetch_one(&mut *tx)
    .await?;
    record_update(&mut tx, actor, &before, &after).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn delete(db: &PgPool, actor: &Actor, id: NoticeId) -> Result<(), AdminError> {
    let mut tx = db.begin().await?;
    let before = locked(&mut tx, id).await?;
    sqlx::query("DELETE FROM notices WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let change = Change::delete(AuditResource::Notice, id, fields(&before));
    audit::record(&mut tx, actor, &change).await?;
    tx.commit().await?;
    Ok(())
}

fn page_of(rows: Vec<Row>, total: i64, page: i64) -> NoticeList {
    NoticeList {
        items: rows.into_iter().map(Into::into).collect(),
        page,
        pages: ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1),
        total,
    }
}

/// Every notice, drafts and scheduled ones too, newest first (the admin list).
pub async fn all(db: &PgPool, page: i64) -> Result<NoticeList, AdminError> {
    let page = page.clamp(1, MAX_PAGE);
    let total: i64 = sqlx::query_scalar("SELECT count(*) FROM notices")
        .fetch_one(db)
        .await?;
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM notices ORDER BY created_at DESC, id LIMIT $1 OFFSET $2"
    ))
    .bind(PAGE_SIZE)
    .bind((page - 1) * PAGE_SIZE)
    .fetch_all(db)
    .await?;
    Ok(page_of(rows, total, page))
}

const SHOWING: &str = "is_published AND published_at <= now() AND target = ANY($1)";

/// What `audience` sees now, pinned first, then newest.
pub async fn showing(db: &PgPool, audience: Audience, page: i64) -> Result<NoticeList, AdminError> {
    let page = page.clamp(1, MAX_PAGE);
    let targets = audience.targets();
    let total: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM notices WHERE {SHOWING}"))
        .bind(&targets)
        .fetch_one(db)
        .await?;
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM notices WHERE {SHOWING}
         ORDER BY is_pinned DESC, published_at DESC, id LIMIT $2 OFFSET $3"
    ))
    .bind(&targets)
    .bind(PAGE_SIZE)
    .bind((page - 1) * PAGE_SIZE)
    .fetch_all(db)
    .await?;
    Ok(page_of(rows, total, page))
}

/// One notice `audience` may see now; an admin also sees drafts and scheduled ones.
pub async fn one(db: &PgPool, audience: Audience, id: NoticeId) -> Result<NoticeView, AdminError> {
    let row: Row = sqlx::query_as(&format!("SELECT {COLUMNS} FROM notices WHERE id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await?
        .ok_or(AdminError::NotFound)?;
    let view = NoticeView::from(row);
    let showing = view.is_published && view.published_at.is_some_and(|at| at <= Utc::now());
    if audience == Audience::Everyone || (showing && audience.sees(view.target)) {
        Ok(view)
    } else {
        Err(AdminError::NotFound)
    }
}

/// Counts a reader's view (buffered; see `platform::view_counts`).
pub async fn count_view(db: &PgPool, redis: &Redis, id: NoticeId) -> Result<(), AdminError> {
    Ok(VIEWS.count(db, redis, id.into_uuid()).await?)
}

/// The job: folds buffered views into `notices.view_count`.
pub async fn flush_views(db: &PgPool, redis: &Redis) -> Result<i64, AdminError> {
    VIEWS.flush(db, redis).await
}

/// How long an instance keeps the banners it read: publishing one shows within this.
const BANNERS_FOR: std::time::Duration = std::time::Duration::from_secs(5);

/// The urgent and maintenance notices `audience` sees now, newest first (at most 3). Every
/// page shows them, so each instance keeps them for a few seconds.
pub async fn banners(
    db: &PgPool,
    redis: &Redis,
    audience: Audience,
) -> Result<Vec<Banner>, AdminError> {
    let key = format!("notices:banners:{audience:?}");
    if let Some(kept) = redis.local.get::<Vec<Banner>>(&key) {
        return Ok((*kept).clone());
    }
    let generation = redis.local.generation();
    let rows: Vec<(NoticeId, NoticeType, String)> = sqlx::query_as(&format!(
        "SELECT id, type, title FROM notices
         WHERE {SHOWING} AND type IN ('urgent', 'maintenance')
         ORDER BY published_at DESC, id LIMIT 3"
    ))
    .bind(audience.targets())
    .fetch_all(db)
    .await?;
    let banners: Vec<Banner> = rows
        .into_iter()
        .map(|(id, notice_type, title)| Banner {
            id,
            notice_type,
            title,
        })
        .collect();
    redis.local.put_for(
        &key,
        std::sync::Arc::new(banners.clone()),
        generation,
        BANNERS_FOR,
    );
    Ok(banners)
}
