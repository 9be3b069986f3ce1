#!/usr/bin/env bash
# Restore an archive made by scripts/backup.sh into a NEW database on the same server, after
# checking its checksum. It never writes into a database that exists: point the app at the
# new one once it is checked (docs/runbook.md, "Backup and restore").
#
# Usage: scripts/restore.sh ARCHIVE NEW_DB_NAME
# Reads: DATABASE_URL (the server to restore to; its database name is ignored;
#        default: the local dev server).
# Prints the new database's URL on stdout.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

archive="${1:?usage: scripts/restore.sh ARCHIVE NEW_DB_NAME}"
new_db="${2:?usage: scripts/restore.sh ARCHIVE NEW_DB_NAME}"
[[ "$new_db" =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || die "NEW_DB_NAME must be lower-case letters, digits and _ (got '$new_db')"
[[ -f "$archive" ]] || die "no archive at $archive"
if [[ -z "${DATABASE_URL:-}" ]]; then
    source "$ROOT/scripts/services.sh" dev
fi
need_cmd pg_restore "Install the PostgreSQL client (apt-get install postgresql-client)."

step "Checking $(basename "$archive")"
if [[ -f "$archive.sha256" ]]; then
    (cd "$(dirname "$archive")" && sha256sum --check --quiet "$(basename "$archive").sha256") ||
        die "checksum mismatch: the archive is damaged or was changed"
    ok "checksum matches"
else
    die "no checksum at $archive.sha256; refusing an archive that cannot be checked"
fi
pg_restore --list "$archive" >/dev/null || die "the archive does not read"

admin="$(_url_with_path "$DATABASE_URL" postgres)"
target="$(_url_with_path "$DATABASE_URL" "$new_db")"
exists="$(psql "$admin" -XAtqc "SELECT 1 FROM pg_database WHERE datname = '$new_db'")"
[[ -z "$exists" ]] || die "database $new_db already exists; restore into a new name"

step "Restoring into $new_db"
psql "$admin" -XqAt -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$new_db\"" >/dev/null
# One transaction: a failed restore leaves an empty database, never half a one.
if ! pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
    --dbname="$target" "$archive"; then
    psql "$admin" -XqAt -c "DROP DATABASE IF EXISTS \"$new_db\"" >/dev/null || true
    die "restore failed; $new_db was dropped"
fi
migration="$(psql "$target" -XAtqc 'SELECT max(version) FROM _sqlx_migrations')"
tables="$(psql "$target" -XAtqc "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")"
ok "restored: $tables tables, schema at migration $migration"
printf '%s\n' "$target"
