"""The sealed bank: round trip, wrong keys, tampering, signatures, and a fuzz of damage."""

from __future__ import annotations

import json
import random
import struct
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from question_bank.container import FOOTER, SIG_BLOCK, SealedBank, seal
from question_bank.errors import (
    BankFormatError,
    BankIntegrityError,
    MissingSignatureError,
    QuestionBankError,
    UntrustedSignerError,
    WeakKeyDerivationError,
    WrongPassphraseError,
)
from tests.question_bank.conftest import PASSPHRASE
from tests.question_bank.factories import small_bank


def test_round_trip(sealed) -> None:
    bank = small_bank()
    unlocked = sealed.unlock(passphrase=PASSPHRASE)
    assert tuple(unlocked.items()) == bank.items
    assert unlocked.image("gambar/peta.png") == (bank.images["gambar/peta.png"], "image/png")
    assert unlocked.keys() == {i.id: dict(i.points) for i in bank.items}
    assert unlocked.source().items == bank.items
    assert sealed.verify_records() == 2 * len(bank.items) + 1


def test_header_reveals_no_content_or_key(sealed_path) -> None:
    data = sealed_path.read_bytes()
    assert b"Pilihan" not in data
    assert b"Pembahasan" not in data
    assert b'{"A":' not in data  # no points map in clear
    for item in small_bank().items:
        assert item.id.encode() in data  # ids and topics are public, by design


def test_wrong_passphrase(sealed) -> None:
    with pytest.raises(WrongPassphraseError, match="the passphrase does not open this bank"):
        sealed.unlock(passphrase="bukan-ini")


def test_recipient_keys_open_it_without_a_passphrase(tmp_path, author) -> None:
    server, stranger = X25519PrivateKey.generate(), X25519PrivateKey.generate()
    path = tmp_path / "r.cbtbank"
    seal(small_bank(), path, signing_key=author, recipients=[server.public_key()])
    sealed = SealedBank.open(path, [author.public_key()])
    assert sealed.unlock(recipient_key=server).item(small_bank().items[0].id)
    with pytest.raises(WrongPassphraseError, match="recipient key"):
        sealed.unlock(recipient_key=stranger)
    with pytest.raises(WrongPassphraseError):
        sealed.unlock(passphrase=PASSPHRASE)


def test_untrusted_and_missing_signatures(sealed_path, author) -> None:
    other = Ed25519PrivateKey.generate()
    with pytest.raises(UntrustedSignerError) as caught:
        SealedBank.open(sealed_path, [other.public_key()])
    assert caught.value.fingerprint == SealedBank.open(sealed_path, None).info.signed_by
    stripped = sealed_path.read_bytes()[:-SIG_BLOCK]
    sealed_path.write_bytes(stripped)
    with pytest.raises(MissingSignatureError):
        SealedBank.open(sealed_path, [author.public_key()])


def test_re_signed_by_someone_else_is_refused(sealed_path, author) -> None:
    """An attacker who rewrites the header and signs it with their own key is not trusted."""
    from question_bank.container import PREFIX, _signed_message
    from question_bank.keys import raw_public

    data = sealed_path.read_bytes()
    body = data[:-SIG_BLOCK]
    footer = body[-FOOTER.size :]
    offset, length, _ = FOOTER.unpack(footer)
    header = body[offset : offset + length]
    attacker = Ed25519PrivateKey.generate()
    signature = attacker.sign(_signed_message(data[:PREFIX], header, footer))
    sealed_path.write_bytes(body + b"SIG1" + raw_public(attacker.public_key()) + signature)
    with pytest.raises(UntrustedSignerError):
        SealedBank.open(sealed_path, [author.public_key()])
    with pytest.raises(BankIntegrityError, match="author named in the header did not sign"):
        SealedBank.open(sealed_path, None)


