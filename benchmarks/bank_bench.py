"""Benchmark: build, sign, open and decrypt a 1,000-item bank; assemble 1,000 SKD forms.

Targets: open and verify a 1,000-item bank in under 1 s (the deliberate scrypt
cost is reported apart); assemble >= 2,000 SKD forms per second.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import replace
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from question_bank.blueprint import blueprint_from_dict
from question_bank.container import KDF_N, SealedBank, seal
from question_bank.form import PoolItem, assemble
from question_bank.model import BankSource, ItemId
from question_bank.source import read_source

SAMPLE = Path(__file__).parents[1] / "question_bank" / "samples" / "skd-2024"


def thousand_items(sample: BankSource) -> BankSource:
    """The 220 sample items (96 of their options and stems with figures) cycled to 1,000."""
    items = []
    for n in range(1000):
        base = sample.items[n % len(sample.items)]
        items.append(replace(base, id=ItemId(f"{base.id}-{n:04d}")))
    return replace(sample, items=tuple(items), origins=())


def main() -> None:
    sample = read_source(SAMPLE)
    bank = thousand_items(sample)
    image_bytes = sum(len(b) for b in bank.images.values())
    author = Ed25519PrivateKey.generate()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.cbtbank"
        start = time.perf_counter()
        seal(bank, path, signing_key=author, passphrase="bench-passphrase", kdf_n=KDF_N)
        build = time.perf_counter() - start

        start = time.perf_counter()
        sealed = SealedBank.open(path, [author.public_key()])
        records = sealed.verify_records()
        opened = time.perf_counter() - start

        start = time.perf_counter()
        unlocked = sealed.unlock(passphrase="bench-passphrase")
        kdf = time.perf_counter() - start

        start = time.perf_counter()
        items = list(unlocked.items())
        keys = unlocked.keys()
        images = [unlocked.image(n) for n in sealed.image_refs]
        decrypt = time.perf_counter() - start
        size = path.stat().st_size

    print(
        f"bank: {len(bank.items):,} items, {len(bank.images)} images "
        f"({image_bytes / 1024:.0f} KiB), file {size / 1024 / 1024:.1f} MiB"
    )
    print(f"build + sign (incl. scrypt n=2^17): {build:.2f} s")
    print(f"open + verify signature + check {records:,} record digests: {opened * 1000:.0f} ms")
    print(f"unwrap the data key (scrypt n=2^17, deliberate cost): {kdf * 1000:.0f} ms")
    print(
        f"decrypt {len(items):,} items + {len(keys):,} keys + {len(images)} images: "
        f"{decrypt * 1000:.0f} ms"
    )
    print(
        f"open + verify + decrypt, excluding the KDF: {(opened + decrypt) * 1000:.0f} ms "
        "(target < 1,000 ms)"
    )

    blueprint = blueprint_from_dict(sample.blueprint or {})
    pool = [PoolItem.of(i) for i in sample.items]
    start = time.perf_counter()
    for seed in range(1000):
        assemble(pool, blueprint, bank_id=sample.manifest.bank_id, seed=seed)
    rate = 1000 / (time.perf_counter() - start)
    print(
        f"assembled 1,000 SKD forms (110 of 220 items, topic quotas): {rate:,.0f} forms/s "
        "(target >= 2,000)"
    )


if __name__ == "__main__":
    main()
