"""HTTP like a careful client: one :class:`Fetcher` per run.

The fetcher holds one HTTP client (httpx, imported on first use) and applies, to every
request: connect and read timeouts and a deadline for the whole download; redirects followed
one by one (at most ``max_redirects``, only to http/https, a loop named as such); the body
decoded here (gzip, deflate, br) with the size limit counted on the decoded bytes, so that a
small compressed answer cannot unpack into gigabytes; retries with exponential backoff on
429 and 5xx answers and broken connections, waiting as long as ``Retry-After`` asks (up to
``max_wait``); a user agent; at most ``per_host`` requests at once to one host; and nothing
at all while offline (``RINGKAS_OFFLINE``). Every failure is a :class:`SourceError` naming
the URL and the reason (HTTP 404, a timeout, TLS, too big, ...), so a batch reports it like
a bad file and goes on.
"""

from __future__ import annotations

import email.utils
import os
import re
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ringkas._version import __version__
from ringkas.sources.errors import SourceError, too_big
from ringkas.sources.urls import join, usable

if TYPE_CHECKING:
    import httpx

__all__ = [
    "ACCEPT_HTML",
    "DEFAULT_USER_AGENT",
    "FetchOptions",
    "Fetched",
    "Fetcher",
    "offline",
]

DEFAULT_USER_AGENT = f"ringkas/{__version__} (news summaries from the command line)"
ACCEPT_HTML = "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8,*/*;q=0.5"
DEFAULT_MAX_BYTES = 2 * 1024 * 1024
# Answers worth asking again: rate limits and a server or gateway that failed for now.
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_STEP = 1 << 16  # bytes decoded at a time
_CUT_SHORT = "the download was cut short (the compressed data ends early)"
_TRUE = frozenset({"1", "on", "yes", "true"})
_SAFE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def offline() -> bool:
    """True when the user asked ringkas to use no network (RINGKAS_OFFLINE)."""
    return os.environ.get("RINGKAS_OFFLINE", "").strip().lower() in _TRUE


@dataclass(frozen=True)
class FetchOptions:
    """How carefully to fetch; the defaults suit a news site and an ordinary connection."""

    user_agent: str | None = None  # None: DEFAULT_USER_AGENT
    timeout: float = 20.0  # seconds to connect, and at most between two pieces of an answer
    max_bytes: int = DEFAULT_MAX_BYTES  # of the decoded page
    max_redirects: int = 5
    retries: int = 2
    backoff: float = 1.0  # seconds before the first retry; doubled for each next one
    max_wait: float = 120.0  # the longest Retry-After that is waited for
    per_host: int = 2  # requests at once to one host
    deadline: float | None = None  # seconds for one whole download; None: 6 x timeout

    @property
    def agent(self) -> str:
        return self.user_agent or DEFAULT_USER_AGENT


@dataclass(frozen=True)
class Fetched:
    """A successful answer: where it came from, what it says it is, and its decoded body."""

    url: str  # as asked
    final_url: str  # after redirects
    status: int
    media_type: str  # "text/html": lower case, without parameters; "" when not given
    charset: str | None  # from the Content-Type header
    data: bytes
    headers: Mapping[str, str] = field(default_factory=dict)


class _Retry(Exception):
    """An answer or a failure worth another try (after ``wait`` seconds, if given)."""

    def __init__(self, error: SourceError, wait: float | None = None) -> None:
        super().__init__(error.reason)
        self.error = error
        self.wait = wait


