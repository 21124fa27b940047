"""Ctrl-C stops a running `showbot run` cleanly: exit code 0, a short message, no traceback."""

import asyncio
import os
import signal
import sys

from conftest import ROOT
from fake_discord import TOKEN

LAUNCHER = """
import sys, discord, yarl
discord.http.Route.BASE = "http://127.0.0.1:{port}/api/v10"
discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL("ws://127.0.0.1:{port}/")
from bot.cli import main
sys.exit(main(["run", "--env-file", {env_file!r}]))
"""


async def test_ctrl_c_stops_cleanly(fake, tmp_path):
    launcher = tmp_path / "launch.py"
    launcher.write_text(LAUNCHER.format(port=fake.port, env_file=str(tmp_path / "absent.env")), encoding="utf-8")
    env = {
        **os.environ,
        "DISCORD_TOKEN": TOKEN,
        "SHOWBOT_SYNC_STATE": str(tmp_path / "sync.json"),
        "PYTHONPATH": str(ROOT),
        "SHOWBOT_MODEL": "none",  # what is tested is the signal, not the answers: start quickly
        "SHOWBOT_CACHE": "0",
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable, str(launcher), cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    try:
        await asyncio.wait_for(fake.identified.wait(), 60)
        proc.send_signal(signal.SIGINT)
        out, err = await asyncio.wait_for(proc.communicate(), 30)
    finally:
        if proc.returncode is None:
            proc.kill()
    assert proc.returncode == 0, err.decode()[-2000:]
    assert b"showbot: stopped" in err
    assert b"Traceback" not in err and TOKEN.encode() not in out + err
