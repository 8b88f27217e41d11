"""``cbt-score`` as an auditor uses it: files in, JSON out, one clear line on error."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scoring import key_to_dict
from tests.scoring.factories import responses_for, skd_keys


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scoring", *args], capture_output=True, text=True, check=False
    )


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    keys = skd_keys()
    key_file = tmp_path / "KEY.json"
    key_file.write_text(json.dumps({"items": [key_to_dict(k) for k in keys]}), encoding="utf-8")
    responses = responses_for(keys, TWK=65, TIU=75, TKP=181)
    resp_file = tmp_path / "RESP.json"
    resp_file.write_text(json.dumps({"responses": responses}), encoding="utf-8")
    return {"key": key_file, "resp": resp_file, "dir": tmp_path}


def test_score_prints_the_report(files) -> None:
    done = run(
        "score",
        "--policy",
        "skd-2024",
        "--key",
        str(files["key"]),
        "--responses",
        str(files["resp"]),
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["sections"]["TIU"]["score"] == 75
    assert report["sections"]["TIU"]["threshold"] == 80
    assert report["sections"]["TIU"]["passed"] is False
    assert report["total"] == 321
    assert report["passed"] is False
    assert "TIU 75 di bawah ambang batas 80" in [r["id"] for r in report["reasons"]]


def test_track_changes_the_outcome(files) -> None:
    done = run(
        "score",
        "--policy",
        "skd-2024",
        "--track",
        "disability",
        "--key",
        str(files["key"]),
        "--responses",
        str(files["resp"]),
    )
    assert json.loads(done.stdout)["passed"] is True  # total 321 >= 286, TIU 75 >= 60


def test_policy_from_a_file(files) -> None:
    text = run("policy", "skd-2024").stdout.replace("TIU = 80", "TIU = 75")
    policy = files["dir"] / "custom.toml"
    policy.write_text(text, encoding="utf-8")
    done = run(
        "score",
        "--policy",
        str(policy),
        "--key",
        str(files["key"]),
        "--responses",
        str(files["resp"]),
    )
    assert json.loads(done.stdout)["passed"] is True


@pytest.mark.parametrize(
    ("responses", "message"),
    [
        ('{"responses": {"TWK-999": "A"}}', "RESP.json: item 'TWK-999': there is no key"),
        ('{"responses": {"TWK-001": "F"}}', "RESP.json: item 'TWK-001': option 'F' does not exist"),
        ('{"responses": {"TWK-001": "A", "TWK-001": "B"}}', "appears twice"),
        ('{"responses": [1, 2]}', "must be an object with a 'responses' object"),
        ("{not json", "RESP.json: not valid JSON"),
    ],
)
def test_bad_responses_exit_1_with_one_clear_line(files, responses, message) -> None:
    files["resp"].write_text(responses, encoding="utf-8")
    done = run(
        "score",
        "--policy",
        "skd-2024",
        "--key",
        str(files["key"]),
        "--responses",
        str(files["resp"]),
    )
    assert done.returncode == 1
    assert message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_unknown_policy_and_missing_file(files) -> None:
    done = run(
        "score",
        "--policy",
        "skd-1999",
        "--key",
        str(files["key"]),
        "--responses",
        str(files["resp"]),
    )
    assert done.returncode == 1
    assert "skd-1999: neither a preset (pppk-2024, skd-2024) nor a file" in done.stderr
    done = run("score", "--policy", "skd-2024", "--key", "nope.json", "--responses", "x")
    assert (done.returncode, done.stderr.strip()) == (1, "cbt-score: nope.json: no such file")


def test_contradictory_policy_file_is_refused(files) -> None:
    text = run("policy", "skd-2024").stdout.replace("TKP = 166", "TKP = 300")
    policy = files["dir"] / "bad.toml"
    policy.write_text(text, encoding="utf-8")
    done = run(
        "score",
        "--policy",
        str(policy),
        "--key",
        str(files["key"]),
        "--responses",
        str(files["resp"]),
    )
    assert done.returncode == 1
    assert "threshold TKP 300 is above the maximum 225" in done.stderr


def test_usage_errors_exit_2() -> None:
    assert run().returncode == 2
    assert run("score", "--policy", "skd-2024").returncode == 2
    assert run("rank", "--policy", "skd-2024", "x", "--quota", "three").returncode == 2


def test_rank_prints_tie_groups_and_rules(tmp_path) -> None:
    results = {
        "results": [
            {
                "candidate": "A",
                "track": "general",
                "sections": {"TWK": 100, "TIU": 110, "TKP": 190},
            },
            {
                "candidate": "B",
                "track": "general",
                "sections": {"TWK": 100, "TIU": 120, "TKP": 180},
            },
            {
                "candidate": "C",
                "track": "general",
                "sections": {"TWK": 100, "TIU": 120, "TKP": 180},
            },
            {"candidate": "D", "track": "general", "sections": {"TWK": 60, "TIU": 120, "TKP": 180}},
        ]
    }
    path = tmp_path / "RESULTS.json"
    path.write_text(json.dumps(results), encoding="utf-8")
    done = run("rank", "--policy", "skd-2024", str(path), "--quota", "2")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    ranked = [
        (e["candidate"], e["position"], e["tie_group"], e["within_quota"]) for e in out["ranked"]
    ]
    assert ranked == [("A", 1, None, True), ("B", 2, 1, True), ("C", 2, 1, True)]
    assert out["ranked"][0]["separated_from_next_by"] == {"rule": "TKP", "above": 190, "below": 180}
    assert [n["candidate"] for n in out["not_ranked"]] == ["D"]


def test_analyse_reads_jsonl(files) -> None:
    lines = [
        json.dumps({"candidate": f"c{i}", "responses": {"TWK-001": "A" if i % 2 else "B"}})
        for i in range(10)
    ]
    path = files["dir"] / "RESPONSES.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = run("analyse", "--key", str(files["key"]), str(path))
    assert done.returncode == 0, done.stderr
    items = {i["id"]: i for i in json.loads(done.stdout)["items"]}
    assert items["TWK-001"]["difficulty"] == 0.5
    assert items["TWK-001"]["option_counts"]["B"] == 5
    path.write_text(lines[0] + "\n{oops\n", encoding="utf-8")
    done = run("analyse", "--key", str(files["key"]), str(path))
    assert done.returncode == 1
    assert "RESPONSES.jsonl line 2: not valid JSON" in done.stderr


def test_annul_prints_a_key_that_rescoring_accepts(files) -> None:
    done = run("annul", "--policy", "skd-2024", "--key", str(files["key"]), "--item", "TIU-001")
    assert done.returncode == 0, done.stderr
    new_key = files["dir"] / "KEY-annulled.json"
    new_key.write_text(done.stdout, encoding="utf-8")
    item = next(i for i in json.loads(done.stdout)["items"] if i["id"] == "TIU-001")
    assert item["annulled"] == "award"
    before = json.loads(
        run(
            "score",
            "--policy",
            "skd-2024",
            "--key",
            str(files["key"]),
            "--responses",
            str(files["resp"]),
        ).stdout
    )
    after = json.loads(
        run(
            "score",
            "--policy",
            "skd-2024",
            "--key",
            str(new_key),
            "--responses",
            str(files["resp"]),
        ).stdout
    )
    assert after["total"] - before["total"] in (0, 5)


def test_integrate_prints_final_scores_and_the_deciding_rule(tmp_path) -> None:
    results = {
        "results": [
            {
                "candidate": "A",
                "track": "general",
                "sections": {"TWK": 100, "TIU": 120, "TKP": 180},
                "skb": 80,
                "grade_average": "3.5",
                "birth_date": "1995-01-20",
            },
            {
                "candidate": "B",
                "track": "general",
                "sections": {"TWK": 100, "TIU": 120, "TKP": 180},
                "skb": 80,
                "grade_average": "3.5",
                "birth_date": "1998-05-01",
            },
        ]
    }
    path = tmp_path / "SKB.json"
    path.write_text(json.dumps(results), encoding="utf-8")
    done = run("integrate", "--policy", "skd-2024", str(path))
    assert done.returncode == 0, done.stderr
    ranked = json.loads(done.stdout)["ranked"]
    assert [r["candidate"] for r in ranked] == ["A", "B"]  # the older candidate first
    assert ranked[0]["separated_from_next_by"] == "birth_date"
    assert ranked[0]["final"] == "848/11"  # 400/550*40 + 80*60/100 = 320/11 + 48, exactly
    path.write_text(json.dumps({"results": [{**results["results"][0], "skb": 101}]}))
    done = run("integrate", "--policy", "skd-2024", str(path))
    assert done.returncode == 1
    assert "SKB 101 is outside 0..100" in done.stderr


def run_into(stdout: int, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scoring", *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )


def test_a_reader_that_goes_away_ends_the_command_quietly() -> None:
    """``cbt-score policy skd-2024 | head -0``: no traceback about a broken pipe."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = run_into(write_end, "policy", "skd-2024")
    finally:
        os.close(write_end)
    assert (done.returncode, done.stderr) == (1, "")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_is_one_clear_line() -> None:
    with Path("/dev/full").open("w") as full:
        done = run_into(full.fileno(), "policy", "skd-2024")
    assert (done.returncode, done.stderr) == (1, "cbt-score: No space left on device\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--track", "foo", "--key", "{key}", "--responses", "{resp}"),
            "--track foo: policy 'skd-2024': no track 'foo' (tracks: general, cumlaude,",
        ),
        (
            ("--key", "{dir}", "--responses", "{resp}"),
            "{dir}: cannot be read (Is a directory)",
        ),
        (
            ("--key", "{key}", "--responses", "{dir}"),
            "{dir}: cannot be read (Is a directory)",
        ),
    ],
    ids=["unknown-track", "key-is-a-folder", "responses-is-a-folder"],
)
def test_score_names_the_option_or_file_at_fault(files, args, message) -> None:
    places = {"key": str(files["key"]), "resp": str(files["resp"]), "dir": str(files["dir"])}
    done = run("score", "--policy", "skd-2024", *(a.format(**places) for a in args))
    assert done.returncode == 1
    assert done.stderr.startswith(f"cbt-score: {message.format(**places)}")
    assert len(done.stderr.splitlines()) == 1
    assert "RESP.json" not in done.stderr  # the responses are not blamed for another's fault
