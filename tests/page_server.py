"""A small web server on 127.0.0.1 serving realistic pages (and broken ones) for the tests of adding sources."""

from __future__ import annotations

import gzip
import ssl
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PAGES = Path(__file__).resolve().parent / "data" / "pages"
HTML = "text/html; charset=utf-8"


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:  # a client that hangs up early is expected here
        pass


@dataclass
class Route:
    status: int = 200
    content_type: str | None = HTML
    body: bytes = b""
    delay: float = 0.0  # seconds before answering (a server that hangs)
    headers: tuple[tuple[str, str], ...] = ()
    length: bool = True  # send Content-Length (else the body ends when the connection closes)


class PageServer:
    """``start()`` -> base URL. ``routes`` maps a path to what is served there; it may change during a test."""

    def __init__(self, tls: bool = False) -> None:
        self.tls = tls  # serve https with the test certificate for "localhost" (tests/data/pages/localhost.crt)
        self.routes: dict[str, Route] = {
            "/news/glass-orchard": Route(body=(PAGES / "news.html").read_bytes()),
            "/tv": Route(body=(PAGES / "no_article.html").read_bytes()),
            "/gone": Route(status=404, body=b"<html><body><h1>Not found</h1></body></html>"),
            "/report.pdf": Route(content_type="application/pdf", body=b"%PDF-1.4\n" + b"0" * 2000),
            "/huge": Route(body=b"<html><body>" + b"<p>word</p>" * 600_000 + b"</body></html>", length=False),
            "/huge-declared": Route(body=b"<html><body>" + b"<p>word</p>" * 600_000 + b"</body></html>"),
            "/slow": Route(body=(PAGES / "news.html").read_bytes(), delay=30.0),
            "/compressed": Route(
                body=gzip.compress((PAGES / "news.html").read_bytes()), headers=(("Content-Encoding", "gzip"),)
            ),
        }
        self.requests: list[tuple[str, str]] = []  # (path, User-Agent)
        self._stop = threading.Event()

    def start(self) -> str:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                server.requests.append((self.path, self.headers.get("User-Agent", "")))
                route = server.routes.get(self.path) or Route(status=404, body=b"not here")
                if route.delay and server._stop.wait(route.delay):
                    return
                self.send_response(route.status)
                if route.content_type:
                    self.send_header("Content-Type", route.content_type)
                for name, value in route.headers:
                    self.send_header(name, value)
                if route.length:
                    self.send_header("Content-Length", str(len(route.body)))
                else:
                    self.send_header("Connection", "close")
                    self.close_connection = True
                self.end_headers()
                try:
                    self.wfile.write(route.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args) -> None:
                pass

        self.httpd = QuietServer(("127.0.0.1", 0), Handler)
        if self.tls:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(PAGES / "localhost.crt", PAGES / "localhost.key")
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()
        port = self.httpd.server_address[1]
        self.base = f"https://localhost:{port}" if self.tls else f"http://127.0.0.1:{port}"
        return self.base

    def url(self, path: str) -> str:
        return self.base + path

    def stop(self) -> None:
        self._stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)
