"""Requests signed the way Slack signs them, for the bot's HTTP endpoint."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier


def signed_headers(secret: str, body: str, timestamp: int | None = None) -> dict[str, str]:
    """Headers with a real X-Slack-Signature for body at timestamp (default: now)."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
    return {
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature,
        "Content-Type": "application/x-www-form-urlencoded",
    }


def slash_command_body(
    text: str, response_url: str, channel_id: str = "C0DEALS", trigger_id: str = "1.2.3"
) -> str:
    """The form body Slack sends for `/deals text` (Slack makes each trigger_id unique)."""
    return urlencode(
        {
            "token": "legacy",
            "team_id": "T0TEST",
            "team_domain": "test",
            "channel_id": channel_id,
            "channel_name": "deal-desk",
            "user_id": "U0USER",
            "user_name": "analyst",
            "command": "/deals",
            "text": text,
            "response_url": response_url,
            "trigger_id": trigger_id,
        }
    )