class Fetcher:
    """Fetches pages for one run; safe to use from several threads at once."""

    def __init__(self, options: FetchOptions | None = None) -> None:
        self.options = options or FetchOptions()
        self._client: httpx.Client | None = None
        self._lock = threading.Lock()
        self._hosts: dict[str, threading.BoundedSemaphore] = {}
        self._cancelled = threading.Event()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None

    def cancel(self) -> None:
        """Stop waiting and downloading: what is in progress fails as interrupted."""
        self._cancelled.set()

    # -- the public call

    def fetch(self, url: str, *, accept: str = ACCEPT_HTML, source: str | None = None) -> Fetched:
        """GET ``url``, following redirects; raises :class:`SourceError` naming ``source``
        (default: the URL) on any failure."""
        source = source or url
        if offline():
            raise SourceError(source, "not fetched: offline (RINGKAS_OFFLINE is set)")
        if not usable(url):
            raise SourceError(source, "not a usable web address")
        options = self.options
        chain = [url]
        current = url
        while True:
            status, headers, data, final = self._with_retries(current, accept, source)
            if status in _REDIRECTS and headers.get("location"):
                location = headers["location"].strip()
                target = join(final, location)
                if target is None:
                    raise SourceError(
                        source, f"redirected to {_shown(location)}, which is not a web page"
                    )
                if target in chain:
                    raise SourceError(source, f"redirects in a loop (back to {_shown(target)})")
                if len(chain) > options.max_redirects:
                    raise SourceError(
                        source, f"too many redirects (more than {options.max_redirects})"
                    )
                chain.append(target)
                current = target
                continue
            if not 200 <= status < 300:
                raise SourceError(source, _status_reason(status), _status_hint(status))
            media_type, charset = _content_type(headers.get("content-type", ""))
            return Fetched(url, final, status, media_type, charset, data or b"", headers)

    # -- retries, one exchange, the body

    def _with_retries(
        self, url: str, accept: str, source: str
    ) -> tuple[int, dict[str, str], bytes | None, str]:
        options = self.options
        for attempt in range(options.retries + 1):
            try:
                return self._exchange(url, accept, source)
            except _Retry as retry:
                if attempt == options.retries:
                    raise retry.error from None
                wait = options.backoff * 2**attempt if retry.wait is None else retry.wait
                if wait > options.max_wait:
                    raise SourceError(
                        source, f"{retry.error.reason} (the server asks to wait {wait:.0f} s)"
                    ) from None
                if self._cancelled.wait(wait):
                    raise SourceError(source, "not fetched: interrupted") from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _exchange(
        self, url: str, accept: str, source: str
    ) -> tuple[int, dict[str, str], bytes | None, str]:
        import httpx

        options = self.options
        client = self._http()
        with self._host_slot(url, source):
            started = time.monotonic()
            try:
                with client.stream("GET", url, headers={"Accept": accept}) as response:
                    status = response.status_code
                    headers = {k.lower(): v for k, v in response.headers.items()}
                    final = str(response.url)
                    if status in RETRY_STATUSES:
                        error = SourceError(source, _status_reason(status), _status_hint(status))
                        raise _Retry(error, _retry_after(headers.get("retry-after")))
                    if status < 200 or status >= 300:
                        return status, headers, None, final
                    data = self._body(response, headers, source, started)
                    return status, headers, data, final
            except httpx.HTTPError as exc:
                error = SourceError(source, _failure_reason(exc, url, options.timeout))
                if _transient(exc):
                    raise _Retry(error) from exc
                raise error from exc
            except (httpx.InvalidURL, ValueError, UnicodeError) as exc:  # a bad host, port...
                reason = f"not a usable web address ({_shown(str(exc))})"
                raise SourceError(source, reason) from exc

    def _body(
        self, response: httpx.Response, headers: dict[str, str], source: str, started: float
    ) -> bytes:
        limit = self.options.max_bytes
        seconds = self.options.deadline or 6 * self.options.timeout
        coding = headers.get("content-encoding", "").strip().lower()
        length = headers.get("content-length", "").strip()
        if coding in ("", "identity") and length.isdigit() and int(length) > limit:
            raise too_big(source, limit, int(length))
        decoder = _decoder(coding, source)
        pieces: list[bytes] = []
        size = 0
        for raw in response.iter_raw():  # as it arrives: no waiting for a full chunk
            if self._cancelled.is_set():
                raise SourceError(source, "not fetched: interrupted")
            if time.monotonic() - started > seconds:
                raise SourceError(source, f"took too long to download (over {seconds:g} s)")
            for piece in decoder.feed(raw):
                size += len(piece)
                if size > limit:
                    raise too_big(source, limit)
                pieces.append(piece)
        decoder.finish()
        return b"".join(pieces)

    # -- the client, hosts

    def _http(self) -> httpx.Client:
        with self._lock:
            if self._client is None:
                import httpx

                options = self.options
                self._client = httpx.Client(
                    timeout=httpx.Timeout(options.timeout),
                    follow_redirects=False,  # followed by hand: each hop checked
                    headers={
                        "User-Agent": options.agent,
                        "Accept-Encoding": "gzip, deflate, br",
                        "Accept-Language": "id, en;q=0.7",
                    },
                    limits=httpx.Limits(max_connections=32, max_keepalive_connections=8),
                )
            return self._client

    @contextmanager
    def _host_slot(self, url: str, source: str) -> Iterator[None]:
        host = urlsplit(url).netloc.lower()
        with self._lock:
            slot = self._hosts.get(host)
            if slot is None:
                slot = self._hosts[host] = threading.BoundedSemaphore(self.options.per_host)
        while not slot.acquire(timeout=0.1):
            if self._cancelled.is_set():
                raise SourceError(source, "not fetched: interrupted")
        try:
            yield
        finally:
            slot.release()


# -- answers and failures in words ---------------------------------------------------------


