# The service in a container: built in one stage, run compiled as a non-root user in the next.
# See docs/operations.md ("Containers") for how to run it and what has been checked.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/subgraph/package.json packages/subgraph/
COPY packages/client/package.json packages/client/
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/copy-assets.js scripts/
COPY packages packages
COPY src src
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/packages/subgraph/package.json packages/subgraph/
COPY --from=build /app/packages/subgraph/dist packages/subgraph/dist
COPY --from=build /app/dist dist
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s CMD ["node", "-e", "fetch('http://127.0.0.1:4000/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The command `npm run start:prod` runs, without npm in between, so SIGTERM reaches the service.
CMD ["node", "dist/src/main.js"]
