"""``cbt-client``: the station (``run``), ``enroll``, the headless candidate (``bot``), ``config``.

    cbt-client [run] [--config station.toml] [--practice] [--language en] [--smoke-test]
    cbt-client enroll --server https://10.0.0.2:8443 --station PC-07 --out station.toml \
                   [--fingerprint 3f9a…] [--yes] [--data-dir DIR] [--exit-code-env EXITCODE]
    cbt-client enroll --discover --station PC-07 --out station.toml
    cbt-client bot --config station.toml --number 20260001 --pin-env PIN --token K7P2QX
    cbt-client bot --server https://10.0.0.2:8443 --ca ca.crt --ca-fingerprint 3f9a… \\
                   --pins-csv pins.csv --count 200 --token K7P2QX --speed 40
    cbt-client config init --server https://10.0.0.2:8443 --ca ca.crt --station PC-01 \\
                   --out station.toml --exit-code-env EXITCODE

The config file is found at ``--config``, else ``$CBT_CLIENT_CONFIG``, else the
platform's default path. Secrets (PINs, the proctor exit code) are read from
environment variables or a CSV file; ``--pin`` exists for demo candidates only.
This is the composition root: the only module outside ``ui/`` that imports the
Qt face, and only for ``run``.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import os
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

from cbt_client.bot import BotLogin, BotResult, Pace, run_bot, run_bots
from cbt_client.config import StationConfig, certificate_fingerprint, normalise_fingerprint
from cbt_client.errors import (
    ClientError,
    ConfigError,
    DiscoveryError,
    EnrolmentRefusedError,
    ServerUnreachableError,
    UntrustedServerError,
)

#: Asks a person a question on the terminal (``input``; tests pass their own).
Ask = Callable[[str], str]


def default_config_path(environ: Mapping[str, str], platform: str = sys.platform) -> Path:
    if environ.get("CBT_CLIENT_CONFIG"):
        return Path(environ["CBT_CLIENT_CONFIG"])
    if platform == "win32":
        return Path(environ.get("PROGRAMDATA", "C:/ProgramData")) / "CBT Station" / "station.toml"
    return Path("/etc/cbt-station/station.toml")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cbt-client", description="CBT Station candidate station")
    sub = parser.add_subparsers(dest="command")

    run = sub.add_parser("run", help="the candidate station (the default)")
    _run_options(run)

    bot = sub.add_parser("bot", help="headless candidates that sit a real form")
    bot.add_argument("--config", type=Path)
    bot.add_argument("--server", help="https://host:port (with --ca)")
    bot.add_argument("--ca", type=Path, help="the site CA certificate (PEM)")
    bot.add_argument("--ca-fingerprint", help="SHA-256 of the CA, checked against --ca")
    bot.add_argument("--number", help="one candidate's participant number")
    bot.add_argument("--pin-env", help="environment variable holding that candidate's PIN")
    bot.add_argument("--pin", help="that candidate's PIN (demo candidates only: shows in ps)")
    bot.add_argument("--pins-csv", type=Path, help="participant_number,pin CSV (many bots)")
    bot.add_argument("--count", type=int, default=0, help="how many rows of --pins-csv")
    bot.add_argument("--token", required=True, help="the session token the proctor shows")
    bot.add_argument("--workstation", default="BOT", help="workstation id (prefix for many)")
    bot.add_argument("--speed", type=float, default=40.0, help="time compression (40: 2.5 min)")
    bot.add_argument("--use-of-time", type=float, default=0.8)
    bot.add_argument("--seed", type=int)
    bot.add_argument("--data-dir", type=Path, help="where the bots keep their journals")
    bot.add_argument("--stagger", type=float, default=0.05, help="seconds between bot starts")

    config = sub.add_parser("config", help="write or check a station config")
    csub = config.add_subparsers(dest="config_command", required=True)
    init = csub.add_parser("init", help="write the station config at install time")
    init.add_argument("--server", required=True)
    init.add_argument("--ca", type=Path, required=True, help="the site CA certificate (PEM)")
    init.add_argument("--ca-fingerprint", help="the fingerprint cbt-server printed (checked)")
    _station_options(init)
    show = csub.add_parser("show", help="check a config and print what it pins")
    show.add_argument("--config", type=Path)

    enroll = sub.add_parser(
        "enroll", help="fetch and pin the site CA (fingerprint checked), write the config"
    )
    where = enroll.add_mutually_exclusive_group(required=True)
    where.add_argument("--server", help="https://host:port of the site server")
    where.add_argument("--discover", action="store_true", help="find the server on the LAN")
    enroll.add_argument(
        "--fingerprint", help="the CA fingerprint cbt-server init printed (no question asked)"
    )
    enroll.add_argument(
        "--yes", action="store_true", help="no questions: overwrite --out, take the only server"
    )
    enroll.add_argument(
        "--interface", action="append", help="with --discover: browse on this local address only"
    )
    enroll.add_argument("--discover-seconds", type=float, default=3.0)
    _station_options(enroll)
    return parser


def _station_options(parser: argparse.ArgumentParser) -> None:
    """What `config init` and `enroll` both write."""
    parser.add_argument("--station", required=True, help="this PC's workstation id, e.g. PC-01")
    parser.add_argument("--out", type=Path, required=True, help="the station config to write")
    parser.add_argument("--data-dir", type=Path, default=Path("data"))
    parser.add_argument("--exit-code-env", help="environment variable holding the exit code")
    parser.add_argument("--no-kiosk", action="store_true", help="do not expect a kiosk shell")
    parser.add_argument("--language", choices=("id", "en"), default="id")


def _run_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path)
    parser.add_argument("--practice", action="store_true", help="windowed, no lockdown")
    parser.add_argument("--language", choices=("id", "en"))
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="start, wait for the login screen and the server, print 'login screen ready', exit",
    )
    parser.add_argument("--smoke-timeout", type=float, default=30.0, help="seconds (--smoke-test)")


def main(
    argv: Sequence[str] | None = None,
    environ: Mapping[str, str] | None = None,
    ask: Ask = input,
) -> int:
    env = dict(os.environ if environ is None else environ)
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or args_list[0].startswith("-"):
        args_list.insert(0, "run")
    args = _parser().parse_args(args_list)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # not a line per request
    try:
        if args.command == "bot":
            return _bot(args, env)
        if args.command == "config":
            return _config(args, env)
        if args.command == "enroll":
            return _enroll(args, env, ask)
        config = StationConfig.load(args.config or default_config_path(env))
        from cbt_client.ui.app import run_station  # the Qt face, only for the station

        return run_station(
            config,
            practice=args.practice,
            language=args.language,
            smoke_test_s=args.smoke_timeout if args.smoke_test else None,
        )
    except ClientError as exc:
        print(f"cbt-client: {exc}", file=sys.stderr)
        return 2


def _station_config(args: argparse.Namespace, env: Mapping[str, str]) -> StationConfig:
    if args.config or not args.server:
        config = StationConfig.load(args.config or default_config_path(env))
        return config if not args.data_dir else replace(config, data_dir=args.data_dir)
    if args.ca is None:
        raise ConfigError("--server needs --ca (the site CA certificate)", field="ca")
    return StationConfig.create(
        server_url=args.server,
        station_id=args.workstation,
        ca_pem=_read(args.ca),
        ca_fingerprint=args.ca_fingerprint,
        data_dir=args.data_dir or Path("bot-data"),
    )


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}", path=path) from exc


def _bot(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    config = _station_config(args, env)
    pace = Pace(speed=args.speed, use_of_time=args.use_of_time, seed=args.seed)
    results: list[BotResult]
    if args.pins_csv:
        logins = _logins(args.pins_csv, args.count, args.token, args.workstation)
        results = run_bots(config, logins, pace, data_dir=config.data_dir, stagger_s=args.stagger)
    else:
        if not args.number:
            raise ConfigError("give --number (with --pin-env) or --pins-csv", field="number")
        pin = env.get(args.pin_env, "") if args.pin_env else (args.pin or "")
        if not pin:
            raise ConfigError("no PIN: set --pin-env to a variable that holds it", field="pin")
        results = [
            run_bot(
                config, args.number, pin, args.token, args.workstation, pace, stop=threading.Event()
            )
        ]
    for r in results:
        print(json.dumps(_summary(r), ensure_ascii=False))
    return 0 if all(r.ok for r in results) else 1


def _logins(path: Path, count: int, token: str, workstation: str) -> list[BotLogin]:
    try:
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc}", path=path) from exc
    if count:
        rows = rows[:count]
    logins = []
    for i, row in enumerate(rows, start=1):
        number, pin = row.get("participant_number"), row.get("pin")
        if not number or not pin:
            raise ConfigError(f"row {i} lacks participant_number or pin", path=path)
        logins.append(BotLogin(number, pin, token, f"{workstation}-{i:03d}"))
    return logins


def _summary(r: BotResult) -> dict[str, object]:
    result = r.result
    return {
        "number": r.number,
        "ok": r.ok,
        "acked": len(r.acked),
        "answered": sum(1 for a in r.acked.values() if a.answered),
        "changes": r.changes,
        "doubtful_marks": r.doubtful_marks,
        "offline_episodes": r.offline_episodes,
        "seconds": round(r.seconds, 1),
        "finished_by": r.finished_by,
        "slip": result.slip if result else None,
        "total": result.total if result else None,
        "passed": result.passed if result else None,
        "error": str(r.error) if r.error else None,
    }


def _config(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    if args.config_command == "show":
        config = StationConfig.load(args.config or default_config_path(env))
        print(f"server:       {config.server_url}")
        print(f"station:      {config.station_id}")
        print(f"CA (SHA-256): {config.ca_fingerprint}  (matches the stored certificate)")
        print(f"journal:      {config.data_dir}")
        print(f"exit code:    {'set' if config.exit_code_hash else 'NOT SET'}")
        return 0
    pem = _read(args.ca)
    config = _new_config(args, env, server=args.server, pem=pem, fingerprint=args.ca_fingerprint)
    _save(config, args.out)
    print(f"CA fingerprint (compare with `cbt-server tls show`): {certificate_fingerprint(pem)}")
    return 0


def _new_config(
    args: argparse.Namespace,
    env: Mapping[str, str],
    *,
    server: str,
    pem: str,
    fingerprint: str | None,
) -> StationConfig:
    """The station config from `_station_options` (shared by `config init` and `enroll`)."""
    exit_code = env.get(args.exit_code_env, "") if args.exit_code_env else ""
    if args.exit_code_env and not exit_code:
        raise ConfigError(f"${args.exit_code_env} is empty", field="exit_code")
    return StationConfig.create(
        server_url=server,
        station_id=args.station,
        ca_pem=pem,
        ca_fingerprint=fingerprint,
        data_dir=args.data_dir,
        exit_code=exit_code or None,
        expect_kiosk=not args.no_kiosk,
        language=args.language,
    )


def _save(config: StationConfig, out: Path) -> None:
    config.save(out)
    print(f"wrote {out}")
    if not config.exit_code_hash:
        print("warning: no proctor exit code set (--exit-code-env); only the result page exits")


# ---------------------------------------------------------------------- enroll


def _enroll(args: argparse.Namespace, env: Mapping[str, str], ask: Ask) -> int:
    from cbt_client import enrolment

    try:
        if args.yes and not args.fingerprint:
            raise EnrolmentRefusedError(
                "--yes needs --fingerprint: the CA fingerprint must be checked"
            )
        if (
            args.out.exists()
            and not args.yes
            and not _agrees(ask, f"{args.out} exists; replace it?")
        ):
            raise EnrolmentRefusedError(f"{args.out} was left as it was")
        server, announced_ca = _server(args, ask)
        pem = enrolment.fetch_ca(server)
        fingerprint = certificate_fingerprint(pem)
        print(f"The site CA certificate offered by {server}:")
        for i, line in enumerate(enrolment.grouped(fingerprint)):
            print(f"  {'SHA-256' if i == 0 else '':8} {line}")
        print(f"  {'':8} ({fingerprint}, as cbt-server prints it)")
        if announced_ca and not fingerprint.startswith(announced_ca.lower()):
            raise EnrolmentRefusedError(
                f"the server announced CA {announced_ca} but offers {fingerprint[:16]}; "
                "nothing was written"
            )
        _vouch(args, ask, fingerprint)
        config = _new_config(args, env, server=server, pem=pem, fingerprint=fingerprint)
        print("Checking that the server holds a certificate from this CA ...")
        enrolment.check_server(config)
    except EnrolmentRefusedError as exc:
        print(f"cbt-client: refused: {exc}", file=sys.stderr)
        return 1
    except UntrustedServerError as exc:
        hint = ""
        if "mismatch" in str(exc):  # the CA is right; the certificate does not name this host
            host = urlsplit(exc.url).hostname
            hint = f" (on the server: cbt-server tls renew --server-name {host}, then restart)"
        print(f"cbt-client: refused: {exc}{hint}; nothing was written", file=sys.stderr)
        return 1
    except (ServerUnreachableError, DiscoveryError) as exc:
        print(f"cbt-client: {exc}; nothing was written", file=sys.stderr)
        return 1
    _save(config, args.out)
    print(f"station {config.station_id} enrolled with {config.server_url}")
    return 0


def _agrees(ask: Ask, question: str) -> bool:
    try:
        answer = ask(f"{question} [y/N] ")
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "ya", "yes")


def _server(args: argparse.Namespace, ask: Ask) -> tuple[str, str]:
    """The server's URL (given or discovered) and the CA prefix it announced (or "")."""
    if not args.discover:
        return str(args.server).rstrip("/"), ""
    from cbt_client.discovery import browse

    print(f"Looking for the site server on the LAN ({args.discover_seconds:g} s) ...")
    found = browse(timeout_s=args.discover_seconds, interfaces=args.interface)
    if not found:
        raise DiscoveryError("no site server answered on this network; give --server instead")
    for i, s in enumerate(found, start=1):
        print(f"  {i}. {s.site:12} {s.url:32} CA {s.ca_prefix}…  ({s.host.rstrip('.')})")
    if len(found) == 1 and args.yes:
        choice = found[0]
    elif args.yes:
        raise EnrolmentRefusedError(f"{len(found)} servers answered; choose one with --server")
    else:
        try:
            picked = ask(f"Which server (1-{len(found)})? ").strip()
        except EOFError:
            picked = ""
        if not picked.isdigit() or not 1 <= int(picked) <= len(found):
            raise EnrolmentRefusedError("no server was chosen")
        choice = found[int(picked) - 1]
    return choice.url, choice.ca_prefix


