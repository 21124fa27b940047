"""The CLI as a Unix tool: clear errors for bad folders, batch mode as a co-process, pipes, width, chat."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time

import pytest
from conftest import ROOT

TITLE = "A Very Long Headline About Zebra Nights That Goes On And On Well Past Any Terminal's Width Of Eighty Columns"
ARTICLE = (
    "Zebra Nights\n\n"
    "Zebra Nights was directed by Ann Park, who shot the whole series in Lisbon during the spring of 2020.\n\n"
    "The series has eight episodes and premiered on a streaming service in March 2021.\n"
)
SOURCES = f"""["zebra.txt"]
title = "{TITLE}"
publisher = "The Extremely Verbose Gazette of Television and Streaming Affairs"
url = "https://example.com/{"very-long-path-segment/" * 6}zebra-nights"
published = 2021-03-04
"""
LEXICAL = {"SHOWBOT_MODEL": "none"}  # words only: fast, and independent of the sentence model


def env_for(env: dict | None = None) -> dict:
    full = {k: v for k, v in os.environ.items() if k not in ("SHOWBOT_SEEDS", "COLUMNS", "LINES", "SHOWBOT_MODEL")}
    full.update(LEXICAL)
    full.update(env or {})
    return full


def run(*args, stdin=b"", env=None, timeout=120):
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        env=env_for(env),
        cwd=ROOT,
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def zebra(tmp_path):
    folder = tmp_path / "zebra"
    folder.mkdir()
    (folder / "zebra.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "sources.toml").write_text(SOURCES, encoding="utf-8")
    return folder


# -- 1. a folder with nothing quotable ------------------------------------------------------------

UNQUOTABLE = {
    "dots": "...\n",
    "one word": "Zombies\n",
    "boilerplate": "Subscribe now to our newsletter\nEnter your email\nAdvertisement\n",
}


@pytest.mark.parametrize("content", UNQUOTABLE.values(), ids=UNQUOTABLE.keys())
@pytest.mark.parametrize("command", [["ask", "who directed it?"], ["ask", "--json"], ["sources"], ["chat"]])
def test_folder_without_a_quotable_sentence_is_one_line_exit_2(tmp_path, content, command):
    (tmp_path / "a.txt").write_text(content, encoding="utf-8")
    p = run(*command, "--seeds", str(tmp_path), stdin=b"who directed it?\n")
    err = p.stderr.decode()
    assert p.returncode == 2, err
    assert err.startswith("showbot: error: ") and err.count("\n") == 1 and "quotable" in err
    assert p.stdout == b""


# -- 2, 3. batch mode -------------------------------------------------------------------------------


def test_batch_splits_on_newline_only():
    separators = ["\f", "\v", "\u2028", "\u2029", "\x85", "\r", "\x1c", "\x1d", "\x1e"]
    questions = [f"who{sep}directed it?" for sep in separators] + ["who wrote it?\r"]  # a CRLF line
    p = run("ask", "--json", stdin="\n".join(questions).encode() + b"\n")
    assert p.returncode == 0, p.stderr.decode()
    rows = [json.loads(line) for line in p.stdout.decode().split("\n") if line]
    assert len(rows) == len(questions)
    assert rows[-1]["question"] == "who wrote it?"


def test_batch_answers_each_line_as_it_arrives(zebra):
    """A co-process: the answer to one line comes back before the next line is written."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "ask", "--json", "--seeds", str(zebra)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env_for(),
        cwd=ROOT,
    )
    try:
        for question in ("who directed Zebra Nights?", "", "where was it shot?"):
            proc.stdin.write(question.encode() + b"\n")
            proc.stdin.flush()
            ready, _, _ = select.select([proc.stdout], [], [], 60)
            assert ready, "no answer before the next question"
            assert json.loads(proc.stdout.readline())["question"] == question
        proc.stdin.close()
        assert proc.wait(30) == 0
        assert proc.stdout.read() == b""
    finally:
        proc.kill()
        proc.wait()


# -- 4. broken pipes --------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["sources"], ["sources", "--json"], ["ask", "--json"], ["ask", "who wrote it?"]])
def test_closed_pipe_is_a_quiet_exit(command):
    read_end, write_end = os.pipe()
    os.close(read_end)  # like `| head -1` having exited: every write fails with EPIPE
    try:
        p = subprocess.run(
            [sys.executable, "-m", "bot", *command],
            input=b"who wrote it?\n" * 50,
            check=False,
            stdout=write_end,
            stderr=subprocess.PIPE,
            env=env_for(),
            cwd=ROOT,
            timeout=120,
        )
    finally:
        os.close(write_end)
    assert p.stderr == b""
    assert p.returncode == 141  # 128 + SIGPIPE, what a shell reports for a tool stopped by a closed pipe


