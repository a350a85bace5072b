"""SSRF guard for feed fetching: which URLs and addresses dealwatch may connect to.

Rules:
- Only `http` and `https` URLs with a host name, at most 2,000 characters long, are fetched.
- The host is resolved with `socket.getaddrinfo` and refused when ANY of its addresses is
  loopback, private, link-local, multicast, reserved, unspecified, shared (100.64/10) or
  otherwise not globally routable, or a cloud metadata address (169.254.169.254,
  fd00:ec2::254, 100.100.100.200, 192.0.0.192). IPv6 forms that embed an IPv4 address
  (IPv4-mapped `::ffff:a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`) are judged by the
  IPv4 address inside them.
- `FetchPolicy(allow_loopback=True)` lets loopback through (and only loopback): tests serve
  feeds from 127.0.0.1.
- The fetcher checks every redirect hop with `check_url` before requesting it, which gives
  a clear reason in `FetchResult.error`.
- DNS pinning: the client from `build_guarded_client` connects through
  `GuardedNetworkBackend`, which resolves the host itself, refuses blocked addresses and
  connects to exactly the addresses it checked. So a host that answers a public address
  to the check and a private one to the connection (DNS rebinding) is still refused.
  A caller-supplied `httpx.Client` that was not built by `build_guarded_client` only gets
  the per-hop check, and keeps that rebinding gap; environment proxies are ignored
  (`trust_env=False`) because a proxy would connect on our behalf, out of the guard's sight.
- Wall-clock deadline: inside `wall_clock_deadline(seconds)`, every connect, TLS handshake,
  read and write of a guarded client in that thread waits at most until the deadline, so
  a server that drips a byte every few seconds (within the read timeout every time) is
  cut off on time, in the headers as in the body.
"""

from __future__ import annotations

import functools
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpcore
import httpx

from watchlists.urls import redact_url

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]

MEGABYTE = 1024 * 1024
# The width of source.url in db/tables.py: a longer feed URL could never be stored.
MAX_URL_CHARS = 2000

CLOUD_METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(address)
    for address in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200", "192.0.0.192")
)
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


class URLRefused(Exception):
    """The guard will not fetch this URL; str(error) is the one-line reason."""


