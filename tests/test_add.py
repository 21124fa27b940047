"""`showbot add` / `showbot remove`: real HTTP from a local server, real files, the real CLI entry point."""

from __future__ import annotations

import datetime
import json
import socket
import ssl
import tomllib
from pathlib import Path

import pytest
from page_server import PAGES, PageServer, Route

from bot import cli, fetch
from bot.extract import extract

OTHER_ARTICLE = "Harbor Lights\n\nHarbor Lights was created by Ines Okafor for the Lumen streaming service.\n"
THIRD_ARTICLE = "Moss Point\n\nMoss Point is a quiz show filmed in a lighthouse on the coast of Maine.\n"
SOURCES = """# Where each article came from (kept by hand; comments must survive)

["harbor-lights.txt"]
title = "Harbor Lights"   # the show's own page
publisher = "Lumen"
"""


@pytest.fixture
def folder(tmp_path, monkeypatch):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "harbor-lights.txt").write_text(OTHER_ARTICLE, encoding="utf-8")
    (folder / "moss-point.txt").write_text(THIRD_ARTICLE, encoding="utf-8")  # BM25's idf needs three or more
    (folder / "sources.toml").write_text(SOURCES, encoding="utf-8")
    monkeypatch.setenv("SHOWBOT_SEEDS", str(folder))
    monkeypatch.setenv("SHOWBOT_MODEL", "none")
    monkeypatch.setenv("SHOWBOT_CACHE", "0")
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if not p.name.endswith(".lock")}


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_extraction_keeps_the_body_and_drops_the_boilerplate():
    article = extract((PAGES / "news.html").read_bytes(), "http://127.0.0.1:1/news/glass-orchard")
    assert article.title == "The Glass Orchard: director Marisol Quintero on the making of the show"
    assert article.publisher == "Screen Ledger" and article.published == "2025-03-14"
    assert article.url == "https://www.screenledger.example/tv/glass-orchard-director-interview"  # canonical
    text = article.text
    for body in ("directed by Marisol Quintero", "eight episodes", "Tobias Renner", "premieres on April 2"):
        assert body in text
    boilerplate = (
        "Newsletter",  # navigation
        "ADVERTISEMENT",
        "Advertisement",
        "Harbor Lights renewed",  # related links
        "best TV dramas",
        "orchardfan99",  # comments
        "Can't wait",
        "Join the discussion",
        "Sponsored",
        "All rights reserved",
        "Privacy policy",
        "Share on Facebook",
        "Sign up",
    )
    for junk in boilerplate:
        assert junk not in text, junk
    lines = text.split("\n")
    assert lines[0] == article.title and lines[1] == ""  # paragraphs kept, blank-line separated
    assert all(line == "" for line in lines[1::2])


def test_add_writes_the_article_and_its_entry_and_answers_from_it(server, folder, capsys):
    url = server.url("/news/glass-orchard")
    code, out, err = run(capsys, "add", url)
    assert code == 0, err
    assert out.splitlines() == [
        (
            "added the-glass-orchard-director-marisol-quintero-on-the-making-of.txt: "
            "“The Glass Orchard: director Marisol Quintero on the making of the show” (Screen Ledger, 2025-03-14)"
        )
    ]
    assert server.requests[0][1].startswith("showbot/")  # a clear User-Agent
    name = "the-glass-orchard-director-marisol-quintero-on-the-making-of.txt"
    text = (folder / name).read_text(encoding="utf-8")
    assert "directed by Marisol Quintero" in text and "orchardfan99" not in text
    raw = (folder / "sources.toml").read_text(encoding="utf-8")
    assert raw.startswith(SOURCES.rstrip("\n"))  # the other entry and the comments are intact
    entry = tomllib.loads(raw)[name]
    assert entry == {
        "title": "The Glass Orchard: director Marisol Quintero on the making of the show",
        "publisher": "Screen Ledger",
        "url": "https://www.screenledger.example/tv/glass-orchard-director-interview",
        "published": datetime.date(2025, 3, 14),
    }
    assert not [p for p in folder.iterdir() if p.name.endswith(".part")]  # no temporary file left

    code, out, err = run(capsys, "ask", "--json", "Who directed The Glass Orchard?")
    answer = json.loads(out)
    assert code == 0 and "Marisol Quintero" in answer["quote"]
    assert answer["source"]["id"] == name
    assert answer["link"].startswith(entry["url"] + "#:~:text=")  # the link is the canonical address


