"""``cbt-bank`` as a committee member uses it, end to end through real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ENV = {**os.environ, "KEYPASS": "kunci-penulis-123", "BANKPASS": "bank-rahasia-456"}
TRUST = ("--trust", "penulis.pub")


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "question_bank", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=ENV,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def ok(*args: str, cwd: Path) -> str:
    done = run(*args, cwd=cwd)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done.stdout


def build(source: str, out: str, *, cwd: Path) -> str:
    """``cbt-bank build`` signed with the author key and sealed with the bank passphrase."""
    return ok(
        "build",
        source,
        "--out",
        out,
        "--sign-key",
        "penulis.key",
        "--key-passphrase-env",
        "KEYPASS",
        "--passphrase-env",
        "BANKPASS",
        cwd=cwd,
    )


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    """A built PPPK sample bank, as the README's committee steps make it."""
    d = tmp_path_factory.mktemp("committee")
    ok("keygen", "--out", "penulis", "--key-passphrase-env", "KEYPASS", cwd=d)
    ok("sample", "--preset", "pppk-2024", "--out", "sumber", cwd=d)
    build("sumber", "pppk.cbtbank", cwd=d)
    return d


def test_keygen_writes_a_protected_pair(workdir) -> None:
    key = (workdir / "penulis.key").read_text()
    assert "ENCRYPTED PRIVATE KEY" in key
    assert (workdir / "penulis.key").stat().st_mode & 0o077 == 0
    assert "PUBLIC KEY" in (workdir / "penulis.pub").read_text()
    done = run("keygen", "--out", "penulis", "--key-passphrase-env", "KEYPASS", cwd=workdir)
    assert done.returncode == 1
    assert "already exists" in done.stderr


def test_validate_and_verify_and_inspect(workdir) -> None:
    assert "valid" in ok("validate", "sumber", cwd=workdir)
    assert "signature valid" in ok("verify", "pppk.cbtbank", "--trust", "penulis.pub", cwd=workdir)
    info = json.loads(ok("inspect", "pppk.cbtbank", cwd=workdir))
    assert info["bank"] == "pppk-guru-contoh-2026"
    assert info["sections"]["teknis"]["items"] == 24
    assert info["opens_with"] == ["passphrase"]


def test_form_is_reproducible_and_keyless(workdir) -> None:
    args = (
        "form",
        "pppk.cbtbank",
        "--seed",
        "1234",
        "--passphrase-env",
        "BANKPASS",
        "--trust",
        "penulis.pub",
    )
    first, second = ok(*args, cwd=workdir), ok(*args, cwd=workdir)
    assert first == second
    payload = json.loads(first)["payload"]
    assert len(payload["items"]) == 24
    assert "points" not in json.dumps(payload)


def test_export_round_trips_to_a_valid_source(workdir) -> None:
    ok(
        "export",
        "pppk.cbtbank",
        "--passphrase-env",
        "BANKPASS",
        "--out",
        "keluar",
        "--trust",
        "penulis.pub",
        cwd=workdir,
    )
    assert "valid" in ok("validate", "keluar", cwd=workdir)
    assert (workdir / "keluar" / "blueprint.toml").is_file()
    build("keluar", "keluar.cbtbank", cwd=workdir)
    # Without --blueprint each bank draws from the blueprint it carries: the same one.
    forms = [
        ok(
            "form",
            bank,
            "--seed",
            "77",
            "--passphrase-env",
            "BANKPASS",
            "--trust",
            "penulis.pub",
            cwd=workdir,
        )
        for bank in ("pppk.cbtbank", "keluar.cbtbank")
    ]
    assert json.loads(forms[0])["form"]["blueprint_id"] == "pppk-guru-latihan"
    assert forms[0] == forms[1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("verify", "pppk.cbtbank", "--trust", "lain.pub"), "lain.pub: no such key file"),
        (("inspect", "tidak-ada.cbtbank"), "no such file"),
        (("validate", "tidak-ada"), "no such folder or zip file"),
        (
            ("form", "pppk.cbtbank", "--seed", "1", "--passphrase-env", "SALAH", *TRUST),
            "the environment variable SALAH is not set",
        ),
        (("form", "pppk.cbtbank", "--seed", "1", *TRUST), "name an environment variable"),
    ],
)
def test_bad_input_is_one_clear_line(workdir, args, message) -> None:
    done = run(*args, cwd=workdir)
    assert done.returncode == 1
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_wrong_passphrase_and_untrusted_key(workdir) -> None:
    env_bad = {**ENV, "BANKPASS": "salah"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "question_bank",
            "form",
            "pppk.cbtbank",
            "--seed",
            "1",
            "--passphrase-env",
            "BANKPASS",
            *TRUST,
        ],
        capture_output=True,
        text=True,
        cwd=workdir,
        env=env_bad,
        check=False,
    )
    assert done.returncode == 1
    assert "the passphrase does not open this bank" in done.stderr
    ok("keygen", "--out", "orang-lain", "--key-passphrase-env", "KEYPASS", cwd=workdir)
    done = run("verify", "pppk.cbtbank", "--trust", "orang-lain.pub", cwd=workdir)
    assert done.returncode == 1
    assert "not among the trusted keys" in done.stderr


