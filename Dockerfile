# syntax=docker/dockerfile:1
# Tally as one container: the Next.js app, started by scripts/start.ts (configuration check,
# migrations, then `next start`). Give it DATABASE_URL (docker-compose.yml does): with it no
# embedded PostgreSQL is started in the container.
#
#   docker build -t tally .
#   docker run -p 3000:3000 -e DATABASE_URL=postgresql://… -e TALLY_AUTH_SECRET=$(openssl rand -hex 32) tally

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- dependencies: only the manifests, so this layer is rebuilt only when they change ----------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1
# The npm that wrote the lockfile. npm 11 runs dependency install scripts only when package.json's
# `allowScripts` approves them (the bundled npm 10 would run them all, e.g. Prisma's engine download).
ARG NPM_VERSION=11.19.1
RUN npm install -g npm@${NPM_VERSION} --no-audit --no-fund
COPY package.json package-lock.json .npmrc prisma.config.ts ./
COPY prisma ./prisma
# `npm install`, not `npm ci`: the lockfile lacks some macOS/Windows builds of platform packages (see
# .ci/run), which `npm ci` refuses; `npm install` still installs exactly the locked versions (the
# Linux x64 and arm64 builds are in the lockfile). Its postinstall runs `prisma generate` (hence
# prisma/ and prisma.config.ts above).
RUN npm install --no-audit --no-fund

# ---- build: the production Next.js build, then drop the development dependencies --------------
FROM deps AS build
COPY . .
# The last `touch`: scripts/start.ts rebuilds when a source file is newer than .next/BUILD_ID, and
# the runtime image can't build (no dev dependencies), so the build must be the newest file.
RUN npx next build \
 && npm prune --omit=dev --no-save --no-audit --no-fund \
 && rm -rf .next/cache .tally \
 && touch .next/BUILD_ID

# ---- runtime ----------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    CHECKPOINT_DISABLE=1 \
    PORT=3000 \
    TALLY_HOME=/app/.tally
# Code and dependencies stay root-owned (read-only for the app); the app writes only its caches and
# TALLY_HOME (mount a volume there to keep it).
COPY --from=build /app ./
RUN mkdir -p .next/cache .tally && chown -R node:node .next/cache .tally
# The image's `node` user, numerically so that runAsNonRoot-style checks can verify it.
USER 1000:1000
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Headless administration in a running container:
#   docker compose exec tally-1 npm run admin -- create-user --email you@example.com --password '…' --admin
# What `npm start` runs (`tsx scripts/start.ts`), as one process that receives `docker stop`'s SIGTERM
# itself: `npx tsx …` would exit on SIGTERM without passing it on, orphaning the Next.js server.
CMD ["node", "--import", "tsx", "scripts/start.ts"]
