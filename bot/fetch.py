"""Fetch one web page with care: http(s) only, a time limit, a size cap, and optionally public addresses only.

``showbot add`` trusts its operator; a URL given in Discord is fetched with
``public_only=True``: every address the host resolves to (at every redirect)
must be a public one, and the connection goes to the address that was checked,
so a server admin cannot make the bot read its host's own network.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import threading
import time
import zlib
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

USER_AGENT = "showbot/0.1 (article importer of a Discord bot that quotes news articles)"
TIMEOUT_SECONDS = 15.0  # for the whole fetch, redirects included
MAX_BYTES = 5_000_000  # a news page is rarely over 1 MB
MAX_REDIRECTS = 5
HTML_TYPES = ("text/html", "application/xhtml+xml")
CHUNK = 65536


class FetchError(Exception):
    """The page could not be fetched; the message is one line naming why."""


@dataclass(frozen=True)
class Page:
    url: str  # the address the page was finally read from (after redirects)
    body: bytes
    charset: str | None


def is_public(address: str) -> bool:
    """Whether an IP address is a public one: not loopback, private, link-local, metadata, multicast or reserved."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def check_url(url: str) -> tuple[str, str, int]:
    """The scheme, host and port of an http(s) URL; FetchError for anything else."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise FetchError(f"not a valid URL ({exc})") from None
    if parts.scheme not in ("http", "https"):
        raise FetchError("only http:// and https:// addresses can be added")
    if not parts.hostname:
        raise FetchError("the URL has no host name")
    return parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80)


def _lookup(host: str, port: int, timeout: float) -> list:
    """``socket.getaddrinfo`` with a time limit (the system resolver has none of its own to give)."""
    found: dict = {}

    def run() -> None:
        try:
            found["infos"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except BaseException as exc:  # raised again in the caller's thread
            found["error"] = exc

    thread = threading.Thread(target=run, name="showbot-resolve", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise FetchError(f"cannot resolve {host} within {timeout:g} s")
    if "error" in found:
        raise found["error"]
    return found["infos"]


def _addresses(host: str, port: int, public_only: bool, timeout: float = TIMEOUT_SECONDS) -> list[str]:
    try:
        infos = _lookup(host, port, timeout)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"cannot resolve {host} ({getattr(exc, 'strerror', None) or exc})") from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if public_only and not all(is_public(a) for a in addresses):
        raise FetchError(
            f"{host} is a private or local address; only public web pages can be added from Discord"
            " (the bot's operator can allow others with SHOWBOT_ALLOW_PRIVATE_URLS=1)"
        )
    return addresses


def _connection(scheme: str, host: str, port: int, addresses: list[str], timeout: float) -> http.client.HTTPConnection:
    """A connection to ``host`` that connects to one of the already checked ``addresses`` only."""
    if scheme == "https":
        conn: http.client.HTTPConnection = http.client.HTTPSConnection(
            host, port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        conn = http.client.HTTPConnection(host, port, timeout=timeout)

    def connect(_address, timeout, source_address=None):  # the host name is never resolved again
        last: OSError | None = None
        for address in addresses:
            try:
                return socket.create_connection((address, port), timeout, source_address)
            except OSError as exc:
                last = exc
        raise last or OSError("no address")

    conn._create_connection = connect  # type: ignore[attr-defined]
    return conn


def _read(response: http.client.HTTPResponse, deadline: float, max_bytes: int) -> bytes:
    length = response.getheader("Content-Length")
    if length and length.isdigit() and int(length) > max_bytes:
        raise FetchError(f"the page is larger than {max_bytes // 1_000_000} MB")
    encoding = (response.getheader("Content-Encoding") or "identity").strip().lower()
    inflate = zlib.decompressobj(16 + zlib.MAX_WBITS) if encoding in ("gzip", "x-gzip") else None
    if inflate is None and encoding != "identity":
        raise FetchError(f"the server sent an unsupported encoding ({encoding})")
    out = bytearray()
    while True:
        if time.monotonic() > deadline:
            raise TimeoutError
        chunk = response.read1(CHUNK)
        if not chunk:
            break
        out += inflate.decompress(chunk, max_bytes + 1 - len(out)) if inflate else chunk
        if len(out) > max_bytes:
            raise FetchError(f"the page is larger than {max_bytes // 1_000_000} MB")
    return bytes(out)


def fetch(
    url: str,
    *,
    public_only: bool = False,
    timeout: float | None = None,
    max_bytes: int | None = None,
) -> Page:
    """The HTML page at ``url``, following up to five redirects. Raises FetchError with a one-line reason."""
    timeout = TIMEOUT_SECONDS if timeout is None else timeout
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    deadline = time.monotonic() + timeout
    for _ in range(MAX_REDIRECTS + 1):
        scheme, host, port = check_url(url)
        addresses = _addresses(host, port, public_only, max(0.1, deadline - time.monotonic()))
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        conn = _connection(scheme, host, port, addresses, max(0.1, deadline - time.monotonic()))
        try:
            conn.request(
                "GET",
                target,
                headers={
                    "User-Agent": USER_AGENT,
                    "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
                    "Accept-Encoding": "gzip",
                },
            )
            response = conn.getresponse()
            if response.status in (301, 302, 303, 307, 308) and response.getheader("Location"):
                url = urljoin(url, response.getheader("Location", ""))
                continue
            if response.status != 200:
                raise FetchError(f"the server answered HTTP {response.status} {response.reason}".rstrip())
            content_type = response.getheader("Content-Type") or ""
            mime = content_type.split(";", 1)[0].strip().lower()
            if mime not in HTML_TYPES:
                raise FetchError(f"not an HTML page ({mime or 'no content type'})")
            body = _read(response, deadline, max_bytes)
            charset = response.msg.get_param("charset") if content_type else None
            return Page(url=url, body=body, charset=str(charset) if charset else None)
        except TimeoutError:
            raise FetchError(f"no answer within {timeout:g} s") from None
        except ssl.SSLError as exc:
            raise FetchError(f"secure connection failed ({exc.reason or exc})") from None
        except ConnectionRefusedError:
            raise FetchError("connection refused") from None
        except (OSError, http.client.HTTPException, zlib.error) as exc:
            raise FetchError(f"cannot read the page ({exc.__class__.__name__}: {exc})".rstrip()) from None
        finally:
            conn.close()
    raise FetchError(f"more than {MAX_REDIRECTS} redirects")
