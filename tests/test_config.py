"""Configuration from .env and the environment; the token is required and never shown."""

import subprocess
import sys
from urllib.parse import parse_qs, urlparse

import pytest

from bot.config import ConfigError, load_config
from bot.discord_app import invite_url

KEYS = [
    "DISCORD_TOKEN",
    "DISCORD_GUILD_ID",
    "DISCORD_APP_ID",
    "SHOWBOT_SEEDS",
    "SHOWBOT_SHARD_COUNT",
    "SHOWBOT_SHARD_IDS",
    "SHOWBOT_SYNC_STATE",
]
TOKEN = "MTEwMDAwMDAwMDAwMDAwMDAwMQ.abc.secret-part"


@pytest.fixture
def clean_env(monkeypatch):
    for key in KEYS:  # set then delete, so anything .env adds is removed afterwards
        monkeypatch.setenv(key, "")
        monkeypatch.delenv(key)
    return monkeypatch


def test_reads_env_file_and_environment_wins(clean_env, tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text(f"DISCORD_TOKEN={TOKEN}\nDISCORD_GUILD_ID=123\nSHOWBOT_SEEDS=/x\n", encoding="utf-8")
    clean_env.setenv("DISCORD_GUILD_ID", "456")
    config = load_config(env_file)
    assert config.token == TOKEN and config.guild_id == 456 and config.seeds == "/x"
    assert config.sync_state == tmp_path / ".showbot-sync.json"
    assert TOKEN not in repr(config) and "secret" not in str(config)


def test_missing_token_points_at_env_example(clean_env, tmp_path):
    with pytest.raises(ConfigError, match=r"\.env\.example"):
        load_config(tmp_path / "none.env").require_token()


@pytest.mark.parametrize(
    "key, value, message",
    [
        ("DISCORD_GUILD_ID", "my server", "must be a number"),
        ("SHOWBOT_SHARD_IDS", "0,1", "needs SHOWBOT_SHARD_COUNT"),
    ],
)
def test_malformed_settings_are_clear_errors(clean_env, tmp_path, key, value, message):
    clean_env.setenv(key, value)
    with pytest.raises(ConfigError, match=message):
        load_config(tmp_path / "none.env")


def test_shard_ids_must_fit_the_count(clean_env, tmp_path):
    clean_env.setenv("SHOWBOT_SHARD_COUNT", "2")
    clean_env.setenv("SHOWBOT_SHARD_IDS", "0,2")
    with pytest.raises(ConfigError, match="between 0 and 1"):
        load_config(tmp_path / "none.env")
    clean_env.setenv("SHOWBOT_SHARD_IDS", "1")
    assert load_config(tmp_path / "none.env").shard_ids == (1,)


def test_invite_url_has_least_permissions(clean_env, tmp_path):
    clean_env.setenv("DISCORD_TOKEN", TOKEN)
    query = parse_qs(urlparse(invite_url(load_config(tmp_path / "none.env"))).query)
    assert query["client_id"] == ["1100000000000000001"]  # the id the token starts with
    assert query["scope"] == ["bot applications.commands"]
    assert query["permissions"] == [str(2048 | 16384)]  # Send Messages + Embed Links
    clean_env.setenv("DISCORD_APP_ID", "42")
    assert "client_id=42" in invite_url(load_config(tmp_path / "none.env"))


def run_cli(*args, cwd, env_extra=None):
    import os

    env = {k: v for k, v in os.environ.items() if k not in KEYS}
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=60
    )


def test_run_without_token_is_one_line_exit_2(tmp_path):
    p = run_cli("run", cwd=tmp_path)
    assert p.returncode == 2
    assert p.stderr.strip().count("\n") == 0 and ".env.example" in p.stderr


def test_invite_without_any_id_is_exit_2(tmp_path):
    p = run_cli("invite", cwd=tmp_path)
    assert p.returncode == 2 and "DISCORD_TOKEN" in p.stderr


def test_invite_prints_url_without_token(tmp_path):
    p = run_cli("invite", cwd=tmp_path, env_extra={"DISCORD_TOKEN": TOKEN})
    assert p.returncode == 0 and p.stdout.startswith("https://discord.com/oauth2/authorize?")
    assert "secret-part" not in p.stdout + p.stderr
