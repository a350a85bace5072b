"""FeedbackStore on the fake's tables."""

from __future__ import annotations

from dataclasses import replace

from tests.fakes.store.state import (
    ALIAS_WIDTH,
    MATCHED_TEXT_WIDTH,
    USER_WIDTH,
    State,
)
from watchlists.ports import (
    NotRelevant,
)
from watchlists.story_rules import (
    times_flagged,
)


class FeedbackStoreMixin(State):
    """ "Not relevant" feedback."""

    def add_feedback(self, feedback: NotRelevant) -> int:
        """Record feedback once per person, story and entity; count the team's on that text."""
        team = self._channel_row(feedback.channel_id).channel.team_id
        feedback = replace(
            feedback,
            alias=feedback.alias[:ALIAS_WIDTH],
            matched_text=feedback.matched_text[:MATCHED_TEXT_WIDTH],
            user_id=feedback.user_id[:USER_WIDTH],
        )
        if not any(
            (f.story_id, f.entity_id, f.user_id)
            == (feedback.story_id, feedback.entity_id, feedback.user_id)
            for f in self.feedback
        ):
            self.feedback.append(feedback)
        return times_flagged(
            (
                (f.matched_text, f.story_id, f.user_id)
                for f in self.feedback
                if f.entity_id == feedback.entity_id
                and f.channel_id in self.channels
                and self.channels[f.channel_id].channel.team_id == team
            ),
            feedback.matched_text,
        )
