"""``cbt-score``: re-check any published score from its key, responses and policy.

Usage errors exit 2 (argparse); bad input exits 1 with one line on stderr
naming the file and, where it applies, the item; no traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from scoring.annulment import annul
from scoring.engine import ScoringPlan, score
from scoring.errors import ScoringError
from scoring.integration import input_from_dict, integrate, integrated_to_dict
from scoring.item_analysis import AttemptResponses, analyse, analysis_to_dict
from scoring.model import ItemId, ItemKey, key_to_dict, keys_from_dict, responses_from_dict
from scoring.policy import Policy, neutral_policy, policy_from_dict
from scoring.presets import load_preset, policy_from_toml, preset_names, preset_text
from scoring.ranking import rank, ranking_to_dict, result_from_dict
from scoring.report import report_to_dict


class InputError(Exception):
    """Bad input for the command line: the message is the whole story."""


def _reject_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    out: dict[str, object] = {}
    for name, value in pairs:
        if name in out:
            raise InputError(f"the key {name!r} appears twice in one object")
        out[name] = value
    return out


def _parse_json(text: str, origin: str) -> object:
    try:
        return json.loads(text, object_pairs_hook=_reject_duplicates)
    except json.JSONDecodeError as exc:
        raise InputError(f"{origin}: not valid JSON ({exc.msg}, line {exc.lineno})") from None
    except InputError as exc:
        raise InputError(f"{origin}: {exc}") from None


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: cannot be read (not UTF-8 text)") from None


def _load_json(path: str) -> object:
    return _parse_json(_read(path), path)


def _load_policy(name_or_file: str) -> Policy:
    if name_or_file in preset_names():
        return load_preset(name_or_file)
    if not Path(name_or_file).exists():
        known = ", ".join(preset_names())
        raise InputError(f"{name_or_file}: neither a preset ({known}) nor a file")
    text = _read(name_or_file)
    try:
        if name_or_file.endswith(".json"):
            data = _parse_json(text, name_or_file)
            if not isinstance(data, dict):
                raise InputError(f"{name_or_file}: a policy must be a JSON object")
            return policy_from_dict(data)
        return policy_from_toml(text, origin=name_or_file)
    except ScoringError as exc:
        raise InputError(f"{name_or_file}: {exc}") from None


def _load_keys(path: str) -> dict[ItemId, ItemKey]:
    try:
        return keys_from_dict(_load_json(path))
    except ScoringError as exc:
        raise InputError(f"{path}: {exc}") from None


def _plan(policy: Policy, keys: dict[ItemId, ItemKey], origin: str) -> ScoringPlan:
    try:
        return ScoringPlan(policy, keys.values())
    except ScoringError as exc:
        raise InputError(f"{origin}: {exc}") from None


def _emit(data: object) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def cmd_score(args: argparse.Namespace) -> None:
    policy = _load_policy(args.policy)
    try:
        policy.track(args.track)
    except ScoringError as exc:
        raise InputError(f"--track {args.track}: {exc}") from None
    keys = _load_keys(args.key)
    plan = _plan(policy, keys, args.key)
    try:
        responses = responses_from_dict(_load_json(args.responses), keys)
        report = score(plan=plan, responses=responses, track=args.track)
    except ScoringError as exc:
        raise InputError(f"{args.responses}: {exc}") from None
    _emit(report_to_dict(report))


def _results(path: str) -> list[object]:
    """The ``results`` list of a RESULTS.json document."""
    data = _load_json(path)
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        raise InputError(f"{path}: expected an object with a 'results' list")
    return list(data["results"])


def cmd_rank(args: argparse.Namespace) -> None:
    policy = _load_policy(args.policy)
    rows = _results(args.results)
    try:
        results = [result_from_dict(r, policy) for r in rows]
        ranking = rank(policy=policy, results=results, quota=args.quota, vacancies=args.vacancies)
    except ScoringError as exc:
        raise InputError(f"{args.results}: {exc}") from None
    _emit(ranking_to_dict(ranking))


def cmd_integrate(args: argparse.Namespace) -> None:
    policy = _load_policy(args.policy)
    rows = _results(args.results)
    try:
        entries = integrate(policy=policy, inputs=[input_from_dict(r, policy) for r in rows])
    except ScoringError as exc:
        raise InputError(f"{args.results}: {exc}") from None
    order = list(policy.integration.order) if policy.integration else []
    _emit({"policy": policy.id, "order": order, "ranked": integrated_to_dict(entries)})


def cmd_analyse(args: argparse.Namespace) -> None:
    keys = _load_keys(args.key)
    if args.policy:
        policy = _load_policy(args.policy)
    else:
        policy = neutral_policy(list(dict.fromkeys(k.section for k in keys.values())))
    plan = _plan(policy, keys, args.key)
    attempts: list[AttemptResponses] = []
    for number, line in enumerate(_read(args.responses).splitlines(), start=1):
        if not line.strip():
            continue
        origin = f"{args.responses} line {number}"
        row = _parse_json(line, origin)
        try:
            if not isinstance(row, dict):
                raise InputError(f"{origin}: each line must be a JSON object")
            responses = responses_from_dict(row, keys)
            presented = row.get("presented")
            if presented is not None and not isinstance(presented, list):
                raise InputError(f"{origin}: 'presented' must be a list of item ids")
            attempts.append(
                AttemptResponses(
                    candidate=str(row.get("candidate", number)),
                    responses=responses,
                    presented=None
                    if presented is None
                    else frozenset(ItemId(str(i)) for i in presented),
                )
            )
        except ScoringError as exc:
            raise InputError(f"{origin}: {exc}") from None
    _emit(analysis_to_dict(analyse(plan=plan, attempts=attempts)))


def cmd_annul(args: argparse.Namespace) -> None:
    policy = _load_policy(args.policy)
    keys = _load_keys(args.key)
    try:
        new_keys = annul(keys=keys.values(), items=map(ItemId, args.item), how=policy.annulment)
    except ScoringError as exc:
        raise InputError(f"{args.key}: {exc}") from None
    _emit({"items": [key_to_dict(k) for k in new_keys]})


def cmd_policy(args: argparse.Namespace) -> None:
    if args.name is None:
        for name in preset_names():
            print(f"{name}\t{load_preset(name).title}")
        return
    try:
        sys.stdout.write(preset_text(args.name))
    except ScoringError as exc:
        raise InputError(str(exc)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cbt-score",
        description="Re-check CBT Station scores from published keys, responses and policies.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("score", help="score one candidate's responses")
    p.add_argument("--policy", required=True, help="preset name or policy file (TOML/JSON)")
    p.add_argument("--track", help="the candidate's track (default: the policy's default)")
    p.add_argument("--key", required=True, help="KEY.json")
    p.add_argument("--responses", required=True, help="RESP.json")
    p.set_defaults(run=cmd_score)

    p = sub.add_parser("rank", help="rank the results of one formation")
    p.add_argument("--policy", required=True)
    p.add_argument("results", help="RESULTS.json")
    quota = p.add_mutually_exclusive_group()
    quota.add_argument("--quota", type=int, help="places that go on (default: no cut)")
    quota.add_argument("--vacancies", type=int, help="vacancies; quota = policy multiple")
    p.set_defaults(run=cmd_rank)

    p = sub.add_parser("integrate", help="final SKD + SKB scores and ranking")
    p.add_argument("--policy", required=True)
    p.add_argument("results", help="JSON with results carrying 'skb' scores")
    p.set_defaults(run=cmd_integrate)

    p = sub.add_parser("analyse", help="item statistics of a session")
    p.add_argument("--key", required=True, help="KEY.json")
    p.add_argument("--policy", help="policy (default: sections taken from the key)")
    p.add_argument("responses", help="RESPONSES.jsonl, one candidate per line")
    p.set_defaults(run=cmd_analyse)

    p = sub.add_parser("annul", help="print the key with items annulled per the policy")
    p.add_argument("--policy", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--item", action="append", required=True, help="item id (repeatable)")
    p.set_defaults(run=cmd_annul)

    p = sub.add_parser("policy", help="list the presets, or print one as TOML")
    p.add_argument("name", nargs="?")
    p.set_defaults(run=cmd_policy)
    return parser


def _os_message(exc: OSError) -> str:
    """``FILE: what went wrong`` for an operating-system error (a full disk, a folder)."""
    reason = exc.strerror or str(exc)
    return reason if exc.filename is None else f"{os.fsdecode(exc.filename)}: {reason}"


def _quiet_stdout() -> None:
    """The reader of our output went away (``cbt-score rank ... | head``): send what is
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
    except InputError as exc:
        print(f"cbt-score: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        _quiet_stdout()
        return 1
    except OSError as exc:
        print(f"cbt-score: {_os_message(exc)}", file=sys.stderr)
        return 1
    return 0
