"""The CLI harness, run as a subprocess: JSON contract, exit codes, bad input."""

import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT


def run(*args, stdin=b"", env=None, cwd=None):
    full_env = {k: v for k, v in os.environ.items() if k != "SHOWBOT_SEEDS"}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        env=full_env,
        cwd=cwd or ROOT,
        timeout=120,
    )


def json_lines(out: bytes):
    return [json.loads(line) for line in out.decode().splitlines() if line.strip()]


def test_ask_prints_quote_title_and_link(tmp_path):
    p = run("ask", "who directed it?", cwd=tmp_path)  # bundled seeds, from any directory
    assert p.returncode == 0, p.stderr
    out = p.stdout.decode()
    assert "directed" in out.lower() or "director" in out.lower()
    assert "#:~:text=" in out and "—" in out


def test_ask_json_one_shot():
    p = run("ask", "--json", "Who wrote the series?")
    assert p.returncode == 0
    (data,) = json_lines(p.stdout)
    assert data["answered"] is True
    assert "Chun Sung-il" in data["quote"]
    assert {"id", "title", "url"} <= set(data["source"])
    assert isinstance(data["alternatives"], list)


def test_ask_json_batch_from_stdin_keeps_order_and_count():
    questions = [
        "Who directed All of Us Are Dead?",
        "",
        "   ",
        "What is the capital of France?",
        "x" * 10_000,
        "who\x00 directed\x1b[31m it\x07?",
        "@everyone **who** `directed` it?",
        "👾🧟‍♂️ ZALGO t̷̢e̵x̸t",
    ]
    stdin = ("\n".join(questions) + "\n").encode() + b"\xff\xfe\x00binary\x80garbage\n"
    p = run("ask", "--json", stdin=stdin)
    assert p.returncode == 0, p.stderr
    rows = json_lines(p.stdout)
    assert len(rows) == len(questions) + 1
    assert rows[0]["answered"] is True
    assert rows[1]["answered"] is False and rows[2]["answered"] is False
    assert rows[3]["answered"] is False
    assert "Traceback" not in p.stderr.decode()


def test_chat_formatting_and_links_do_not_change_the_answer():
    plain = "Who directed All of Us Are Dead?"
    dressed = [
        "**Who** directed All of Us Are Dead??",
        "||Who directed All of Us Are Dead?||",
        "Who directed All of Us Are Dead? https://example.com/a?b=1",
        "> _Who_ directed `All of Us Are Dead`? <:kekw:123456>",
        "~~Who~~ directed All of Us Are Dead? www.example.com",
    ]
    p = run("ask", "--json", stdin=("\n".join([plain, *dressed]) + "\n").encode())
    assert p.returncode == 0, p.stderr
    rows = json_lines(p.stdout)
    assert rows[0]["answered"] is True
    assert [r["quote"] for r in rows[1:]] == [rows[0]["quote"]] * len(dressed)


def test_what_the_engine_is_asked_has_no_mentions_formatting_or_links():
    from bot.handlers import as_asked

    assert as_asked("<@123> **who** directed it?? https://x.co/y") == "who directed it??"
    assert as_asked("||who dies|| in __ep 5__ <a:dance:42>") == "who dies in ep 5"
    assert as_asked("> who plays snake_case_guy `rn`") == "who plays snake_case_guy rn"
    assert as_asked("https://example.com") == ""


@pytest.mark.parametrize("question", ["", "   ", "\t\n", "?!"])
def test_blank_question_is_exit_2_with_message(question):
    p = run("ask", question)
    assert p.returncode == 2
    assert "Please ask a question" in p.stderr.decode()


def test_huge_question_is_answered_or_declined():
    p = run("ask", "who directed it " * 700)
    assert p.returncode == 0
    assert "Traceback" not in p.stderr.decode()


def test_missing_seeds_folder_is_one_line_exit_2(tmp_path):
    p = run("ask", "who?", "--seeds", str(tmp_path / "nope"))
    assert p.returncode == 2
    err = p.stderr.decode().strip()
    assert err.count("\n") == 0 and "not found" in err


def test_empty_seeds_folder_is_exit_2(tmp_path):
    p = run("sources", "--seeds", str(tmp_path))
    assert p.returncode == 2 and "no readable" in p.stderr.decode()


def test_broken_articles_are_warnings_and_others_still_load(tmp_path):
    (tmp_path / "good.txt").write_text("Good\n\nThe show was directed by Ann Park in 2020.\n", encoding="utf-8")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 story about the show and its cast.\n".encode("latin-1"))
    (tmp_path / "folder.txt").mkdir()  # unreadable as a file
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "sources.toml").write_text("this is [not toml", encoding="utf-8")
    p = run("ask", "--json", "--seeds", str(tmp_path), "who directed the show")
    assert p.returncode == 0
    err = p.stderr.decode()
    for name in ("latin1.txt", "folder.txt", "empty.txt", "sources.toml"):
        assert name in err
    (data,) = json_lines(p.stdout)
    assert data["source"]["id"] == "good.txt" and data["source"]["title"] == "Good"


def test_seeds_from_environment(tmp_path):
    (tmp_path / "one.txt").write_text("Only One\n\nThe show was filmed in Seoul during 2021.\n", encoding="utf-8")
    p = run("sources", "--json", env={"SHOWBOT_SEEDS": str(tmp_path)})
    assert [s["title"] for s in json.loads(p.stdout)] == ["Only One"]


def test_sources_lists_the_five_seed_articles():
    p = run("sources", "--json")
    assert p.returncode == 0
    rows = json.loads(p.stdout)
    assert len(rows) == 5
    assert sum(1 for r in rows if r["url"]) == 4
    text = run("sources").stdout.decode()
    assert "NextShark" in text and "(address unknown)" in text


def test_chat_answers_until_end_of_input():
    p = run("chat", stdin=b"who wrote the series?\n")
    assert p.returncode == 0
    assert "Chun Sung-il" in p.stdout.decode()


def test_cli_does_not_import_discord():
    code = "import sys, bot.cli; assert 'discord' not in sys.modules"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0
