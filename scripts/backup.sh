#!/usr/bin/env bash
# Back up the database: a pg_dump custom-format archive named by its UTC time, with a
# SHA-256 checksum beside it, checked readable before the script says it is done.
#
# Usage: scripts/backup.sh [OUT_DIR]
#   OUT_DIR  where archives go (default: $BACKUP_DIR, else ./backups)
# Reads: DATABASE_URL (default: the local dev database, as scripts/run.sh uses it),
#        BACKUP_KEEP (default 7: archives kept in OUT_DIR, oldest deleted first; 0 keeps all).
# Prints the archive's path on stdout. See docs/runbook.md, "Backup and restore".
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

out="${1:-${BACKUP_DIR:-$ROOT/backups}}"
keep="${BACKUP_KEEP:-7}"
[[ "$keep" =~ ^[0-9]+$ ]] || die "BACKUP_KEEP must be a whole number (got '$keep')"
if [[ -z "${DATABASE_URL:-}" ]]; then
    source "$ROOT/scripts/services.sh" dev
fi
need_cmd pg_dump "Install the PostgreSQL client (apt-get install postgresql-client)."
need_cmd sha256sum "Install coreutils."

db="$(_url_path "$DATABASE_URL")"
[[ -n "$db" ]] || die "no database name in $(_redact "$DATABASE_URL")"
mkdir -p "$out"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
file="$out/$db-$stamp.dump"
[[ ! -e "$file" ]] || die "$file already exists"

step "Dumping $db to $file"
# Custom format: compressed, and pg_restore can pick tables out of it. One snapshot, so the
# archive is consistent while the app keeps writing.
pg_dump --format=custom --compress=6 --no-owner --no-privileges \
    --file="$file.partial" "$DATABASE_URL"
# Readable from end to end before it counts as a backup.
pg_restore --list "$file.partial" >/dev/null || die "the archive does not read back"
mv "$file.partial" "$file"
(cd "$out" && sha256sum "$(basename "$file")" >"$(basename "$file").sha256")
ok "$(du -h "$file" | cut -f1) archive, checksum in $file.sha256"

if ((keep > 0)); then
    mapfile -t old < <(ls -1 "$out/$db"-*.dump 2>/dev/null | sort | head -n "-$keep")
    for f in "${old[@]}"; do
        info "deleting old archive $(basename "$f")"
        rm -f "$f" "$f.sha256"
    done
fi
printf '%s\n' "$file"
