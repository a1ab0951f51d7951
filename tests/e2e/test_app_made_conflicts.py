"""Objects made in Segment's app that hold a key the program declares survive `up` and `destroy`.

Under the real engine: a source with the program's slug, a computed trait and an audience with
the program's names, each made through the Public API as Segment's app would (and differing from
what the program declares). `pulumi up` refuses each of them, naming its id and the `adopt_id`
that would bring it in; `pulumi destroy` then leaves all three exactly as they were.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from segment_unify.pulumi_cli import LocalBackend
from segment_unify.pulumi_stack import example_stack

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

PROGRAM = __import__("pathlib").Path(__file__).parent / "programs" / "app-made-conflicts"
SPACE = "unified-profiles-dev"
JAVASCRIPT = "IqDTy1TpoU"
APP_TRAIT_QUERY = "event('Flex - Engagement Initiated').count()"
APP_AUDIENCE_QUERY = "event('Flex - Engagement Initiated').within(7 days).count() >= 1"
FIELDS = ("id", "slug", "key", "name", "enabled", "definition", "settings")


def _made(http: httpx.Client, path: str, kind: str, body: dict[str, Any]) -> dict[str, Any]:
    made = http.post(path, json={"enabled": True, **body})
    assert made.status_code in (200, 201), made.text
    found: dict[str, Any] = made.json()["data"][kind]
    return found


def _held(http: httpx.Client, path: str, kind: str) -> dict[str, Any]:
    got = http.get(path)
    assert got.status_code == 200, got.text
    found = got.json()["data"][kind]
    return {k: found.get(k) for k in FIELDS}


def test_app_made_source_trait_and_audience_survive_up_and_destroy(
    backend: LocalBackend,
) -> None:
    with example_stack(backend, PROGRAM, "dev") as stack:
        [space] = [s for s in stack.objects("space") if s["slug"] == SPACE]
        spaced = f"/spaces/{space['id']}"
        with stack.emulator.client() as http:
            source = _made(
                http, "/sources", "source", {"slug": "website", "metadataId": JAVASCRIPT}
            )
            named = http.patch(f"/sources/{source['id']}", json={"name": "Marketing site"})
            assert named.status_code == 200, named.text
            trait = _made(
                http,
                f"{spaced}/computed-traits",
                "computedTrait",
                {
                    "name": "Total inbounds",
                    "definition": {"type": "USERS", "query": APP_TRAIT_QUERY},
                },
            )
            audience = _made(
                http,
                f"{spaced}/audiences",
                "audience",
                {
                    "name": "Frequent Callers",
                    "audienceType": "USERS",
                    "definition": {"query": APP_AUDIENCE_QUERY},
                },
            )
            paths = {
                "source": f"/sources/{source['id']}",
                "computedTrait": f"{spaced}/computed-traits/{trait['id']}",
                "audience": f"{spaced}/audiences/{audience['id']}",
            }
            before = {kind: _held(http, path, kind) for kind, path in paths.items()}

        for key, value in {
            "spaceSlug": SPACE,
            "sourceSlug": "website",
            "traitName": "Total inbounds",
            "traitQuery": "event('Flex - Engagement Initiated')"
            ".where(property('direction') = 'Inbound').count()",
            "audienceName": "Frequent Callers",
            "audienceQuery": "event('Flex - Engagement Initiated').within(30 days).count() >= 3",
        }.items():
            stack.set_config(f"app-made-conflicts:{key}", value)

        # Every refusal in one run: the engine stops at the first error otherwise.
        refused = stack.pulumi("up", "--yes", "--continue-on-error", check=False)
        stack.pulumi("destroy", "--yes")

        with stack.emulator.client() as http:
            after = {kind: _held(http, path, kind) for kind, path in paths.items()}
        assert after == before
        assert refused.returncode != 0
        printed = refused.stdout + refused.stderr
        for adopt_id in (
            source["id"],
            f"{space['id']}/{trait['id']}",
            f"{space['id']}/{audience['id']}",
        ):
            assert f"adopt_id={adopt_id!r}" in printed, printed[-3000:]
        assert stack.resources() == [] or all(
            r["type"] in ("pulumi:pulumi:Stack", "pulumi:providers:pulumi-python")
            for r in stack.resources()
        )