def _shown(text: str, limit: int = 120) -> str:
    """Server-supplied text fit for a one-line message: no control characters, not too long."""
    text = _SAFE.sub("?", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _status_reason(status: int) -> str:
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = ""
    return f"HTTP {status} {phrase}".rstrip()


def _status_hint(status: int) -> str | None:
    if status in (401, 403):
        return "the site refuses ringkas; some sites answer only browsers (see --user-agent)"
    if status == 404:
        return "check the address"
    return None


def _content_type(value: str) -> tuple[str, str | None]:
    media, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, raw = param.partition("=")
        if name.strip().lower() == "charset" and raw.strip():
            charset = raw.strip().strip("\"'").lower() or None
    return media.strip().lower(), charset


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def _cause(exc: BaseException, kind: type[BaseException]) -> Any:
    """The first exception of ``kind`` in the chain that led to ``exc``."""
    seen = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, kind):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def _transient(exc: Exception) -> bool:
    """A broken or refused connection may work next time; a timeout, TLS or a host that
    does not exist will not."""
    import httpx

    if isinstance(exc, httpx.TimeoutException):
        return False
    if _cause(exc, ssl.SSLError) is not None or _cause(exc, socket.gaierror) is not None:
        return False
    return isinstance(exc, (httpx.ConnectError, httpx.ReadError, httpx.RemoteProtocolError))


def _failure_reason(exc: Exception, url: str, timeout: float) -> str:
    import httpx

    host = urlsplit(url).hostname or url
    if isinstance(exc, httpx.ConnectTimeout):
        return f"timed out connecting to {host} (no answer in {timeout:g} s)"
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out (the server sent nothing for {timeout:g} s)"
    verify = _cause(exc, ssl.SSLCertVerificationError)
    if verify is not None:
        return f"TLS: the certificate is not trusted ({_shown(str(verify.verify_message))})"
    tls = _cause(exc, ssl.SSLError)
    if tls is not None:
        return f"TLS error ({_shown(str(tls.reason or tls))})"
    if _cause(exc, socket.gaierror) is not None:
        return f"cannot find the host {host}"
    if _cause(exc, ConnectionRefusedError) is not None:
        return f"{host} refused the connection"
    if isinstance(exc, (httpx.UnsupportedProtocol, httpx.InvalidURL, httpx.LocalProtocolError)):
        return f"not a usable web address ({_shown(str(exc))})"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"the server broke off its answer ({_shown(str(exc))})"
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect to {host} ({_shown(str(exc))})"
    if isinstance(exc, httpx.ReadError):
        return "the connection broke during the download"
    return _shown(str(exc)) or type(exc).__name__


# -- content decoding, bounded --------------------------------------------------------------


class _Identity:
    def feed(self, data: bytes) -> Iterator[bytes]:
        yield data

    def finish(self) -> None:
        pass


class _Zlib:
    """gzip or deflate, at most _STEP bytes out per step (a bomb is stopped by the limit
    before it is unpacked)."""

    def __init__(self, source: str, gzip: bool) -> None:
        self.source = source
        self.gzip = gzip
        self.raw = False  # "deflate" sent without its zlib header, as some servers do
        self.started = False
        self._new()

    def _new(self) -> None:
        wbits = (
            16 + zlib.MAX_WBITS if self.gzip else (-zlib.MAX_WBITS if self.raw else zlib.MAX_WBITS)
        )
        self.inflater = zlib.decompressobj(wbits)

    def feed(self, data: bytes) -> Iterator[bytes]:
        while True:
            try:
                piece = self.inflater.decompress(data, _STEP)
            except zlib.error as exc:
                if not self.gzip and not self.raw and not self.started:
                    self.raw = True
                    self._new()
                    continue
                raise SourceError(self.source, f"the compressed page is damaged ({exc})") from exc
            self.started = True
            if piece:
                yield piece
            data = self.inflater.unconsumed_tail
            if not data and len(piece) < _STEP:
                return

    def finish(self) -> None:
        if self.started and not self.inflater.eof:
            raise SourceError(
                self.source, "the download was cut short (compressed data ends early)"
            )


class _Brotli:
    def __init__(self, source: str) -> None:
        import brotli

        self.source = source
        self.error = brotli.error
        self.decompressor = brotli.Decompressor()

    def feed(self, data: bytes) -> Iterator[bytes]:
        try:
            piece = self.decompressor.process(data, output_buffer_limit=_STEP)
            if piece:
                yield piece
            while not self.decompressor.can_accept_more_data():
                piece = self.decompressor.process(b"", output_buffer_limit=_STEP)
                if piece:
                    yield piece
        except self.error as exc:
            raise SourceError(self.source, f"the compressed page is damaged ({exc})") from exc

    def finish(self) -> None:
        if not self.decompressor.is_finished():
            raise SourceError(
                self.source, "the download was cut short (compressed data ends early)"
            )


def _decoder(coding: str, source: str) -> _Identity | _Zlib | _Brotli:
    if coding in ("", "identity"):
        return _Identity()
    if coding in ("gzip", "x-gzip"):
        return _Zlib(source, gzip=True)
    if coding == "deflate":
        return _Zlib(source, gzip=False)
    if coding == "br":
        return _Brotli(source)
    raise SourceError(
        source, f"the page is sent in an encoding ringkas cannot read ({_shown(coding)})"
    )
