"""``check`` of every Segment resource: validation, the resource's seed, autonames, claims.

- pydantic validation, one ``CheckFailure`` per bad field with what was expected; values still
  unknown at preview are not judged;
- the resource's seed (its identity in its stack: ``stack_identity``) and its autoname (resource
  name + a suffix deterministic for the seed and its replace-forcing inputs, kept through
  ``olds``, across ``aliases`` renames too; see ``_naming``);
- two resources of the stack declaring one natural key are refused (``claims``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pulumi.dynamic as dyn

from segment_unify.provider import runtime
from segment_unify.provider.resources._hooks import M, ResourceHooks, strip_provider
from segment_unify.provider.resources._naming import (
    AUTONAME_BASE,
    AUTONAME_SEED,
    AUTONAMED,
    autoname,
)
from segment_unify.provider.resources._values import UNKNOWN, contains_unknown
from segment_unify.provider.resources.stack_identity import STACK_IDENTITY, resource_seed

SETTLE = "settle_until"
# The unclearable fields the program itself gave (not values a refresh read from Segment).
DECLARED = "declared_unclearable"


class Checking(ResourceHooks[M]):
    """The ``check`` the engine calls, for every resource."""

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> dyn.CheckResult:
        result = self._check(_olds, news)
        # The CLI names the resource beside a failure; localrun, automation and logs do not.
        label = self.resource_label(strip_provider(news))
        result.failures = [
            dyn.CheckFailure(f.property, f"{label}: {f.reason}") for f in result.failures or []
        ]
        return result

    def _check(self, _olds: dict[str, Any], news: dict[str, Any]) -> dyn.CheckResult:
        from pydantic import ValidationError as PydanticValidationError

        olds = strip_provider(_olds)
        props = strip_provider(news)
        props[AUTONAME_SEED] = self._seed(olds, props)
        field = self.autoname_field
        if field and props.get(field) in (None, ""):
            props[field] = self._autoname(olds, props)
            props[AUTONAMED] = True
        elif field:
            props[AUTONAMED] = False
        if olds.get(SETTLE) is not None:
            props[SETTLE] = olds[SETTLE]
        props[DECLARED] = sorted(n for n in self.unclearable if props.get(n) not in (None, ""))
        known = {k: v for k, v in self._model_view(props).items() if not contains_unknown(v)}
        failures: list[dyn.CheckFailure] = []
        try:
            model = self.inputs_model.model_validate(known)
        except PydanticValidationError as exc:
            failures = [
                _failure(err, secret=self.secret_fields)
                for err in exc.errors()
                if not (err["type"] == "missing" and _path(err["loc"]) in self._unknown_keys(props))
            ]
            return dyn.CheckResult(news, failures or self.partial_failures(known))
        if len(known) == len(self._model_view(props)):
            failures = self.extra_failures(model)  # type: ignore[arg-type]
            props.update(model.model_dump(mode="json"))
            failures += self._claim_failures(props)
            failures += self._removal_failures(olds, props)
        else:
            failures = self.partial_failures(known)
        return dyn.CheckResult(props, failures)

    def _unknown_keys(self, props: Mapping[str, Any]) -> set[str]:
        return {k for k, v in props.items() if contains_unknown(v)}

    def _seed(self, olds: Mapping[str, Any], props: Mapping[str, Any]) -> Any:
        """The resource's identity in its stack: kept from its state (across ``aliases``
        renames, and for resources made before stacks had an identity), else derived from the
        stack's identity, its type and its name."""
        if olds.get(AUTONAME_SEED):
            return olds[AUTONAME_SEED]
        stack = props.get(STACK_IDENTITY, "")
        if contains_unknown(stack):
            return UNKNOWN  # the stack's first preview: its identity is made at `up`
        return resource_seed(str(stack or ""), self.type_name(), str(props.get(AUTONAME_BASE)))

    def _autoname(self, olds: Mapping[str, Any], props: Mapping[str, Any]) -> Any:
        field = self.autoname_field
        assert field is not None
        # An update keeps the name it has, across an ``aliases`` rename too (names made before
        # they were deterministic as well); the engine checks a replacement without olds, and
        # the salt changes with it.
        if olds.get(AUTONAMED) and olds.get(field):
            return olds[field]
        salt = {name: props.get(name) for name in sorted({*self.replace_on, "catalog_slug"})}
        seed = props.get(AUTONAME_SEED)
        if contains_unknown(seed) or any(contains_unknown(value) for value in salt.values()):
            return UNKNOWN  # known at `up`, once the objects it depends on exist
        base = str(props.get(AUTONAME_BASE) or self.kind)
        return autoname(base, slug=self.autoname_slug, seed=str(seed), salt=salt)

    def _removal_failures(
        self, olds: Mapping[str, Any], props: Mapping[str, Any]
    ) -> list[dyn.CheckFailure]:
        """A field Segment cannot clear, set before and left out now: refused, not ignored
        (the program would say it has none while Segment keeps it)."""
        return [
            dyn.CheckFailure(
                name,
                f"{name} was {olds[name]!r} and cannot be removed: Segment's update takes it as "
                "a string, not null, and has no way to clear it. Keep a value (it is what Segment "
                "shows), or give the one you want.",
            )
            # Only what the program gave before: a refresh fills the inputs with Segment's
            # values, which a program that never declared the field did not remove.
            for name in olds.get(DECLARED) or ()
            if name in self.unclearable
            and olds.get(name) not in (None, "")
            and props.get(name) is None
        ]

    def _claim_failures(self, props: Mapping[str, Any]) -> list[dyn.CheckFailure]:
        key = self.natural_key_of(props)
        # Objects made in Segment's app may be shared (two stacks adopt one space); autonames
        # are unique by construction.
        if key is None or props.get(AUTONAMED) or self.adopted:
            return []
        other = runtime.current().claims.claim(key, self.owner_label(props))
        if other is None:
            return []
        field = self._key_field()
        assert field is not None
        return [
            dyn.CheckFailure(
                field,
                f"{self.describe(props)} is also declared by {other} of this stack; "
                f"Segment keeps one {self.kind} per {field}, so both would be one object: "
                "rename one of them",
            )
        ]


def _path(loc: Sequence[int | str]) -> str:
    return ".".join(str(part) for part in loc)


def _failure(err: Mapping[str, Any], *, secret: frozenset[str]) -> dyn.CheckFailure:
    path = _path(err["loc"])
    if err["type"] == "missing":
        return dyn.CheckFailure(path, f"{path} is required")
    if err["type"] == "extra_forbidden":
        return dyn.CheckFailure(path, f"{path} is not an argument of this resource")
    reason = str(err["msg"])
    given = err.get("input")
    quotable = not err["loc"] or str(err["loc"][0]) not in secret
    if quotable and isinstance(given, str | int | float | bool) and len(repr(given)) < 80:
        reason += f" (got {given!r})"
    return dyn.CheckFailure(path, reason)
