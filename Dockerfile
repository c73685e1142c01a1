# 支部助手 on Node 20 (docs/operations.md: 用容器运行). Two stages: the build stage has the compiler
# toolchain (better-sqlite3 compiles from source wherever no prebuilt binary can be fetched) and
# compiles the TypeScript to dist/; the image that runs holds the compiled JavaScript, the
# production packages and the shipped files, runs as the unprivileged `node` user and keeps the
# database and its backups on a volume.

FROM node:20-bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/storage/migrations ./storage/migrations
COPY --from=build /app/data ./data
ENV ZHIBU_DB=/var/lib/zhibu/zhibu.db \
    ZHIBU_BACKUP_DIR=/var/lib/zhibu/backups \
    ZHIBU_LOG=json \
    PORT=8787
RUN mkdir -p /var/lib/zhibu/backups && chown -R node:node /var/lib/zhibu
USER node
VOLUME ["/var/lib/zhibu"]
EXPOSE 8787
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM (docker stop) closes the long connections, lets work in flight finish and closes the
# database within 8 s, under Docker's default 10 s before SIGKILL.
STOPSIGNAL SIGTERM
CMD ["node", "dist/node.js"]