def test_head_of_a_batch_is_quiet(zebra):
    script = f'yes "who directed it?" | head -200 | "{sys.executable}" -m bot ask --json --seeds "{zebra}" | head -1'
    p = subprocess.run(["bash", "-c", script], check=False, capture_output=True, env=env_for(), cwd=ROOT, timeout=120)
    assert len(p.stdout.decode().splitlines()) == 1
    assert p.stderr == b""


# -- 9. terminal width ------------------------------------------------------------------------------


def lines_outside_urls(text: str) -> list[str]:
    return [line for line in text.splitlines() if "://" not in line]


@pytest.mark.parametrize(("columns", "width"), [(None, 80), ("60", 60), ("200", 200)])
def test_output_fits_the_terminal_width(zebra, columns, width):
    env = {"COLUMNS": columns} if columns else {}
    answer = run("ask", "--seeds", str(zebra), "who directed Zebra Nights?", env=env).stdout.decode()
    declined = run("ask", "--seeds", str(zebra), "what is the capital of Peru?", env=env).stdout.decode()
    listing = run("sources", "--seeds", str(zebra), env=env).stdout.decode()
    for out in (answer, declined, listing):
        assert out.strip()
        assert all(len(line) <= width for line in lines_outside_urls(out)), out
    url = "https://example.com/" + "very-long-path-segment/" * 6 + "zebra-nights"
    assert any(line.strip() == url for line in listing.splitlines())  # unbroken, on its own line
    assert any(line.strip().startswith(url + "#:~:text=") for line in answer.splitlines())
    assert "Ann Park" in answer


# -- 10. chat ----------------------------------------------------------------------------------------


