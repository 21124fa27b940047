"""Running it as a service: the Dockerfile, compose.yaml and deploy/showbot.service, checked without Docker.

`docker build` cannot run here (no daemon), so the Dockerfile is parsed and
its steps are carried out as far as they can be on this machine: the build
context it copies (minus .dockerignore) is built offline by setuptools
into a folder, with the console script pip would write; its `python` commands run against that install; its
`mkdir`/`cp` run inside a folder standing for the image's root; and its
ENTRYPOINT and CMD, with its ENV, run `showbot run` against the fake Discord
until it answers an /ask from the articles in the volume and writes the
question log there, then stop on SIGTERM as `docker stop` sends it. What is
not checked: that the base image and the packages download, `useradd` and
`chown` (the user must not be root, and must own /data: read, not run), and
the container runtime itself.
"""

from __future__ import annotations

import asyncio
import fnmatch
import glob
import os
import re
import shlex
import shutil
import signal
import sqlite3
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import discord
import pytest
import yaml
from conftest import ROOT, wait_for
from fake_discord import TOKEN

from bot import discord_app

DOCKERFILE = ROOT / "Dockerfile"
UNIT = ROOT / "deploy" / "showbot.service"


@dataclass
class Instruction:
    keyword: str
    args: str

    def json_or_shell(self) -> list[str]:
        text = self.args.strip()
        if text.startswith("["):
            import json

            return json.loads(text)
        return ["/bin/sh", "-c", text]


def parse_dockerfile(path: Path) -> list[Instruction]:
    """Instructions in order: comments dropped, backslash continuations joined."""
    out: list[Instruction] = []
    pending = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if pending and line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line, pending = pending + line, ""
        keyword, _, args = line.partition(" ")
        out.append(Instruction(keyword.upper(), args.strip()))
    assert not pending, "a continuation runs off the end"
    return out


def env_pairs(args: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in shlex.split(args))


def ignored(rel: str, patterns: list[str]) -> bool:
    """.dockerignore matching, enough for ours: a pattern excludes a path or a folder above it; later
    patterns win; ``!`` includes again; ``**/`` matches at any depth."""
    result = False
    parts = Path(rel).parts
    prefixes = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
    for pattern in patterns:
        negate = pattern.startswith("!")
        pattern = pattern.removeprefix("!")
        anywhere = pattern.startswith("**/")
        pattern = pattern.removeprefix("**/")
        if any(fnmatch.fnmatch(p, pattern) for p in (parts if anywhere else prefixes)):
            result = not negate
    return result


@dataclass
class Image:
    """The image's filesystem and settings as the Dockerfile leaves them, under ``root``."""

    root: Path
    env: dict[str, str] = field(default_factory=dict)
    workdir: str = "/"
    user: str = "root"
    volumes: list[str] = field(default_factory=list)
    entrypoint: list[str] = field(default_factory=list)
    cmd: list[str] = field(default_factory=list)
    users_added: list[str] = field(default_factory=list)
    not_run: list[str] = field(default_factory=list)

    def path(self, inside: str) -> Path:
        return self.root / inside.lstrip("/")

    def inside(self, value: str) -> str:
        """A setting's value with its absolute paths moved under ``root``."""
        return str(self.path(value)) if value.startswith("/") else value


@pytest.fixture(scope="module")
def dockerfile() -> list[Instruction]:
    return parse_dockerfile(DOCKERFILE)


