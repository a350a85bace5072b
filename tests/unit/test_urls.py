"""redact_url: credentials in a URL never reach a log or a reply."""

from __future__ import annotations

import pytest

from watchlists.urls import redact_url, redact_urls_in


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        pytest.param("https://user:pass@host/x?y=1#z", "https://***@host/x?y=1#z", id="both"),
        pytest.param("https://token@feeds.example/rss", "https://***@feeds.example/rss", id="user"),
        pytest.param("http://a@b:c@host:8080/p", "http://***@host:8080/p", id="at-in-password"),
        pytest.param("//u:p@host/x", "//***@host/x", id="scheme-relative"),
        pytest.param("https://host/x", "https://host/x", id="none"),
        pytest.param(
            "https://host/p?mail=a@b.example", "https://host/p?mail=a@b.example", id="query"
        ),
        pytest.param("https://host/@handle", "https://host/@handle", id="path"),
        pytest.param("mailto:a@b.example", "mailto:a@b.example", id="not-hierarchical"),
        pytest.param("", "", id="empty"),
    ],
)
def test_redact_url_hides_only_the_credentials(url: str, shown: str) -> None:
    assert redact_url(url) == shown


def test_redact_urls_in_text_hides_every_url_credentials() -> None:
    text = "invalid URL 'https://u:p@h.example/x': bad; see http://a:b@c.example/d, https://e/f@g"
    assert redact_urls_in(text) == (
        "invalid URL 'https://***@h.example/x': bad; see http://***@c.example/d, https://e/f@g"
    )
