"""The mock monitor (``segment_unify.localrun``) marks secrets where Pulumi's engine does."""

from __future__ import annotations

import pulumi

from segment_unify.provider import ComputedTrait
from tests.program.harness import run_program


def test_an_output_named_like_a_secret_input_comes_back_secret() -> None:
    # The dynamic provider takes no secrets: the engine copies an input's secretness to the
    # output of the same name, and leaves the other outputs as they are.
    def program() -> None:
        trait = ComputedTrait(
            "calls",
            space_id="spa_1",
            name=pulumi.Output.secret("Calls"),
            definition="event('Call Completed').count()",
        )
        pulumi.export("name", trait.name)
        pulumi.export("definition", trait.definition)

    run = run_program(program)

    assert run.outputs["name"] == "Calls"
    assert run.secret_outputs == {"name"}
    (trait,) = run.of_kind("ComputedTrait")
    assert trait.secret_inputs == ["name"]