def test_adding_the_same_page_again_updates_it(server, folder, capsys):
    url = server.url("/news/glass-orchard")
    assert run(capsys, "add", url)[0] == 0
    server.routes["/news/glass-orchard"] = Route(body=(PAGES / "news_updated.html").read_bytes())
    code, out, err = run(capsys, "add", url)
    assert code == 0 and out.startswith("updated the-glass-orchard"), err
    articles = sorted(p.name for p in folder.glob("*.txt"))
    assert len(articles) == 3  # not duplicated
    (name,) = [a for a in articles if a not in ("harbor-lights.txt", "moss-point.txt")]
    assert "ten episodes" in (folder / name).read_text(encoding="utf-8")
    data = tomllib.loads((folder / "sources.toml").read_text(encoding="utf-8"))
    assert list(data) == ["harbor-lights.txt", name]


def test_a_saved_page_can_be_added(folder, capsys):
    code, out, err = run(capsys, "add", str(PAGES / "news.html"))
    assert code == 0 and out.startswith("added the-glass-orchard"), err


def test_gzip_pages_are_read(server, folder, capsys):
    code, _out, err = run(capsys, "add", server.url("/compressed"))
    assert code == 0, err


def refused_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/news"  # nothing listens there any more


@pytest.mark.parametrize(
    "path, reason",
    [
        ("/gone", "HTTP 404"),
        (None, "connection refused"),
        ("/report.pdf", "not an HTML page (application/pdf)"),
        ("/huge", "larger than"),
        ("/huge-declared", "larger than"),
        ("/slow", "no answer within"),
        ("/tv", "no article text"),
    ],
)
def test_pages_that_cannot_be_added_are_one_line_errors_and_change_nothing(
    server, folder, capsys, monkeypatch, path, reason
):
    monkeypatch.setattr(fetch, "TIMEOUT_SECONDS", 1.0)
    monkeypatch.setattr(fetch, "MAX_BYTES", 3_000_000)
    url = server.url(path) if path else refused_url()
    before = snapshot(folder)
    code, out, err = run(capsys, "add", url)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith(f"showbot: error: {url}: ") and reason in err, err
    assert "Traceback" not in err
    assert snapshot(folder) == before


def test_some_added_some_not_is_exit_1(server, folder, capsys):
    code, out, err = run(capsys, "add", server.url("/gone"), server.url("/news/glass-orchard"))
    assert code == 1 and out.startswith("added ") and "HTTP 404" in err


def test_not_a_url(folder, capsys):
    code, _out, err = run(capsys, "add", "ftp://example.com/x", "no-such-file.html")
    assert code == 2 and err.count("\n") == 2
    assert "only http:// and https://" in err


def test_bundled_seeds_are_refused_with_a_hint(server, monkeypatch, capsys):
    monkeypatch.delenv("SHOWBOT_SEEDS", raising=False)
    code, _out, err = run(capsys, "add", server.url("/news/glass-orchard"))
    assert code == 2 and "bundled seeds" in err and "SHOWBOT_SEEDS" in err
    assert not server.requests


def test_remove_deletes_the_article_and_its_entry(server, folder, capsys):
    assert run(capsys, "add", server.url("/news/glass-orchard"))[0] == 0
    (name,) = [p.stem for p in folder.glob("the-glass*.txt")]
    code, out, err = run(capsys, "remove", name)
    assert (
        code == 0
        and out == f"removed {name}: “The Glass Orchard: director Marisol Quintero on the making of the show”\n"
    )
    assert not (folder / f"{name}.txt").exists()
    assert (folder / "sources.toml").read_text(encoding="utf-8").rstrip() == SOURCES.rstrip()
    before = snapshot(folder)
    code, out, err = run(capsys, "remove", name)
    assert code == 2 and "no such article" in err and snapshot(folder) == before
    assert run(capsys, "remove", "../etc/passwd")[0] == 2


def test_a_failed_write_leaves_no_half_file(server, folder, capsys, monkeypatch):
    from bot import folder as folder_module

    def broken(path, text):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(folder_module, "atomic_write", broken)
    before = snapshot(folder)
    code, _out, err = run(capsys, "add", server.url("/news/glass-orchard"))
    assert code == 2 and "No space left on device" in err
    assert snapshot(folder) == before


