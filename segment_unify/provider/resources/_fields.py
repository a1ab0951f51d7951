"""The fields several resources declare alike (``_declare``): a space, a catalog entry, a name
autonamed from the resource's, an on/off switch, settings.

Each returns the ``arg()`` of one resource's field; the field's doc is the docstring written
under it in the resource's declaration, where editors show it. They are field specifiers
(``Args``' ``dataclass_transform`` lists them), so type checkers and editors read the
``default=`` each declaration writes as the field's default, as for ``arg()``: without one, the
program must give it.
"""

from __future__ import annotations

from typing import Any

from segment_unify.provider.resources._spec import REQUIRED, arg

# Segment's space ids are alphanumeric (``spa_`` prefixed in some workspaces); no slash, since
# the Pulumi id joins them with one.
SPACE_ID_PATTERN = r"^[A-Za-z0-9_-]+$"


def space_id(
    *, default: Any = REQUIRED, segment: str | None = "spaceId", checked: bool = True
) -> Any:
    """The Unify space an object lives in; another space is another object. Declared
    ``default=...``: a resource must be given it, but an ``…Args`` may leave it for whoever
    makes the resource (``UnifiedProfilesStack``, ``replace(args, space_id=...)``)."""
    return arg(
        segment=segment,
        default=default,
        replaces=True,
        create=False,
        update=False,
        min_length=1,
        pattern=SPACE_ID_PATTERN if checked else None,
    )


def catalog_slug(*, default: Any = REQUIRED) -> Any:
    """The catalog entry by slug (``check`` resolves it to ``metadata_id``)."""
    return arg(
        answer="metadata.slug",
        # Segment's catalog slugs: lower case words joined by '-' (``actions-segment-profiles``).
        pattern=r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$",
        default=default,
    )


def metadata_id(*, default: Any = REQUIRED) -> Any:
    """The catalog entry by id; another entry is another object."""
    return arg(
        segment="metadataId",
        answer="metadata.id",
        replaces=True,
        update=False,
        default=default,
    )


def autonamed(*, default: Any = REQUIRED, answer: str | None = None) -> Any:
    """A display name Segment keeps unique in its scope, autonamed when left out; ``answer``:
    where Segment's answers hold it, when not under ``name``."""
    return arg(segment="name", answer=answer, min_length=1, max_length=200, default=default)


def enabled(*, default: Any = REQUIRED) -> Any:
    return arg(segment="enabled", default=default)


def settings(
    *, default: Any = REQUIRED, secret: bool = False, write_only: bool = False, shown: bool = True
) -> Any:
    """A catalog entry's settings: Segment adds keys and masks values, which are no
    differences; ``write_only`` ones hold credentials Segment never shows again."""
    return arg(
        segment="settings",
        secret=secret,
        write_only=write_only,
        repr=shown,
        lenient=True,
        default=default,
    )
