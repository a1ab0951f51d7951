"""The bases of every resource's input model, and the shapes several resources share.

- ``Inputs``: unknown keys are errors, values are validated, instances are frozen.
- ``ComputedInputs``: the rules computed traits and audiences share beyond their declared
  fields (``_declare``; the models are derived in ``derive``): a keyable name, the default key,
  ``options`` left out meaning none.
- ``Options``: Segment's optional settings objects; only what the program set is dumped, so
  keys Segment fills in by default are no differences (the field is compared leniently).
- ``QueryDefinition``: a ``definition`` whose query text alone stands for ``{"query": text}``.
- ``CatalogInputs``: a catalog entry named by slug (``catalog_slug``) or id (``metadata_id``);
  slugs the provider's table lacks are resolved at create (``_catalog_lookup``).

Not here: what a query means (``_space_object.query_failures`` parses it at check).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pulumi.dynamic as dyn
from pydantic import (
    BaseModel,
    ConfigDict,
    SerializerFunctionWrapHandler,
    field_validator,
    model_serializer,
    model_validator,
)

from segment_unify.provider import catalog
from segment_unify.provider.keys import invisible, segment_key


class Inputs(BaseModel):
    """Base of every resource's input model: unknown keys are errors, values are validated."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class ComputedInputs(Inputs):
    """What computed traits and audiences share beyond their declared fields: the key is by
    default the one the name gives (see ``provider.keys``), the name must give one, and
    ``options`` left out means none."""

    @model_validator(mode="before")
    @classmethod
    def _default_key(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("key") and isinstance(data.get("name"), str):
            return {**data, "key": segment_key(data["name"])}
        return data

    @field_validator("options", mode="before", check_fields=False)
    @classmethod
    def _no_options(cls, value: Any) -> Any:
        return {} if value is None else value

    @field_validator("name", check_fields=False)
    @classmethod
    def _keyable(cls, value: str) -> str:
        hidden = invisible(value)
        if hidden:
            raise ValueError(
                f"holds invisible characters ({', '.join(hidden)}), which make a name look like "
                "another in Segment's app and in a diff: remove them"
            )
        if not segment_key(value):
            raise ValueError(
                "must contain a Latin letter or digit (Segment derives the key from it: "
                "accented letters count, other scripts give no key)"
            )
        return value


class Options(Inputs):
    """Segment's optional settings: dumped without the keys the program left unset."""

    @model_serializer(mode="wrap")
    def _set_only(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        dumped: dict[str, Any] = handler(self)
        return {key: value for key, value in dumped.items() if value is not None}


class QueryDefinition(Options):
    """Base of a ``definition``: query text alone stands for ``{"query": text}``; unset keys
    are left out."""

    @model_validator(mode="before")
    @classmethod
    def _query_text(cls, value: Any) -> Any:
        return {"query": value} if isinstance(value, str) else value

    def to_prop(self) -> dict[str, Any]:
        """As a program argument (``definition=AudienceDefinition(query=...)``)."""
        prop: dict[str, Any] = self.model_dump(mode="json")
        return prop


class CatalogInputs(Inputs):
    """Mixin: ``metadata_id`` is filled from ``catalog_slug`` when the slug is known."""

    if TYPE_CHECKING:  # declared by each resource that names a catalog entry
        catalog_slug: str | None
        metadata_id: str | None

    @model_validator(mode="before")
    @classmethod
    def _resolve_slug(cls, data: Any) -> Any:
        slug = data.get("catalog_slug") if isinstance(data, dict) else None
        if isinstance(slug, str) and slug and not data.get("metadata_id"):
            found = catalog.resolve(cls._catalog(), data["catalog_slug"], None)
            if found:
                return {**data, "metadata_id": found}
        return data

    @classmethod
    def _catalog(cls) -> dict[str, str]:
        return {}

    def catalog_failures(self) -> list[dyn.CheckFailure]:
        """A slug the table lacks is no failure here: the create finds it in Segment's catalog
        (``_catalog_lookup``), since a preview makes no API call."""
        table = self._catalog()
        if self.metadata_id is None and self.catalog_slug is None:
            return [dyn.CheckFailure("catalog_slug", "give catalog_slug or metadata_id")]
        expected = table.get(self.catalog_slug or "")
        if self.catalog_slug and expected and self.metadata_id and expected != self.metadata_id:
            return [
                dyn.CheckFailure(
                    "metadata_id",
                    f"metadata_id {self.metadata_id!r} is not the id of catalog slug "
                    f"{self.catalog_slug!r} ({expected!r}); give one of them",
                )
            ]
        return []
