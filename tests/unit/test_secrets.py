"""Secrets: Fernet with rotation by key order, URL credentials split off, nothing secret in a repr."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from bot.observability import configure_logging
from bot.settings import Settings, SettingsError
from db.secrets import SecretBox, SecretKeyError, is_encrypted, new_key
from watchlists.ports import SourceState
from watchlists.urls import join_credentials, split_credentials


@pytest.fixture
def restore_root_logger() -> Iterator[None]:
    """Put the root logger's handlers and level back after the test."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_the_first_key_encrypts_and_every_key_decrypts() -> None:
    old, new = new_key(), new_key()
    sealed_by_old = SecretBox([old]).encrypt("user:pass")
    box = SecretBox([new, old])
    assert is_encrypted(sealed_by_old) and "pass" not in sealed_by_old
    assert box.decrypt(sealed_by_old) == "user:pass"
    rotated = box.rotate(sealed_by_old)
    assert SecretBox([new]).decrypt(rotated) == "user:pass"
    with pytest.raises(SecretKeyError, match="does not decrypt"):
        SecretBox([old]).decrypt(rotated)


def test_a_value_stored_before_encryption_reads_as_it_is_and_rotation_encrypts_it() -> None:
    box = SecretBox([new_key()])
    assert box.decrypt("xoxb-plain") == "xoxb-plain"
    rotated = box.rotate("xoxb-plain")
    assert is_encrypted(rotated) and box.decrypt(rotated) == "xoxb-plain"


@pytest.mark.parametrize(
    ("value", "keys"),
    [
        pytest.param("", 0, id="empty"),
        pytest.param(" , ", 0, id="only-commas"),
        pytest.param("KEY1", 1, id="one"),
        pytest.param("KEY1, KEY2", 2, id="two-with-spaces"),
    ],
)
def test_the_setting_is_a_comma_separated_list_of_keys(value: str, keys: int) -> None:
    actual = value.replace("KEY1", new_key()).replace("KEY2", new_key())
    box = SecretBox.from_setting(actual)
    assert (box.key_count if box else 0) == keys


def test_a_malformed_key_is_refused_at_start_up_without_echoing_it() -> None:
    with pytest.raises(SettingsError, match="Fernet keys") as refused:
        Settings.from_env({"DEALWATCH_SECRET_KEY": "not-a-key-hunter2"})
    assert "hunter2" not in str(refused.value)


def test_settings_repr_shows_no_secret() -> None:
    key = new_key()
    settings = Settings.from_env(
        {
            "DATABASE_URL": "postgresql://dealwatch:dbpass-1@db.example/dealwatch",
            "SLACK_BOT_TOKEN": "xoxb-secret-2",
            "SLACK_SIGNING_SECRET": "signing-secret-3",
            "SLACK_APP_TOKEN": "xapp-secret-4",
            "SLACK_CLIENT_ID": "111.222",
            "SLACK_CLIENT_SECRET": "client-secret-5",
            "DEALWATCH_INGEST_TOKEN": "ingest-secret-6",
            "DEALWATCH_SECRET_KEY": key,
        }
    )
    shown = repr(settings) + str(settings)
    for secret in ("dbpass-1", "secret-2", "secret-3", "secret-4", "secret-5", "secret-6", key):
        assert secret not in shown
    assert "111.222" in shown and "secret_box" not in shown
    assert settings.secret_box is not None and "key" in repr(settings.secret_box)
    assert key not in repr(settings.secret_box)


def test_a_source_state_repr_leaves_out_its_url() -> None:
    state = SourceState(id=7, url="https://user:hunter2@feeds.example/rss", title="Wire")
    assert "hunter2" not in repr(state) and "Wire" in repr(state)


@pytest.mark.parametrize(
    ("url", "stored", "userinfo"),
    [
        pytest.param(
            "https://user:pass@host/x?y=1", "https://***@host/x?y=1", "user:pass", id="both"
        ),
        pytest.param("https://token@host/rss", "https://***@host/rss", "token", id="user"),
        pytest.param(
            "http://a@b:c%40d@host:8080/p", "http://***@host:8080/p", "a@b:c%40d", id="at"
        ),
        pytest.param("https://host/p?mail=a@b", "https://host/p?mail=a@b", "", id="none"),
    ],
)
def test_split_credentials_keeps_the_rest_and_join_puts_them_back(
    url: str, stored: str, userinfo: str
) -> None:
    assert split_credentials(url) == (stored, userinfo)
    assert join_credentials(stored, userinfo) == url


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_the_log_handler_hides_url_credentials_even_in_a_traceback(
    log_format: str, restore_root_logger: None
) -> None:
    stream = io.StringIO()
    configure_logging(Settings(log_format=log_format), stream=stream)
    log = logging.getLogger("dealwatch.test")
    try:
        raise RuntimeError("cannot fetch https://user:hunter2@feeds.example/rss")
    except RuntimeError:
        log.exception("poll of %s failed", "http://user:hunter2@feeds.example/x")
    written = stream.getvalue()
    assert "hunter2" not in written
    assert "https://***@feeds.example/rss" in written and "http://***@feeds.example/x" in written
