# The operator's image: `docker build -t oda-apim-operator:0.1.0 .` (README: "Deploying to AKS").
#
# Two stages: the build with every dependency (type check, then one bundle of the code and the production
# dependencies it imports: scripts/Bundle.ts), and the runtime: distroless Node.js 24 (Debian 12), which has no
# shell and no package manager, so nothing in the image can be used but Node itself; it runs as the distroless
# nonroot user (65532). The bundle needs no node_modules, and loads in a fraction of the memory some 2,000 module
# files would take. test/container/Image.test.ts checks this file's stages and runs the bundle as the image holds it.

# ---- build: type-check src/ and bundle it into dist/ ----
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# no install scripts: nothing the build needs runs one (esbuild finds its binary in its platform package)
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
RUN npm run build

# ---- runtime ----
FROM gcr.io/distroless/nodejs24-debian12:nonroot
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/dist ./dist
# package.json marks dist/ as ES modules and anchors the package root; k8s/ holds the CRD that `crd` prints
COPY package.json ./
COPY k8s ./k8s
USER 65532:65532
# probes and metrics (PROBE_PORT)
EXPOSE 8080
# exec form: Node is PID 1 and receives SIGTERM itself, so shutdown is graceful
ENTRYPOINT ["/nodejs/bin/node", "dist/main.js"]
CMD ["run"]
