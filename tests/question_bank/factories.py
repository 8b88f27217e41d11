"""Small banks built in code, for tests that must not depend on the sample content."""

from __future__ import annotations

import struct
import zlib

from question_bank.model import (
    BankId,
    BankSource,
    Difficulty,
    Item,
    ItemId,
    KeyRule,
    KeyRuleKind,
    Manifest,
    OptionLabel,
    Section,
    SectionId,
)
from question_bank.richtext import parse

SECTIONS = (
    Section(
        SectionId("TWK"),
        "Tes Wawasan Kebangsaan",
        5,
        KeyRule(KeyRuleKind.RIGHT_WRONG, points=5),
        ("pancasila", "nkri"),
    ),
    Section(
        SectionId("TKP"),
        "Tes Karakteristik Pribadi",
        5,
        KeyRule(KeyRuleKind.WEIGHTED, weights=(1, 2, 3, 4, 5)),
        ("pelayanan_publik",),
    ),
)
MANIFEST = Manifest(BankId("uji-2026"), "Bank Uji", "id", SECTIONS, policy="skd-2024")
LABELS = tuple(OptionLabel(x) for x in "ABCDE")


def png(width: int = 2, height: int = 2) -> bytes:
    """A valid tiny PNG (grey pixels)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def twk(
    n: int,
    topic: str = "pancasila",
    right: str = "B",
    image: str | None = None,
    difficulty: Difficulty = Difficulty.MEDIUM,
) -> Item:
    stem = f"Soal TWK nomor {n}: manakah **pernyataan** yang benar tentang {topic}?"
    if image:
        stem += f"\n\n![Gambar]({image})"
    return Item(
        id=ItemId(f"TWK-{n:03d}"),
        section=SectionId("TWK"),
        topic=topic,
        difficulty=difficulty,
        stem=parse(stem),
        options=tuple(parse(f"Pilihan {x} untuk soal {n}") for x in "ABCDE"),
        points={x: (5 if x == right else 0) for x in LABELS},
        explanation=parse(f"Pembahasan soal {n}."),
        meta={"author": "Tim Uji", "year": 2026},
    )


def tkp(n: int, weights: tuple[int, ...] = (3, 5, 1, 4, 2)) -> Item:
    return Item(
        id=ItemId(f"TKP-{n:03d}"),
        section=SectionId("TKP"),
        topic="pelayanan_publik",
        difficulty=Difficulty.MEDIUM,
        stem=parse(f"Situasi kerja nomor {n}. Apa yang Anda lakukan?"),
        options=tuple(parse(f"Tindakan {x} pada situasi {n}") for x in "ABCDE"),
        points=dict(zip(LABELS, weights, strict=True)),
    )


def small_bank(twk_count: int = 6, tkp_count: int = 4, with_image: bool = True) -> BankSource:
    items = [
        twk(
            n,
            topic="pancasila" if n % 2 else "nkri",
            right="ABCDE"[n % 5],
            image="gambar/peta.png" if with_image and n == 1 else None,
        )
        for n in range(1, twk_count + 1)
    ]
    items += [tkp(n) for n in range(1, tkp_count + 1)]
    images = {"gambar/peta.png": png(4, 3)} if with_image else {}
    return BankSource(MANIFEST, tuple(items), images)
