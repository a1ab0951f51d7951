"""``Prediction``: a prediction of a Unify space, adopted by its trait key (UI-only in Segment).

Segment's Public API cannot create predictions (Likelihood to Churn, Predicted LTV, Likelihood
to Purchase, Custom Predictive Goals): a person makes one in Segment under Unify > Predictions,
and Segment writes its score to profiles as a computed trait. Create finds that trait in
``GET /spaces/{id}/traits`` (paginated; the listing made when the space was adopted, if this
process adopted it, serves a trait it holds) and fails naming the UI step when it is not there; read
looks again (a trait no longer listed, or listed only as one sources send, or a 404 for the
space, means gone); delete only drops it from the stack. The Pulumi id is
``<spaceId>/<traitKey>``.

Segment documents no fixed trait keys: the key is the snake_cased name given in the UI. The
defaults here are the UI's suggested names, snake_cased (``Likelihood to Churn`` ->
``likelihood_to_churn``); a custom goal has no default. An import reads the kind back from a
default key, and calls any other key ``custom``. Not handled: the prediction's settings
(target event, window, cohort), which Segment exposes nowhere but the UI.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Literal, overload

import pulumi
import pulumi.dynamic as dyn

from segment_unify.provider.errors import SegmentResourceError
from segment_unify.provider.resources import _fields as fields
from segment_unify.provider.resources._base import SegmentProvider
from segment_unify.provider.resources._declare import Args, Prop, arg, from_segment, out
from segment_unify.provider.resources._read_ahead import listed_trait
from segment_unify.provider.resources._resource import SegmentResource
from segment_unify.provider.resources._space_object import (
    space_object_id,
    split_space_object_id,
)

if TYPE_CHECKING:
    from segment_unify.provider.client import SegmentClient

PredictionKind = Literal["churn", "ltv", "purchase", "custom"]

# The UI's names per kind, and the trait keys Segment makes of them.
UI_NAMES: dict[str, str] = {
    "churn": "Likelihood to Churn",
    "ltv": "Predicted LTV",
    "purchase": "Likelihood to Purchase",
    "custom": "Custom Predictive Goal",
}
DEFAULT_TRAIT_KEYS: dict[str, str] = {
    "churn": "likelihood_to_churn",
    "ltv": "predicted_ltv",
    "purchase": "likelihood_to_purchase",
}
# Trait types that are never a prediction's: sent by sources, SQL traits, audiences.
NOT_PREDICTED = frozenset({"CUSTOM", "SQL", "AUDIENCE"})


class PredictionArgs(Args):
    """Arguments of a ``Prediction``; Segment's answers are the space's trait
    (``GET /spaces/{id}/traits``)."""

    check_base: ClassVar[str] = "prediction.PredictionChecks"

    space_id: Prop[str] = fields.space_id(default=..., segment=None)
    """The Unify space (``UnifySpace.space_id``) of the prediction; moving it replaces it."""
    kind: Prop[PredictionKind] = arg(replaces=True)
    """``churn``, ``ltv``, ``purchase`` or ``custom``."""
    trait_key: Prop[str] = arg(
        answer="trait",
        replaces=True,
        pattern=r"^[a-z0-9][a-z0-9_.]*$",
        max_length=200,
        default=None,
    )
    """The trait the prediction writes (``trait('<trait_key>')`` in queries); defaults to the UI's
    name for ``kind``, snake_cased (required for ``custom``)."""
    trait_type: Prop[str] = out(answer="type")
    """Segment's type of the trait."""


def kind_of(trait_key: str) -> str:
    """The kind an adopted key suggests (for imports, which have nothing else to go on)."""
    for kind, key in DEFAULT_TRAIT_KEYS.items():
        if key == trait_key:
            return kind
    return "custom"


def find_trait(client: SegmentClient, space_id: str, key: str) -> dict[str, Any] | None:
    """The trait ``key`` of the space, of any type, if Segment lists it."""
    for trait in client.paginate("ListTraits", f"/spaces/{space_id}/traits", "traits"):
        if trait.get("trait") == key:
            return trait
    return None


