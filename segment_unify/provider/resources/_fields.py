"""The fields several resources declare alike (``_declare``): a space, a catalog entry, a name
autonamed from the resource's, an on/off switch, settings.

Each returns the ``arg()`` of one resource's field; ``what`` names the object in the docs
("the source"). Type checkers read them as the field's default: every argument is optional in
Python anyway (a missing one is a ``CheckFailure`` at preview).
"""

from __future__ import annotations

from typing import Any

from segment_unify.provider.resources._declare import REQUIRED, arg
from segment_unify.provider.resources._space_object import SPACE_ID_PATTERN


def space_id(what: str, *, segment: str | None = "spaceId", checked: bool = True) -> Any:
    """The Unify space an object lives in; another space is another object."""
    return arg(
        doc=f"The Unify space (``UnifySpace.space_id``) of {what}; moving it replaces it.",
        segment=segment,
        default=REQUIRED,
        replaces=True,
        create=False,
        update=False,
        min_length=1,
        pattern=SPACE_ID_PATTERN if checked else None,
    )


def catalog_slug(examples: str) -> Any:
    """The catalog entry by slug (``check`` resolves it to ``metadata_id``)."""
    return arg(
        doc=f"Catalog slug, e.g. {examples}.",
        answer="metadata.slug",
        # Segment's catalog slugs: lower case words joined by '-' (``actions-segment-profiles``).
        pattern=r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$",
        default=None,
    )


def metadata_id(what: str) -> Any:
    """The catalog entry by id; another entry is another object."""
    return arg(
        doc=f"Catalog metadata id, for entries ``catalog_slug`` does not know; a change "
        f"replaces {what}.",
        segment="metadataId",
        answer="metadata.id",
        replaces=True,
        update=False,
        default=None,
    )


def autonamed(*, doc: str = "", answer: str | None = None) -> Any:
    """A display name Segment keeps unique in its scope, autonamed when left out; ``answer``:
    where Segment's answers hold it, when not under ``name``."""
    return arg(
        doc=f"Autonamed from the resource name if omitted.{' ' + doc if doc else ''}",
        segment="name",
        answer=answer,
        min_length=1,
        max_length=200,
        default=None,
    )


def enabled(doc: str) -> Any:
    return arg(doc=doc, segment="enabled", default=True)


def settings(
    doc: str, *, secret: bool = False, write_only: bool = False, shown: bool = True
) -> Any:
    """A catalog entry's settings: Segment adds keys and masks values, which are no
    differences; ``write_only`` ones hold credentials Segment never shows again."""
    return arg(
        doc=doc,
        segment="settings",
        secret=secret,
        write_only=write_only,
        repr=shown,
        lenient=True,
        default={},
    )