def test_a_flipped_record_byte_names_the_record(sealed_path, author) -> None:
    sealed = SealedBank.open(sealed_path, [author.public_key()])
    target = sealed.by_id["TWK-003"].key
    data = bytearray(sealed_path.read_bytes())
    data[target.offset + 20] ^= 0x01
    sealed_path.write_bytes(bytes(data))
    sealed = SealedBank.open(sealed_path, [author.public_key()])  # the header is intact
    with pytest.raises(BankIntegrityError) as caught:
        sealed.verify_records()
    assert caught.value.record == "TWK-003/key"
    unlocked = sealed.unlock(passphrase=PASSPHRASE)
    assert unlocked.item(sealed.items[0].id)  # other records still open
    with pytest.raises(BankIntegrityError, match="TWK-003/key"):
        unlocked.keys()


def test_swapped_records_do_not_decrypt(sealed_path, author) -> None:
    """Even with matching digests, a record moved to another item fails its associated data."""
    sealed = SealedBank.open(sealed_path, [author.public_key()])
    unlocked = sealed.unlock(passphrase=PASSPHRASE)
    record_of_002 = sealed.by_id["TWK-002"].content
    with sealed_path.open("rb") as f:
        assert unlocked._open(f, record_of_002, "content", "TWK-002")  # in its place: fine
        with pytest.raises(BankIntegrityError, match="does not decrypt"):
            unlocked._open(f, record_of_002, "content", "TWK-001")  # as another item's: refused


def test_version_and_magic(sealed_path, author) -> None:
    data = bytearray(sealed_path.read_bytes())
    data[8:10] = struct.pack(">H", 7)
    sealed_path.write_bytes(bytes(data))
    with pytest.raises(BankFormatError, match="version 7 is not supported"):
        SealedBank.open(sealed_path, [author.public_key()])
    sealed_path.write_bytes(b"PK\x03\x04 a zip, not a bank")
    with pytest.raises(BankFormatError, match="not a CBT Station bank file"):
        SealedBank.open(sealed_path, [author.public_key()])


def test_seal_needs_a_way_in(tmp_path, author) -> None:
    with pytest.raises(QuestionBankError, match="passphrase or at least one recipient"):
        seal(small_bank(), tmp_path / "x.cbtbank", signing_key=author)


@pytest.mark.parametrize("n", [2**14, 2**16, 2**17 + 1, 2**21])
def test_sealing_with_a_cost_other_than_2_17_to_2_20_is_refused(tmp_path, author, n) -> None:
    with pytest.raises(QuestionBankError, match="a power of two from 2\\^17 to 2\\^20"):
        seal(small_bank(), tmp_path / "x.cbtbank", signing_key=author, passphrase="x", kdf_n=n)
    assert not list(tmp_path.iterdir())


def _resign(path: Path, author: Ed25519PrivateKey, change) -> None:
    """Rewrite the header with ``change`` and sign it again with the author's own key,
    as an older or a careless tool holding that key could have."""
    from question_bank.container import PREFIX, _canonical, _signed_message
    from question_bank.keys import raw_public

    data = path.read_bytes()
    offset, length, mark = FOOTER.unpack(data[-SIG_BLOCK - FOOTER.size : -SIG_BLOCK])
    header = json.loads(data[offset : offset + length])
    change(header)
    header_bytes = _canonical(header)
    footer = FOOTER.pack(offset, len(header_bytes), mark)
    signature = author.sign(_signed_message(data[:PREFIX], header_bytes, footer))
    seal_block = b"SIG1" + raw_public(author.public_key()) + signature
    path.write_bytes(data[:offset] + header_bytes + footer + seal_block)


def test_a_bank_whose_passphrase_wrap_costs_less_than_2_17_is_refused(sealed_path, author) -> None:
    def cheapen(header: dict) -> None:
        header["wraps"][0]["n"] = 2**14

    _resign(sealed_path, author, lambda header: None)
    assert SealedBank.open(sealed_path, [author.public_key()])  # re-signing alone is fine
    _resign(sealed_path, author, cheapen)
    with pytest.raises(WeakKeyDerivationError) as caught:
        SealedBank.open(sealed_path, [author.public_key()])  # before anyone tries to unlock it
    assert (caught.value.n, caught.value.minimum) == (2**14, 2**17)
    assert "scrypt n = 2^14, below the 2^17 this version requires" in str(caught.value)
    assert isinstance(caught.value, BankFormatError)


