#!/usr/bin/env bash
# The backup drill: back up a database, restore the archive into a new one, and prove the
# copy is whole: every table has the same rows (compared by count and by an md5 of its
# rows in key order), the schema is at the same migration, and the audit log still refuses
# changes. Then the copy is dropped. scripts/test.sh runs it on the browser tests' database.
#
# Usage: scripts/backup-drill.sh DATABASE_URL [SERVER_BIN]
#   SERVER_BIN  the server binary: `SERVER_BIN migrate` runs on the copy before the comparison,
#               as a restore of an older archive would (default: target/debug/server if built)
# The database must be quiet while the drill runs (nothing writing), or the comparison fails.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

src="${1:?usage: scripts/backup-drill.sh DATABASE_URL [SERVER_BIN]}"
server_bin="${2:-$ROOT/target/debug/server}"
work="$(mktemp -d)"
copy_db="jangteo_drill_$$"
admin="$(_url_with_path "$src" postgres)"
cleanup() {
    psql "$admin" -XqAt -c "DROP DATABASE IF EXISTS \"$copy_db\" WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

archive="$(DATABASE_URL="$src" BACKUP_KEEP=0 "$ROOT/scripts/backup.sh" "$work")"
copy="$(DATABASE_URL="$src" "$ROOT/scripts/restore.sh" "$archive" "$copy_db")"

# Bring the copy's schema forward, as after restoring an older archive (a no-op here: the
# same migrations), and prove the migrator accepts what the restore made.
if [[ -x "$server_bin" ]]; then
    DATABASE_URL="$copy" "$server_bin" migrate >/dev/null || die "migrate failed on the restored copy"
    ok "migrations run on the restored copy"
fi

# A damaged archive must be refused before anything is created.
cp "$archive" "$work/damaged.dump"
cp "$archive.sha256" "$work/damaged.dump.sha256"
sed -i "s/$(basename "$archive")/damaged.dump/" "$work/damaged.dump.sha256"
printf 'x' | dd of="$work/damaged.dump" bs=1 seek=2000 conv=notrunc status=none
if DATABASE_URL="$src" "$ROOT/scripts/restore.sh" "$work/damaged.dump" "${copy_db}_bad" >/dev/null 2>&1; then
    die "a damaged archive was restored"
fi
ok "a damaged archive is refused"

# Every table's rows, fingerprinted: md5 over the rows as text in a fixed order.
fingerprint() {
    psql "$1" -XAtq -v ON_ERROR_STOP=1 -c "
        SELECT format('SELECT %L || '' '' || count(*) || '' '' || coalesce(md5(string_agg(t::text, '','' ORDER BY t::text)), ''-'') FROM %I.%I t',
                      schemaname || '.' || tablename, schemaname, tablename)
        FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')
        ORDER BY schemaname, tablename" |
        while IFS= read -r query; do psql "$1" -XAtq -c "$query"; done
}
step "Comparing every table"
fingerprint "$src" >"$work/source.txt"
fingerprint "$copy" >"$work/copy.txt"
if ! diff -u "$work/source.txt" "$work/copy.txt"; then
    die "the restored copy differs from the source"
fi
rows="$(awk '{ s += $2 } END { print s }' "$work/copy.txt")"
ok "$(wc -l <"$work/copy.txt") tables, $rows rows, identical"

# The copy keeps the audit log's guard. TRUNCATE's trigger fires even on an empty log, where
# an UPDATE would touch no row and prove nothing.
if psql "$copy" -XAtq -v ON_ERROR_STOP=1 -c "TRUNCATE audit_logs" >/dev/null 2>&1; then
    die "the restored audit log accepted a TRUNCATE"
fi
ok "the restored audit log still refuses changes"
