"""Canonical URLs and story keys.

Canonical URL
    Scheme and host are lower-cased; ``www.``, ``m.`` and ``amp.`` host prefixes, default
    ports, fragments, tracking parameters (``utm_*``, ``fbclid``, ``gclid``, ``mc_cid``,
    ``ref``, ``cmpid``, ``ocid`` ...) and AMP markers (an ``amp`` path segment, ``?amp``,
    ``.amp.html``, ``outputType=amp``) are removed, as is a trailing slash; the remaining
    query parameters keep their order.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from watchlists.model import Article

TRACKING_PARAMETERS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gclsrc",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "ref",
        "ref_src",
        "ref_url",
        "referrer",
        "cmpid",
        "cmp",
        "ocid",
        "icid",
        "ncid",
        "cid",
        "sr_share",
        "smid",
        "smtyp",
        "spm",
        "soc_src",
        "soc_trk",
        "share",
        "via",
        "_ga",
        "_gl",
        "amp",
        "outputtype",
        "rss",
        "taid",
        "s_cid",
        "wt.mc_id",
        "mkt_tok",
    }
)
TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "hsa_", "_hs", "at_", "oly_")
_HOST_PREFIXES = ("www.", "amp.", "m.")
_DEFAULT_PORTS = {"http": 80, "https": 443}


@lru_cache(maxsize=4096)
def canonical_url(url: str) -> str:
    """The URL with tracking, AMP and cosmetic differences removed."""
    url = url.strip()
    if not url:
        return ""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    for prefix in _HOST_PREFIXES:
        if host.startswith(prefix) and host.count(".") >= 2:
            host = host[len(prefix) :]
            break
    netloc = host
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        netloc = f"{host}:{port}"
    path = parts.path
    if path.endswith(".amp.html"):
        path = path[: -len(".amp.html")] + ".html"
    elif path.endswith(".amp"):
        path = path[: -len(".amp")]
    segments = [segment for segment in path.split("/") if segment.lower() != "amp"]
    path = "/".join(segments)
    path = re.sub(r"/{2,}", "/", path).rstrip("/")
    query = [
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _is_tracking(name)
    ]
    return urlunsplit((scheme, netloc, path, urlencode(query, doseq=True), ""))


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMETERS or lowered.startswith(TRACKING_PREFIXES)


def story_key(article: Article) -> str:
    """The key of a story that starts with this article."""
    basis = canonical_url(article.url) or article.id
    return "st-" + hashlib.sha1(basis.encode("utf-8")).hexdigest()[:12]
