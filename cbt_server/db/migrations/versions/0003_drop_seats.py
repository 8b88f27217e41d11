"""drop the unused seats table

Nothing ever read or wrote ``seats``. Where a candidate sits is recorded where it
is used: the workstation on the attempt (``attempts.workstation``, refreshed at each
login), the room on the session. The proctor view and the minutes read those.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 16:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_table("seats")


def downgrade() -> None:
    op.create_table(
        "seats",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("workstation", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["room_id"], ["rooms.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("workstation"),
    )
