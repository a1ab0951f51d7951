"""Values not known until the update (outputs of other resources) are not judged at preview."""

from __future__ import annotations

from typing import Any

from pulumi.runtime import rpc

from segment_unify.localrun.engine import to_struct
from segment_unify.provider import Audience, ComputedTrait
from tests.policies.analyzer import Analyzer
from tests.policies.helpers import INBOUNDS, SPACE_ID, audience, run_program, trait


def _with_unknown(resource_props: dict[str, Any], *path: str) -> dict[str, Any]:
    """``resource_props`` with the value at ``path`` replaced by the engine's unknown marker."""
    props = dict(resource_props)
    target = props
    for key in path[:-1]:
        target[key] = dict(target[key])
        target = target[key]
    target[path[-1]] = rpc.UNKNOWN
    return props


def test_passes_if_a_definition_is_not_known_yet(default_config: Analyzer) -> None:
    resource = audience()
    resource.properties = to_struct(_with_unknown(resource.props(), "definition", "query"))

    assert default_config.analyze(resource) == []


def test_passes_if_a_trait_name_and_options_are_not_known_yet(default_config: Analyzer) -> None:
    resource = trait(stack="prod", protect=True)
    props = _with_unknown(_with_unknown(resource.props(), "name"), "options")
    resource.properties = to_struct(props)

    assert default_config.analyze(resource) == []
    assert default_config.analyze_stack([resource]) == []


def test_passes_if_an_audience_is_built_from_a_trait_key_output(
    default_config: Analyzer,
) -> None:
    def program() -> None:
        calls = ComputedTrait("calls", space_id=SPACE_ID, name="Calls", definition=INBOUNDS)
        Audience(
            "frequent-callers",
            space_id=SPACE_ID,
            name="Frequent Callers",
            definition=calls.key.apply(lambda key: f"trait('{key}') >= 5"),
        )

    resources = run_program(program)
    (callers,) = [r for r in resources if r.name == "frequent-callers"]

    assert callers.properties["definition"] == rpc.UNKNOWN
    assert default_config.analyze_all(resources) == []
