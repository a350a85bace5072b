"""channel pacing and backoff, article quarantine

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 15:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("channel", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_post_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("not_before", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("delivery_failures", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("backoff_reason", sa.String(length=200), nullable=False, server_default="")
        )
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("quarantine_reason", sa.String(length=300), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.drop_column("quarantine_reason")
    with op.batch_alter_table("channel", schema=None) as batch_op:
        batch_op.drop_column("backoff_reason")
        batch_op.drop_column("delivery_failures")
        batch_op.drop_column("not_before")
        batch_op.drop_column("last_post_at")
