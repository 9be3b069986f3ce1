//! REST v1 for inventory (seed 004 inventory service API).

use super::extract::{Json, Path};
use super::openapi::ErrorBody;
use app::catalog::VariantId;
use app::identity::Role;
use app::inventory::domain::NewSku;
use app::inventory::service as inventory;
use app::inventory::{Item, StockLevel};
use app::inventory::{ReservationId, SkuId};
use app::platform::auth::CurrentUser;
use app::platform::error::AppError;
use app::platform::state::AppState;
use app::seller::ApprovedSeller;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use std::time::Duration;
use utoipa::ToSchema;
use uuid::Uuid;

/// The caller must own the SKU (admins may look at any); someone else's looks missing.
async fn owned(state: &AppState, user: &CurrentUser, sku: SkuId) -> Result<(), AppError> {
    if user.role == Role::Admin {
        return Ok(());
    }
    let seller = ApprovedSeller::of(&state.db, user.clone()).await?;
    if inventory::owned_by(&state.db, sku, seller.id).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateSku {
    /// Unique among the seller's SKUs.
    #[schema(
        example = "MUG-WHITE-01",
        min_length = 1,
        max_length = 100,
        pattern = r"\S"
    )]
    pub code: String,
    #[schema(min_length = 1, max_length = 255, pattern = r"\S")]
    pub name: String,
    #[serde(default)]
    #[schema(minimum = 0, maximum = 1_000_000)]
    pub initial_stock: i32,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Stock {
    pub sku_id: SkuId,
    pub total_quantity: i32,
    pub reserved_quantity: i32,
    pub available_quantity: i32,
    pub low_stock_threshold: i32,
}

impl From<StockLevel> for Stock {
    fn from(l: StockLevel) -> Self {
        Self {
            sku_id: l.sku_id,
            total_quantity: l.stock,
            reserved_quantity: l.reserved,
            available_quantity: l.available,
            low_stock_threshold: l.low_stock_threshold,
        }
    }
}

/// Create a SKU (a unit of stock) for the calling seller.
#[utoipa::path(post, path = "/api/v1/skus", tag = "inventory", request_body = CreateSku,
    security(("session_cookie" = []), ("api_token" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 201, body = Stock), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_sku(
    State(state): State<AppState>,
    seller: ApprovedSeller,
    Json(req): Json<CreateSku>,
) -> Result<(StatusCode, Json<Stock>), AppError> {
    let new = NewSku::parse(&req.code, &req.name, req.initial_stock)?;
    let level =
        inventory::create_sku_with_stock(&state.db, seller.id, &new, Some(seller.user.id)).await?;
    Ok((StatusCode::CREATED, Json(level.into())))
}

/// Stock of a SKU the caller owns.
#[utoipa::path(get, path = "/api/v1/inventory/{skuId}", tag = "inventory",
    security(("session_cookie" = []), ("api_token" = [])),
    params(("skuId" = Uuid, Path)),
    responses((status = 200, body = Stock), (status = 404, body = ErrorBody)))]
pub async fn get_stock(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(sku): Path<SkuId>,
) -> Result<Json<Stock>, AppError> {
    owned(&state, &user, sku).await?;
    Ok(Json(inventory::level(&state.db, sku).await?.into()))
}

#[derive(Deserialize, ToSchema)]
pub struct Receive {
    /// The SKU may hold at most 100,000,000 in all.
    #[schema(minimum = 1, maximum = 1_000_000)]
    pub quantity: i32,
    #[schema(max_length = 255)]
    pub reference: Option<String>,
}

