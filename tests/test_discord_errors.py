"""`showbot run` and `showbot sync` fail with one line, not a traceback: bad folders, no network."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest
from conftest import ROOT
from fake_discord import TOKEN

LAUNCHER = """
import sys, discord, yarl
discord.http.Route.BASE = "http://127.0.0.1:{port}/api/v10"
discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL("ws://127.0.0.1:{port}/")
from bot.cli import main
sys.exit(main(sys.argv[1:]))
"""


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on: connecting to it is refused, like having no network."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def showbot(tmp_path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    launcher = tmp_path / "launch.py"
    launcher.write_text(LAUNCHER.format(port=closed_port()), encoding="utf-8")
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "SHOWBOT_"))}
    full_env.update(
        {
            "DISCORD_TOKEN": TOKEN,
            "SHOWBOT_SYNC_STATE": str(tmp_path / "sync.json"),
            "SHOWBOT_MODEL": "none",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
            **(env or {}),
        }
    )
    argv = [sys.executable, str(launcher), *args, "--env-file", str(tmp_path / "absent.env")]
    return subprocess.run(argv, check=False, capture_output=True, env=full_env, cwd=ROOT, timeout=120)


@pytest.mark.parametrize("command", ["run", "sync"])
@pytest.mark.parametrize("content", ["...\n", "Zombies\n", "Subscribe now to our newsletter\nAdvertisement\n"])
def test_folder_without_a_quotable_sentence_is_one_line_exit_2(tmp_path, command, content):
    folder = tmp_path / "seeds"
    folder.mkdir()
    (folder / "a.txt").write_text(content, encoding="utf-8")
    p = showbot(tmp_path, command, "--seeds", str(folder))
    err = p.stderr.decode()
    assert p.returncode == 2, err
    assert "Traceback" not in err
    (line,) = [l for l in err.splitlines() if "error" in l.lower()]
    assert line.startswith("showbot: error: ") and "quotable" in line


@pytest.mark.parametrize("command", ["run", "sync"])
def test_no_network_is_the_same_one_line_error_for_run_and_sync(tmp_path, command):
    p = showbot(tmp_path, command)
    err = p.stderr.decode()
    assert p.returncode == 1, err
    assert "Traceback" not in err
    assert err.splitlines()[-1] == (
        "showbot: error: cannot reach Discord (ClientConnectorError); check the network and try again"
    )


@pytest.mark.parametrize("command", ["run", "sync"])
def test_no_model_flag_reaches_the_bot(tmp_path, command):
    env = {"SHOWBOT_MODEL": str(tmp_path / "no-such-model")}
    with_model = showbot(tmp_path, command, env=env).stderr.decode()
    assert "answering with words only" in with_model  # the model setting was tried ...
    without = showbot(tmp_path, command, "--no-model", env=env).stderr.decode()
    assert "answering with words only" not in without  # ... and --no-model does not try it
    assert "cannot reach Discord" in without


def test_no_reader_flag_reaches_the_bot(tmp_path):
    env = {"SHOWBOT_READER": str(tmp_path / "no-such-reader"), "SHOWBOT_MODEL": "default"}  # no model, no reader
    with_reader = showbot(tmp_path, "run", env=env).stderr.decode()
    assert "without the answer reader" in with_reader  # the reader setting was tried ...
    without = showbot(tmp_path, "run", "--no-reader", env=env).stderr.decode()
    assert "without the answer reader" not in without  # ... and --no-reader does not try it
    assert "cannot reach Discord" in without
