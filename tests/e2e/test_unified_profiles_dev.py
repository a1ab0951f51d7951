"""`examples/unified-profiles`, dev stack, as a user drives it with the real CLI.

One stack per module (an `up` of the example is the expensive part); each test leaves it as it
found it: converged with the program.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from segment_unify.pulumi_stack import POLICIES, STACK_MADE, Stack, example_up

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(1800)]


@pytest.fixture(scope="module")
def dev(
    pulumi_bin: Path, examples_installed: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    with example_up(pulumi_bin, tmp_path_factory.mktemp("dev"), "dev") as stack:
        yield stack


def _trait(stack: Stack, key: str) -> dict[str, object]:
    [found] = [t for t in stack.objects("computed_trait") if t.get("key") == key]
    return found


def test_up_made_the_setup_and_a_second_up_changes_nothing(dev: Stack) -> None:
    assert len(dev.objects("computed_trait")) == 6
    assert dev.state_ids("segment:DestinationSubscription")
    dev.pulumi("up", "--yes", "--expect-no-changes")


def test_stack_output_is_the_twilio_sheet_with_the_token_secret(dev: Stack) -> None:
    shown = dev.outputs()
    for key in ("workspaceId", "workspaceSlug", "spaceId", "spaceSlug", "profileApiToken"):
        assert key in shown, key
    assert shown["spaceSlug"] == "unified-profiles-dev"
    assert shown["profileApiToken"] == "[secret]"
    revealed = dev.outputs(show_secrets=True)
    assert revealed["profileApiToken"] == dev.emulator.profile_tokens["unified-profiles-dev"]


def test_state_holds_no_plain_text_secret(dev: Stack) -> None:
    state = dev.export()
    assert dev.emulator.token not in state
    assert dev.emulator.profile_tokens["unified-profiles-dev"] not in state
    assert "emulator-only-password" not in state
    assert '"ciphertext"' in state


def test_preview_diff_shows_an_update_and_a_replace(dev: Stack) -> None:
    config = dev.project / "Pulumi.dev.yaml"
    committed = config.read_text()
    try:
        dev.set_object(
            "unified-profiles:sources", [{"catalogSlug": "javascript", "name": "Web app"}]
        )
        update = dev.pulumi("preview", "--diff").stdout
        assert re.search(r"~ .*segment:Source.*\(update\)", update), update
        assert re.search(r'~ name\s*: "Website \(dev\)" => "Web app"', update), update
        config.write_text(committed)
        warehouse = {
            "type": "redshift",
            "settings": {
                "hostname": "warehouse.dev.acme.example",
                "port": "5439",
                "database": "analytics_dev",
                "username": "segment_dev",
            },
        }
        dev.set_object("unified-profiles:warehouse", warehouse)
        replace = dev.pulumi("preview", "--diff").stdout
        assert re.search(r"\+-.*segment:Warehouse.*\(replace\)", replace), replace
        assert re.search(r"~ metadata_id\s*:", replace), replace
    finally:
        config.write_text(committed)
    dev.pulumi("preview", "--expect-no-changes")


def test_refresh_drops_an_object_deleted_out_of_band_and_up_makes_it_again(dev: Stack) -> None:
    space_id = dev.outputs()["spaceId"]
    victim = _trait(dev, "total_inbounds")
    with dev.emulator.client() as http:
        http.delete(f"/spaces/{space_id}/computed-traits/{victim['id']}").raise_for_status()
    refreshed = dev.pulumi("refresh", "--yes").stdout
    assert str(victim["id"]) not in dev.state_ids("segment:ComputedTrait"), refreshed
    dev.pulumi("up", "--yes")
    again = _trait(dev, "total_inbounds")
    assert again["id"] != victim["id"]
    assert again["id"] in dev.state_ids("segment:ComputedTrait")
    dev.pulumi("up", "--yes", "--expect-no-changes")


def test_an_out_of_band_change_shows_at_preview_and_up_repairs_it(dev: Stack) -> None:
    space_id = dev.outputs()["spaceId"]
    trait = _trait(dev, "total_inbounds")
    with dev.emulator.client() as http:
        http.patch(
            f"/spaces/{space_id}/computed-traits/{trait['id']}",
            json={"name": "Changed in the app"},
        ).raise_for_status()
    preview = dev.pulumi("preview", "--refresh", "--diff").stdout
    assert re.search(r'~ name\s*: "Changed in the app" => "', preview), preview
    dev.pulumi("up", "--refresh", "--yes")
    assert _trait(dev, "total_inbounds")["name"] == trait["name"]
    dev.pulumi("up", "--yes", "--expect-no-changes")


BAD_AUDIENCE = {
    "name": "Customers by email",
    "query": "event('Flex - Engagement Initiated').where(property('email') = 'x').count() >= 1",
}


def test_policy_pack_is_advisory_in_dev_and_mandatory_in_prod(dev: Stack) -> None:
    pack = ["--policy-pack", str(POLICIES)]
    clean = dev.pulumi("preview", *pack, "--policy-pack-config", str(POLICIES / "config.dev.json"))
    assert "segment-unify" in clean.stdout + clean.stderr, clean.stdout
    dev.set_object("unified-profiles:audiences", [BAD_AUDIENCE])
    try:
        advisory = dev.pulumi(
            "preview", *pack, "--policy-pack-config", str(POLICIES / "config.dev.json")
        )
        text = advisory.stdout + advisory.stderr
        assert "[advisory]" in text and "unify-audience-customers-by-email" in text, text
        mandatory = dev.pulumi(
            "preview",
            *pack,
            "--policy-pack-config",
            str(POLICIES / "config.prod.json"),
            check=False,
        )
        text = mandatory.stdout + mandatory.stderr
        assert mandatory.returncode != 0, text
        assert "[mandatory]" in text and "unify-audience-customers-by-email" in text, text
    finally:
        dev.pulumi("config", "rm", "unified-profiles:audiences")


def test_destroy_leaves_nothing_the_stack_made_and_keeps_what_it_adopted(dev: Stack) -> None:
    spaces_before = dev.objects("space")
    dev.pulumi("destroy", "--yes")
    for kind in STACK_MADE:
        assert dev.made(kind) == set(), kind
    assert dev.objects("space") == spaces_before
    assert dev.resources() == []
