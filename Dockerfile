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
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
USER node
EXPOSE 8080
ENTRYPOINT ["node", "dist/cli.js"]
CMD ["run"]
