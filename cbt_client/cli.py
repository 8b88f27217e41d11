"""``cbt-client``: the station (``run``), the headless candidate (``bot``) and ``config``.

    cbt-client [run] [--config station.toml] [--practice] [--language en]
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
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from cbt_client.bot import BotLogin, BotResult, Pace, run_bot, run_bots
from cbt_client.config import StationConfig, certificate_fingerprint
from cbt_client.errors import ClientError, ConfigError


def default_config_path(environ: Mapping[str, str], platform: str = sys.platform) -> Path:
    if environ.get("CBT_CLIENT_CONFIG"):
        return Path(environ["CBT_CLIENT_CONFIG"])
    if platform == "win32":
        return Path(environ.get("PROGRAMDATA", "C:/ProgramData")) / "CBT Station" / "station.toml"
    return Path("/etc/cbt-client/station.toml")


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
    init.add_argument("--station", required=True, help="this PC's workstation id, e.g. PC-01")
    init.add_argument("--out", type=Path, required=True)
    init.add_argument("--data-dir", type=Path, default=Path("data"))
    init.add_argument("--exit-code-env", help="environment variable holding the exit code")
    init.add_argument("--no-kiosk", action="store_true", help="do not expect a kiosk shell")
    init.add_argument("--language", choices=("id", "en"), default="id")
    show = csub.add_parser("show", help="check a config and print what it pins")
    show.add_argument("--config", type=Path)
    return parser


def _run_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path)
    parser.add_argument("--practice", action="store_true", help="windowed, no lockdown")
    parser.add_argument("--language", choices=("id", "en"))


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
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
        config = StationConfig.load(args.config or default_config_path(env))
        from cbt_client.ui.app import run_station  # the Qt face, only for the station

        return run_station(config, practice=args.practice, language=args.language)
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
    exit_code = env.get(args.exit_code_env, "") if args.exit_code_env else ""
    if args.exit_code_env and not exit_code:
        raise ConfigError(f"${args.exit_code_env} is empty", field="exit_code")
    config = StationConfig.create(
        server_url=args.server,
        station_id=args.station,
        ca_pem=pem,
        ca_fingerprint=args.ca_fingerprint,
        data_dir=args.data_dir,
        exit_code=exit_code or None,
        expect_kiosk=not args.no_kiosk,
        language=args.language,
    )
    config.save(args.out)
    print(f"wrote {args.out}")
    print(f"CA fingerprint (compare with `cbt-server tls show`): {certificate_fingerprint(pem)}")
    if not exit_code:
        print("warning: no proctor exit code set (--exit-code-env); only the result page exits")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
