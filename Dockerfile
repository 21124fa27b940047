# showbot as a container: `docker compose up -d` (compose.yaml), or see README "Run it as a service".
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Only what the package is built from: never .env, tests or a local database.
WORKDIR /app
COPY pyproject.toml README.md ./
COPY index ./index
COPY bot ./bot
COPY seeds ./seeds
RUN pip install . \
    && python -c "import bot.cli, index; bot.cli.build_parser()"

# A user of its own; the articles (the bundled ones to start with), the question log and the
# sync state live in /data, the volume.
RUN useradd --system --create-home --uid 10001 --shell /usr/sbin/nologin showbot \
    && mkdir -p /data/articles /data/cache \
    && cp seeds/*.txt seeds/sources.toml /data/articles/ \
    && chown -R showbot:showbot /data
USER showbot
WORKDIR /data
ENV SHOWBOT_SEEDS=/data/articles \
    SHOWBOT_DB=/data/showbot.db \
    SHOWBOT_SYNC_STATE=/data/.showbot-sync.json \
    SHOWBOT_CACHE=/data/cache
VOLUME ["/data"]

# The token comes from the environment (`env_file: .env` in compose.yaml, or `docker run --env-file .env`).
# SIGTERM (docker stop) stops it cleanly; a bad token or setting exits 2.
ENTRYPOINT ["showbot"]
CMD ["run"]
