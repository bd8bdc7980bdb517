# Hallway: node bin/hallway.mjs serve, with the embedded store in the /data volume unless
# EVENTSTORE_URL points at EventStoreDB (see docker-compose.yml).
FROM node:24-bookworm-slim AS deps
WORKDIR /app
# Node 24 (LTS) loads better-sqlite3 13, which ships its binaries; @node-rs/argon2 too. The tool chain
# builds better-sqlite3 12, an optional dependency only Node 20 uses (src/store/sqlite-driver.ts)
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    PORT=3000 \
    HALLWAY_DATA_DIR=/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
# tsx runs the TypeScript sources directly (no build step); tsconfig.json carries the JSX settings
COPY package.json tsconfig.json ./
COPY bin ./bin
COPY src ./src
COPY events ./events
COPY views ./views
COPY public ./public
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/').then(r=>process.exit(r.status<500?0:1),()=>process.exit(1))"]
CMD ["node", "--max-semi-space-size=8", "bin/hallway.mjs", "serve"]
