from __future__ import annotations

from pathlib import Path

import pytest

from cbt_client.config import (
    StationConfig,
    exit_code_matches,
    hash_exit_code,
    normalise_fingerprint,
)
from cbt_client.errors import ConfigError, FingerprintMismatchError
from tests.cbt_client.conftest import throwaway_ca


def _config(tmp_path: Path, **changes: object) -> StationConfig:
    pem, fp = throwaway_ca()
    options: dict[str, object] = {
        "server_url": "https://10.0.0.2:8443",
        "station_id": "PC-01",
        "ca_pem": pem,
        "ca_fingerprint": fp,
        "data_dir": Path("data"),
        "exit_code": "271828",
        "expect_kiosk": True,
    }
    options.update(changes)
    return StationConfig.create(**options)  # type: ignore[arg-type]


def test_a_config_round_trips_through_its_file(tmp_path: Path) -> None:
    config = _config(tmp_path)
    path = tmp_path / "station.toml"
    config.save(path)
    loaded = StationConfig.load(path)
    assert loaded.server_url == "https://10.0.0.2:8443"
    assert loaded.station_id == "PC-01"
    assert loaded.ca_fingerprint == config.ca_fingerprint
    assert loaded.data_dir == tmp_path / "data"  # relative to the config file
    assert loaded.expect_kiosk is True
    assert loaded.exit_code_matches("271828")
    assert not loaded.exit_code_matches("271829")
    assert "271828" not in path.read_text()


def test_a_swapped_certificate_is_refused_at_load(tmp_path: Path) -> None:
    config = _config(tmp_path)
    path = tmp_path / "station.toml"
    config.save(path)
    text = path.read_text().replace(config.ca_fingerprint, "0" * 64)
    path.write_text(text)
    with pytest.raises(FingerprintMismatchError) as caught:
        StationConfig.load(path)
    assert caught.value.expected == "0" * 64
    assert caught.value.actual == config.ca_fingerprint
    assert caught.value.field == "ca_fingerprint"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"server_url": "http://10.0.0.2:8000"}, "server_url"),
        ({"station_id": "PC 01"}, "station_id"),
        ({"ca_fingerprint": "xyz"}, "ca_fingerprint"),
        (
            {"ca_pem": "-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n"},
            "ca_certificate",
        ),
        ({"language": "fr"}, "language"),
    ],
)
def test_bad_settings_name_their_field(
    tmp_path: Path, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        _config(tmp_path, **changes)
    assert caught.value.field == field


def test_unknown_settings_and_missing_files_are_config_errors(tmp_path: Path) -> None:
    path = tmp_path / "station.toml"
    _config(tmp_path).save(path)
    path.write_text(path.read_text() + 'color = "blue"\n')
    with pytest.raises(ConfigError, match="unknown setting"):
        StationConfig.load(path)
    with pytest.raises(ConfigError, match="cannot read"):
        StationConfig.load(tmp_path / "missing.toml")


def test_fingerprints_are_accepted_as_people_copy_them() -> None:
    assert normalise_fingerprint("AB:cd 12") == "abcd12"


def test_exit_code_hashes_are_salted_and_checked() -> None:
    first, second = hash_exit_code("1234"), hash_exit_code("1234")
    assert first != second
    assert exit_code_matches(first, "1234")
    assert exit_code_matches(second, " 1234 ")
    assert not exit_code_matches(first, "4321")
    assert not exit_code_matches("md5$x", "1234")