def is_predicted(trait: Mapping[str, Any] | None) -> bool:
    return trait is not None and str(trait.get("type")) not in NOT_PREDICTED


def prediction_state(space_id: str, kind: str, trait: Mapping[str, Any]) -> dict[str, Any]:
    return {**from_segment(PredictionArgs, trait), "space_id": space_id, "kind": kind}


class PredictionProvider(SegmentProvider[Any]):
    kind = "prediction"
    declaration = PredictionArgs
    natural_key: ClassVar[str | None] = "trait_key"
    adopted = True

    def extra_failures(self, inputs: Any) -> list[dyn.CheckFailure]:
        if inputs.trait_key is None:
            return [
                dyn.CheckFailure(
                    "trait_key",
                    f"trait_key is required for a {inputs.kind} prediction: the snake_cased "
                    "name it was given in Segment (e.g. 'likelihood_to_upgrade')",
                )
            ]
        return []

    def segment_create(self, client: SegmentClient, inputs: Any) -> tuple[str, dict[str, Any]]:
        key = inputs.trait_key or ""
        # Predictions are made in the UI only, so one listed when the space was adopted (in this
        # process) is there; one not listed then is asked about again.
        trait = listed_trait(client, inputs.space_id, key)
        if not is_predicted(trait):
            trait = find_trait(client, inputs.space_id, key)
        if trait is None or not is_predicted(trait):
            name = UI_NAMES[inputs.kind]
            seen = "" if trait is None else f" (only a {trait.get('type')} trait of that key)"
            raise SegmentResourceError(
                f"Unify space {inputs.space_id!r} has no prediction trait {key!r}{seen}. Segment's "
                f"Public API cannot create predictions: create it in Segment under Unify > "
                f"Predictions > {name!r} (name it so that its trait key is {key!r}); Segment "
                "takes 24-48 hours to compute a new prediction. Then run `pulumi up` again."
            )
        state = prediction_state(inputs.space_id, inputs.kind, trait)
        return space_object_id(inputs.space_id, key), state

    def segment_read(
        self, client: SegmentClient, id_: str, prior: Mapping[str, Any]
    ) -> dict[str, Any] | None:
        space_id, key = split_space_object_id(id_, "traitKey")
        trait = find_trait(client, space_id, key)
        if trait is None or not is_predicted(trait):
            return None
        return prediction_state(space_id, str(prior.get("kind") or kind_of(key)), trait)

    def segment_update(
        self, client: SegmentClient, id_: str, inputs: Any, changed: set[str]
    ) -> dict[str, Any]:
        # Every input replaces; an update only reads the trait again.
        state = self.segment_read(client, id_, {"kind": inputs.kind})
        if state is None:
            raise SegmentResourceError(f"prediction {id_!r} is gone from Segment")
        return state


class Prediction(
    SegmentResource[PredictionArgs], PredictionArgs, module="segment", name="Prediction"
):
    """An existing prediction: ``Prediction("churn", space_id=space.space_id, kind="churn")``."""

    _segment_provider = PredictionProvider()

    # Typed constructors (tools/typed_constructors.py writes them from the declaration).
    if TYPE_CHECKING:

        @overload
        def __init__(
            self,
            resource_name: str,
            args: PredictionArgs,
            opts: pulumi.ResourceOptions | None = None,
            *,
            adopt_id: pulumi.Input[str] | None = None,
        ) -> None: ...
        @overload
        def __init__(
            self,
            resource_name: str,
            args: None = None,
            opts: pulumi.ResourceOptions | None = None,
            *,
            space_id: pulumi.Input[str],
            kind: pulumi.Input[PredictionKind],
            trait_key: pulumi.Input[str] | None = None,
            adopt_id: pulumi.Input[str] | None = None,
        ) -> None: ...
        def __init__(self, *args: Any, **kwargs: Any) -> None: ...

    # End of the typed constructors.
