"""The control plane (`/__emulator/`) is for local tests: it answers on loopback only, says so,
and shows no credential to whoever asks it over HTTP.

`/state`, `/workspaces/{slug}/objects/{kind}` and `/requests` mask secret settings (passwords,
keys, tokens) the way Segment's own answers do. The in-process test harness, which holds the
emulator object anyway, still reads what is stored (tests check that a password was kept).
"""

from __future__ import annotations

import json

import httpx
import pytest

from segment_unify.emulator.cli import main
from segment_unify.emulator.testing import InProcessEmulator

POSTGRES = "55d3d3aea3c"  # the catalog's Postgres warehouse
PASSWORD = "pw_FAKE_control_plane_4b1d"


def _write_credentials(http: httpx.Client) -> None:
    response = http.post(
        "/warehouses",
        json={
            "metadataId": POSTGRES,
            "settings": {
                "hostname": "db",
                "username": "u",
                "password": PASSWORD,
                "token": PASSWORD,
            },
        },
    )
    assert response.status_code == 201, response.text


def test_state_objects_and_requests_mask_secrets_over_http(
    emulator: InProcessEmulator, http: httpx.Client
) -> None:
    _write_credentials(http)
    admin = f"{emulator.url}/__emulator"

    shown = [
        httpx.get(f"{admin}/state").text,
        httpx.get(f"{admin}/workspaces/acme-contact-center/objects/warehouse").text,
        httpx.get(f"{admin}/requests").text,
    ]

    for text in shown:
        assert PASSWORD not in text
        assert "db" in text  # the rest of the settings is still there
    stored = httpx.get(f"{admin}/workspaces/acme-contact-center/objects/warehouse").json()
    assert stored["objects"][0]["settings"]["password"] == "••••••••"
    # The in-process harness reads what is stored.
    assert emulator.objects("acme-contact-center", "warehouse")[0]["settings"]["password"] == (
        PASSWORD
    )
    assert PASSWORD in json.dumps(emulator.request_log())


def test_a_non_loopback_host_is_refused_without_the_explicit_flag(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["serve", "--host", "0.0.0.0"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "loopback" in err
    assert "--allow-non-loopback" in err


def test_help_says_it_is_for_local_testing_only(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    out = capsys.readouterr().out
    assert "local testing only" in out
    assert "no authentication" in out
