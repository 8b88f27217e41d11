"""``cbt-server``: set up a site, run it, and do the work of the exam day and after.

Exit 0 on success, 1 for a failed check or bad input (one clear message, no
traceback), 2 for usage errors. Secrets come from an environment variable
named by a flag, or from a prompt.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import dataclasses
import datetime as dt
import gc
import json
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from cbt_server.clock import SystemClock
from cbt_server.db.engine import Database
from cbt_server.db.migrate import upgrade
from cbt_server.errors import InvalidInputError, ServerError
from cbt_server.runtime import Runtime
from cbt_server.services.audit import AuditLog, verify_rows
from cbt_server.services.backup import backup, restore
from cbt_server.services.central import CentralDesk, signed_export
from cbt_server.services.exam_setup import read_candidates_csv
from cbt_server.services.site import SitePaths, init_site, load_signing_key, read_config
from cbt_server.services.staff import StaffMember
from cbt_server.services.tls import (
    ca_fingerprint,
    certificate_expiry,
    certificate_names,
    renew_server_certificate,
)
from cbt_server.settings import ServerSettings
from question_bank.blueprint import blueprint_from_toml
from question_bank.errors import QuestionBankError
from question_bank.keys import load_trusted, short_fingerprint
from question_bank.secrets import read_secret
from scoring import ScoringError
from scoring.presets import preset_names, preset_text

log = logging.getLogger("cbt_server")


def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def _settings(
    args: argparse.Namespace, *, host: str | None = None, port: int | None = None, tls: bool = True
) -> ServerSettings:
    base = ServerSettings.for_data_dir(Path(args.data))
    return dataclasses.replace(base, host=host or base.host, port=port or base.port, tls=tls)


@contextlib.contextmanager
def _runtime(args: argparse.Namespace) -> Iterator[Runtime]:
    """The services for one command, closed (database connections too) when it ends."""
    rt = Runtime.build(_settings(args))
    try:
        yield rt
    finally:
        rt.close()


def cmd_init(args: argparse.Namespace) -> None:
    settings = _settings(args)
    password = read_secret(env_var=args.admin_password_env, prompt="Admin password: ", confirm=True)
    key_pass = read_secret(
        env_var=args.key_passphrase_env,
        prompt="Passphrase for the server's bank key: ",
        confirm=True,
    )
    paths = SitePaths(settings.data_dir)
    db = Database(settings.database_url)
    result = init_site(
        paths,
        db,
        site_code=args.site_code,
        site_name=args.site_name,
        room_code=args.room,
        admin_username=args.admin,
        admin_password=password,
        key_passphrase=key_pass,
        clock=SystemClock(),
        server_names=args.server_name,
    )
    db.dispose()
    _out(f"site {args.site_code} created in {paths.root}")
    _out(f"  TLS CA fingerprint (stations pin this): {result.ca_fingerprint}")
    _out(
        f"  bank recipient key: {paths.recipient_prefix}.pub "
        f"({short_fingerprint(result.recipient_fingerprint)}) - give it to the committee"
    )
    _out(f"  admin user: {args.admin}")


def cmd_migrate(args: argparse.Namespace) -> None:
    db = Database(_settings(args).database_url)
    upgrade(db)
    db.dispose()
    _out("the database schema is current")


def cmd_run(args: argparse.Namespace) -> None:
    import uvicorn

    from cbt_server.api.app import create_app

    settings = _settings(args, host=args.host, port=args.port, tls=not args.insecure_http)
    if args.workers > 1:
        _run_workers(args, settings)
        return
    rt = Runtime.build(settings)
    _unlock_banks(rt, args)
    if args.insecure_http:
        log.warning(
            "serving plain HTTP: answers and PINs cross the network unencrypted. "
            "Use this for development only."
        )
        sys.stderr.write("WARNING: --insecure-http serves plain HTTP; for development only.\n")
    app = create_app(rt)
    # The unlocked banks and prepared forms live as long as the process: keep them out
    # of the cyclic collector's full passes, which otherwise pause every request.
    gc.collect()
    gc.freeze()
    tls = rt.paths.tls
    scheme = "http" if args.insecure_http else "https"
    _out(f"CBT Station server for {rt.site.name} on {scheme}://{args.host}:{args.port}/")
    announcement = None
    if not args.insecure_http:
        fingerprint = ca_fingerprint(tls / "ca.crt")
        _out(f"  CA fingerprint: {fingerprint}")
        if not args.no_announce:  # stations find it with `cbt-client enroll --discover`
            from cbt_server.services.discovery import announce

            announcement = announce(
                site_code=rt.site.code, port=args.port, ca_fingerprint=fingerprint, host=args.host
            )
    sys.stdout.flush()
    try:
        uvicorn.run(
            app,
            host=args.host,
            port=args.port,
            log_level=args.log_level,
            access_log=False,
            ssl_certfile=None if args.insecure_http else str(tls / "server.crt"),
            ssl_keyfile=None if args.insecure_http else str(tls / "server.key"),
            timeout_graceful_shutdown=5,
        )
    finally:
        if announcement is not None:
            announcement.close()
    rt.db.dispose()


def _run_workers(args: argparse.Namespace, settings: ServerSettings) -> None:
    """Several server processes on one port, over one PostgreSQL database."""
    import uvicorn

    from cbt_server.api import worker

    if settings.is_sqlite:
        raise InvalidInputError(
            "SQLite serves a site with one worker; several workers need "
            "PostgreSQL (set CBT_DATABASE_URL)"
        )
    Runtime.build(settings).close()  # fail here, once, on a bad site or schema
    os.environ.update(
        worker.environment(
            data_dir=settings.data_dir,
            tls=settings.tls,
            bank_passphrase_env=args.bank_passphrase_env,
            key_passphrase_env=args.key_passphrase_env,
        )
    )
    tls = settings.data_dir / "tls"
    _out(
        f"CBT Station server: {args.workers} workers on "
        f"{'https' if settings.tls else 'http'}://{args.host}:{args.port}/"
    )
    sys.stdout.flush()
    uvicorn.run(
        "cbt_server.api.worker:create_worker_app",
        factory=True,
        workers=args.workers,
        host=args.host,
        port=args.port,
        log_level=args.log_level,
        access_log=False,
        ssl_certfile=str(tls / "server.crt") if settings.tls else None,
        ssl_keyfile=str(tls / "server.key") if settings.tls else None,
        timeout_graceful_shutdown=5,
    )


def _unlock_banks(rt: Runtime, args: argparse.Namespace) -> None:
    """Unlock the imported banks with the passphrases in the variables named; with none
    named, in a terminal, ask for what the locked banks need (else they stay locked)."""
    key_pass = (
        read_secret(env_var=args.key_passphrase_env, prompt="") if args.key_passphrase_env else None
    )
    bank_pass = (
        read_secret(env_var=args.bank_passphrase_env, prompt="")
        if args.bank_passphrase_env
        else None
    )
    if key_pass is None and bank_pass is None and sys.stdin.isatty():
        needs = rt.locked_banks()
        if needs.key_passphrase:
            key_pass = read_secret(env_var=None, prompt="Passphrase for the server's bank key: ")
        if needs.bank_passphrase:
            bank_pass = read_secret(env_var=None, prompt="Bank passphrase: ")
    for line in rt.unlock_banks(bank_passphrase=bank_pass, key_passphrase=key_pass):
        _out(f"  {line}")


def cmd_bank_import(args: argparse.Namespace) -> None:
    with _runtime(args) as rt:
        trusted = [load_trusted(Path(p)) for p in args.trust]
        record = rt.vault.import_bank(Path(args.bank), trusted, actor="admin:cli")
        _out(
            f"imported bank {record.bank_id} ({record.digest[:16]}), signed by "
            f"{short_fingerprint(record.author)}; it stays encrypted at {record.path}"
        )


def cmd_bank_list(args: argparse.Namespace) -> None:
    with _runtime(args) as rt:
        records = rt.vault.records()
    for record in records:
        _out(f"{record.id}\t{record.bank_id}\t{record.digest[:16]}\t{record.title}")


def _policy_text(value: str) -> str:
    if value in preset_names():
        return preset_text(value)
    try:
        return Path(value).read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInputError(f"{value}: neither a preset nor a readable file") from exc


def cmd_exam_create(args: argparse.Namespace) -> None:
    with _runtime(args) as rt:
        records = [
            r
            for r in rt.vault.records()
            if r.digest.startswith(args.bank) or r.bank_id == args.bank
        ]
        if len(records) != 1:
            raise InvalidInputError(f"no single imported bank matches {args.bank!r}")
        blueprint = None
        if args.blueprint:
            blueprint = blueprint_from_toml(
                Path(args.blueprint).read_text(encoding="utf-8"), origin=args.blueprint
            )
        from question_bank.container import SealedBank

        sealed = SealedBank.open(records[0].path, None)
        exam_id = rt.setup.create_exam(
            code=args.code,
            title=args.title,
            bank_digest=records[0].digest,
            policy_toml=_policy_text(args.policy),
            blueprint=blueprint,
            bank_blueprint=dict(sealed.info.blueprint) if sealed.info.blueprint else None,
            show_topics=args.show_topics,
            actor="admin:cli",
        )
        _out(f"exam {args.code} created (id {exam_id})")


def _when(value: str) -> int:
    if value == "now":
        return SystemClock().now_ms()
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInputError(
            "--start is 'now' or an ISO time like 2026-11-24T08:00+07:00"
        ) from None
    if moment.tzinfo is None:
        raise InvalidInputError("give --start with its time zone, e.g. +07:00 for WIB")
    return int(moment.timestamp() * 1000)


def cmd_session_create(args: argparse.Namespace) -> None:
    with _runtime(args) as rt:
        rt.setup.ensure_room(args.room, actor="admin:cli")
        rt.setup.create_session(
            code=args.code,
            exam_code=args.exam,
            room_code=args.room,
            starts_ms=_when(args.start),
            privacy=args.privacy,
            token_period_s=args.token_minutes * 60,
            lock_on_violation=args.lock_on_violation,
            practice=args.practice,
            actor="admin:cli",
        )
        _out(f"session {args.code} created")


def cmd_session_state(args: argparse.Namespace) -> None:
    with _runtime(args) as rt:
        member = _cli_admin(rt)
        info = rt.proctors.session(args.code)
        rt.proctors.set_state(member, info, args.state)
        _out(f"session {args.code} is {args.state}")


def _cli_admin(rt: Runtime) -> StaffMember:
    """The command line acts as an administrator (it needs the data directory anyway)."""
    return StaffMember(0, "cli", "Administrator (command line)", "admin")


def cmd_candidates_import(args: argparse.Namespace) -> None:
    with _runtime(args) as rt:
        rows = read_candidates_csv(Path(args.file))
        issued = rt.setup.register(session_code=args.session, rows=rows, actor="admin:cli")
        out = Path(args.pins_out)
        out.touch(mode=0o600)
        with out.open("w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(["participant_number", "name", "pin"])
            for pin in issued:
                writer.writerow([pin.number, pin.name, pin.pin])
        _out(
            f"registered {len(issued)} candidates in {args.session}; PINs for the check-in desk "
            f"in {out} (print it, then delete it)"
        )


def cmd_user_add(args: argparse.Namespace) -> None:
    with _runtime(args) as rt:
        password = read_secret(env_var=args.password_env, prompt="Password: ", confirm=True)
        rt.setup.create_user(
            username=args.username,
            full_name=args.name,
            role=args.role,
            password=password,
            actor="admin:cli",
        )
        for session in args.session or []:
            rt.setup.assign_proctor(session_code=session, username=args.username, actor="admin:cli")
        _out(f"{args.role} {args.username} added")


def cmd_results_export(args: argparse.Namespace) -> None:
    with _runtime(args) as rt:
        if args.format == "key" and not args.signed:  # the rest is read from the database
            _unlock_banks(rt, args)
        info = rt.proctors.session(args.session)
        if args.signed:
            if info.state != "closed":
                raise InvalidInputError("sign results for the central office after closing")
            document = signed_export(
                rt.results.results_json(info),
                site_code=rt.site.code,
                site_name=rt.site.name,
                at_ms=rt.clock.now_ms(),
                key=load_signing_key(rt.paths),
            )
            text = json.dumps(document, ensure_ascii=False, indent=2)
        elif args.format == "csv":
            text = rt.results.results_csv(info)
        elif args.format == "json":
            text = json.dumps(rt.results.results_json(info), ensure_ascii=False, indent=2)
        elif args.format == "key":
            text = json.dumps(rt.results.key_json(info), ensure_ascii=False, indent=2)
        else:
            text = rt.results.responses_jsonl(info)
        if args.out == "-":
            sys.stdout.write(text)
        else:
            Path(args.out).write_text(text, encoding="utf-8")
            _out(f"wrote {args.out}")


def cmd_results_import(args: argparse.Namespace) -> None:
    with _runtime(args) as rt:
        trusted = [load_trusted(Path(p)) for p in args.trust]  # Ed25519, like author keys
        loaded = 0
        for name in args.files:
            try:
                document = json.loads(Path(name).read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise InvalidInputError(f"{name}: not a readable JSON export ({exc})") from None
            if not isinstance(document, dict):
                raise InvalidInputError(f"{name}: not a results export")
            count = CentralDesk(rt.db, rt.clock, rt.audit).load(
                document, trusted, actor="admin:cli"
            )
            _out(f"{name}: signature valid; {count} results loaded")
            loaded += count
        _out(f"{loaded} results loaded in all")


def cmd_rank(args: argparse.Namespace) -> None:
    with _runtime(args) as rt:
        info = rt.proctors.session(args.session)
        ranking = rt.results.ranking(info, formation=args.formation, vacancies=args.vacancies)
        _out(json.dumps(ranking, ensure_ascii=False, indent=2))


def cmd_report(args: argparse.Namespace) -> None:
    from cbt_server.reports import ReportKind, ReportOptions, ReportService

    with _runtime(args) as rt:
        _unlock_banks(rt, args)
        info = rt.proctors.session(args.session)
        pdf = ReportService(rt).render(
            ReportKind(args.kind),
            info,
            ReportOptions(
                candidate=args.candidate,
                formation=args.formation,
                vacancies=args.vacancies,
                public_url=args.public_url,
                zone=args.zone,
            ),
        )
    out = Path(args.out)
    try:
        out.write_bytes(pdf)
    except OSError as exc:
        raise InvalidInputError(f"{out}: cannot write the report ({exc.strerror})") from exc
    _out(f"wrote {out} ({args.kind}, session {args.session}, {len(pdf) // 1024} KiB)")


def cmd_annul(args: argparse.Namespace) -> None:
    with _runtime(args) as rt:
        _unlock_banks(rt, args)
        info = rt.proctors.session(args.session)
        changes = rt.results.annul(info, args.item, args.reason, actor="admin:cli")
        _out(f"annulled {args.item}; {len(changes)} result(s) changed")
        for change in changes:
            line = f"  {change['candidate']}: {change['before']} -> {change['after']}"
            if change["passed_before"] != change["passed_after"]:
                line += (
                    f", {_outcome(change['passed_before'])} -> {_outcome(change['passed_after'])}"
                )
            _out(line)


def _outcome(passed: object) -> str:
    """A result's outcome as the published CSV writes it ("-": a ranking-only track)."""
    return "lulus" if passed is True else "tidak lulus" if passed is False else "-"