def test_tampered_bank_names_the_record(workdir, tmp_path) -> None:
    data = bytearray((workdir / "pppk.cbtbank").read_bytes())
    data[200] ^= 0xFF
    (tmp_path / "rusak.cbtbank").write_bytes(bytes(data))
    done = run("verify", str(tmp_path / "rusak.cbtbank"), "--trust", "penulis.pub", cwd=workdir)
    assert done.returncode == 1
    assert "failed its integrity check" in done.stderr
    assert "PPPK-" in done.stderr


def test_usage_errors_exit_2(workdir) -> None:
    assert run(cwd=workdir).returncode == 2
    assert run("build", "sumber", cwd=workdir).returncode == 2
    cheap = run(
        "build",
        "sumber",
        "--out",
        "murah.cbtbank",
        "--sign-key",
        "penulis.key",
        "--scrypt-n",
        "16384",
        cwd=workdir,
    )
    assert cheap.returncode == 2
    assert "unrecognized arguments: --scrypt-n" in cheap.stderr
    assert run("form", "pppk.cbtbank", "--seed", "x", cwd=workdir).returncode == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("keygen", "--out", "{missing}/x", "--key-passphrase-env", "KEYPASS"),
            "{missing}/x.key: No such file or directory",
        ),
        (
            (
                "build",
                "sumber",
                "--out",
                "{missing}/x.cbtbank",
                "--sign-key",
                "penulis.key",
                "--key-passphrase-env",
                "KEYPASS",
                "--passphrase-env",
                "BANKPASS",
            ),
            "{missing}/x.cbtbank.partial: No such file or directory",
        ),
        (("template", "--out", "{missing}/t.xlsx"), "{missing}/t.xlsx: No such file or directory"),
        (("template", "--out", "{missing}/t.csv"), "{missing}/t.csv: No such file or directory"),
        (("sample", "--preset", "skd-2024", "--out", "{file}"), "{file}: Not a directory"),
        (
            (
                "export",
                "pppk.cbtbank",
                "--passphrase-env",
                "BANKPASS",
                "--trust",
                "penulis.pub",
                "--out",
                "{file}",
            ),
            "{file}: Not a directory",
        ),
    ],
    ids=["keygen", "build", "template-xlsx", "template-csv", "sample", "export"],
)
def test_os_errors_are_one_line_naming_the_file(workdir, tmp_path, args, message) -> None:
    places = {"missing": str(tmp_path / "tidak-ada"), "file": str(tmp_path / "berkas.txt")}
    (tmp_path / "berkas.txt").write_text("bukan folder\n", encoding="utf-8")
    done = run(*(a.format(**places) for a in args), cwd=workdir)
    assert (done.returncode, done.stderr) == (1, f"cbt-bank: {message.format(**places)}\n")
    assert not (tmp_path / "tidak-ada").exists()


def test_a_reader_that_goes_away_ends_the_command_quietly(workdir) -> None:
    """``cbt-bank verify BANK ... | head -0``: no traceback about a broken pipe."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "question_bank",
                "verify",
                "pppk.cbtbank",
                "--trust",
                "penulis.pub",
            ],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            cwd=workdir,
            env=ENV,
            check=False,
        )
    finally:
        os.close(write_end)
    assert (done.returncode, done.stderr) == (1, "")


@pytest.mark.parametrize(
    "command",
    [("export", "pppk.cbtbank", "--out", "keluar-lain"), ("form", "pppk.cbtbank", "--seed", "1")],
    ids=["export", "form"],
)
def test_decrypting_commands_need_a_trusted_author(workdir, tmp_path, command) -> None:
    done = run(*command, "--passphrase-env", "BANKPASS", cwd=workdir)
    assert done.returncode == 2
    assert "the following arguments are required: --trust" in done.stderr
    stranger = tmp_path / "lain.pub"
    stranger.write_bytes(
        Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    )
    # SALAH is not set: the signature is refused before any passphrase is asked for.
    done = run(*command, "--passphrase-env", "SALAH", "--trust", str(stranger), cwd=workdir)
    assert done.returncode == 1
    assert "not among the trusted keys" in done.stderr
    assert done.stdout == ""
    assert not (workdir / "keluar-lain").exists()