@pytest.fixture(scope="module")
def image(dockerfile, tmp_path_factory) -> Image:
    """Carry out the Dockerfile: COPY from the context, RUN what can run here, ENV/WORKDIR/USER/VOLUME/CMD."""
    pytest.importorskip("setuptools")  # builds the package offline for `pip install .`
    image = Image(tmp_path_factory.mktemp("image"))
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for step in dockerfile:
        if step.keyword in ("ENV",):
            image.env.update(env_pairs(step.args))
        elif step.keyword == "WORKDIR":
            image.workdir = step.args
            image.path(step.args).mkdir(parents=True, exist_ok=True)
        elif step.keyword == "COPY":
            *sources, dest = shlex.split(step.args)
            target = image.path(dest if dest.startswith("/") else f"{image.workdir}/{dest}")
            into_folder = len(sources) > 1 or dest.endswith("/")
            for source in sources:
                assert (ROOT / source).exists(), f"COPY {source}: not in the build context"
                assert not ignored(source, patterns), f"COPY {source}: excluded by .dockerignore"
                _copy_context(ROOT / source, target, patterns, into_folder)
        elif step.keyword == "RUN":
            for command in re.split(r"\s*&&\s*", step.args):
                _run(image, shlex.split(command))
        elif step.keyword == "USER":
            image.user = step.args
        elif step.keyword == "VOLUME":
            image.volumes += step.json_or_shell() if step.args.startswith("[") else step.args.split()
        elif step.keyword == "ENTRYPOINT":
            image.entrypoint = step.json_or_shell()
        elif step.keyword == "CMD":
            image.cmd = step.json_or_shell()
        elif step.keyword != "FROM":
            pytest.fail(f"the test does not know the Dockerfile instruction {step.keyword}: teach it")
    return image


def _copy_context(source: Path, target: Path, patterns: list[str], into_folder: bool) -> None:
    """COPY: a file to ``target`` (or into it), a folder's contents into ``target``."""
    if source.is_file():
        target = target / source.name if into_folder else target
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
        return
    for file in source.rglob("*"):
        rel = file.relative_to(ROOT).as_posix()
        if file.is_file() and not ignored(rel, patterns):
            out = target / file.relative_to(source)
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(file, out)


def _site(image: Image) -> Path:
    return image.root / "site"


def _python_env(image: Image) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "SHOWBOT_"))}
    env.update({k: image.inside(v) for k, v in image.env.items()})
    env["PYTHONPATH"] = str(_site(image))  # the installed package first, the test venv's dependencies after
    env["HOME"] = str(image.path("/home/showbot"))
    return env