/// Goods arrived.
#[utoipa::path(post, path = "/api/v1/inventory/{skuId}/receive", tag = "inventory", request_body = Receive,
    security(("session_cookie" = []), ("api_token" = [])),
    params(("skuId" = Uuid, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 200, body = Stock), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn receive(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(sku): Path<SkuId>,
    Json(req): Json<Receive>,
) -> Result<Json<Stock>, AppError> {
    owned(&state, &user, sku).await?;
    let level = inventory::receive(
        &state.db,
        sku,
        req.quantity,
        req.reference.as_deref(),
        Some(user.id),
    )
    .await?;
    Ok(Json(level.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReserveRequest {
    /// Either one SKU with `skuId` and `quantity`...
    pub sku_id: Option<SkuId>,
    #[schema(minimum = 1, maximum = 1_000_000)]
    pub quantity: Option<i32>,
    /// ...or several lines; a variant line expands to its SKUs (bundles).
    #[serde(default)]
    #[schema(max_items = 100)]
    pub lines: Vec<ReserveLine>,
    /// The order or hold this is for.
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub order_id: String,
    /// Seconds until the reservation expires (default 900, at most 3600).
    #[schema(minimum = 1, maximum = 3600)]
    pub ttl: Option<u64>,
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReserveLine {
    pub sku_id: Option<SkuId>,
    pub variant_id: Option<VariantId>,
    #[schema(minimum = 1, maximum = 1_000_000)]
    pub quantity: i32,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReservationBody {
    pub id: ReservationId,
    pub order_id: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
    pub lines: Vec<ReservedLine>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReservedLine {
    pub sku_id: SkuId,
    pub quantity: i32,
}

/// Reserve stock: all lines or none; 409 when there is not enough. Sellers hold their own
/// SKUs and on-sale variants (at most 100 lines, up to an hour); admins any. Shoppers reserve
/// through checkout, not here.
#[utoipa::path(post, path = "/api/v1/inventory/reservations", tag = "inventory", request_body = ReserveRequest,
    security(("session_cookie" = []), ("api_token" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 201, body = ReservationBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn reserve(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(req): Json<ReserveRequest>,
) -> Result<(StatusCode, Json<ReservationBody>), AppError> {
    let mut items: Vec<(Item, i32)> = Vec::new();
    if let Some(sku) = req.sku_id {
        items.push((Item::Sku(sku), req.quantity.unwrap_or(1)));
    }
    for l in req.lines {
        match (l.sku_id, l.variant_id) {
            (Some(s), None) => items.push((Item::Sku(s), l.quantity)),
            (None, Some(v)) => items.push((Item::Variant(v), l.quantity)),
            _ => {
                return Err(AppError::field(
                    "lines",
                    app::platform::i18n::Msg::ErrBadForm,
                ))
            }
        }
    }
    let order = app::identity::domain::required_text("orderId", &req.order_id, 255)?;
    let ttl = Duration::from_secs(req.ttl.unwrap_or(900));
    let holder = if user.role == Role::Admin {
        inventory::Holder::Admin
    } else {
        inventory::Holder::Seller(ApprovedSeller::of(&state.db, user.clone()).await?.id)
    };
    let r = inventory::reserve_for(&state.db, holder, &order, &items, ttl, Some(user.id)).await?;
    Ok((
        StatusCode::CREATED,
        Json(ReservationBody {
            id: r.id,
            order_id: r.reference,
            expires_at: r.expires_at,
            lines: r
                .lines
                .into_iter()
                .map(|(sku_id, quantity)| ReservedLine { sku_id, quantity })
                .collect(),
        }),
    ))
}

/// Release a reservation (its creator or an admin).
#[utoipa::path(delete, path = "/api/v1/inventory/reservations/{id}", tag = "inventory",
    security(("session_cookie" = []), ("api_token" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn release(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<ReservationId>,
) -> Result<StatusCode, AppError> {
    inventory::release_for(&state.db, id, user.id, user.role == Role::Admin).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AvailabilityRequest {
    /// At most 500 ids in both lists together.
    #[serde(default)]
    #[schema(max_items = 500)]
    pub sku_ids: Vec<SkuId>,
    #[serde(default)]
    #[schema(max_items = 500)]
    pub variant_ids: Vec<VariantId>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Availability {
    pub id: Uuid,
    pub available: i32,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AvailabilityBody {
    pub skus: Vec<Availability>,
    pub variants: Vec<Availability>,
}

/// How many units can be sold now, for many SKUs or variants at once (public: it is what the
/// product page shows).
#[utoipa::path(post, path = "/api/v1/inventory/availability", tag = "inventory", request_body = AvailabilityRequest,
    responses((status = 200, body = AvailabilityBody), (status = 422, body = ErrorBody)))]
pub async fn availability(
    State(state): State<AppState>,
    Json(req): Json<AvailabilityRequest>,
) -> Result<Json<AvailabilityBody>, AppError> {
    if req.sku_ids.len() + req.variant_ids.len() > 500 {
        return Err(AppError::field(
            "skuIds",
            app::platform::i18n::Msg::ErrTooLong,
        ));
    }
    let skus = inventory::levels(&state.db, &req.sku_ids)
        .await?
        .into_iter()
        .map(|l| Availability {
            id: l.sku_id.into_uuid(),
            available: l.available,
        })
        .collect();
    let variants = inventory::variant_availability(&state.db, &req.variant_ids)
        .await?
        .into_iter()
        .map(|(id, available)| Availability {
            id: id.into_uuid(),
            available,
        })
        .collect();
    Ok(Json(AvailabilityBody { skus, variants }))
}
