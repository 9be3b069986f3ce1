//! Signed ticket codes, for the QR code on a ticket: the ticket id and an HMAC of it, so a
//! gate can tell a real ticket from a made-up one without trusting the phone that shows it.

use super::super::{ReservationId, TicketingError};
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use sqlx::PgPool;

const PREFIX: &str = "JT1";

/// The signing key named `name`, made on first use (every instance then reads the same one).
/// A stored key never changes, so each process keeps what it read, per database.
pub async fn signing_key(db: &PgPool, name: &str) -> Result<Vec<u8>, TicketingError> {
    type Known = std::sync::RwLock<std::collections::HashMap<(String, String), Vec<u8>>>;
    static KNOWN: std::sync::OnceLock<Known> = std::sync::OnceLock::new();
    let known = KNOWN.get_or_init(Default::default);
    let at = (
        db.connect_options().get_database().unwrap_or("").to_owned(),
        name.to_owned(),
    );
    if let Some(key) = known.read().expect("signing keys").get(&at) {
        return Ok(key.clone());
    }
    let key = stored_key(db, name).await?;
    known.write().expect("signing keys").insert(at, key.clone());
    Ok(key)
}

async fn stored_key(db: &PgPool, name: &str) -> Result<Vec<u8>, TicketingError> {
    use rand::RngCore;
    let mut fresh = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut fresh);
    // One round trip: the first caller's key is stored, and every caller reads the stored one.
    // A caller racing the very first one may not see its row yet and reads again.
    let stored: Option<Vec<u8>> = sqlx::query_scalar(
        "WITH made AS (
             INSERT INTO app_secrets (name, secret) VALUES ($1, $2)
             ON CONFLICT (name) DO NOTHING RETURNING secret)
         SELECT secret FROM made UNION ALL SELECT secret FROM app_secrets WHERE name = $1
         LIMIT 1",
    )
    .bind(name)
    .bind(&fresh[..])
    .fetch_optional(db)
    .await?;
    match stored {
        Some(key) => Ok(key),
        None => Ok(
            sqlx::query_scalar("SELECT secret FROM app_secrets WHERE name = $1")
                .bind(name)
                .fetch_one(db)
                .await?,
        ),
    }
}

fn mac(key: &[u8], text: &str) -> String {
    // HMAC takes a key of any length.
    let mut m = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
    m.update(text.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&m.finalize().into_bytes()[..18])
}

/// `JT1.{ticket id}.{signature}`.
pub fn ticket_code(key: &[u8], ticket: ReservationId) -> String {
    let body = format!("{PREFIX}.{ticket}");
    let sig = mac(key, &body);
    format!("{body}.{sig}")
}

/// The ticket a code stands for, if its signature is ours.
pub fn verify_ticket_code(key: &[u8], code: &str) -> Option<ReservationId> {
    let (body, sig) = code.rsplit_once('.')?;
    let id = body.strip_prefix("JT1.")?.parse().ok()?;
    // Compare in constant time, through the MAC's own check.
    let mut m = Hmac::<Sha256>::new_from_slice(key).ok()?;
    m.update(body.as_bytes());
    let expected = m.finalize().into_bytes();
    let given = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(sig)
        .ok()?;
    (given.len() == 18 && constant_eq(&expected[..18], &given)).then_some(id)
}

fn constant_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The QR code of a ticket code, as an `<svg>` element to put in a page.
pub fn qr_svg(code: &str) -> String {
    match qrcode::QrCode::new(code.as_bytes()) {
        Ok(qr) => {
            let doc = qr
                .render::<qrcode::render::svg::Color>()
                .min_dimensions(160, 160)
                .quiet_zone(true)
                .build();
            // Inline in HTML: no XML prolog.
            doc.find("<svg")
                .map(|i| doc[i..].to_owned())
                .unwrap_or_default()
        }
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_checks_out_only_with_its_key_and_unchanged() {
        let id = ReservationId(uuid::Uuid::new_v4());
        let code = ticket_code(b"k1", id);
        assert_eq!(verify_ticket_code(b"k1", &code), Some(id));
        assert_eq!(verify_ticket_code(b"k2", &code), None, "another key");
        let other = ReservationId(uuid::Uuid::new_v4());
        let forged = code.replace(&id.to_string(), &other.to_string());
        assert_eq!(
            verify_ticket_code(b"k1", &forged),
            None,
            "another ticket, same signature"
        );
        assert_eq!(verify_ticket_code(b"k1", "JT1.nonsense"), None);
        assert!(qr_svg(&code).starts_with("<svg"));
    }
}
