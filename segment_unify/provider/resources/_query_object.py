"""The provider code computed traits and audiences share: objects of a space defined by a query.

Both live under ``/spaces/{spaceId}/<collection>``, are named by a name Segment derives their
key from (unique in the space among both kinds, never changed), are checked by parsing their
query at preview, need the events their query reads to have been seen before a create (or a
change of the query), and are changed by a PATCH that waits out Segment's edit lock. Each
resource says only what differs: its collection and operation names, the answer's envelope,
and what its query must produce. Bodies and state come from its declaration (``_declare``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

import pulumi.dynamic as dyn

from segment_unify.provider._constants import MAX_PAGE_SIZE
from segment_unify.provider.resources._base import SegmentProvider
from segment_unify.provider.resources._declare import to_segment
from segment_unify.provider.resources._edit_lock import patch_when_unlocked
from segment_unify.provider.resources._space_object import (
    key_failures,
    known_definition,
    query_failures,
    require_events_seen,
    require_key,
    space_key_of,
    space_object_id,
    split_space_object_id,
)

if TYPE_CHECKING:
    from pydantic import BaseModel

    from segment_unify.provider.client import SegmentClient
    from segment_unify.query import ResultKind


class QueryObjectProvider(SegmentProvider[Any]):
    """A computed trait's or audience's provider; subclasses name their collection."""

    natural_key: ClassVar[str | None] = "name"
    unique_key: ClassVar[bool] = True
    envelope: ClassVar[str]
    listed: ClassVar[str]
    id_name: ClassVar[str]
    operations: ClassVar[Mapping[str, str]]
    # Segment's name of the object (``ComputedTrait``): its operations (``CreateComputedTrait``,
    # ``ListComputedTraits``, ``UpdateComputedTraitForSpace``...), the answer's envelope
    # (``computedTrait``), the list's key, the id's name in errors and import ids.
    noun: ClassVar[str]
    # The path under the space (``computed-traits``).
    collection: ClassVar[str]

    # -- what differs ---------------------------------------------------------------------

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        noun = cls.__dict__.get("noun")
        if noun is None:
            return
        cls.envelope = noun[0].lower() + noun[1:]
        cls.listed = f"{cls.envelope}s"
        cls.id_name = f"{cls.envelope}Id"
        cls.operations = {
            "create": f"Create{noun}",
            "get": f"Get{noun}",
            "list": f"List{noun}s",
            "update": f"Update{noun}ForSpace",
            "remove": f"Remove{noun}FromSpace",
        }
        cls.import_id_form = f"<spaceId>/<{cls.id_name}>"

    def result_kind(self) -> ResultKind:
        raise NotImplementedError

    def definition_type(self, definition: Any, known: Mapping[str, Any]) -> Any:
        """What ``query_failures`` checks ``ANY``/``ALL`` and ``entity()`` against."""
        return getattr(definition, "type", None)

    def definition_failures(self, definition: Any, known: Mapping[str, Any]) -> list[Any]:
        return query_failures(
            "definition.query",
            definition.query,
            self.result_kind(),
            self.definition_type(definition, known),
        )

    # -- checks ---------------------------------------------------------------------------

    def natural_key_of(self, props: Mapping[str, Any]) -> tuple[Any, ...] | None:
        return space_key_of(props)

    def extra_failures(self, inputs: BaseModel) -> list[dyn.CheckFailure]:
        known = inputs.model_dump()
        definition = getattr(inputs, "definition")  # noqa: B009
        return key_failures(self.kind, known) + self.definition_failures(definition, known)

    def partial_failures(self, known: Mapping[str, Any]) -> list[dyn.CheckFailure]:
        model = self.inputs_model.model_fields["definition"].annotation
        definition = known_definition(model, known.get("definition"))  # type: ignore[arg-type]
        failures = key_failures(self.kind, known)
        if definition is None:
            return failures
        return failures + self.definition_failures(definition, known)

    # -- Segment's calls ------------------------------------------------------------------

    def declared(self) -> type[Any]:
        declared = self.declaration
        assert declared is not None
        return declared

    def path(self, space_id: str, object_id: str | None = None) -> str:
        path = f"/spaces/{space_id}/{self.collection}"
        return path if object_id is None else f"{path}/{object_id}"

    def require_events(self, client: SegmentClient, inputs: Any) -> None:
        query = inputs.definition.query
        require_events_seen(client, self.kind, inputs.name, inputs.space_id, query)

    def segment_create(self, client: SegmentClient, inputs: Any) -> tuple[str, dict[str, Any]]:
        self.require_events(client, inputs)
        body = to_segment(self.declared(), inputs.model_dump(), step="create")
        path = self.path(inputs.space_id)
        made = client.post(self.operations["create"], path, body)[self.envelope]
        there = self.path(inputs.space_id, made["id"])
        require_key(client, self.kind, made, inputs.key, there, self.operations["remove"])
        return space_object_id(inputs.space_id, made["id"]), self.state(made)

    def segment_read(
        self, client: SegmentClient, id_: str, prior: Mapping[str, Any]
    ) -> dict[str, Any] | None:
        space_id, object_id = split_space_object_id(id_, self.id_name)
        reads = client.session.reads
        if reads.enabled():
            # A refresh reads every object of the space: one listing serves them all.
            listed = reads.take(
                (self.collection, space_id),
                object_id,
                lambda: self._listing(client, space_id),
            )
            return self.state(listed) if listed is not None else None
        answer = client.get(self.operations["get"], self.path(space_id, object_id))
        return self.state(answer[self.envelope])

    def segment_update(
        self, client: SegmentClient, id_: str, inputs: Any, changed: set[str]
    ) -> dict[str, Any]:
        space_id, object_id = split_space_object_id(id_, self.id_name)
        path = self.path(space_id, object_id)
        body = to_segment(self.declared(), inputs.model_dump(), step="update", only=changed)
        if not body:
            return self.state(client.get(self.operations["get"], path)[self.envelope])
        if "definition" in body:
            self.require_events(client, inputs)
        what = f"{self.kind} {inputs.name!r}"
        answer = patch_when_unlocked(client, self.operations["update"], path, body, what)
        return self.state(answer[self.envelope])

    def segment_delete(self, client: SegmentClient, id_: str, props: Mapping[str, Any]) -> None:
        space_id, object_id = split_space_object_id(id_, self.id_name)
        client.delete(self.operations["remove"], self.path(space_id, object_id))

    def segment_find(self, client: SegmentClient, inputs: Any) -> tuple[str, dict[str, Any]] | None:
        path = self.path(inputs.space_id)
        for found in client.paginate(self.operations["list"], path, self.listed):
            if found.get("name") == inputs.name:
                return space_object_id(inputs.space_id, found["id"]), self.state(found)
        return None

    def _listing(self, client: SegmentClient, space_id: str) -> Iterator[tuple[str, Any]]:
        path = self.path(space_id)
        listing = client.paginate(self.operations["list"], path, self.listed, count=MAX_PAGE_SIZE)
        for found in listing:
            yield found["id"], found
