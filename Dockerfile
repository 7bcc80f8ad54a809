# syntax=docker/dockerfile:1
# Rapport in a container. Build: `docker build -t rapport .`; run: see
# docs/DEPLOYMENT.md.

FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
# The cache mounts keep crates.io downloads and compiled dependencies between
# builds. A cache mount is not part of the image, hence the copy out of
# target/ in the same step.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked -p rapport-cli \
    && install -m 0755 target/release/rapport /usr/local/bin/rapport

FROM debian:bookworm-slim
# The binary needs only glibc and libgcc_s. SQLite is compiled in (sqlx's
# bundled libsqlite3-sys), and so are the templates, assets and migrations.
# SMTP and webhook TLS use rustls with its own compiled-in roots
# (webpki-roots), so ca-certificates is not needed. curl is here only for
# HEALTHCHECK, because rapport has no health-check subcommand.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*
# A fixed uid, so that a bind-mounted data directory can be chowned to it
# ahead of time, and so that `runAsNonRoot` can check it.
RUN groupadd --system --gid 10001 rapport \
    && useradd --system --uid 10001 --gid rapport --home-dir /var/lib/rapport \
       --shell /usr/sbin/nologin rapport \
    && install -d -o rapport -g rapport -m 0700 /var/lib/rapport
COPY --from=build /usr/local/bin/rapport /usr/local/bin/rapport
# The binary embeds third-party data; these are its licences.
COPY NOTICE /usr/share/doc/rapport/NOTICE
COPY LICENSES /usr/share/doc/rapport/LICENSES/
LABEL org.opencontainers.image.title="Rapport" \
      org.opencontainers.image.licenses="AGPL-3.0-or-later"

USER 10001:10001
# An environment variable rather than a serve flag, so that every subcommand
# run with `docker exec` (org, user, token, import, ...) opens the same
# database as the server.
ENV RAPPORT_DATA_DIR=/var/lib/rapport
# The SQLite file rapport.db (and its -wal and -shm files). Unused with
# PostgreSQL.
VOLUME ["/var/lib/rapport"]
EXPOSE 8080
# /healthz answers 200 while the database answers, 503 otherwise. The start
# period leaves time for the migrations that serve applies at start.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:8080/healthz"]
ENTRYPOINT ["rapport"]
# All interfaces: the default bind, 127.0.0.1, cannot be reached from
# outside the container.
CMD ["serve", "--bind", "0.0.0.0:8080"]
