"""``UnifySpace``: a Unify space, adopted by slug (Segment's Public API cannot create spaces).

Segment: ``GET /spaces`` (paginated) to find the slug, ``GET /spaces/{id}`` to read it (404 means
gone), ``GET /`` for the workspace's id and slug, and ``GET /sources`` for the write key of the
space's ``personas-compute`` source, which Send Identify's ``engage_space`` setting takes.

Which ``personas-compute`` source belongs to which space: the Public API has no link between
them (a source has no space id), so the first of these rules that picks exactly one source wins:

1. its settings name the space id (any value equal to it);
2. its slug is ``personas_<space slug>`` (``-`` written as ``_``), as Segment names it;
3. its name is the space's name, alone or followed by `` (…)``, e.g. ``Production (Unify)``;
4. it is the workspace's only ``personas-compute`` source.

When none does, ``write_key`` is empty and a warning says so. Reads that do not need each
other (the space, the workspace, the sources) are sent at once: an adoption takes two round
trips (find the space, then verify it by id), a read one. Create makes no change in Segment;
delete only drops the space from the stack. Not handled: creating, renaming or deleting spaces.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, overload

import pulumi

from segment_unify.provider import catalog
from segment_unify.provider.errors import SegmentResourceError
from segment_unify.provider.resources._base import SegmentProvider
from segment_unify.provider.resources._concurrent import concurrently
from segment_unify.provider.resources._declare import Args, Prop, arg, from_segment, out
from segment_unify.provider.resources._read_ahead import read_ahead
from segment_unify.provider.resources._resource import SegmentResource

if TYPE_CHECKING:
    from segment_unify.provider.client import SegmentClient


log = logging.getLogger("segment_unify.resources")


class UnifySpaceArgs(Args):
    """Arguments of a ``UnifySpace``; Segment's answers are the space's (``GET /spaces/{id}``),
    the workspace's and its ``personas-compute`` source's."""

    slug: Prop[str] = arg(
        segment="slug",
        replaces=True,
        pattern=r"^[a-z0-9][a-z0-9_-]*$",
        max_length=100,
    )
    """The space's slug, as in ``app.segment.com/<workspace>/unify/spaces/<slug>/explorer``; another
    slug is another space."""
    space_id: Prop[str] = out(answer="id")
    """Segment's id of the space."""
    name: Prop[str] = out(segment="name")
    """The space's name."""
    workspace_id: Prop[str] = out()
    """The workspace's id (for the Twilio sheet)."""
    workspace_slug: Prop[str] = out()
    """The workspace's slug (for the Twilio sheet)."""
    write_key: Prop[str | None] = out(secret=True)
    """The ``personas-compute`` source's write key: Send Identify's ``engage_space`` (secret; empty
    when no source is the space's own)."""


def find_space(client: SegmentClient, slug: str) -> tuple[dict[str, Any] | None, list[str]]:
    """The space with ``slug``, and the slugs of every space of the workspace."""
    slugs: list[str] = []
    for space in client.paginate("ListSpaces", "/spaces", "spaces"):
        if space.get("slug") == slug:
            return space, slugs
        slugs.append(str(space.get("slug")))
    return None, slugs


def workspace_of(client: SegmentClient) -> dict[str, Any]:
    workspace: dict[str, Any] = client.get("GetWorkspace", "/")["workspace"]
    return workspace


def personas_sources(client: SegmentClient) -> list[dict[str, Any]]:
    """The workspace's ``personas-compute`` sources (one per space, as Segment makes them)."""
    return [
        source
        for source in client.paginate("ListSources", "/sources", "sources")
        if (source.get("metadata") or {}).get("slug") == catalog.PERSONAS_COMPUTE_SLUG
    ]