def _vouch(args: argparse.Namespace, ask: Ask, fingerprint: str) -> None:
    """A person (or --fingerprint) vouches that this is the site CA, or enrolment stops."""
    if args.fingerprint:
        given = normalise_fingerprint(args.fingerprint)
        if given != fingerprint:
            raise EnrolmentRefusedError(
                f"the server's CA fingerprint {fingerprint[:16]}… is not the one given "
                f"({given[:16]}…); nothing was written"
            )
        print("It matches --fingerprint.")
        return
    print("Compare it with the CA fingerprint `cbt-server init` printed (`cbt-server tls show`).")
    try:
        answer = ask('Does every group match? Type "ya"/"yes", or paste the fingerprint: ')
    except EOFError:
        answer = ""
    typed = normalise_fingerprint(answer)
    if typed in ("y", "ya", "yes"):
        return
    if len(typed) == 64 and typed == fingerprint:
        print("It matches.")
        return
    if len(typed) == 64:
        raise EnrolmentRefusedError(
            f"the server's CA fingerprint {fingerprint[:16]}… is not the one typed "
            f"({typed[:16]}…); nothing was written"
        )
    raise EnrolmentRefusedError("the fingerprint was not confirmed; nothing was written")


if __name__ == "__main__":
    raise SystemExit(main())
