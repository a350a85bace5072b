"""POST /ingest over real HTTP (uvicorn on a free port) on SQLite and PostgreSQL.

Tests that store articles run on every configured database; tests of refusals (auth,
size, malformed bodies) share one server on one migrated SQLite file, as they must never
reach the database.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from starlette.applications import Starlette

from bot.ingest.endpoint import SOURCE_URL, ingest_route
from bot.pipeline import Pipeline
from bot.settings import Settings
from db.engine import make_engine, upgrade
from db.store import SqlStore
from tests.fakes.servers import serve_asgi
from watchlists.model import Entity

TOKEN = "s3cret-ingest-token"
CAP = 4_000
NOW = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)

FIRST = {
    "id": "push-1",
    "title": "Northwind Capital leads round in a battery startup",
    "text": "Northwind Capital put money into a maker of sodium cells.",
    "url": "https://news.test/northwind-round",
    "published": "2026-11-02T08:30:00Z",
    "source": "Test Wire",
}
SECOND = {
    "title": "Quiet week for harbour logistics",
    "text": "Nothing changed hands at the port this week.",
    "url": "https://news.test/harbour",
}


@dataclass
class Endpoint:
    """The served endpoint's URL and the database behind it."""

    url: str
    engine: Engine
    store: SqlStore

    def post(self, body: object, token: str | None = TOKEN, **kwargs: object) -> httpx.Response:
        """POST body as JSON with the bearer token (none when token is None)."""
        headers = {"Content-Type": "application/json"}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        content = body if isinstance(body, bytes) else json.dumps(body).encode()
        return httpx.post(f"{self.url}/ingest", content=content, headers=headers, timeout=10)


def _serve(engine: Engine, settings: Settings) -> Iterator[Endpoint]:
    store = SqlStore(engine)
    app = Starlette(routes=[ingest_route(store, settings)])
    with serve_asgi(app) as url:
        yield Endpoint(url=url, engine=engine, store=store)


@pytest.fixture
def endpoint(engine: Engine) -> Iterator[Endpoint]:
    """The endpoint with a token and a small size cap, on the test database."""
    yield from _serve(engine, Settings(ingest_token=TOKEN, ingest_max_bytes=CAP))


