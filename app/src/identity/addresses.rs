//! Address book. Invariant: a user with any addresses has exactly one default.
//! Every change locks the user's row first, so concurrent edits of one book serialise.

use super::domain::NewAddress;
use super::{Address, AddressId, IdentityError, UserId};
use sqlx::{PgConnection, PgPool};

async fn lock_user(conn: &mut PgConnection, user_id: UserId) -> Result<(), IdentityError> {
    sqlx::query("SELECT 1 FROM users WHERE id = $1 FOR UPDATE")
        .bind(user_id)
        .fetch_optional(conn)
        .await?
        .ok_or(IdentityError::NotFound)?;
    Ok(())
}

const COLUMNS: &str =
    "id, recipient_name, phone, postal_code, address, address_detail, label, is_default";

pub async fn list(db: &PgPool, user_id: UserId) -> Result<Vec<Address>, IdentityError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM addresses WHERE user_id = $1 ORDER BY is_default DESC, created_at"
    ))
    .bind(user_id)
    .fetch_all(db)
    .await?)
}

pub async fn get(
    db: impl sqlx::PgExecutor<'_>,
    user_id: UserId,
    id: AddressId,
) -> Result<Address, IdentityError> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM addresses WHERE user_id = $1 AND id = $2"
    ))
    .bind(user_id)
    .bind(id)
    .fetch_optional(db)
    .await?
    .ok_or(IdentityError::NotFound)
}

/// Creates (`id = None`) or updates an address. The first address becomes the default.
pub async fn save(
    db: &PgPool,
    user_id: UserId,
    id: Option<AddressId>,
    input: NewAddress,
) -> Result<Address, IdentityError> {
    let v = &input;
    let mut tx = db.begin().await?;
    lock_user(&mut tx, user_id).await?;
    let has_default: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM addresses WHERE user_id = $1 AND is_default AND id IS DISTINCT FROM $2)",
    )
    .bind(user_id)
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    let make_default = input.make_default || !has_default;
    if make_default {
        sqlx::query("UPDATE addresses SET is_default = FALSE WHERE user_id = $1 AND is_default")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
    }
    let saved: Option<Address> = match id {
        None => sqlx::query_as(&format!(
            "INSERT INTO addresses (user_id, recipient_name, phone, postal_code, address, address_detail, label, is_default)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {COLUMNS}"
        ))
        .bind(user_id)
        .bind(&v.recipient_name)
        .bind(&v.phone)
        .bind(&v.postal_code)
        .bind(&v.address)
        .bind(&v.address_detail)
        .bind(&v.label)
        .bind(make_default)
        .fetch_optional(&mut *tx)
        .await?,
        Some(id) => sqlx::query_as(&format!(
            "UPDATE addresses SET recipient_name = $3, phone = $4, postal_code = $5, address = $6,
                 address_detail = $7, label = $8, is_default = is_default OR $9
             WHERE user_id = $1 AND id = $2 RETURNING {COLUMNS}"
        ))
        .bind(user_id)
        .bind(id)
        .bind(&v.recipient_name)
        .bind(&v.phone)
        .bind(&v.postal_code)
        .bind(&v.address)
        .bind(&v.address_detail)
        .bind(&v.label)
        .bind(make_default)
        .fetch_optional(&mut *tx)
        .await?,
    };
    let saved = saved.ok_or(IdentityError::NotFound)?;
    tx.commit().await?;
    Ok(saved)
}

