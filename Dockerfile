# racebot in a container: `docker compose up -d` (compose.yaml) after putting the token in .env.
# Dependencies come from uv.lock, exactly; the bot runs as a non-root user with its data in the
# /data volume, and Docker's health check asks `racebot status`.

FROM python:3.13-slim AS build
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never
RUN pip install --no-cache-dir "uv==0.13.9"
WORKDIR /app
# The locked dependencies first, in their own layer: a code change does not reinstall them.
COPY pyproject.toml uv.lock README.md LICENSE ./
RUN uv sync --locked --no-install-project --no-editable
COPY bot ./bot
COPY cogs ./cogs
RUN uv sync --locked --no-editable

FROM python:3.13-slim
RUN useradd --system --uid 10001 --user-group --no-create-home --home-dir /data racebot \
    && mkdir /data && chown racebot:racebot /data
COPY --from=build /app/.venv /app/.venv
COPY --chown=racebot:racebot seeds /app/seeds
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    RACEBOT_DATA_DIR=/data \
    RACEBOT_SEEDS_DIR=/app/seeds
WORKDIR /data
VOLUME /data
USER racebot
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 CMD ["racebot", "status"]
CMD ["racebot", "run"]
