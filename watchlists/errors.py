"""Errors the core raises; adapters translate their own errors into these."""


class DealwatchError(Exception):
    """Base class of every error dealwatch reports to a person."""


class WatchlistFormatError(DealwatchError):
    """A watchlist file could not be read or is not valid."""


class NotFoundError(DealwatchError):
    """A channel, entity, watchlist or source does not exist."""


class AlreadyExistsError(DealwatchError):
    """Something with that name already exists."""


class DatabaseNotMigratedError(DealwatchError):
    """The database schema is missing or older than this code."""


class DeliveryError(DealwatchError):
    """Slack refused a post for a reason that will not go away by retrying."""

    def __init__(self, code: str, channel: str) -> None:
        super().__init__(f"Slack refused the post to {channel}: {code}")
        self.code = code
        self.channel = channel


class RetryLaterError(DealwatchError):
    """Slack did not take a post for now: the channel waits (retry_after seconds if given)."""

    def __init__(
        self,
        code: str,
        channel: str,
        retry_after: float | None = None,
        *,
        posted_unknown: bool = False,
    ) -> None:
        super().__init__(f"Slack did not take the post to {channel} for now: {code}")
        self.code = code
        self.channel = channel
        self.retry_after = retry_after
        # The post may have landed after all (the history could not be read): it must be
        # checked against the history, not queued again.
        self.posted_unknown = posted_unknown