pub async fn set_default(db: &PgPool, user_id: UserId, id: AddressId) -> Result<(), IdentityError> {
    let mut tx = db.begin().await?;
    lock_user(&mut tx, user_id).await?;
    let exists: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM addresses WHERE user_id = $1 AND id = $2)",
    )
    .bind(user_id)
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    if !exists {
        return Err(IdentityError::NotFound);
    }
    // Two statements: the unique index is checked row by row, so clear before setting.
    sqlx::query(
        "UPDATE addresses SET is_default = FALSE WHERE user_id = $1 AND is_default AND id <> $2",
    )
    .bind(user_id)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE addresses SET is_default = TRUE WHERE user_id = $1 AND id = $2")
        .bind(user_id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes an address; if it was the default, the most recently added one takes over.
pub async fn delete(db: &PgPool, user_id: UserId, id: AddressId) -> Result<(), IdentityError> {
    let mut tx = db.begin().await?;
    lock_user(&mut tx, user_id).await?;
    let was_default: Option<bool> = sqlx::query_scalar(
        "DELETE FROM addresses WHERE user_id = $1 AND id = $2 RETURNING is_default",
    )
    .bind(user_id)
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    match was_default {
        None => return Err(IdentityError::NotFound),
        Some(true) => {
            sqlx::query(
                "UPDATE addresses SET is_default = TRUE WHERE id =
                 (SELECT id FROM addresses WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1)",
            )
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        }
        Some(false) => {}
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn user(db: &PgPool, email: &str) -> UserId {
        crate::platform::testing::user(db, email).await
    }

    fn form(name: &str, make_default: bool) -> super::super::domain::AddressForm {
        super::super::domain::AddressForm {
            id: None,
            recipient_name: name.into(),
            phone: "01098765432".into(),
            postal_code: "06236".into(),
            address: "서울특별시 강남구 테헤란로 152".into(),
            address_detail: Some("12층".into()),
            label: Some("회사".into()),
            make_default: make_default.then(|| "on".into()),
            ..Default::default()
        }
    }

    fn addr(name: &str, make_default: bool) -> NewAddress {
        form(name, make_default)
            .try_into()
            .expect("a valid address")
    }

    async fn defaults(db: &PgPool, user_id: UserId) -> Vec<String> {
        list(db, user_id)
            .await
            .unwrap()
            .into_iter()
            .filter(|a| a.is_default)
            .map(|a| a.recipient_name)
            .collect()
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn exactly_one_default_through_add_switch_and_delete(db: PgPool) {
        let u = user(&db, "addr@example.com").await;
        let a = save(&db, u, None, addr("A", false)).await.unwrap();
        assert!(a.is_default, "first address becomes the default");
        assert_eq!(a.phone, "010-9876-5432");
        let b = save(&db, u, None, addr("B", false)).await.unwrap();
        assert!(!b.is_default);
        let c = save(&db, u, None, addr("C", true)).await.unwrap();
        assert_eq!(defaults(&db, u).await, vec!["C"]);
        set_default(&db, u, b.id).await.unwrap();
        assert_eq!(defaults(&db, u).await, vec!["B"]);
        delete(&db, u, b.id).await.unwrap();
        assert_eq!(
            defaults(&db, u).await,
            vec!["C"],
            "newest remaining takes over"
        );
        delete(&db, u, c.id).await.unwrap();
        assert_eq!(defaults(&db, u).await, vec!["A"]);
        delete(&db, u, a.id).await.unwrap();
        assert!(list(&db, u).await.unwrap().is_empty());
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn concurrent_default_switches_leave_exactly_one(db: PgPool) {
        let u = user(&db, "race@example.com").await;
        let mut ids = Vec::new();
        for i in 0..8 {
            ids.push(
                save(&db, u, None, addr(&format!("R{i}"), false))
                    .await
                    .unwrap()
                    .id,
            );
        }
        let mut tasks = Vec::new();
        for (i, id) in ids.iter().enumerate() {
            let db = db.clone();
            let id = *id;
            tasks.push(tokio::spawn(async move {
                if i % 2 == 0 {
                    set_default(&db, u, id).await
                } else {
                    save(&db, u, None, addr(&format!("N{i}"), true))
                        .await
                        .map(|_| ())
                }
            }));
        }
        for t in tasks {
            t.await.unwrap().unwrap();
        }
        assert_eq!(defaults(&db, u).await.len(), 1);
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn users_cannot_touch_each_others_addresses(db: PgPool) {
        let owner = user(&db, "owner@example.com").await;
        let other = user(&db, "other@example.com").await;
        let a = save(&db, owner, None, addr("A", false)).await.unwrap();
        assert!(matches!(
            delete(&db, other, a.id).await,
            Err(IdentityError::NotFound)
        ));
        assert!(matches!(
            set_default(&db, other, a.id).await,
            Err(IdentityError::NotFound)
        ));
        assert!(matches!(
            save(&db, other, Some(a.id), addr("X", false)).await,
            Err(IdentityError::NotFound)
        ));
        assert_eq!(list(&db, owner).await.unwrap().len(), 1);
    }

    #[test]
    fn bad_fields_are_named() {
        let mut input = form("", false);
        input.postal_code = "12".into();
        input.phone = "x".into();
        let fields = NewAddress::try_from(input).unwrap_err();
        let names: Vec<_> = fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(names, vec!["recipient_name", "phone", "postal_code"]);
    }
}
