//! Image uploads. The seller console posts a plain multipart form (works without JavaScript)
//! and is redirected back to the product's page; REST v1 posts the same form and gets JSON.

use app::catalog::service::images::{self, NewImage};
use app::catalog::ProductId;
use app::catalog::ProductImage;
use app::platform::error::AppError;
use app::platform::i18n::Msg;
use app::platform::state::AppState;
use app::seller::ApprovedSeller;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::Router;

/// Room for the multipart framing and the text fields around the file.
const FORM_OVERHEAD: usize = 64 * 1024;

/// The body limit for upload routes: the configured file limit plus framing. Larger bodies
/// are cut off while reading and reported as "too large".
pub fn body_limit(state: &AppState) -> DefaultBodyLimit {
    DefaultBodyLimit::max(max_body(state))
}

/// A concert's poster, from its edit page (the organiser, or an admin); back to that page.
async fn poster_form(
    State(state): State<AppState>,
    user: app::platform::auth::CurrentUser,
    session: tower_sessions::Session,
    Path(id): Path<app::ticketing::ConcertId>,
    form: Multipart,
) -> Response {
    use app::ticketing::service::{self as tickets, Organizer};
    let back = format!("/tickets/{id}/edit");
    let result = async {
        let by = if user.role == app::identity::Role::Admin {
            Organizer::Admin(user.id)
        } else {
            let seller = ApprovedSeller::of(&state.db, user).await?;
            Organizer::Seller {
                user: seller.user.id,
                seller: seller.id,
            }
        };
        let form = read_image_form(form).await?;
        let storage = &state.settings.storage;
        tickets::set_poster(
            &state.db,
            &state.redis,
            storage,
            by,
            id,
            &form.name,
            form.bytes,
        )
        .await?;
        Ok::<_, AppError>(())
    }
    .await;
    after_upload(&session, result, &back, "").await
}

/// Where a no-JavaScript upload form goes next: back to `back` (at `#anchor`) with a notice,
/// or with the field's message in `image_error`, which the page shows next to the file field.
async fn after_upload<T>(
    session: &tower_sessions::Session,
    result: Result<T, AppError>,
    back: &str,
    anchor: &str,
) -> Response {
    match result {
        Ok(_) => {
            app::platform::notice::notice_in(session, Msg::SellerUploaded).await;
            Redirect::to(&format!("{back}{anchor}")).into_response()
        }
        Err(AppError::Validation(fields)) => {
            let msg = fields.first().map_or(Msg::ErrValidation, |f| f.msg);
            let key = serde_json::to_value(msg)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            Redirect::to(&format!("{back}?image_error={key}{anchor}")).into_response()
        }
        Err(e) => e.into_response(),
    }
}

/// The largest request body an upload route accepts.
pub fn max_body(state: &AppState) -> usize {
    state.settings.storage.max_bytes + FORM_OVERHEAD
}

pub fn router(state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/seller/products/{id}/images", post(upload_form))
        .route("/tickets/{id}/poster", post(poster_form))
        .layer(body_limit(state))
}

pub struct ImageForm {
    pub name: String,
    pub bytes: Vec<u8>,
    pub alt_text: Option<String>,
}

/// Reads the `image` file and the optional `alt_text` field.
pub async fn read_image_form(mut form: Multipart) -> Result<ImageForm, AppError> {
    let too_large = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::field("image", Msg::ErrImageTooLarge)
        } else {
            AppError::field("image", Msg::ErrBadForm)
        }
    };
    let mut image = None;
    let mut alt_text = None;
    while let Some(field) = form.next_field().await.map_err(too_large)? {
        match field.name() {
            Some("image") => {
                let name = field.file_name().unwrap_or("image").to_owned();
                let bytes = field.bytes().await.map_err(too_large)?;
                // A file input left empty still sends an empty part.
                if !bytes.is_empty() {
                    image = Some((name, bytes.to_vec()));
                }
            }
            Some("alt_text") => {
                let text = field.text().await.map_err(too_large)?;
                alt_text = Some(text).filter(|t| !t.trim().is_empty());
            }
            _ => {}
        }
    }
    let (name, bytes) = image.ok_or_else(|| AppError::field("image", Msg::ErrImageMissing))?;
    Ok(ImageForm {
        name,
        bytes,
        alt_text,
    })
}

/// Stores the image for the signed-in seller's product.
pub async fn add_for_seller(
    state: &AppState,
    seller: &ApprovedSeller,
    product: ProductId,
    form: ImageForm,
) -> Result<ProductImage, AppError> {
    Ok(images::add_image(
        &state.db,
        &state.settings.storage,
        seller.id,
        Some(seller.user.id),
        product,
        NewImage {
            original_name: &form.name,
            bytes: form.bytes,
            alt_text: form.alt_text.as_deref(),
        },
    )
    .await?)
}

async fn upload_form(
    State(state): State<AppState>,
    seller: ApprovedSeller,
    session: tower_sessions::Session,
    Path(id): Path<ProductId>,
    form: Multipart,
) -> Response {
    let back = format!("/seller/products/{id}");
    let result = match read_image_form(form).await {
        Ok(form) => add_for_seller(&state, &seller, id, form).await,
        Err(e) => Err(e),
    };
    after_upload(&session, result, &back, "#images").await
}
