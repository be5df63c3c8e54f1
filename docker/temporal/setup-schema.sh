#!/bin/sh
# One-shot (temporalio/admin-tools): creates or upgrades Temporal's two databases on PostgreSQL, before the server
# starts. The pattern of temporalio/samples-server's compose files, which replaced the deprecated auto-setup image.
# Safe to run at every `docker compose up`: `create` ignores an existing database, `setup-schema -v 0.0` leaves a
# newer schema alone, and `update-schema` applies only the versions that are missing (so upgrading the server image
# tag upgrades the schema too).
# Connection settings come from SQL_HOST, SQL_PORT, SQL_USER and SQL_PASSWORD (read by temporal-sql-tool itself, so the
# password never appears in a process list).
set -eu

PLUGIN=${SQL_PLUGIN:-postgres12}
SCHEMA_DIR=/etc/temporal/schema/postgresql/v12

echo "waiting for PostgreSQL at ${SQL_HOST}:${SQL_PORT}"
tries=0
until nc -z -w 5 "$SQL_HOST" "$SQL_PORT"; do
  tries=$((tries + 1))
  if [ "$tries" -ge 30 ]; then
    echo "PostgreSQL did not open ${SQL_HOST}:${SQL_PORT}" >&2
    exit 1
  fi
  sleep 2
done

for db in temporal:temporal temporal_visibility:visibility; do
  name=${db%%:*}
  dir=${db##*:}
  echo "schema of database ${name}"
  temporal-sql-tool --plugin "$PLUGIN" --ep "$SQL_HOST" -p "$SQL_PORT" --db "$name" create
  temporal-sql-tool --plugin "$PLUGIN" --ep "$SQL_HOST" -p "$SQL_PORT" --db "$name" setup-schema -v 0.0
  temporal-sql-tool --plugin "$PLUGIN" --ep "$SQL_HOST" -p "$SQL_PORT" --db "$name" update-schema -d "${SCHEMA_DIR}/${dir}/versioned"
done

echo "Temporal schema is up to date"
