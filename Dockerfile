# redlua as a CI service container: `docker build -t redlua .` then `docker run -p 6379:6379 redlua`.
# Configuration by arguments (`docker run redlua --requirepass s3cret`) or by a mounted redis.conf
# (`-v ./redis.conf:/usr/local/etc/redis/redis.conf redlua /usr/local/etc/redis/redis.conf`).

# --- build: compile the TypeScript and pack the npm package, exactly what `npm pack` ships
FROM node:20.20.2-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json LICENSE README.md ./
COPY src ./src
COPY scripts/bundle.mjs ./scripts/bundle.mjs
COPY wasm ./wasm
RUN npm run build && npm pack --pack-destination /tmp && mv /tmp/redlua-*.tgz /tmp/redlua.tgz

# --- runtime: the packed package installed globally, no compiler, no dev dependencies
FROM node:20.20.2-bookworm-slim
ENV NODE_ENV=production
COPY --from=build /tmp/redlua.tgz /tmp/redlua.tgz
RUN npm install --global --no-audit --no-fund /tmp/redlua.tgz \
 && rm /tmp/redlua.tgz && npm cache clean --force \
 && mkdir -p /data /etc/redlua /usr/local/etc/redis && chown node:node /data
COPY docker/redlua.conf /etc/redlua/redlua.conf
COPY docker/entrypoint.sh /usr/local/bin/docker-entrypoint.sh
USER node
WORKDIR /data
EXPOSE 6379
HEALTHCHECK --interval=5s --timeout=3s --start-period=10s --retries=5 CMD ["redlua-server", "--ping"]
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["redlua-server"]