def test_public_only_refuses_local_and_private_addresses(server):
    for url in (server.url("/news/glass-orchard"), "http://localhost:9/", "http://10.0.0.1/", "http://[::1]/"):
        with pytest.raises(fetch.FetchError, match="private or local address"):
            fetch.fetch(url, public_only=True)
    for address in (
        "127.0.0.1",
        "10.1.2.3",
        "192.168.0.1",
        "172.16.5.4",
        "169.254.169.254",
        "100.64.0.1",
        "::1",
        "fe80::1",
        "fd00:ec2::254",
        "::ffff:127.0.0.1",
        "0.0.0.0",
        "224.0.0.1",
    ):
        assert not fetch.is_public(address), address
    for address in ("93.184.216.34", "2606:4700::1111", "1.1.1.1"):
        assert fetch.is_public(address), address


def test_a_redirect_to_a_private_address_is_refused(server, monkeypatch):
    server.routes["/hop"] = Route(status=302, headers=(("Location", server.url("/news/glass-orchard")),))
    # the first hop is allowed as if it were public; the redirect lands on loopback and must be checked again
    real = fetch.is_public
    calls = []

    def first_public(address):
        calls.append(address)
        return len(calls) == 1 or real(address)

    monkeypatch.setattr(fetch, "is_public", first_public)
    with pytest.raises(fetch.FetchError, match="private or local address"):
        fetch.fetch(server.url("/hop"), public_only=True)
    assert [p for p, _ in server.requests] == ["/hop"]


@pytest.fixture
def tls_server(monkeypatch):
    """An https server with a certificate for "localhost", which the fetcher is made to trust."""
    pages = PageServer(tls=True)
    pages.start()
    trusted = ssl.create_default_context(cafile=str(PAGES / "localhost.crt"))
    monkeypatch.setattr(fetch.ssl, "create_default_context", lambda: trusted)
    yield pages
    pages.stop()


def test_https_is_verified_against_the_host_name_although_the_checked_address_is_dialled(tls_server, folder, capsys):
    code, out, err = run(capsys, "add", tls_server.url("/news/glass-orchard"))
    assert code == 0 and out.startswith("added the-glass-orchard"), err
    # the certificate names "localhost" only: the same server reached as 127.0.0.1 must be refused
    by_address = tls_server.url("/news/glass-orchard").replace("localhost", "127.0.0.1")
    code, out, err = run(capsys, "add", by_address)
    assert code == 2 and "secure connection failed" in err and err.count("\n") == 1


def test_a_name_that_never_resolves_is_a_one_line_error_within_the_time_limit(monkeypatch):
    import time

    def hanging_lookup(*args, **kwargs):
        time.sleep(5)
        raise AssertionError("not reached in time")

    monkeypatch.setattr(socket, "getaddrinfo", hanging_lookup)
    started = time.monotonic()
    with pytest.raises(fetch.FetchError, match="cannot resolve slow.example within"):
        fetch.fetch("http://slow.example/page", timeout=0.5)
    assert time.monotonic() - started < 4.5  # the lookup itself takes 5 s


def test_an_article_not_in_english_is_added_with_a_word_about_it(folder, tmp_path, capsys):
    spanish = (
        "Club de Cuervos fue la primera serie original de Netflix en español y se estrenó en agosto de 2015. "
        "La historia sigue a los hermanos Chava e Isabel Iglesias, que se pelean por el control de un equipo "
        "de fútbol en el pueblo ficticio de Nuevo Toledo después de la muerte de su padre. La serie tuvo "
        "cuatro temporadas y un spin-off sobre Hugo Sánchez, y cada temporada llegó con más episodios."
    )
    page = tmp_path / "cuervos.html"
    page.write_text(
        f"<html><head><title>Club de Cuervos</title></head><body><article><h1>Club de Cuervos</h1>"
        f"<p>{spanish}</p><p>{spanish}</p></article></body></html>",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "add", str(page))
    assert code == 0 and out.startswith("added "), err
    assert "does not look like English" in out
    code, out, err = run(capsys, "add", str(PAGES / "news.html"))
    assert code == 0 and "English" not in out
