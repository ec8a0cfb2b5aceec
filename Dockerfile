# syntax=docker/dockerfile:1
# Build stage: compile TypeScript and bundle the web pages; native modules build here too.
FROM node:24-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig*.json ./
COPY scripts ./scripts
COPY src ./src
COPY public ./public
COPY config ./config
RUN npm run build && npm prune --omit=dev

# Runtime stage: only the build output, production dependencies and static files.
FROM node:24-slim
ENV NODE_ENV=production \
    PORT=3000 \
    SHINE_DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/public ./public
COPY --from=build /app/config ./config
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Exec form: node runs as PID 1 and gets SIGTERM directly, so it can stop gracefully.
CMD ["node", "dist/src/main.js"]