@pytest.fixture(scope="module")
def shared_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """One migrated SQLite database for the whole module."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('ingest') / 'refusals.db'}")
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def refusing(shared_engine: Engine) -> Iterator[Endpoint]:
    """One endpoint shared by the refusal tests; it must stay empty."""
    yield from _serve(shared_engine, Settings(ingest_token=TOKEN, ingest_max_bytes=CAP))


def _stored(engine: Engine) -> list[tuple[str, str, str, bool]]:
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT a.guid, a.title, s.url, a.matched_at IS NULL FROM article a "
                "JOIN source s ON s.id = a.source_id ORDER BY a.id"
            )
        )
        return [(row[0], row[1], row[2], bool(row[3])) for row in rows]


def test_one_article_is_stored_unprocessed_under_the_http_source(endpoint: Endpoint) -> None:
    response = endpoint.post(FIRST)
    assert response.status_code == 202, response.text
    assert response.json() == {"received": 1, "new": 1}
    assert _stored(endpoint.engine) == [("push-1", FIRST["title"], SOURCE_URL, True)]


def test_a_list_is_stored_and_a_resend_counts_nothing_new(endpoint: Endpoint) -> None:
    assert endpoint.post([FIRST, SECOND]).json() == {"received": 2, "new": 2}
    again = endpoint.post([SECOND, FIRST])
    assert again.status_code == 202
    assert again.json() == {"received": 2, "new": 0}
    assert len(_stored(endpoint.engine)) == 2


def test_the_next_pipeline_cycle_matches_pushed_articles(endpoint: Endpoint) -> None:
    channel = endpoint.store.ensure_channel("T1", "C1", "deals")
    endpoint.store.watch(channel.id, Entity(name="Northwind Capital"))
    assert endpoint.post([FIRST, SECOND]).status_code == 202

    result = Pipeline(endpoint.store).process(NOW)

    assert (result.articles, result.matched, result.deliveries_queued) == (2, 1, 1)
    assert not any(unprocessed for *_rest, unprocessed in _stored(endpoint.engine))


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(None, id="missing"),
        pytest.param("wrong-token", id="wrong"),
        pytest.param(TOKEN + "x", id="token-with-suffix"),
        pytest.param(TOKEN.upper(), id="different-case"),
    ],
)
def test_a_request_without_the_right_token_is_refused(
    refusing: Endpoint, token: str | None
) -> None:
    response = refusing.post(FIRST, token=token)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert _stored(refusing.engine) == []


def test_a_basic_auth_header_carrying_the_token_is_refused(refusing: Endpoint) -> None:
    response = httpx.post(
        f"{refusing.url}/ingest", json=FIRST, headers={"Authorization": f"Basic {TOKEN}"}
    )
    assert response.status_code == 401


def test_without_a_configured_token_the_endpoint_does_not_exist(shared_engine: Engine) -> None:
    for served in _serve(shared_engine, Settings(ingest_token="")):
        response = served.post(FIRST)
        assert response.status_code == 404
        assert _stored(shared_engine) == []


def test_a_declared_oversize_body_is_refused_before_reading(refusing: Endpoint) -> None:
    big = {**FIRST, "text": "x" * (CAP + 1)}
    response = refusing.post(big)
    assert response.status_code == 413
    assert str(CAP) in response.json()["error"]
    assert _stored(refusing.engine) == []


def test_a_streamed_body_without_length_is_cut_off_at_the_cap(refusing: Endpoint) -> None:
    sent = 0

    def chunks() -> Iterator[bytes]:
        nonlocal sent
        yield b'[{"title": "a", "text": "'
        for _ in range(100):
            sent += 1000
            yield b"y" * 1000
        yield b'"}]'

    response = httpx.post(
        f"{refusing.url}/ingest",
        content=chunks(),
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
        timeout=10,
    )
    assert response.status_code == 413
    assert "content-length" not in {key.lower() for key in response.request.headers}
    assert _stored(refusing.engine) == []


def test_a_body_just_under_the_cap_is_accepted(endpoint: Endpoint) -> None:
    padding = CAP - len(json.dumps({**FIRST, "text": ""}).encode())
    body = {**FIRST, "text": "z" * padding}
    assert len(json.dumps(body).encode()) == CAP
    assert endpoint.post(body).status_code == 202


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(b"{not json", "body is not JSON", id="broken-json"),
        pytest.param(b"\xff\xfe\x00", "body is not JSON", id="not-text"),
        pytest.param(b'"just a string"', "item 0: the body must be a JSON object", id="string"),
        pytest.param(b"{}", "item 0: an article needs a `title` or a `text`", id="empty-object"),
    ],
)
def test_a_body_that_is_not_an_article_is_a_bad_request(
    refusing: Endpoint, body: bytes, expected: str
) -> None:
    response = refusing.post(body)
    assert response.status_code == 400
    assert response.json()["error"].startswith(expected)


def test_each_bad_item_is_named_by_index_and_nothing_is_stored(endpoint: Endpoint) -> None:
    items = [
        FIRST,
        {"title": 7, "text": "numbers are not titles"},
        SECOND,
        {**SECOND, "published": "last Tuesday"},
        {**SECOND, "id": "i" * 2001},
    ]
    response = endpoint.post(items)
    assert response.status_code == 400
    reasons = {item["index"]: item["reason"] for item in response.json()["items"]}
    assert sorted(reasons) == [1, 3, 4]
    assert "must be strings" in reasons[1]
    assert "not an ISO 8601 date" in reasons[3]
    assert "longer than 2000" in reasons[4]
    assert response.json()["error"].startswith("item 1: ")
    assert _stored(endpoint.engine) == []


def test_an_empty_list_is_accepted_and_stores_nothing(refusing: Endpoint) -> None:
    assert refusing.post([]).json() == {"received": 0, "new": 0}
    assert _stored(refusing.engine) == []


def test_get_is_not_allowed(refusing: Endpoint) -> None:
    assert httpx.get(f"{refusing.url}/ingest").status_code == 405


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        pytest.param({**SECOND, "title": "Nul\x00title"}, "`title` holds a character", id="nul"),
        pytest.param(
            {**SECOND, "text": "half \ud800 pair"}, "`text` holds a character", id="surrogate"
        ),
        pytest.param(
            {**SECOND, "published": "0001-01-01T00:00:00+01:00"}, "out of range", id="year-1"
        ),
        pytest.param(
            {**SECOND, "published": "9999-12-31T23:59:59-14:00"}, "out of range", id="year-9999"
        ),
    ],
)
def test_an_unstorable_item_is_a_bad_request_naming_it(
    endpoint: Endpoint, item: dict[str, str], expected: str
) -> None:
    response = endpoint.post([FIRST, item])
    assert response.status_code == 400, response.text
    assert response.json()["items"][0]["index"] == 1
    assert expected in response.json()["items"][0]["reason"]
    assert _stored(endpoint.engine) == []


def test_json_nested_too_deeply_is_a_bad_request(shared_engine: Engine) -> None:
    depth = 100_000
    body = b"[" * depth + b"]" * depth
    for served in _serve(shared_engine, Settings(ingest_token=TOKEN, ingest_max_bytes=len(body))):
        response = served.post(body)
        assert response.status_code == 400
        assert "nested too deeply" in response.json()["error"]
