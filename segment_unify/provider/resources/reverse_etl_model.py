"""``ReverseEtlModel``: the SQL a Reverse ETL source runs against its warehouse.

Segment: ``POST /reverse-etl-models`` (201), ``GET|PATCH|DELETE /reverse-etl-models/{id}``.
The natural key is name + source; a lost create is resolved by finding both in
``GET /reverse-etl-models``. Changing the source replaces the model; everything else is
updated. The schedule is not part of the model (Segment moved it to the subscription in 2024:
see ``DestinationSubscription``'s ``schedule``). Not checked here: the SQL itself, which only
the warehouse can judge.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, overload

import pulumi

from segment_unify.provider.resources import _fields as fields
from segment_unify.provider.resources._base import SegmentProvider
from segment_unify.provider.resources._declare import Args, Prop, arg, to_segment
from segment_unify.provider.resources._resource import SegmentResource

if TYPE_CHECKING:
    from segment_unify.provider.client import SegmentClient


class ReverseEtlModelArgs(Args):
    """Arguments of a ``ReverseEtlModel``."""

    source_id: Prop[str] = arg(segment="sourceId", replaces=True, update=False, min_length=1)
    """The Reverse ETL source (``postgres-reverse-etl``, ...) whose warehouse runs the query; a
    change replaces the model."""
    query: Prop[str] = arg(segment="query", min_length=1, pattern=r"\S")
    """SQL, e.g. ``SELECT * FROM salesforce.accounts``."""
    query_identifier_column: Prop[str] = arg(
        segment="queryIdentifierColumn", min_length=1, pattern=r"\S"
    )
    """The column that identifies a row across runs (Segment diffs rows by it)."""
    name: Prop[str] = fields.autonamed(default=None)
    """Autonamed from the resource name if omitted."""
    description: Prop[str] = arg(segment="description", default="")
    """What the model reads."""
    enabled: Prop[bool] = fields.enabled(default=True)
    """Whether Segment runs it."""


class ReverseEtlModelProvider(SegmentProvider[Any]):
    kind = "Reverse ETL model"
    declaration = ReverseEtlModelArgs
    autoname_field: ClassVar[str | None] = "name"
    autoname_slug: ClassVar[bool] = False
    key_scope: ClassVar[tuple[str, ...]] = ("source_id",)

    def state(self, answer: Mapping[str, Any]) -> dict[str, Any]:
        state = super().state(answer)
        state["description"] = state["description"] or ""
        return state

    def segment_create(self, client: SegmentClient, inputs: Any) -> tuple[str, dict[str, Any]]:
        body = to_segment(ReverseEtlModelArgs, inputs.model_dump(), step="create")
        model = client.post("CreateReverseEtlModel", "/reverse-etl-models", body)
        created = model["reverseEtlModel"]
        return created["id"], self.state(created)

    def segment_read(
        self, client: SegmentClient, id_: str, prior: Mapping[str, Any]
    ) -> dict[str, Any] | None:
        model = client.get("GetReverseEtlModel", f"/reverse-etl-models/{id_}")
        return self.state(model["reverseEtlModel"])

    def segment_update(
        self, client: SegmentClient, id_: str, inputs: Any, changed: set[str]
    ) -> dict[str, Any]:
        body = to_segment(ReverseEtlModelArgs, inputs.model_dump(), step="update", only=changed)
        model = client.patch("UpdateReverseEtlModel", f"/reverse-etl-models/{id_}", body)
        return self.state(model["reverseEtlModel"])

    def segment_delete(self, client: SegmentClient, id_: str, props: Mapping[str, Any]) -> None:
        client.delete("DeleteReverseEtlModel", f"/reverse-etl-models/{id_}")

    def segment_matches(
        self, client: SegmentClient, inputs: Any
    ) -> list[tuple[str, dict[str, Any]]]:
        return [
            (model["id"], self.state(model))
            for model in client.paginate("ListReverseEtlModels", "/reverse-etl-models", "models")
            if model.get("name") == inputs.name and model.get("sourceId") == inputs.source_id
        ]


class ReverseEtlModel(
    SegmentResource[ReverseEtlModelArgs],
    ReverseEtlModelArgs,
    module="segment",
    name="ReverseEtlModel",
):
    """A Reverse ETL model: ``ReverseEtlModel("accounts", source_id=..., query="SELECT ...")``."""

    _segment_provider = ReverseEtlModelProvider()

    # Typed constructors (tools/typed_constructors.py writes them from the declaration).
    if TYPE_CHECKING:

        @overload
        def __init__(
            self,
            resource_name: str,
            args: ReverseEtlModelArgs,
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
            source_id: pulumi.Input[str],
            query: pulumi.Input[str],
            query_identifier_column: pulumi.Input[str],
            name: pulumi.Input[str] | None = None,
            description: pulumi.Input[str] | None = "",
            enabled: pulumi.Input[bool] | None = True,
            adopt_id: pulumi.Input[str] | None = None,
        ) -> None: ...
        def __init__(self, *args: Any, **kwargs: Any) -> None: ...

    # End of the typed constructors.