def cmd_audit_verify(args: argparse.Namespace) -> None:
    if args.file:
        rows = [
            json.loads(line)
            for line in Path(args.file).read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
        head = verify_rows(rows)
    else:
        settings = _settings(args)
        db = Database(settings.database_url)
        head = AuditLog().verify(db)
        db.dispose()
    _out(f"audit chain intact: {head.seq} entries, head {head.hash[:16]}")


def cmd_backup(args: argparse.Namespace) -> None:
    settings = _settings(args)
    head = backup(
        SitePaths(settings.data_dir),
        settings.database_url,
        Path(args.out),
        at_ms=SystemClock().now_ms(),
    )
    _out(f"backup written to {args.out} (audit chain: {head.seq} entries, head {head.hash[:16]})")


def cmd_restore(args: argparse.Namespace) -> None:
    settings = _settings(args)
    head = restore(Path(args.backup), SitePaths(settings.data_dir), settings.database_url)
    _out(
        f"restored into {settings.data_dir}; audit chain verified: {head.seq} entries, "
        f"head {head.hash[:16]}"
    )


def cmd_tls(args: argparse.Namespace) -> None:
    paths = SitePaths(Path(args.data))
    if args.action == "renew":
        names = renew_server_certificate(paths.tls, read_config(paths).code, args.server_name or [])
        _out(f"server certificate renewed for {', '.join(names)}; restart the server to use it")
    _out(f"CA fingerprint: {ca_fingerprint(paths.tls / 'ca.crt')}")
    _out(f"server certificate valid until {certificate_expiry(paths.tls / 'server.crt')}")
    _out(f"server certificate names: {', '.join(certificate_names(paths.tls / 'server.crt'))}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cbt-server", description="The CBT Station LAN server of a test site."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def data(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--data", required=True, metavar="DIR", help="the site's data directory")
        return p

    def unlocking(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--bank-passphrase-env",
            metavar="VAR",
            help="unlock imported banks with the passphrase in VAR (in a terminal: asked)",
        )
        p.add_argument(
            "--key-passphrase-env",
            metavar="VAR",
            help="unlock the server's bank key with the passphrase in VAR (in a terminal: asked)",
        )

    p = data(sub.add_parser("init", help="create a site: database, TLS, keys, admin"))
    p.add_argument("--site-code", default="SITE-1")
    p.add_argument("--site-name", default="Lokasi Tes CBT")
    p.add_argument("--room", default="R1", help="the first room's code")
    p.add_argument("--admin", default="admin")
    p.add_argument("--admin-password-env", metavar="VAR")
    p.add_argument(
        "--key-passphrase-env", metavar="VAR", help="passphrase protecting the server's bank key"
    )
    p.add_argument("--server-name", action="append", help="extra host name or IP for TLS")
    p.set_defaults(run=cmd_init)

    p = data(sub.add_parser("migrate", help="bring the database schema up to date"))
    p.set_defaults(run=cmd_migrate)

    p = data(sub.add_parser("run", help="serve the site (HTTPS)"))
    p.add_argument("--host", default="0.0.0.0")  # noqa: S104 - a LAN server listens on the LAN
    p.add_argument("--port", type=int, default=8443)
    p.add_argument("--insecure-http", action="store_true", help="plain HTTP: development only")
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        help="server processes (PostgreSQL only; live events cross by LISTEN/NOTIFY)",
    )
    p.add_argument("--log-level", default="warning")
    p.add_argument(
        "--no-announce", action="store_true", help="do not announce the server on the LAN (mDNS)"
    )
    unlocking(p)
    p.set_defaults(run=cmd_run)

    bank = sub.add_parser("bank", help="question banks").add_subparsers(dest="bank", required=True)
    p = data(bank.add_parser("import", help="import a sealed bank (signature checked first)"))
    p.add_argument("bank")
    p.add_argument("--trust", action="append", required=True, metavar="AUTHOR.pub")
    p.set_defaults(run=cmd_bank_import)
    p = data(bank.add_parser("list"))
    p.set_defaults(run=cmd_bank_list)

    exam = sub.add_parser("exam", help="exams").add_subparsers(dest="exam", required=True)
    p = data(exam.add_parser("create"))
    p.add_argument("--code", required=True)
    p.add_argument("--title", required=True)
    p.add_argument("--bank", required=True, help="bank id or digest prefix")
    p.add_argument("--policy", default="skd-2024", help="preset name or policy file")
    p.add_argument("--blueprint", help="blueprint TOML (default: the bank's)")
    p.add_argument("--show-topics", action="store_true")
    p.set_defaults(run=cmd_exam_create)

    session = sub.add_parser("session", help="sessions").add_subparsers(
        dest="session", required=True
    )
    p = data(session.add_parser("create"))
    p.add_argument("--code", required=True)
    p.add_argument("--exam", required=True)
    p.add_argument("--room", required=True)
    p.add_argument("--start", default="now")
    p.add_argument("--privacy", choices=("full", "masked", "number"), default="masked")
    p.add_argument("--token-minutes", type=int, default=15)
    p.add_argument("--lock-on-violation", action="store_true")
    p.add_argument("--practice", action="store_true")
    p.set_defaults(run=cmd_session_create)
    for state in ("open", "close"):
        p = data(session.add_parser(state))
        p.add_argument("code")
        p.set_defaults(run=cmd_session_state, state="open" if state == "open" else "closed")

    p = data(sub.add_parser("candidates", help="import a candidate list into a session"))
    p.add_argument("file")
    p.add_argument("--session", required=True)
    p.add_argument("--pins-out", required=True, help="CSV of the issued PINs (check-in desk)")
    p.set_defaults(run=cmd_candidates_import)

    user = sub.add_parser("user", help="staff users").add_subparsers(dest="user", required=True)
    p = data(user.add_parser("add", help="add a staff user"))
    p.add_argument("--username", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--role", choices=("admin", "proctor", "observer"), required=True)
    p.add_argument("--password-env", metavar="VAR")
    p.add_argument("--session", action="append", help="assign as proctor of this session")
    p.set_defaults(run=cmd_user_add)

    results = sub.add_parser("results", help="results").add_subparsers(
        dest="results", required=True
    )
    p = data(results.add_parser("export"))
    p.add_argument("--session", required=True)
    p.add_argument("--format", choices=("csv", "json", "key", "responses"), default="json")
    p.add_argument(
        "--signed",
        action="store_true",
        help="the results signed with the site key, for the central office",
    )
    p.add_argument("--out", default="-")
    unlocking(p)  # for the key, which comes from the bank
    p.set_defaults(run=cmd_results_export)
    p = data(results.add_parser("import", help="load signed exports of other sites"))
    p.add_argument("files", nargs="+")
    p.add_argument(
        "--trust",
        action="append",
        required=True,
        metavar="SITE.pub",
        help="a site's keys/site-signing.pub (repeatable)",
    )
    p.set_defaults(run=cmd_results_import)

    p = data(sub.add_parser("rank", help="rank a session's results"))
    p.add_argument("--session", required=True)
    p.add_argument("--formation")
    p.add_argument("--vacancies", type=int)
    p.set_defaults(run=cmd_rank)

    p = data(sub.add_parser("report", help="write a PDF report of a session"))
    p.add_argument("kind", choices=("slip", "feedback", "minutes", "ranking", "items"))
    p.add_argument("--session", required=True)
    p.add_argument("--candidate", help="one candidate (slip, feedback); default: everyone scored")
    p.add_argument("--formation", help="one formation (ranking); default: each in turn")
    p.add_argument("--vacancies", type=int, help="vacancies of the formation: draws the quota")
    p.add_argument("--public-url", help="base of the verify URL in the slips' QR codes")
    p.add_argument("--zone", choices=("WIB", "WITA", "WIT"), default="WIB", help="local time")
    p.add_argument("--out", required=True, metavar="FILE.pdf")
    unlocking(p)
    p.set_defaults(run=cmd_report)

    p = data(sub.add_parser("annul", help="annul an item and re-score everyone"))
    p.add_argument("--session", required=True)
    p.add_argument("--item", required=True)
    p.add_argument("--reason", required=True)
    unlocking(p)
    p.set_defaults(run=cmd_annul)

    audit = sub.add_parser("audit", help="the audit log").add_subparsers(
        dest="audit", required=True
    )
    p = audit.add_parser("verify", help="recompute the hash chain")
    p.add_argument("--data", metavar="DIR")
    p.add_argument("--file", help="a downloaded audit-log.jsonl instead of the database")
    p.set_defaults(run=cmd_audit_verify)

    p = data(sub.add_parser("backup", help="a consistent online backup of the site"))
    p.add_argument("--out", required=True, metavar="FILE.tar")
    p.set_defaults(run=cmd_backup)

    p = data(sub.add_parser("restore", help="restore a backup into a new data directory"))
    p.add_argument("backup", metavar="FILE.tar")
    p.set_defaults(run=cmd_restore)

    p = data(sub.add_parser("tls", help="show or renew the TLS certificate"))
    p.add_argument("action", choices=("show", "renew"))
    p.add_argument(
        "--server-name",
        action="append",
        help="renew: a DNS name or IP address to add (the certificate's own names stay)",
    )
    p.set_defaults(run=cmd_tls)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "audit" and not (args.data or args.file):
        build_parser().error("audit verify needs --data DIR or --file FILE")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        args.run(args)
    except (ServerError, QuestionBankError, ScoringError) as exc:
        sys.stderr.write(f"cbt-server: {getattr(exc, 'message', None) or exc}\n")
        return 1
    except KeyboardInterrupt:
        return 130
    return 0
