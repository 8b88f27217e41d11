"""One scripted session, its reports rendered once, and the tools that read them back."""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from cbt_server.reports import ReportKind, ReportOptions, ReportService
from cbt_server.services.audit import ChainHead
from tests.cbt_server.reports.scenario import Scripted, script

PUBLIC_URL = "https://cbt.lokasi-uji.example.id"
#: The reports rendered for the session: name -> (kind, options).
DOCUMENTS: dict[str, tuple[ReportKind, ReportOptions]] = {
    "slip": (ReportKind.SLIP, ReportOptions(public_url=PUBLIC_URL)),
    "slip-siti": (ReportKind.SLIP, ReportOptions(candidate="20260002", public_url=PUBLIC_URL)),
    "feedback": (ReportKind.FEEDBACK, ReportOptions()),
    "feedback-rina": (ReportKind.FEEDBACK, ReportOptions(candidate="20260010")),
    "feedback-made": (ReportKind.FEEDBACK, ReportOptions(candidate="20260003")),
    "minutes": (ReportKind.MINUTES, ReportOptions()),
    "ranking": (ReportKind.RANKING, ReportOptions(vacancies=1)),
    "items": (ReportKind.ITEMS, ReportOptions()),
}


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(
            f"{name} is needed to check the PDFs (apt-get install poppler-utils zbar-tools)"
        )
    return found


def text_of(pdf: bytes) -> list[str]:
    """Each page's text, whitespace runs made single spaces."""
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages]


def squeezed(text: str) -> str:
    """Text without any whitespace (lines may wrap inside a word)."""
    return "".join(text.split())


@dataclass
class Rendered:
    scripted: Scripted
    folder: Path
    pdfs: dict[str, bytes]
    pages: dict[str, list[str]]
    #: The audit chain's head while the reports were made.
    head: ChainHead

    def text(self, name: str) -> str:
        return " ".join(self.pages[name])

    def path(self, name: str) -> Path:
        return self.folder / f"{name}.pdf"


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rendered]:
    scripted = script(tmp_path_factory.mktemp("site"))
    folder = tmp_path_factory.mktemp("reports")
    service = ReportService(scripted.rt)
    info = scripted.rt.proctors.session("S1")
    pdfs: dict[str, bytes] = {}
    for name, (kind, options) in DOCUMENTS.items():
        pdfs[name] = service.render(kind, info, options)
        (folder / f"{name}.pdf").write_bytes(pdfs[name])
    head = scripted.rt.audit.head(scripted.rt.db)
    yield Rendered(scripted, folder, pdfs, {n: text_of(p) for n, p in pdfs.items()}, head)
    scripted.rt.close()


def render_pages(pdf: Path, out: Path, *, dpi: int, first: int | None = None) -> list[Path]:
    """``pdftoppm`` every page (or one) to PNG; returns the files, in page order."""
    out.mkdir(parents=True, exist_ok=True)
    args = [tool("pdftoppm"), "-r", str(dpi), "-png"]
    if first is not None:
        args += ["-f", str(first), "-l", str(first)]
    subprocess.run([*args, str(pdf), str(out / pdf.stem)], check=True, timeout=60)
    return sorted(out.glob(f"{pdf.stem}-*.png"))
