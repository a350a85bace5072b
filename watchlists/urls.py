"""URLs as they may be shown: credentials in a feed URL never reach a log or a reply.

Rule: the user name and password of a URL (`https://user:pass@host/...`) are replaced by
`***` (`https://***@host/...`); every other character of the URL is kept as it was, and
a URL without credentials is returned unchanged. Pure text work: no parsing that can fail.
"""

from __future__ import annotations

import re

REDACTED = "***"
# The scheme, then the authority's user information: everything up to its last "@".
_USERINFO = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*:)?//(?P<userinfo>[^/?#]*)@")
# The same inside free text (an error message): an http(s) URL, its authority up to an "@".
_URL_WITH_USERINFO = re.compile(r"(?P<scheme>\bhttps?:)//[^/?#\s'\"<>]*@", re.IGNORECASE)


def redact_url(url: str) -> str:
    """url with its user name and password, if any, replaced by ***."""
    return _USERINFO.sub(lambda found: f"{found['scheme'] or ''}//{REDACTED}@", url, count=1)


def redact_urls_in(text: str) -> str:
    """text with the credentials of every http(s) URL in it replaced by ***."""
    return _URL_WITH_USERINFO.sub(lambda found: f"{found['scheme']}//{REDACTED}@", text)


def split_credentials(url: str) -> tuple[str, str]:
    """url as it may be stored in clear (credentials as ***) and its user information."""
    found = _USERINFO.match(url)
    if found is None:
        return url, ""
    return redact_url(url), found["userinfo"]


def join_credentials(stored_url: str, userinfo: str) -> str:
    """The URL split_credentials took apart, with its user information back in place."""
    if not userinfo:
        return stored_url
    return _USERINFO.sub(lambda found: f"{found['scheme'] or ''}//{userinfo}@", stored_url, count=1)
