"""The bot's settings, from ``.env`` (python-dotenv) and the environment."""

from __future__ import annotations

import base64
import binascii
import os
from dataclasses import dataclass
from pathlib import Path

from dotenv import load_dotenv


class ConfigError(Exception):
    """A setting is missing or malformed; the message says how to fix it."""


@dataclass(frozen=True)
class Config:
    token: str | None
    guild_id: int | None = None
    seeds: str | None = None
    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None
    app_id: int | None = None
    sync_state: Path = Path(".showbot-sync.json")
    question_db: Path | None = None  # the question log (None: no log, as in tests that build the bot directly)
    log_questions: bool = True

    def __repr__(self) -> str:  # never show the token
        return f"Config(guild_id={self.guild_id}, seeds={self.seeds!r}, shard_count={self.shard_count})"

    def require_token(self) -> str:
        if not self.token:
            raise ConfigError(
                "DISCORD_TOKEN is not set. Copy .env.example to .env and put your bot token in it "
                "(Discord Developer Portal > your application > Bot > Reset Token)."
            )
        return self.token

    def application_id(self) -> int:
        """DISCORD_APP_ID, or the id a bot token starts with (the bot user's id, which is its application's)."""
        if self.app_id:
            return self.app_id
        token = self.require_token()
        head = token.split(".", 1)[0]
        try:
            decoded = base64.b64decode(head + "=" * (-len(head) % 4), validate=True).decode("ascii")
        except (binascii.Error, UnicodeDecodeError):
            decoded = ""
        if not decoded.isdigit():
            raise ConfigError("cannot tell the application id from DISCORD_TOKEN; set DISCORD_APP_ID in .env")
        return int(decoded)


def _int(name: str, value: str | None) -> int | None:
    if value is None or not value.strip():
        return None
    try:
        return int(value.strip())
    except ValueError:
        raise ConfigError(f"{name} must be a number, got {value.strip()[:40]!r}") from None


def _ints(name: str, value: str | None) -> tuple[int, ...] | None:
    if value is None or not value.strip():
        return None
    return tuple(_int(name, part) for part in value.split(",") if part.strip())  # type: ignore[misc]


def _switch(name: str, value: str | None, *, default: bool) -> bool:
    text = (value or "").strip().casefold()
    if not text:
        return default
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be 1 (on) or 0 (off), got {value.strip()[:40]!r}")  # type: ignore[union-attr]


def load_config(env_file: str | os.PathLike[str] | None = ".env") -> Config:
    """Read ``env_file`` (if it exists; real environment variables win) and the environment."""
    if env_file and Path(env_file).is_file():
        load_dotenv(env_file, override=False)
    env = os.environ
    shard_count = _int("SHOWBOT_SHARD_COUNT", env.get("SHOWBOT_SHARD_COUNT"))
    shard_ids = _ints("SHOWBOT_SHARD_IDS", env.get("SHOWBOT_SHARD_IDS"))
    if shard_ids and not shard_count:
        raise ConfigError("SHOWBOT_SHARD_IDS needs SHOWBOT_SHARD_COUNT")
    if shard_ids and shard_count and any(not 0 <= s < shard_count for s in shard_ids):
        raise ConfigError(f"SHOWBOT_SHARD_IDS must be between 0 and {shard_count - 1}")
    state = env.get("SHOWBOT_SYNC_STATE", "").strip()
    beside_env = Path(env_file or ".").resolve().parent
    db = env.get("SHOWBOT_DB", "").strip()
    return Config(
        token=(env.get("DISCORD_TOKEN") or "").strip() or None,
        guild_id=_int("DISCORD_GUILD_ID", env.get("DISCORD_GUILD_ID")),
        seeds=(env.get("SHOWBOT_SEEDS") or "").strip() or None,
        shard_count=shard_count,
        shard_ids=shard_ids,
        app_id=_int("DISCORD_APP_ID", env.get("DISCORD_APP_ID")),
        sync_state=Path(state) if state else beside_env / ".showbot-sync.json",
        question_db=Path(db) if db else beside_env / "showbot.db",
        log_questions=_switch("SHOWBOT_LOG_QUESTIONS", env.get("SHOWBOT_LOG_QUESTIONS"), default=True),
    )