def personas_write_key(
    space: Mapping[str, Any], sources: Sequence[Mapping[str, Any]]
) -> str | None:
    """writeKeys[0] of the space's ``personas-compute`` source (rules in the module docstring)."""
    slug_form = "personas_" + str(space.get("slug", "")).replace("-", "_")
    name = str(space.get("name", ""))
    rules: list[Callable[[Mapping[str, Any]], bool]] = [
        lambda s: space.get("id") in (s.get("settings") or {}).values(),
        lambda s: s.get("slug") == slug_form,
        lambda s: bool(name) and str(s.get("name", "")).split(" (")[0] == name,
        lambda s: len(sources) == 1,
    ]
    for rule in rules:
        matches = [source for source in sources if rule(source)]
        if len(matches) == 1:
            keys = matches[0].get("writeKeys") or []
            return str(keys[0]) if keys else None
    log.warning(
        "Unify space %r: found no personas-compute source of its own among %d; write_key is "
        "empty (copy it from the space's settings in Segment if Send Identify needs it)",
        space.get("slug"),
        len(sources),
    )
    return None


def space_state(
    space: Mapping[str, Any],
    workspace: Mapping[str, Any],
    sources: Sequence[Mapping[str, Any]],
) -> dict[str, Any]:
    return {
        **from_segment(UnifySpaceArgs, space),
        "workspace_id": workspace.get("id"),
        "workspace_slug": workspace.get("slug"),
        "write_key": personas_write_key(space, sources),
    }


def read_space(client: SegmentClient, space_id: str) -> dict[str, Any]:
    """The space's state from three reads sent at once (space, workspace, sources)."""
    space, workspace, sources = concurrently(
        lambda: client.get("GetSpace", f"/spaces/{space_id}")["space"],
        lambda: workspace_of(client),
        lambda: personas_sources(client),
    )
    return space_state(space, workspace, sources)


def missing_space_message(client: SegmentClient, slug: str, slugs: list[str]) -> str:
    workspace = workspace_of(client)
    there = ", ".join(slugs) if slugs else "none"
    return (
        f"Segment has no Unify space with slug {slug!r} in workspace "
        f"{workspace.get('slug')!r} (spaces there: {there}). Segment's Public API cannot create "
        f"spaces: create it in Segment under Unify > Create Space (name it {slug!r}, which gives "
        f"it the slug {slug!r}), then run `pulumi up` again."
    )


class UnifySpaceProvider(SegmentProvider[Any]):
    kind = "Unify space"
    declaration = UnifySpaceArgs
    natural_key: ClassVar[str | None] = "slug"
    adopted = True

    def segment_create(self, client: SegmentClient, inputs: Any) -> tuple[str, dict[str, Any]]:
        # The workspace and its sources do not depend on the space: asked for at the same time.
        (space, slugs), workspace, sources = concurrently(
            lambda: find_space(client, inputs.slug),
            lambda: workspace_of(client),
            lambda: personas_sources(client),
        )
        if space is None:
            raise SegmentResourceError(missing_space_message(client, inputs.slug, slugs))
        # ListSpaces items are the Space objects GetSpace returns ({id, slug, name}): no second
        # read by id on the critical path of every stack.
        # Traits, audiences and predictions made on the space later check against these.
        read_ahead(client, str(space["id"]))
        return str(space["id"]), space_state(space, workspace, sources)

    def segment_read(
        self, client: SegmentClient, id_: str, prior: Mapping[str, Any]
    ) -> dict[str, Any] | None:
        return read_space(client, id_)

    def segment_update(
        self, client: SegmentClient, id_: str, inputs: Any, changed: set[str]
    ) -> dict[str, Any]:
        # Only the slug is an input and it replaces; an update just reads the space again.
        return read_space(client, id_)

    def segment_find(self, client: SegmentClient, inputs: Any) -> tuple[str, dict[str, Any]] | None:
        space, _ = find_space(client, inputs.slug)
        if space is None:
            return None
        return str(space["id"]), read_space(client, str(space["id"]))


class UnifySpace(
    SegmentResource[UnifySpaceArgs], UnifySpaceArgs, module="segment", name="UnifySpace"
):
    """An existing Unify space, by slug: ``UnifySpace("dev", slug="acme-dev")``."""

    _segment_provider = UnifySpaceProvider()

    # Typed constructors (tools/typed_constructors.py writes them from the declaration).
    if TYPE_CHECKING:

        @overload
        def __init__(
            self,
            resource_name: str,
            args: UnifySpaceArgs,
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
            slug: pulumi.Input[str],
            adopt_id: pulumi.Input[str] | None = None,
        ) -> None: ...
        def __init__(self, *args: Any, **kwargs: Any) -> None: ...

    # End of the typed constructors.