def test_chat_keeps_going_on_blank_lines_and_ends_on_eof(zebra):
    p = run("chat", "--seeds", str(zebra), stdin=b"\n   \nwho directed Zebra Nights?\n")
    assert p.returncode == 0, p.stderr.decode()
    assert "Ann Park" in p.stdout.decode()


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_chat_on_a_terminal_has_line_editing_and_history(zebra):
    import pty

    pid, fd = pty.fork()
    if pid == 0:  # the child: showbot chat on the pseudo-terminal
        os.chdir(ROOT)
        os.execve(
            sys.executable, [sys.executable, "-m", "bot", "chat", "--seeds", str(zebra)], env_for({"TERM": "xterm"})
        )
    output = bytearray()

    def read_until(marker: bytes, count: int = 1, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while output.count(marker) < count:
            ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
            assert ready, f"timed out waiting for {marker!r}; got {bytes(output)[-500:]!r}"
            try:
                output.extend(os.read(fd, 65536))
            except OSError:
                break

    try:
        read_until(b"you> ")
        os.write(fd, b"who directed Zebra Nightz\x1b[D\x7fs?\r")  # a typo fixed with the left arrow and backspace
        read_until(b"Ann Park")
        read_until(b"you> ", 2)
        os.write(fd, b"\x1b[A\r")  # the up arrow brings the last question back
        read_until(b"Ann Park", 2)
        read_until(b"you> ", 3)
        os.write(fd, b"\x04")  # Ctrl-D
        _, status = os.waitpid(pid, 0)
    finally:
        try:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0
    assert b"^[[" not in output


# -- 12. mentions only -----------------------------------------------------------------------------


@pytest.mark.parametrize("question", ["<@123456789>", "@everyone @here", "<@&42> <#77>"])
@pytest.mark.parametrize("json_flag", [[], ["--json"]])
def test_question_of_mentions_only_is_exit_2_like_an_empty_one(zebra, question, json_flag):
    p = run("ask", *json_flag, "--seeds", str(zebra), question)
    assert p.returncode == 2
    assert p.stdout == b""
    assert "Please ask a question" in p.stderr.decode()


# -- --no-model and --explain ----------------------------------------------------------------------


@pytest.mark.parametrize("command", [["ask", "who directed it?"], ["sources"], ["chat"]])
def test_no_model_flag_skips_the_sentence_model(zebra, tmp_path, command):
    env = {"SHOWBOT_MODEL": str(tmp_path / "no-such-model")}
    with_model = run(*command, "--seeds", str(zebra), env=env)
    assert "warning" in with_model.stderr.decode()  # the model setting was tried ...
    without = run(*command, "--no-model", "--seeds", str(zebra), env=env)
    assert without.returncode == 0 and without.stderr == b""  # ... and --no-model does not try it


@pytest.mark.parametrize("command", [["ask", "who directed it?"], ["sources"]])
def test_no_reader_flag_skips_the_answer_reader(zebra, tmp_path, command):
    env = {"SHOWBOT_READER": str(tmp_path / "no-such-reader"), "SHOWBOT_MODEL": "default"}  # no model, no reader
    with_reader = run(*command, "--seeds", str(zebra), env=env)
    assert with_reader.returncode == 0 and "without the answer reader" in with_reader.stderr.decode()  # tried ...
    without = run(*command, "--no-reader", "--seeds", str(zebra), env=env)
    assert without.returncode == 0 and without.stderr == b""  # ... and --no-reader does not try it
    assert without.stdout == with_reader.stdout


def test_explain_shows_how_the_answer_was_chosen(zebra):
    p = run("ask", "--explain", "--seeds", str(zebra), "who directed Zebra Nights?")
    assert p.returncode == 0, p.stderr.decode()
    out = p.stdout.decode()
    for word in ("read as", "kind", "ranker", "probability", "threshold", "Ann Park", "contributions"):
        assert word in out, out
    assert all(len(line) <= 80 for line in lines_outside_urls(out))


def test_explain_json_is_the_engine_explanation(zebra):
    p = run("ask", "--explain", "--json", "--seeds", str(zebra), "who directed Zebra Nights?")
    assert p.returncode == 0, p.stderr.decode()
    (line,) = p.stdout.decode().splitlines()
    data = json.loads(line)
    assert data["question"] == "who directed Zebra Nights?"
    assert {"read_as", "ranker", "probability", "threshold", "candidates"} <= set(data)


def test_explain_of_a_declined_question_says_why(zebra):
    p = run("ask", "--explain", "--seeds", str(zebra), "who is Lukas Braun?")
    assert p.returncode == 0
    assert "declined" in p.stdout.decode()


def test_explain_reads_questions_from_stdin(zebra):
    p = run("ask", "--explain", "--json", "--seeds", str(zebra), stdin=b"who directed Zebra Nights?\n\nwhen?\n")
    rows = [json.loads(line) for line in p.stdout.decode().splitlines()]
    assert [r["question"] for r in rows] == ["who directed Zebra Nights?", "", "when?"]


# -- Ctrl-C ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("command", "code"), [(["ask", "--json"], 130), (["chat"], 0)])
def test_ctrl_c_while_waiting_for_input(zebra, command, code):
    """README: Ctrl-C stops `ask` with 130; at chat's prompt it ends the session with 0. No traceback either way."""
    import signal

    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", *command, "--seeds", str(zebra)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env_for(),
        cwd=ROOT,
    )
    try:
        proc.stdin.write(b"who directed Zebra Nights?\n")
        proc.stdin.flush()
        deadline = time.monotonic() + 60
        seen = b""
        # wait until the first answer is out and (chat) the next prompt is shown; waiting for the
        # answer alone raced the rest of its printing on a loaded machine
        prompt = b"you>" if command == ["chat"] else b""
        while b"Ann Park" not in seen or not seen.rstrip().endswith(prompt):
            ready, _, _ = select.select([proc.stdout], [], [], max(0.0, deadline - time.monotonic()))
            assert ready, seen
            seen += os.read(proc.stdout.fileno(), 65536)
        time.sleep(0.2)  # back to waiting for the next line
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == code
    assert b"Traceback" not in err


# -- odd encodings ---------------------------------------------------------------------------------


def test_chat_survives_bytes_that_are_not_utf8_with_a_strict_locale(zebra):
    p = run(
        "chat",
        "--seeds",
        str(zebra),
        stdin=b"who directed \xff Zebra Nights?\n",
        env={"PYTHONIOENCODING": "utf-8:strict"},
    )
    assert p.returncode == 0 and b"Traceback" not in p.stderr
    assert "Ann Park" in p.stdout.decode()


def test_terminal_that_cannot_show_curly_quotes_gets_replacements(zebra):
    p = run("ask", "--seeds", str(zebra), "who directed Zebra Nights?", env={"PYTHONIOENCODING": "ascii:strict"})
    assert p.returncode == 0 and b"Traceback" not in p.stderr
    assert "Ann Park" in p.stdout.decode("ascii")
