"""What every document of a session states about itself: site, exam, session, time, chain."""

from __future__ import annotations

from dataclasses import dataclass

from cbt_server.reports.layout import Letterhead, Zone, moment
from cbt_server.services.audit import ChainHead
from scoring import Policy


@dataclass(frozen=True, slots=True)
class ReportContext:
    site_name: str
    site_code: str
    exam_title: str
    exam_code: str
    session_code: str
    room_code: str
    room_name: str
    starts_ms: int
    policy: Policy
    zone: Zone
    generated_ms: int
    chain: ChainHead
    #: Full names of the proctors assigned to the session.
    proctors: tuple[str, ...]

    @property
    def room(self) -> str:
        """``Ruang R1``, or ``Lab Komputer 2 (R2)`` when the name does not say the code."""
        if not self.room_name or self.room_name == self.room_code:
            return f"Ruang {self.room_code}"
        if self.room_code in self.room_name:
            return self.room_name
        return f"{self.room_name} ({self.room_code})"

    @property
    def chain_text(self) -> str:
        return f"#{self.chain.seq} · {self.chain.short}"

    def letterhead(self, document: str) -> Letterhead:
        return Letterhead(
            site_name=self.site_name,
            site_code=self.site_code,
            exam=f"{self.exam_title} ({self.exam_code})",
            session=f"Sesi {self.session_code} · {self.room}",
            document=document,
            generated=moment(self.generated_ms, self.zone),
            chain=self.chain_text,
        )

    def section_name(self, section_id: str) -> str:
        for section in self.policy.sections:
            if section.id == section_id:
                return section.name_id
        return section_id

    def track_name(self, track_id: str) -> str:
        track = self.policy.tracks.get(track_id)
        return track_id if track is None else track.name_id

    def reference(self, prefix: str, *parts: str) -> str:
        """A document number such as ``BA/S1/SITE-UJI/2026``."""
        year = moment(self.generated_ms, self.zone)[6:10]
        return "/".join((prefix, *parts, self.session_code, self.site_code, year))
