# The operator's image: `docker build -t oda-apim-operator:0.1.0 .` (README: "Deploying to AKS").
#
# Three stages: the TypeScript build with every dependency, the production dependencies alone, and the runtime:
# distroless Node.js 24 (Debian 12, the same C library as the build stages), which has no shell and no package
# manager, so nothing in the image can be used but Node itself; it runs as the distroless nonroot user (65532).
# test/container/Image.test.ts checks this file's stages and runs its start command from a production-only install.

# ---- build: compile src/ to dist/src/ ----
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# no install scripts: nothing the build needs runs one (the project's allowScripts are for the test tools)
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# ---- dependencies: production ones only ----
FROM node:24-bookworm-slim AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# ---- runtime ----
FROM gcr.io/distroless/nodejs24-debian12:nonroot
WORKDIR /app
ENV NODE_ENV=production
COPY --from=dependencies /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
# package.json marks dist/ as ES modules and anchors the package root; k8s/ holds the CRD that `crd` prints
COPY package.json ./
COPY k8s ./k8s
USER 65532:65532
# probes and metrics (PROBE_PORT)
EXPOSE 8080
# exec form: Node is PID 1 and receives SIGTERM itself, so shutdown is graceful
ENTRYPOINT ["/nodejs/bin/node", "--enable-source-maps", "dist/src/main.js"]
CMD ["run"]