def test_header_lists_the_kdf_cost_and_fresh_nonces(sealed) -> None:
    (wrap,) = sealed.info.wraps
    assert (wrap["kdf"], wrap["n"], wrap["r"]) == ("scrypt", 2**17, 8)
    nonces = set()
    with sealed.path.open("rb") as f:
        for _, ref in sealed.records():
            f.seek(ref.offset)
            nonces.add(f.read(12))
    assert len(nonces) == len(list(sealed.records()))


EXPECTED = (
    BankFormatError,
    BankIntegrityError,
    MissingSignatureError,
    UntrustedSignerError,
    WrongPassphraseError,
)


def _open_everything(path: Path, author: Ed25519PrivateKey) -> None:
    sealed = SealedBank.open(path, [author.public_key()])
    sealed.verify_records()
    unlocked = sealed.unlock(passphrase=PASSPHRASE)
    list(unlocked.items())
    unlocked.keys()


FUZZ_CASES = 3000


@pytest.mark.slow
def test_fuzz_truncations_and_flips_only_raise_bank_errors(tmp_path, author) -> None:
    """Thousands of damaged copies: each is refused with one of the bank's own errors."""
    path = tmp_path / "f.cbtbank"
    seal(small_bank(twk_count=3, tkp_count=2), path, signing_key=author, passphrase=PASSPHRASE)
    good = path.read_bytes()
    header_offset = FOOTER.unpack(good[-SIG_BLOCK - FOOTER.size : -SIG_BLOCK])[0]
    rng = random.Random(20261123)
    target = tmp_path / "damaged.cbtbank"
    target.write_bytes(good)
    cases = 0
    for _ in range(FUZZ_CASES):
        data = bytearray(good)
        kind = rng.random()
        if kind < 0.3:
            data = data[: rng.randrange(len(data))]
        elif kind < 0.6:  # flips anywhere, at distinct bytes so that none undoes another
            for at in rng.sample(range(len(data)), rng.randint(1, 4)):
                data[at] ^= 1 << rng.randrange(8)
        else:  # flips in the records, where only the digests can notice
            data[rng.randrange(10, header_offset)] ^= 1 << rng.randrange(8)
        assert data != good
        # Rewritten in place: on ext4, truncating a file to nothing each time costs a flush.
        with target.open("r+b") as f:
            f.write(data)
            f.truncate()
        with pytest.raises(EXPECTED):
            _open_everything(target, author)
        cases += 1
    assert cases == FUZZ_CASES


def test_header_json_is_canonical_and_signed(sealed_path) -> None:
    data = sealed_path.read_bytes()
    offset, length, _ = FOOTER.unpack(data[-SIG_BLOCK - FOOTER.size : -SIG_BLOCK])
    header = json.loads(data[offset : offset + length])
    assert header["format"] == "cbtbank"
    assert header["version"] == 1
    assert {w["type"] for w in header["wraps"]} == {"passphrase"}


@pytest.mark.slow
def test_a_large_bank_opens_without_reading_it_whole(tmp_path, author) -> None:
    """5,000 items and 40 MB of images: opening and verifying holds a fraction in memory."""
    import os
    import tracemalloc
    from dataclasses import replace

    from tests.question_bank.factories import png, twk

    images = {f"gambar/g{k}.png": png() + os.urandom(200_000) for k in range(200)}
    items = tuple(twk(n, image=f"gambar/g{n % 200}.png") for n in range(1, 5001))
    bank = replace(small_bank(with_image=False), items=items, images=images)
    path = tmp_path / "besar.cbtbank"
    seal(bank, path, signing_key=author, passphrase=PASSPHRASE)
    size = path.stat().st_size
    assert size > 40_000_000
    tracemalloc.start()
    sealed = SealedBank.open(path, [author.public_key()])
    checked = sealed.verify_records()
    item = sealed.unlock(passphrase=PASSPHRASE).item(sealed.items[4321].id)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert checked == 2 * 5000 + 200
    assert item.id == "TWK-4322"
    assert peak < size / 4, f"peak {peak:,} bytes for a {size:,}-byte bank"