def resolve_host(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for host, without duplicates."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


@dataclass(frozen=True)
class FetchPolicy:
    """Limits for one fetch: allowed addresses, size, redirects and time."""

    allow_loopback: bool = False
    max_bytes: int = 10 * MEGABYTE
    max_redirects: int = 5
    connect_timeout_s: float = 10.0
    read_timeout_s: float = 20.0
    total_timeout_s: float = 60.0
    resolver: Resolver = field(default=resolve_host, compare=False, repr=False)


def _embedded_ipv4(address: IPAddress) -> IPAddress:
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if address in _NAT64:
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if address.sixtofour is not None:
            return address.sixtofour
    return address


def blocked_reason(address: str, *, allow_loopback: bool = False) -> str | None:
    """Why connecting to this IP address is refused, or None when it is allowed."""
    try:
        parsed = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return f"not an IP address {address}"
    inner = _embedded_ipv4(parsed)
    for candidate in dict.fromkeys((parsed, inner)):
        if candidate in CLOUD_METADATA_ADDRESSES:
            return "a cloud metadata address"
    if inner.is_loopback:
        return None if allow_loopback else "a loopback address"
    # The order matters only for the wording: the most specific category first.
    categories = (
        ("unspecified", inner.is_unspecified),
        ("link-local", inner.is_link_local),
        ("multicast", inner.is_multicast),
        ("reserved", inner.is_reserved),
        ("private", inner.is_private),
        ("non-public", not inner.is_global),
    )
    for name, applies in categories:
        if applies:
            return f"a {name} address"
    return None


def check_addresses(host: str, addresses: Iterable[str], *, allow_loopback: bool) -> list[str]:
    """The addresses when all are allowed; URLRefused naming the first blocked one otherwise."""
    checked = list(addresses)
    if not checked:
        raise URLRefused(f"cannot resolve {host}: no addresses")
    for address in checked:
        reason = blocked_reason(address, allow_loopback=allow_loopback)
        if reason:
            # An address given as the host is not repeated; a resolved one is named.
            if host.strip("[]") == address:
                raise URLRefused(f"blocked: {host} is {reason}")
            raise URLRefused(f"blocked: {host} resolves to {reason} {address}")
    return checked


def check_host(host: str, port: int, policy: FetchPolicy) -> list[str]:
    """Resolve host and return its addresses; URLRefused when one is blocked or none exist."""
    try:
        addresses = policy.resolver(host, port)
    except (OSError, UnicodeError) as error:
        raise URLRefused(f"cannot resolve {host}: {error}") from None
    return check_addresses(host, addresses, allow_loopback=policy.allow_loopback)


def check_url(url: str, policy: FetchPolicy) -> list[str]:
    """Check scheme and host of url against the policy; the resolved addresses when allowed."""
    if len(url) > MAX_URL_CHARS:
        raise URLRefused(f"invalid URL: longer than {MAX_URL_CHARS} characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise URLRefused(f"invalid URL {redact_url(url)!r}: {error}") from None
    if parts.scheme not in {"http", "https"}:
        raise URLRefused(f"blocked: only http and https URLs are fetched, not {redact_url(url)!r}")
    host = parts.hostname
    if not host:
        raise URLRefused(f"invalid URL {redact_url(url)!r}: no host")
    default_port = 443 if parts.scheme == "https" else 80
    return check_host(host, port or default_port, policy)


_deadlines = threading.local()


@contextmanager
def wall_clock_deadline(seconds: float) -> Iterator[float]:
    """Within the block, guarded sockets of this thread give up `seconds` from now."""
    outer: float | None = getattr(_deadlines, "at", None)
    deadline = time.monotonic() + seconds
    _deadlines.at = deadline if outer is None else min(outer, deadline)
    try:
        yield _deadlines.at
    finally:
        _deadlines.at = outer


def _within_deadline(timeout: float | None, expired: type[Exception]) -> float | None:
    """timeout shortened to what is left before this thread's deadline; expired when none is."""
    deadline: float | None = getattr(_deadlines, "at", None)
    if deadline is None:
        return timeout
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise expired("the wall-clock deadline has passed")
    return remaining if timeout is None else min(timeout, remaining)


class _DeadlineStream(httpcore.NetworkStream):
    """A network stream whose every operation ends by the thread's wall-clock deadline."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        """Read, waiting no longer than the deadline allows."""
        return self._inner.read(max_bytes, _within_deadline(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        """Write, waiting no longer than the deadline allows."""
        self._inner.write(buffer, _within_deadline(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        """Close the inner stream."""
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        """The TLS stream over this one, its handshake bounded by the deadline too."""
        limit = _within_deadline(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, limit))

    def get_extra_info(self, info: str) -> object:
        """What the inner stream says."""
        return self._inner.get_extra_info(info)


class GuardedNetworkBackend(httpcore.SyncBackend):
    """An httpcore backend that connects only to addresses the guard has just checked."""

    def __init__(self, policy: FetchPolicy) -> None:
        self.policy = policy

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        """Resolve and check host, then connect to the first checked address that answers."""
        addresses = check_host(host, port, self.policy)
        last_error: Exception | None = None
        for address in addresses:
            limit = _within_deadline(timeout, httpcore.ConnectTimeout)
            try:
                stream = super().connect_tcp(address, port, limit, local_address, socket_options)
                return _DeadlineStream(stream)
            except httpcore.ConnectError as error:
                last_error = error
        assert last_error is not None
        raise last_error


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    # Loading the CA bundle takes ~100 ms; one verifying context serves every fetch.
    return httpx.create_ssl_context(trust_env=False)


class _GuardedTransport(httpx.HTTPTransport):
    def __init__(self, policy: FetchPolicy) -> None:
        super().__init__(verify=_ssl_context(), trust_env=False)
        # httpx.HTTPTransport takes no network backend; its pool does (httpx 0.28).
        self._pool = httpcore.ConnectionPool(
            ssl_context=_ssl_context(),
            network_backend=GuardedNetworkBackend(policy),
        )


def build_guarded_client(policy: FetchPolicy) -> httpx.Client:
    """An httpx.Client whose every connection goes through the SSRF guard (DNS pinned)."""
    return httpx.Client(
        transport=_GuardedTransport(policy),
        trust_env=False,
        follow_redirects=False,
        timeout=httpx.Timeout(
            policy.read_timeout_s, connect=policy.connect_timeout_s, pool=policy.connect_timeout_s
        ),
    )
