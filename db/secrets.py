"""Secrets at rest: Fernet with the keys of DEALWATCH_SECRET_KEY, rotation by key order.

- DEALWATCH_SECRET_KEY holds one or more Fernet keys, comma-separated. The first one
  encrypts; every one of them decrypts (MultiFernet), so a new key is put first and the
  old ones stay listed until `dealwatch secrets rotate` has re-encrypted every secret.
- What is encrypted: feed credentials (the user name and password of a feed URL) and the
  Slack OAuth tokens and webhook URL of each installation.
- A stored value that is not a Fernet token is a secret written before encryption existed;
  it is read as it is and encrypted by the next rotation.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from watchlists.errors import DealwatchError

# Every Fernet token starts with its version byte 0x80, "gA" in URL-safe base64.
FERNET_PREFIX = "gAAAAA"
KEY_VARIABLE = "DEALWATCH_SECRET_KEY"


class SecretKeyError(DealwatchError):
    """A secret cannot be stored or read: no key, a malformed key, or a key that does not fit."""


class SecretBox:
    """Encrypts with the first key, decrypts with any of them."""

    def __init__(self, keys: list[str]) -> None:
        if not keys:
            raise SecretKeyError(f"{KEY_VARIABLE} holds no key")
        try:
            self._fernet = MultiFernet([Fernet(key.encode()) for key in keys])
        except ValueError:
            raise SecretKeyError(
                f"{KEY_VARIABLE} must be Fernet keys (32 url-safe base64-encoded bytes each), "
                "comma-separated; make one with `dealwatch secrets new-key`"
            ) from None
        self.key_count = len(keys)

    @classmethod
    def from_setting(cls, value: str) -> SecretBox | None:
        """The box for a DEALWATCH_SECRET_KEY value, or None when it is empty."""
        keys = [key.strip() for key in value.split(",") if key.strip()]
        return cls(keys) if keys else None

    def __repr__(self) -> str:
        return f"SecretBox({self.key_count} key(s))"

    def encrypt(self, plain: str) -> str:
        """plain encrypted with the first key."""
        return self._fernet.encrypt(plain.encode()).decode("ascii")

    def decrypt(self, stored: str) -> str:
        """The plain text of a stored value; a value stored before encryption as it is."""
        if not is_encrypted(stored):
            return stored
        try:
            return self._fernet.decrypt(stored.encode("ascii")).decode()
        except InvalidToken:
            raise SecretKeyError(
                f"a stored secret does not decrypt with any key of {KEY_VARIABLE}"
            ) from None

    def rotate(self, stored: str) -> str:
        """A stored value re-encrypted with the first key (plain values get encrypted)."""
        if not is_encrypted(stored):
            return self.encrypt(stored)
        try:
            return self._fernet.rotate(stored.encode("ascii")).decode("ascii")
        except InvalidToken:
            raise SecretKeyError(
                f"a stored secret does not decrypt with any key of {KEY_VARIABLE}"
            ) from None


def is_encrypted(stored: str) -> bool:
    """True when a stored value is a Fernet token rather than a plain secret."""
    return stored.startswith(FERNET_PREFIX)


def new_key() -> str:
    """A fresh Fernet key for DEALWATCH_SECRET_KEY."""
    return Fernet.generate_key().decode("ascii")
