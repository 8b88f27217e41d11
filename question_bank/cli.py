"""``cbt-bank``: prepare, seal, check and open question banks, as a committee does.

Exit 0 when all is well, 1 for a failed check or bad input (one clear message,
no traceback), 2 for a usage error. Secrets come from an environment variable
named by a flag, or from a prompt; never from the command line.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from question_bank.blueprint import Blueprint, blueprint_from_dict, blueprint_from_toml
from question_bank.container import SealedBank, UnlockedBank, seal
from question_bank.delivery import render_payload
from question_bank.errors import QuestionBankError
from question_bank.form import PoolItem, assemble
from question_bank.keys import (
    fingerprint,
    generate_recipient_key,
    generate_signing_key,
    load_recipient_public,
    load_signing_key,
    load_trusted,
    short_fingerprint,
)
from question_bank.secrets import read_secret
from question_bank.source import read_source, write_source

SAMPLES = ("skd-2024", "pppk-2024")
TRUST = "an author's public key the bank must be signed by (repeatable); checked first"


def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")


def cmd_keygen(args: argparse.Namespace) -> None:
    passphrase = read_secret(
        env_var=args.key_passphrase_env, prompt="Key passphrase: ", confirm=True
    )
    prefix = Path(args.out)
    if args.recipient:
        fp = generate_recipient_key(prefix, passphrase)
        kind = "recipient (X25519)"
    else:
        fp = generate_signing_key(prefix, passphrase)
        kind = "signing (Ed25519)"
    _out(f"wrote {prefix}.key (private, passphrase-protected) and {prefix}.pub")
    _out(f"{kind} key fingerprint: {short_fingerprint(fp)}  ({fp})")


def cmd_sample(args: argparse.Namespace) -> None:
    out = Path(args.out)
    if out.exists() and any(out.iterdir()):
        raise QuestionBankError(f"{out} is not empty; choose a new folder")
    source = resources.files("question_bank") / "samples" / args.preset
    with resources.as_file(source) as folder:
        shutil.copytree(
            folder, out, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__", "*.py")
        )
    bank = read_source(out)
    _out(f"wrote the {args.preset} sample bank source to {out}: {_counts(bank.items)}")


def _counts(items: Sequence[object]) -> str:
    per: dict[str, int] = {}
    for item in items:
        section = str(getattr(item, "section", "?"))
        per[section] = per.get(section, 0) + 1
    return ", ".join(f"{s} {n}" for s, n in per.items()) + f" ({len(items)} items)"


def cmd_import(args: argparse.Namespace) -> None:
    from question_bank.formats import import_files

    manifest = read_source(Path(args.manifest)).manifest if args.manifest else None
    source = import_files([Path(p) for p in args.files], manifest)
    out = Path(args.out)
    if out.exists() and any(out.iterdir()):
        raise QuestionBankError(f"{out} is not empty; choose a new folder")
    write_source(source, out)
    _out(f"imported {_counts(source.items)} into {out}")


def cmd_validate(args: argparse.Namespace) -> None:
    source = read_source(Path(args.folder))
    _out(f"{args.folder}: valid — {_counts(source.items)}")
    if source.blueprint is not None:
        blueprint = blueprint_from_dict(source.blueprint, origin="blueprint.toml")
        pool = [PoolItem.of(i) for i in source.items]
        assemble(pool, blueprint, bank_id=source.manifest.bank_id, seed=0)
        _out(f"blueprint {blueprint.id}: {blueprint.item_count} items per form, satisfiable")


def _progress(done: int, total: int) -> None:
    if not sys.stderr.isatty():
        return
    width = 30
    filled = width * done // max(total, 1)
    sys.stderr.write(f"\r  [{'#' * filled}{'.' * (width - filled)}] {done}/{total} items")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def cmd_build(args: argparse.Namespace) -> None:
    source = read_source(Path(args.folder))
    key_passphrase = read_secret(env_var=args.key_passphrase_env, prompt="Signing key passphrase: ")
    signing_key = load_signing_key(Path(args.sign_key), key_passphrase)
    recipients = [load_recipient_public(Path(p)) for p in args.recipient]
    passphrase = None
    if args.passphrase_env or not recipients:
        passphrase = read_secret(
            env_var=args.passphrase_env, prompt="Bank passphrase: ", confirm=True
        )
    out = Path(args.out)
    digest = seal(
        source,
        out,
        signing_key=signing_key,
        passphrase=passphrase,
        recipients=recipients,
        progress=_progress,
    )
    _out(f"sealed {_counts(source.items)} into {out}")
    _out(
        f"bank {source.manifest.bank_id}, digest {digest[:16]}, signed by "
        f"{short_fingerprint(fingerprint(signing_key.public_key()))}"
    )
    openers = (["passphrase"] if passphrase else []) + [
        f"recipient {short_fingerprint(fingerprint(r))}" for r in recipients
    ]
    _out("opens with: " + ", ".join(openers))


def _open(path: str, trust: Sequence[str]) -> SealedBank:
    """Open a bank whose signature must come from one of the ``--trust`` keys."""
    return SealedBank.open(Path(path), [load_trusted(Path(p)) for p in trust])


def cmd_verify(args: argparse.Namespace) -> None:
    bank = _open(args.bank, args.trust)
    checked = bank.verify_records()
    _out(
        f"{args.bank}: signature valid, signed by trusted key "
        f"{short_fingerprint(bank.info.signed_by)}; {checked} records intact"
    )


def cmd_inspect(args: argparse.Namespace) -> None:
    # Nothing is decrypted, so any sound signature will do; say whose it is.
    bank = SealedBank.open(Path(args.bank), None)
    _err(
        f"note: signed by {short_fingerprint(bank.info.signed_by)}; not checked against a "
        "trusted key (verify it with: cbt-bank verify BANK --trust AUTHOR.pub)"
    )
    info = bank.info
    per_section: dict[str, dict[str, int]] = {}
    for entry in bank.items:
        topics = per_section.setdefault(entry.section, {})
        topics[entry.topic] = topics.get(entry.topic, 0) + 1
    report = {
        "bank": info.bank_id,
        "title": info.title,
        "policy": info.policy,
        "created": info.created,
        "author": short_fingerprint(info.author),
        "author_fingerprint": info.author,
        "digest": info.digest,
        "items": len(bank.items),
        "images": len(bank.image_refs),
        "sections": {s: {"items": sum(t.values()), "topics": t} for s, t in per_section.items()},
        "opens_with": [
            "passphrase"
            if w.get("type") == "passphrase"
            else f"recipient {short_fingerprint(str(w.get('recipient', '')))}"
            for w in info.wraps
        ],
        "blueprint": None if info.blueprint is None else blueprint_from_dict(info.blueprint).id,
        "bytes": bank.size,
    }
    _out(json.dumps(report, ensure_ascii=False, indent=2))


def _unlock(bank: SealedBank, env_var: str | None) -> UnlockedBank:
    passphrase = read_secret(env_var=env_var, prompt="Bank passphrase: ")
    return bank.unlock(passphrase=passphrase)


def cmd_export(args: argparse.Namespace) -> None:
    out = Path(args.out)
    if args.format == "native" and out.exists() and any(out.iterdir()):
        raise QuestionBankError(f"{out} is not empty; choose a new folder")
    bank = _open(args.bank, args.trust)
    source = _unlock(bank, args.passphrase_env).source()
    if args.format == "qti":
        from question_bank.formats import export_qti

        target = out / f"{source.manifest.bank_id}-qti.zip" if out.suffix != ".zip" else out
        target.parent.mkdir(parents=True, exist_ok=True)
        export_qti(source, target)
        _out(f"exported {_counts(source.items)} as QTI 2.1 to {target}")
        return
    write_source(source, out)
    _out(f"exported {_counts(source.items)} as a native source folder to {out}")


def cmd_form(args: argparse.Namespace) -> None:
    bank = _open(args.bank, args.trust)
    blueprint = _blueprint(bank, args.blueprint)
    pool = [
        PoolItem(e.id, e.section, e.topic, e.difficulty, e.options, e.keep_option_order)
        for e in bank.items
    ]
    form = assemble(pool, blueprint, bank_id=bank.info.bank_id, seed=args.seed)
    unlocked = _unlock(bank, args.passphrase_env)
    items = {i.id: i for i in unlocked.items([f.item_id for f in form.items])}
    payload = render_payload(
        form,
        items,
        bank.info.manifest,
        image_ref=lambda name: name,
        title=blueprint.title,
        duration_minutes=blueprint.duration_minutes,
    )
    document = {
        "form": json.loads(form.to_json()),
        "payload": payload.data,
    }
    _out(json.dumps(document, ensure_ascii=False, indent=2))


def _blueprint(bank: SealedBank, path: str | None) -> Blueprint:
    if path:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise QuestionBankError(f"{path}: cannot be read ({exc.strerror})") from None
        return blueprint_from_toml(text, origin=path)
    if bank.info.blueprint is None:
        raise QuestionBankError("the bank stores no blueprint; pass --blueprint FILE")
    return blueprint_from_dict(bank.info.blueprint, origin="the bank's blueprint")


def cmd_template(args: argparse.Namespace) -> None:
    from question_bank.formats import write_template

    write_template(Path(args.out))
    _out(f"wrote the item spreadsheet template to {args.out}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cbt-bank",
        description="Prepare, seal, check and open CBT Station question banks.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("keygen", help="make an author signing key pair (or a recipient pair)")
    p.add_argument("--out", required=True, metavar="PREFIX", help="writes PREFIX.key, PREFIX.pub")
    p.add_argument(
        "--key-passphrase-env",
        metavar="VAR",
        help="environment variable holding the key's passphrase (else prompt)",
    )
    p.add_argument(
        "--recipient",
        action="store_true",
        help="an X25519 recipient key (for a server) instead of a signing key",
    )
    p.set_defaults(run=cmd_keygen)

    p = sub.add_parser("sample", help="write a sample bank source folder")
    p.add_argument("--preset", required=True, choices=SAMPLES)
    p.add_argument("--out", required=True)
    p.set_defaults(run=cmd_sample)

    p = sub.add_parser("import", help="import XLSX/CSV/Moodle XML/GIFT/QTI into a source folder")
    p.add_argument("files", nargs="+")
    p.add_argument("--out", required=True)
    p.add_argument("--manifest", metavar="DIR", help="a bank source whose sections to import into")
    p.set_defaults(run=cmd_import)

    p = sub.add_parser("validate", help="check a bank source folder")
    p.add_argument("folder")
    p.set_defaults(run=cmd_validate)

    p = sub.add_parser("build", help="encrypt and sign a source folder into a .cbtbank file")
    p.add_argument("folder")
    p.add_argument("--out", required=True)
    p.add_argument("--sign-key", required=True, metavar="PREFIX.key")
    p.add_argument("--key-passphrase-env", metavar="VAR")
    p.add_argument(
        "--passphrase-env",
        metavar="VAR",
        help="environment variable holding the bank passphrase (else prompt)",
    )
    p.add_argument(
        "--recipient",
        action="append",
        default=[],
        metavar="KEY.pub",
        help="an X25519 key that may open the bank (repeatable)",
    )
    p.set_defaults(run=cmd_build)

    p = sub.add_parser("verify", help="check the signature and every record (no passphrase)")
    p.add_argument("bank")
    p.add_argument("--trust", action="append", required=True, metavar="AUTHOR.pub", help=TRUST)
    p.set_defaults(run=cmd_verify)

    p = sub.add_parser("inspect", help="show a bank's public facts without decrypting it")
    p.add_argument("bank")
    p.set_defaults(run=cmd_inspect)

    p = sub.add_parser("export", help="decrypt a bank to a native source folder or QTI 2.1")
    p.add_argument("bank")
    p.add_argument("--passphrase-env", metavar="VAR")
    p.add_argument("--format", choices=("native", "qti"), default="native")
    p.add_argument("--out", required=True)
    p.add_argument("--trust", action="append", required=True, metavar="AUTHOR.pub", help=TRUST)
    p.set_defaults(run=cmd_export)

    p = sub.add_parser("form", help="print the keyless form for a seed (as a candidate got it)")
    p.add_argument("bank")
    p.add_argument("--seed", required=True, type=int)
    p.add_argument("--blueprint", metavar="FILE")
    p.add_argument("--passphrase-env", metavar="VAR")
    p.add_argument("--trust", action="append", required=True, metavar="AUTHOR.pub", help=TRUST)
    p.set_defaults(run=cmd_form)

    p = sub.add_parser("template", help="write the XLSX or CSV item template")
    p.add_argument("--out", required=True, metavar="FILE.xlsx|FILE.csv")
    p.set_defaults(run=cmd_template)
    return parser


def _os_message(exc: OSError) -> str:
    """``FILE: what went wrong`` for an operating-system error (a missing folder, a full disk)."""
    reason = exc.strerror or str(exc)
    return reason if exc.filename is None else f"{os.fsdecode(exc.filename)}: {reason}"


def _quiet_stdout() -> None:
    """The reader of our output went away (``cbt-bank inspect BANK | head``): send what is
    left to /dev/null so that the interpreter's last flush does not complain either."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a file (an embedding program's stream)
        pass


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        args.run(args)
        sys.stdout.flush()
    except QuestionBankError as exc:
        _err(f"cbt-bank: {exc}")
        return 1
    except BrokenPipeError:
        _quiet_stdout()
        return 1
    except OSError as exc:
        _err(f"cbt-bank: {_os_message(exc)}")
        return 1
    except KeyboardInterrupt:
        _err("cbt-bank: interrupted")
        return 130
    return 0
