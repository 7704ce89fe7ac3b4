# testdata-server and the `testdata` CLI in a minimal, non-root image.
#
#   docker build -t testdata-server:0.1.0 .
#   docker run --rm -p 9091:9091 -p 8091:8091 testdata-server:0.1.0
#
# Where no registry of base images is reachable, scripts/build-image.sh builds the same image
# with buildah from Debian packages on a debootstrap base.

# --- build ---------------------------------------------------------------------------------
FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked -p testdata-server --bins \
 && install -D -m 0755 target/release/testdata-server /out/testdata-server \
 && install -D -m 0755 target/release/testdata /out/testdata

# --- runtime -------------------------------------------------------------------------------
# glibc + CA certificates only (the LLM path calls HTTPS providers); no shell tools needed.
FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /out/testdata-server /out/testdata /usr/local/bin/
USER 10001:10001
EXPOSE 9091 8091
ENV HOST=0.0.0.0 GRPC_PORT=9091 HTTP_PORT=8091 LOG_FORMAT=json
# `testdata health` asks /health/ready over HTTP (no curl in the image).
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["/usr/local/bin/testdata", "health", "--addr", "127.0.0.1:8091"]
ENTRYPOINT ["/usr/local/bin/testdata-server"]
