"""What the stack component reads of a space before it declares traits, predictions and
audiences: the read itself (against the emulator, over loopback HTTP) and what it decides."""

from __future__ import annotations

from typing import Any

from segment_unify.components.space_readiness import SpaceReadiness, read_space

INITIATED = "Flex - Engagement Initiated"


def _config(emulator: Any) -> dict[str, str]:
    return {"segment:token": emulator.token, "segment:endpoint": emulator.url}


def test_read_space__the_seeded_space_with_its_events_and_predictions(emulator: Any) -> None:
    state = read_space("unified-profiles-dev", _config(emulator))

    assert state.known
    assert state.space_id
    assert INITIATED in state.events
    assert {"likelihood_to_churn", "predicted_ltv"} <= state.traits


def test_read_space__unknown_without_a_token_or_a_space(emulator: Any) -> None:
    assert not read_space("unified-profiles-dev", {}).known
    missing = read_space("no-such-space", _config(emulator))
    assert not missing.known
    assert "not found" in missing.reason


def test_a_trait_waits_for_the_events_it_reads_and_an_unknown_space_waits_for_nothing() -> None:
    fresh = SpaceReadiness(known=True, space_id="spa_1", events=frozenset({"Identify"}))
    query = f"event('{INITIATED}').count()"

    assert fresh.events_missing_for(query) == [INITIATED]
    assert SpaceReadiness(known=False).events_missing_for(query) == []
    # An invalid query is left to the resource's check.
    assert fresh.events_missing_for("event('x'.count(") == []


def test_an_audience_waits_for_traits_neither_listed_nor_made_here() -> None:
    state = SpaceReadiness(
        known=True,
        space_id="spa_1",
        events=frozenset({INITIATED}),
        traits=frozenset({"email"}),
    )
    query = "trait('total_inbounds') >= 3 AND trait('predicted_ltv') > 100"

    assert state.lacks_for_audience(query, made_keys={"total_inbounds"}) == [
        "trait 'predicted_ltv' exists"
    ]
    assert state.lacks_for_audience(query, made_keys={"total_inbounds", "predicted_ltv"}) == []
