//! Where uploaded files live: a folder on disk (configurable, served under `/media`), with a
//! `files` row per file. The key layout keeps any one folder small:
//! `{reference type}/{yyyy}/{mm}/{file id}.{ext}`.

use super::image::{process, Processed};
use super::{MediaError, URL_PREFIX};
use chrono::{Datelike, Utc};
use serde_json::json;
use sqlx::PgConnection;
use std::path::{Path, PathBuf};
use uuid::Uuid;

/// The storage folder and the upload limit.
#[derive(Clone, Debug)]
pub struct Storage {
    root: PathBuf,
    pub max_bytes: usize,
}

/// A stored image, as the `files` row describes it.
#[derive(Clone, Debug)]
pub struct StoredFile {
    pub id: Uuid,
    pub url: String,
    pub thumbnail_url: String,
    /// The original's and the thumbnail's keys, to remove if the caller rolls back.
    pub keys: Vec<String>,
}

/// One uploaded file and what it belongs to.
pub struct Upload<'a> {
    pub original_name: &'a str,
    pub uploaded_by: Option<crate::identity::UserId>,
    pub reference_type: &'a str,
    pub reference_id: Uuid,
}

impl Storage {
    pub fn new(root: impl Into<PathBuf>, max_bytes: usize) -> Self {
        Self {
            root: root.into(),
            max_bytes,
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn path(&self, key: &str) -> PathBuf {
        self.root.join(key)
    }

    /// Writes through a temporary name, so a reader never sees half a file.
    async fn write(&self, key: &str, bytes: &[u8]) -> std::io::Result<()> {
        let path = self.path(key);
        if let Some(dir) = path.parent() {
            tokio::fs::create_dir_all(dir).await?;
        }
        let tmp = path.with_extension("part");
        tokio::fs::write(&tmp, bytes).await?;
        tokio::fs::rename(&tmp, &path).await
    }

    /// Removes stored files; one already gone is not an error.
    pub async fn remove(&self, keys: &[String]) {
        for key in keys {
            match tokio::fs::remove_file(self.path(key)).await {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => tracing::warn!(error = %e, key, "could not remove a stored file"),
            }
        }
    }

    /// Checks, decodes, strips and thumbnails an upload on the blocking pool. Slow (up to a
    /// second for a large photo): call it before taking a database connection.
    pub async fn prepare_image(&self, bytes: Vec<u8>) -> Result<Processed, MediaError> {
        // A decoded photo can take hundreds of MiB; a few at a time keep memory bounded.
        static DECODING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);
        let _turn = tokio::time::timeout(std::time::Duration::from_secs(30), DECODING.acquire())
            .await
            .map_err(|_| MediaError::Busy)?
            .map_err(|e| MediaError::Io(std::io::Error::other(e)))?;
        let max = self.max_bytes;
        tokio::task::spawn_blocking(move || process(&bytes, max))
            .await
            .map_err(|e| MediaError::Io(std::io::Error::other(e)))?
    }

    /// Stores a prepared image with its thumbnail, and records it in `files`.
    pub async fn store_image(
        &self,
        conn: &mut PgConnection,
        up: Upload<'_>,
        processed: Processed,
    ) -> Result<StoredFile, MediaError> {
        let Processed {
            kind,
            width,
            height,
            original: bytes,
            thumbnail,
        } = processed;
        let id = Uuid::new_v4();
        let now = Utc::now();
        let dir = format!("{}/{:04}/{:02}", up.reference_type, now.year(), now.month());
        let key = format!("{dir}/{id}.{}", kind.ext());
        let thumb_key = format!("{dir}/{id}_thumb.jpg");
        let stored = StoredFile {
            id,
            url: format!("{URL_PREFIX}/{key}"),
            thumbnail_url: format!("{URL_PREFIX}/{thumb_key}"),
            keys: vec![key.clone(), thumb_key.clone()],
        };
        let written = async {
            self.write(&key, &bytes).await?;
            self.write(&thumb_key, &thumbnail).await?;
            sqlx::query(
                "INSERT INTO files (id, file_key, bucket, original_name, mime_type, size_bytes, url,
                    thumbnail_url, uploaded_by, reference_type, reference_id, metadata)
                 VALUES ($1, $2, 'local', $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            )
            .bind(id)
            .bind(&key)
            .bind(clean_name(up.original_name))
            .bind(kind.mime())
            .bind(bytes.len() as i64)
            .bind(&stored.url)
            .bind(&stored.thumbnail_url)
            .bind(up.uploaded_by)
            .bind(up.reference_type)
            .bind(up.reference_id)
            .bind(json!({ "width": width, "height": height, "thumbnailKey": thumb_key }))
            .execute(&mut *conn)
            .await?;
            Ok::<_, MediaError>(())
        }
        .await;
        if let Err(e) = written {
            self.remove(&stored.keys).await;
            return Err(e);
        }
        Ok(stored)
    }

    /// Deletes `files` rows and returns their keys (original and thumbnail), to remove from
    /// disk once the transaction has committed.
    pub async fn forget(conn: &mut PgConnection, ids: &[Uuid]) -> Result<Vec<String>, MediaError> {
        let rows: Vec<(String, Option<String>)> = sqlx::query_as(
            "DELETE FROM files WHERE id = ANY($1) RETURNING file_key, metadata->>'thumbnailKey'",
        )
        .bind(ids)
        .fetch_all(conn)
        .await?;
        Ok(rows
            .into_iter()
            .flat_map(|(k, t)| std::iter::once(k).chain(t))
            .collect())
    }
}

/// The name as the uploader's computer called it, without any path, for display only.
fn clean_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default().trim();
    let name: String = base.chars().filter(|c| !c.is_control()).take(255).collect();
    if name.is_empty() {
        "image".to_owned()
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::clean_name;

    #[test]
    fn original_names_lose_their_paths() {
        assert_eq!(clean_name("C:\\Users\\kim\\사진.png"), "사진.png");
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("  "), "image");
    }
}
