# syntax=docker/dockerfile:1
# arxiv-digest api (gRPC DigestService, digest web site, profile fan-out)
# and its command-line client arxivctl: built from this repository with
# Debian bookworm's own packages (the same ones scripts/install_deps.sh
# installs), run as a non-root user on bookworm-slim. From the repository
# root:
#   docker build -f deploy/docker/api.Dockerfile -t arxiv-digest/api:local .
# arxivctl is in the image for operators:
#   docker compose exec api arxivctl --server localhost:50051 --token T status RUN_ID
# deploy/validate.sh checks the CMake targets, the binary paths and that the
# runtime packages cover what both built binaries link (ldd).

FROM debian:bookworm AS build
ARG BUILD_PACKAGES="build-essential cmake ninja-build pkg-config libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler libabsl-dev libhiredis-dev libcpp-httplib-dev libssl-dev rapidjson-dev prometheus-cpp-dev libpugixml-dev"
RUN apt-get update \
 && apt-get install -y --no-install-recommends $BUILD_PACKAGES \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Only what the service build reads: a change in tests/ or deploy/ does not
# invalidate this layer.
COPY CMakeLists.txt ./
COPY proto proto
COPY lib lib
COPY services services
COPY tools tools
RUN cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DARXIV_DIGEST_BUILD_TESTS=OFF -DARXIV_DIGEST_BUILD_BENCH=OFF \
 && cmake --build build --target api arxivctl \
 && strip build/services/api/api build/tools/arxivctl/arxivctl

FROM debian:bookworm-slim
# What the two binaries link (checked with ldd by deploy/validate.sh), plus
# ca-certificates for arxivctl --tls against a public CA.
ARG RUNTIME_PACKAGES="ca-certificates libc6 libgcc-s1 libstdc++6 zlib1g libabsl20220623 libbrotli1 libc-ares2 libcpp-httplib0.11 libhiredis0.14 libprometheus-cpp-core1.0 libssl3 libgrpc++1.51 libgrpc29 libprotobuf32 libre2-9"
RUN apt-get update \
 && apt-get install -y --no-install-recommends $RUNTIME_PACKAGES \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 arxiv \
 && useradd --system --uid 10001 --gid arxiv --no-create-home \
      --home-dir /nonexistent --shell /usr/sbin/nologin arxiv
COPY --from=build /src/build/services/api/api /usr/local/bin/api
COPY --from=build /src/build/tools/arxivctl/arxivctl /usr/local/bin/arxivctl
# Default configuration; Kubernetes mounts its ConfigMap over it.
COPY configs /etc/arxiv-digest/configs
# Numeric, so Kubernetes' runAsNonRoot can verify it.
USER 10001:10001
ENV LOG_FORMAT=json
# gRPC (DigestService, grpc.health.v1, reflection) and the web page.
EXPOSE 50051 8080
# Admin port: /metrics, /healthz, /readyz.
EXPOSE 9104
ENTRYPOINT ["/usr/local/bin/api"]
CMD ["--configs", "/etc/arxiv-digest/configs", "--grpc-port", "50051", "--web-port", "8080", "--admin-port", "9104"]
