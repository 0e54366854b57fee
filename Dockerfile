# syntax=docker/dockerfile:1
#
# quoteconnector image: a static Go binary on distroless (no shell, no
# package manager, runs as uid 65532 "nonroot"). The image also carries
# /distsim, the distributor simulators (deploy/docker-compose.yml runs it with
# --entrypoint /distsim).
#
#   docker build -t quoteconnector:dev .   (make docker also stamps the version)
#   docker run --rm -p 8080:8080 -e QC_SANDBOX=true quoteconnector:dev
#   (state: the SQLite file under the volume /var/lib/quoteconnector, or
#   PostgreSQL with -e QC_DATABASE_URL=postgres://... -e QC_STORE_KEY=...)
#
# Probes: distroless has no shell or curl, so there is no HEALTHCHECK here.
# Let the orchestrator probe over HTTP instead:
#   GET /healthz  liveness  (200 while the process serves)
#   GET /readyz   readiness (200 when ready, 503 while shutting down)
#   GET /metrics  Prometheus metrics
# (deploy/kubernetes/deployment.yaml wires these up.)

ARG GO_VERSION=1.26

# ---- build --------------------------------------------------------------
# Build on the builder's own platform and cross-compile for the target one
# (pure Go, CGO off), so multi-arch builds need no emulation.
FROM --platform=$BUILDPLATFORM golang:${GO_VERSION} AS build
ARG TARGETOS
ARG TARGETARCH
# Stamped into the binary (quoteconnector --version, qc_build_info, the
# console): make docker passes git describe and the commit.
ARG VERSION=dev
ARG COMMIT=unknown
WORKDIR /src
ENV CGO_ENABLED=0

# Module download in its own layer: it is rebuilt only when go.mod or go.sum
# change, not on every source edit.
COPY go.mod go.sum ./
RUN go mod download && go mod verify

COPY . .
RUN --mount=type=cache,target=/root/.cache/go-build \
    GOOS=${TARGETOS} GOARCH=${TARGETARCH} \
        go build -trimpath -ldflags="-s -w -X github.com/quoteconnector/quoteconnector/internal/buildinfo.version=${VERSION} -X github.com/quoteconnector/quoteconnector/internal/buildinfo.commit=${COMMIT}" \
            -o /out/quoteconnector ./cmd/quoteconnector && \
    GOOS=${TARGETOS} GOARCH=${TARGETARCH} \
        go build -trimpath -ldflags="-s -w" -o /out/distsim ./cmd/distsim && \
    mkdir -p /out/data

# ---- runtime ------------------------------------------------------------
# static-debian12 has CA certificates (HTTPS to the distributors), tzdata and
# /etc/passwd with the nonroot user; nothing else.
FROM gcr.io/distroless/static-debian12:nonroot
LABEL org.opencontainers.image.title="quoteconnector" \
      org.opencontainers.image.description="SuperOffice online REST quote connector for Logicom, Westcon and Nuvias"
COPY --from=build /out/quoteconnector /quoteconnector
COPY --from=build /out/distsim /distsim
# The embedded store (SQLite, QC_DATA_DIR) lives on a volume owned by the
# runtime user; with QC_DATABASE_URL set the state is in PostgreSQL and the
# folder stays empty.
COPY --from=build --chown=65532:65532 /out/data /var/lib/quoteconnector
ENV QC_DATA_DIR=/var/lib/quoteconnector
VOLUME /var/lib/quoteconnector
# Named user as in the distroless image; Kubernetes cannot check a named user
# against runAsNonRoot, so the manifests also set runAsUser 65532.
USER nonroot:nonroot
ENV QC_ADDR=:8080
EXPOSE 8080
ENTRYPOINT ["/quoteconnector"]
