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
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import pulumi

from segment_unify.provider.resources._base import SegmentProvider
from segment_unify.provider.resources._lazy import LazyModel, moved_names
from segment_unify.provider.resources._resource import SegmentResource

if TYPE_CHECKING:
    from segment_unify.provider.client import SegmentClient
    from segment_unify.provider.resources._inputs.reverse_etl_model import ReverseEtlModelInputs

# The input model is in _inputs (built at the first check), yet importable from here.
__getattr__ = moved_names(__name__, "ReverseEtlModelInputs")

_FIELDS = (
    ("name", "name"),
    ("description", "description"),
    ("enabled", "enabled"),
    ("query", "query"),
    ("query_identifier_column", "queryIdentifierColumn"),
)


@dataclass
class ReverseEtlModelArgs:
    """Arguments of a ``ReverseEtlModel``."""

    source_id: pulumi.Input[str] | None = None
    """The Reverse ETL source (``postgres-reverse-etl``, ...) whose warehouse runs the query."""
    query: pulumi.Input[str] | None = None
    """SQL, e.g. ``SELECT * FROM salesforce.accounts``."""
    query_identifier_column: pulumi.Input[str] | None = None
    """The column that identifies a row across runs (Segment diffs rows by it)."""
    name: pulumi.Input[str] | None = None
    """Autonamed from the resource name if omitted."""
    description: pulumi.Input[str] = ""
    enabled: pulumi.Input[bool] = True


def model_state(model: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "source_id": model.get("sourceId"),
        "name": model.get("name"),
        "description": model.get("description") or "",
        "enabled": bool(model.get("enabled")),
        "query": model.get("query"),
        "query_identifier_column": model.get("queryIdentifierColumn"),
    }


class ReverseEtlModelProvider(SegmentProvider["ReverseEtlModelInputs"]):
    kind = "Reverse ETL model"
    inputs_model = LazyModel("ReverseEtlModelInputs")
    replace_on = frozenset({"source_id"})
    lenient_fields: ClassVar[frozenset[str]] = frozenset()
    autoname_field: ClassVar[str | None] = "name"
    autoname_slug: ClassVar[bool] = False
    key_scope: ClassVar[tuple[str, ...]] = ("source_id",)

    def segment_create(
        self, client: SegmentClient, inputs: ReverseEtlModelInputs
    ) -> tuple[str, dict[str, Any]]:
        body = {"sourceId": inputs.source_id}
        body |= {key: getattr(inputs, field) for field, key in _FIELDS}
        model = client.post("CreateReverseEtlModel", "/reverse-etl-models", body)
        created = model["reverseEtlModel"]
        return created["id"], model_state(created)

    def segment_read(
        self, client: SegmentClient, id_: str, prior: Mapping[str, Any]
    ) -> dict[str, Any] | None:
        model = client.get("GetReverseEtlModel", f"/reverse-etl-models/{id_}")
        return model_state(model["reverseEtlModel"])

    def segment_update(
        self, client: SegmentClient, id_: str, inputs: ReverseEtlModelInputs, changed: set[str]
    ) -> dict[str, Any]:
        body = {key: getattr(inputs, field) for field, key in _FIELDS if field in changed}
        model = client.patch("UpdateReverseEtlModel", f"/reverse-etl-models/{id_}", body)
        return model_state(model["reverseEtlModel"])

    def segment_delete(self, client: SegmentClient, id_: str, props: Mapping[str, Any]) -> None:
        client.delete("DeleteReverseEtlModel", f"/reverse-etl-models/{id_}")

    def segment_find(
        self, client: SegmentClient, inputs: ReverseEtlModelInputs
    ) -> tuple[str, dict[str, Any]] | None:
        for model in client.paginate("ListReverseEtlModels", "/reverse-etl-models", "models"):
            if model.get("name") == inputs.name and model.get("sourceId") == inputs.source_id:
                return model["id"], model_state(model)
        return None


class ReverseEtlModel(SegmentResource, module="segment", name="ReverseEtlModel"):
    """A Reverse ETL model: ``ReverseEtlModel("accounts", source_id=..., query="SELECT ...")``."""

    _segment_provider = ReverseEtlModelProvider()
    _args_type = ReverseEtlModelArgs

    source_id: pulumi.Output[str]
    name: pulumi.Output[str]
    description: pulumi.Output[str]
    enabled: pulumi.Output[bool]
    query: pulumi.Output[str]
    query_identifier_column: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        args: ReverseEtlModelArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(resource_name, args, opts, **kwargs)
