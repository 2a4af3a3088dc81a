# syntax=docker/dockerfile:1
#
# tg-canary container image.
#
#   docker build -t tg-canary .                          # slim image (no Chromium)
#   docker build -t tg-canary:chromium --build-arg WITH_CHROMIUM=1 .   # + Debian chromium for PDF reports and web: steps
#   docker run --init --rm -v tg-canary-data:/data -v "$PWD/reports:/reports" --env-file .env tg-canary run
#
# KEEP IN STEP with scripts/prod-install-check.sh: no Docker engine runs in CI, so that script repeats the
# production install below (npm ci --omit=dev over the build output, in a temporary directory) and starts the CLI
# from there. Change one, change the other.

ARG NODE_IMAGE=node:20-bookworm-slim
# 0 = slim image; 1 = adds Debian's chromium and sets CHROMIUM_PATH.
ARG WITH_CHROMIUM=0

# ---------------------------------------------------------------- build: dev dependencies, tsc + CLI bundle, native modules
# (the CLI bundle holds the sandbox package's code too: the runtime needs no packages/ folder)
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# better-sqlite3 compiles here when no prebuilt binary matches (python3, make, g++); the runtime needs none of them.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# the workspace packages' manifests (packages/*: the sandbox), so npm ci links them
COPY packages/sandbox/package.json ./packages/sandbox/package.json
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/bundle-cli.mjs ./scripts/bundle-cli.mjs
COPY packages ./packages
COPY src ./src
RUN npm run build
# Same result as the check script's fresh `npm ci --omit=dev`: production dependencies only, native build kept.
RUN npm prune --omit=dev --no-audit --no-fund

# ---------------------------------------------------------------- runtime bases (chosen by WITH_CHROMIUM)
FROM ${NODE_IMAGE} AS runtime-chromium-0

FROM ${NODE_IMAGE} AS runtime-chromium-1
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium fonts-liberation fonts-noto-color-emoji \
 && rm -rf /var/lib/apt/lists/*
ENV CHROMIUM_PATH=/usr/bin/chromium

# ---------------------------------------------------------------- runtime
FROM runtime-chromium-${WITH_CHROMIUM} AS runtime
ENV NODE_ENV=production \
    TG_CANARY_DB=/data/tg-canary.db \
    REPORTS_DIR=/reports \
    SCENARIOS_DIR=/app/scenarios \
    SERVE_PORT=8080
WORKDIR /app
RUN groupadd --system --gid 10001 tgcanary \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin tgcanary \
 && mkdir -p /data /reports \
 && chown 10001:10001 /data /reports
COPY --from=build --chown=0:0 /app/package.json ./package.json
COPY --from=build --chown=0:0 /app/node_modules ./node_modules
COPY --from=build --chown=0:0 /app/dist ./dist
COPY --chown=0:0 scenarios ./scenarios
# Code stays root-owned and read-only for the runtime user; only /data, /reports and /tmp are written.
USER 10001:10001
VOLUME ["/data", "/reports"]
EXPOSE 8080
# For `serve` (the default command). One-shot `run` containers exit before the first check, so it never matters there;
# Kubernetes ignores HEALTHCHECK and uses the probes in k8s/deployment.yaml. No curl in slim images: Node's fetch.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.SERVE_PORT||8080)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Node runs as PID 1 and the CLI handles SIGTERM/SIGINT itself (a run in flight is finished or recorded as aborted).
# PID 1 does not reap orphaned grandchildren, which Chromium can leave behind: use `docker run --init` (tini), or
# Kubernetes' shareProcessNamespace, when the Chromium variant runs web: steps or PDF reports.
ENTRYPOINT ["node", "dist/cli/main.js"]
CMD ["serve"]
