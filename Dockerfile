# Multi-stage build: compile with dev dependencies, run with production ones only, as a non-root user.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
RUN npm run build

# The demo profile's Magento stand-in, webhook viewer and publisher (TypeScript run with tsx).
FROM build AS demo
COPY fixtures ./fixtures
COPY demo ./demo
COPY magento-module/etc ./magento-module/etc
USER node
ENTRYPOINT ["npx", "--no-install", "tsx"]

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
# V8 sizes the heap from the machine's memory and collects lazily: under a steady delivery load the
# sidecar's RSS reached 215 MB over 400,000 deliveries without a cap. A 128 MB old space holds it
# at 136 MB in scenario 1 and 143 MB over a million (npm run bench, scenarios 1 and 6, 2026-12-06)
# at no measurable throughput cost. The cap is a trade: the live set is about TRIGGER_PREFETCH ×
# payload size plus DELIVERY_CONCURRENCY × body size, so a store with very large payloads (B2B
# orders of thousands of lines) must raise it (the process would exit on heap exhaustion; its
# unacked messages are redelivered, nothing is lost).
# bench/lib/sidecarProcess.ts runs the sidecar with the same flag. Under a cap this small V8 would
# also let the heap grow by only 1.3x between full GCs (one every ~150 ms at 2,500 deliveries/s),
# so the sidecar sets --heap-growing-percent=100 itself at start (src/lifecycle/heapGrowth.ts;
# NODE_OPTIONS cannot carry that flag): RSS peaks about 20 MB higher (159-162 MB in scenarios 1
# and 6, 2026-12-07).
ENV NODE_OPTIONS=--max-old-space-size=128
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
USER node
EXPOSE 8080
ENTRYPOINT ["node", "dist/cli.js"]
CMD ["run"]
