# threaddesk in a container: `docker build -t threaddesk .`
# One process on SQLite: docker run --env-file .env -p 3000:3000 -v threaddesk-data:/app/data threaddesk
# Several replicas on PostgreSQL: compose.yaml.

ARG NODE_IMAGE=node:20-bookworm-slim

# Compilers for better-sqlite3, which builds from source when its prebuilt binary cannot be fetched.
FROM ${NODE_IMAGE} AS toolchain
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# whatsapp-web.js pulls in puppeteer: .puppeteerrc.cjs stops it downloading a browser.
COPY package.json package-lock.json .puppeteerrc.cjs ./

# The runtime's node_modules: production dependencies only, native modules built here.
FROM toolchain AS deps
RUN npm ci --omit=dev --no-audit --no-fund

# The build: every dependency, then TypeScript to dist/.
FROM toolchain AS build
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src src
COPY adapters adapters
COPY migrations migrations
RUN npm run build

FROM ${NODE_IMAGE}
# Report charts are drawn in the process: their text needs a font.
RUN apt-get update \
  && apt-get install -y --no-install-recommends fonts-dejavu-core \
  && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production PORT=3000 DATABASE_URL=file:/app/data/threaddesk.db
WORKDIR /app
COPY --from=deps /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY package.json ./
# The SQLite database lives in /app/data (a volume); the image runs as the unprivileged `node` user.
RUN mkdir -p data && chown node:node data
USER node
VOLUME /app/data
EXPOSE 3000
# Liveness: the event loop answers. Readiness (/readyz) says whether it can do its work.
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The variables and node options of `npm start` (test/start-command.test.ts keeps them alike;
# README says why).
ENV MALLOC_ARENA_MAX=2
CMD ["node", "--max-semi-space-size=4", "--heap-growing-percent=35", "dist/src/main.js"]
