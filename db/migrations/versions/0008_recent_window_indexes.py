"""indexes for an entity's articles and the articles of a recent window

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 15:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_article_ingested_at", "article", ["ingested_at"])
    op.create_index("ix_match_entity_article", "match", ["entity_id", "article_id"])


def downgrade() -> None:
    op.drop_index("ix_match_entity_article", table_name="match")
    op.drop_index("ix_article_ingested_at", table_name="article")
