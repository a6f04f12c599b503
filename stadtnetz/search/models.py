"""Synonym groups added by admins on top of the shipped list (``synonyms.DEFAULT_GROUPS``)."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..database import UTCDateTime, utcnow
from ..extensions import db


class SynonymGroup(db.Model):
    """Words and phrases that mean the same, one per line in ``terms``."""

    __tablename__ = "search_synonym_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    terms: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )

    @property
    def phrases(self) -> list[str]:
        return [line.strip() for line in self.terms.splitlines() if line.strip()]