def _run(image: Image, argv: list[str]) -> None:
    cwd = image.path(image.workdir)
    if argv[:2] == ["pip", "install"] and argv[2:] == ["."]:
        # offline: setuptools builds the package from the copied context only (its pyproject.toml, package
        # data and all) into a folder; the console scripts are written as pip writes them
        site = _site(image)
        subprocess.run(
            [sys.executable, "-c", "import setuptools; setuptools.setup()", "-q", "build_py", "-d", str(site)],
            cwd=cwd,
            check=True,
            capture_output=True,
            timeout=300,
        )
        for name in ("bot/cli.py", "index/data/ranker.json", "showbot_seeds/sources.toml"):
            assert (site / name).is_file(), f"the package built from the image's files lacks {name}"
        scripts = tomllib.loads((cwd / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
        (site / "bin").mkdir()
        for name, target in scripts.items():
            module, function = target.split(":")
            script = site / "bin" / name
            script.write_text(
                f"#!{sys.executable}\nimport sys\nfrom {module} import {function}\nsys.exit({function}())\n",
                encoding="utf-8",
            )
            script.chmod(0o755)
    elif argv[0] == "python":
        p = subprocess.run(
            [sys.executable, *argv[1:]], check=False, cwd=cwd, env=_python_env(image), capture_output=True, timeout=120
        )
        assert p.returncode == 0, f"RUN {shlex.join(argv)}: {p.stderr.decode()[-2000:]}"
    elif argv[:2] == ["mkdir", "-p"]:
        for folder in argv[2:]:
            image.path(folder).mkdir(parents=True, exist_ok=True)
    elif argv[0] == "cp":
        *sources, dest = argv[1:]
        matched = [m for s in sources for m in sorted(glob.glob(str(cwd / s)))]
        assert matched and all(len(glob.glob(str(cwd / s))) for s in sources), (
            f"RUN {shlex.join(argv)}: nothing to copy"
        )
        for m in matched:
            shutil.copy2(m, image.path(dest))
    elif argv[0] == "useradd":
        image.users_added.append(argv[-1])
        image.not_run.append(shlex.join(argv))
    elif argv[0] == "chown":
        image.not_run.append(shlex.join(argv))
    else:
        pytest.fail(f"the test does not know how to run `{shlex.join(argv)}`: teach it")


def test_the_base_is_a_slim_python_the_project_supports(dockerfile):
    (base,) = [s.args for s in dockerfile if s.keyword == "FROM"]
    match = re.fullmatch(r"python:(\d+)\.(\d+)-slim(?:-\w+)?", base)
    assert match, base
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["requires-python"]
    minimum = tuple(int(x) for x in re.search(r">=\s*(\d+)\.(\d+)", requires).groups())
    assert (int(match[1]), int(match[2])) >= minimum


def test_secrets_and_local_state_stay_out_of_the_image():
    patterns = [line for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines() if line.strip()]
    for path in (".env", ".env.production", ".venv/bin/python", "showbot.db", "showbot.db-wal", ".git/config"):
        assert ignored(path, patterns), path
    assert not ignored(".env.example", patterns) and not ignored("bot/cli.py", patterns)


def test_the_image_runs_as_its_own_user_with_the_articles_and_the_log_in_the_volume(image):
    assert image.user not in ("root", "0") and image.user in image.users_added
    (volume,) = image.volumes
    for name in ("SHOWBOT_SEEDS", "SHOWBOT_DB", "SHOWBOT_SYNC_STATE", "SHOWBOT_CACHE"):
        assert image.env[name].startswith(volume.rstrip("/") + "/"), name
    articles = image.path(image.env["SHOWBOT_SEEDS"])
    assert sorted(p.name for p in articles.iterdir()) == sorted(
        p.name for p in (ROOT / "seeds").iterdir() if p.suffix in (".txt", ".toml")
    )
    assert "DISCORD_TOKEN" not in image.env  # the token is passed in, never baked in
    assert image.entrypoint + image.cmd == ["showbot", "run"]
    assert any(f"chown -R {image.user}:{image.user} {volume}" in c for c in image.not_run)


def test_without_a_token_the_entrypoint_exits_2_in_one_line(image):
    exe = _site(image) / "bin" / image.entrypoint[0]
    p = subprocess.run(
        [str(exe), *image.entrypoint[1:], *image.cmd],
        cwd=image.path(image.workdir),
        env=_python_env(image),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert p.returncode == 2 and p.stderr.startswith("showbot: error: DISCORD_TOKEN is not set"), p.stderr


SITECUSTOMIZE = """
import os
if os.environ.get("FAKE_DISCORD_PORT"):
    import discord, yarl
    port = os.environ["FAKE_DISCORD_PORT"]
    discord.http.Route.BASE = f"http://127.0.0.1:{port}/api/v10"
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(f"ws://127.0.0.1:{port}/")
"""


async def test_the_entrypoint_answers_from_the_volume_logs_there_and_stops_on_sigterm(image, fake, tmp_path):
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")  # points discord.py at the fake
    env = _python_env(image)
    env.update(
        {
            "PYTHONPATH": f"{env['PYTHONPATH']}{os.pathsep}{hook}",
            "FAKE_DISCORD_PORT": str(fake.port),
            "DISCORD_TOKEN": TOKEN,  # as `env_file: .env` passes it
            "SHOWBOT_MODEL": "none",
        }
    )
    exe = _site(image) / "bin" / image.entrypoint[0]
    proc = await asyncio.create_subprocess_exec(
        str(exe),
        *image.entrypoint[1:],
        *image.cmd,
        cwd=image.path(image.workdir),
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await asyncio.wait_for(fake.identified.wait(), 60)
        ask = fake.interaction("ask", question="Who wrote All of Us Are Dead?")
        await fake.send_interaction(ask)
        await wait_for(lambda: fake.followups(ask["token"]), timeout=60)
        proc.send_signal(signal.SIGTERM)  # docker stop
        _, err = await asyncio.wait_for(proc.communicate(), 60)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert proc.returncode == 0 and b"showbot: stopped" in err and b"Traceback" not in err
    assert b"\x1b[" not in err  # not a terminal: plain log lines
    (embed,) = fake.followups(ask["token"])[0].body["embeds"]
    assert "Chun Sung-il" in embed["description"]
    conn = sqlite3.connect(image.path(image.env["SHOWBOT_DB"]))
    try:
        assert conn.execute("SELECT question, answered FROM asks").fetchall() == [("Who wrote All of Us Are Dead?", 1)]
    finally:
        conn.close()
    assert image.path(image.env["SHOWBOT_SYNC_STATE"]).is_file()


def test_compose_runs_the_image_with_env_file_and_a_volume(image):
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    (service,) = compose["services"].values()
    assert service["build"] == "." and service["env_file"] == ".env"
    (volume,) = service["volumes"]
    name, _, mount = volume.partition(":")
    assert name in compose["volumes"] and mount == image.volumes[0]
    for key, value in service["environment"].items():  # its paths must be the image's own
        assert image.env[key] == value, key
    assert service["restart"].startswith("on-failure")
    assert service.get("tty") is not True  # logs stay plain


def read_unit(path: Path) -> dict[str, dict[str, list[str]]]:
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
            continue
        key, _, value = line.partition("=")
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def test_the_unit_restarts_on_failure_but_not_on_a_configuration_error():
    service = read_unit(UNIT)["Service"]
    assert service["Restart"] == ["on-failure"] and service["RestartPreventExitStatus"] == ["2"]
    assert service["User"] != ["root"] and service["ExecStart"][0].split()[1:] == ["run"]
    assert read_unit(UNIT)["Install"]["WantedBy"] == ["multi-user.target"]


def test_a_configuration_error_is_exit_2_which_the_unit_does_not_restart(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "SHOWBOT_"))}
    p = subprocess.run(
        [sys.executable, "-m", "bot", "run", "--env-file", str(tmp_path / "absent.env")],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert p.returncode == 2 and p.stderr.startswith("showbot: error: DISCORD_TOKEN is not set")


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_analyze_verify_accepts_the_unit(tmp_path):
    """`systemd-analyze verify` on the unit, its ExecStart pointed at this environment's showbot."""
    showbot = shutil.which("showbot") or str(Path(sys.executable).parent / "showbot")
    assert Path(showbot).is_file()
    text = UNIT.read_text(encoding="utf-8")
    (exec_start,) = re.findall(r"^ExecStart=(\S+)", text, flags=re.MULTILINE)
    unit = tmp_path / "showbot.service"
    unit.write_text(text.replace(exec_start, showbot), encoding="utf-8")
    p = subprocess.run(
        ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60, check=False
    )
    complaints = [line for line in (p.stdout + p.stderr).splitlines() if "showbot.service" in line or "Unknown" in line]
    assert p.returncode == 0 and not complaints, p.stdout + p.stderr


def test_systemd_analyze_verify_would_catch_a_mistake(tmp_path):
    """The check above can fail: a misspelt setting is reported."""
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed")
    unit = tmp_path / "showbot.service"
    text = UNIT.read_text(encoding="utf-8").replace("RestartPreventExitStatus=2", "RestartPreventExitStatu=2")
    showbot = shutil.which("showbot") or str(Path(sys.executable).parent / "showbot")
    unit.write_text(re.sub(r"^ExecStart=\S+", f"ExecStart={showbot}", text, flags=re.MULTILINE), encoding="utf-8")
    p = subprocess.run(
        ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60, check=False
    )
    assert "RestartPreventExitStatu" in p.stdout + p.stderr


class FakeTerminal:
    def isatty(self) -> bool:
        return True


def test_log_lines_are_coloured_on_a_terminal_only(monkeypatch):
    import io
    import logging

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr("discord.utils.is_docker", lambda: True)  # discord.py alone colours inside containers
    assert discord_app.log_formatter(FakeTerminal()) is discord.utils.MISSING  # discord.py's colours
    plain = discord_app.log_formatter(io.StringIO())
    record = logging.LogRecord("showbot", logging.WARNING, __file__, 1, "question log: %s", ("x",), None)
    assert "\x1b[" not in plain.format(record) and "WARNING" in plain.format(record)
    monkeypatch.setenv("NO_COLOR", "1")
    assert discord_app.log_formatter(FakeTerminal()) is not discord.utils.MISSING
