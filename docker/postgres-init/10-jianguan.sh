#!/bin/bash
# First start of the PostgreSQL volume only (docker-entrypoint-initdb.d): the roles of the two tenants of this server.
#   temporal — Temporal's persistence; CREATEDB so that temporal-sql-tool creates `temporal` and `temporal_visibility`
#              itself (docker/temporal/setup-schema.sh), exactly as on a managed PostgreSQL.
#   jianguan — the record system (ledger), owner of its own database; the worker runs its migrations on start.
# Passwords come from the environment of the postgres service (docker-compose.yml). Changing them later does NOT
# change existing roles: run ALTER ROLE … PASSWORD, or recreate the volume.
set -euo pipefail

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  --set temporal_password="${TEMPORAL_DB_PASSWORD:?TEMPORAL_DB_PASSWORD is not set}" \
  --set jianguan_password="${JIANGUAN_DB_PASSWORD:?JIANGUAN_DB_PASSWORD is not set}" <<'EOSQL'
CREATE ROLE temporal LOGIN CREATEDB PASSWORD :'temporal_password';
CREATE ROLE jianguan LOGIN PASSWORD :'jianguan_password';
CREATE DATABASE jianguan OWNER jianguan ENCODING 'UTF8' TEMPLATE template0;
EOSQL

echo "jianguan: created roles temporal, jianguan and database jianguan"
