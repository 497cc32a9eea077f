# syntax=docker/dockerfile:1
# arxiv-digest scorer: built from this repository with Debian bookworm's own
# packages (the same ones scripts/install_deps.sh installs), run as a
# non-root user on bookworm-slim. Build from the repository root:
#   docker build -f deploy/docker/scorer.Dockerfile -t arxiv-digest/scorer:local .
# deploy/validate.sh checks the CMake target, the binary path and that the
# runtime packages cover what the built binary links (ldd).

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
 && cmake --build build --target scorer \
 && strip build/services/scorer/scorer

FROM debian:bookworm-slim
# What the binary links (checked with ldd by deploy/validate.sh), plus
# ca-certificates for HTTPS and gRPC/protobuf for the services' gRPC API.
ARG RUNTIME_PACKAGES="ca-certificates libc6 libgcc-s1 libstdc++6 zlib1g libabsl20220623 libbrotli1 libcpp-httplib0.11 libhiredis0.14 libprometheus-cpp-core1.0 libpugixml1v5 libssl3 libgrpc++1.51 libprotobuf32"
RUN apt-get update \
 && apt-get install -y --no-install-recommends $RUNTIME_PACKAGES \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 arxiv \
 && useradd --system --uid 10001 --gid arxiv --no-create-home \
      --home-dir /nonexistent --shell /usr/sbin/nologin arxiv
COPY --from=build /src/build/services/scorer/scorer /usr/local/bin/scorer
# Default configuration; Kubernetes mounts its ConfigMap over it.
COPY configs /etc/arxiv-digest/configs
# Numeric, so Kubernetes' runAsNonRoot can verify it.
USER 10001:10001
ENV LOG_FORMAT=json
# Admin port: /metrics, /healthz, /readyz.
EXPOSE 9102
ENTRYPOINT ["/usr/local/bin/scorer"]
CMD ["--configs", "/etc/arxiv-digest/configs", "--admin-port", "9102"]
