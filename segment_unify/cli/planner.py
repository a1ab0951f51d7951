"""The program being written as a workspace is read: its declarations, the config secrets it
reads, what it leaves out, and which variable declares which Segment id."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from segment_unify.cli.render import Call, Code, Decl, Program, identifier, resource_name
from segment_unify.cli.workspace import Obj, Workspace
from segment_unify.provider.resources._declare import specs

BOOKKEEPING = frozenset(
    {"id", "key", "spaceId", "workspaceId", "metadata", "writeKeys", "status", "actionSlug"}
    | {"createdAt", "createdBy", "updatedAt", "updatedBy", "destinationId", "modelId"}
)
"""Fields of Segment's answers that are its record, not the object's settings."""

MASKED = "\u2022"
"""What Segment shows in place of a secret setting."""


@dataclass
class Secret:
    key: str
    """The stack config key the program reads it from."""
    what: str


@dataclass
class Plan:
    program: Program = field(default_factory=Program)
    secrets: list[Secret] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    """(what, why) for everything read but not declared as Segment holds it."""
    counts: dict[str, int] = field(default_factory=dict)


class Planner:
    """The program being written, and what its variables stand for."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.plan = Plan()
        self.taken: set[str] = {"config", "pulumi", "with_secrets"}
        self.refs: dict[str, str] = {}
        """Segment id -> the variable declaring the object."""
        self.write_keys: dict[str, str] = {}
        """A space's write key -> the variable of its ``UnifySpace``."""

    def declare(
        self,
        kind: str,
        cls: str,
        var: str,
        fields: dict[str, Any],
        adopt_id: str | None = None,
        segment_id: str | None = None,
        *,
        answer: Obj | None = None,
    ) -> None:
        """``answer``: Segment's object, whose fields the resource does not declare are noted."""
        if answer is not None:
            self.note_undeclared(kind, var, cls, answer)
        self.plan.program.decls.append(Decl(var, cls, resource_name(var), fields, adopt_id))
        self.plan.counts[kind] = self.plan.counts.get(kind, 0) + 1
        if segment_id is not None:
            self.refs[segment_id] = var

    def note_undeclared(self, kind: str, var: str, cls: str, answer: Obj) -> None:
        from segment_unify.provider import resources

        known = {
            (spec.answer or spec.segment or "").split(".")[0]
            for spec in specs(getattr(resources, f"{cls}Args"))
        }
        for key, value in answer.items():
            if key not in known and key not in BOOKKEEPING and value not in (None, {}, [], ""):
                why = "the resource declares no such field: it stays as Segment holds it"
                self.plan.skipped.append((f"{kind} `{var}`: `{key}` = {value!r}", why))

    def var(self, text: str, prefix: str) -> str:
        return identifier(text, prefix, self.taken)

    def ref(self, segment_id: Any, attribute: str = "id") -> Any:
        """The variable's output for an object the program declares; else the id itself."""
        var = self.refs.get(str(segment_id))
        return Code(f"{var}.{attribute}") if var else segment_id

    def secret(self, var: str, option: str, what: str, *, required: bool = False) -> Code:
        """A secret read from the stack's config (``<var><Option>``, camel-cased)."""
        words = f"{var}_{option}".split("_")
        key = words[0] + "".join(word.capitalize() for word in words[1:])
        self.plan.secrets.append(Secret(key, what))
        read = "require_secret" if required else "get_secret"
        self.plan.program.config_reads.append(f'{var}_{option} = config.{read}("{key}")')
        return Code(f"{var}_{option}")

    def settings(
        self,
        var: str,
        answer: Obj,
        settings: Mapping[str, Any],
        what: str,
        *,
        named: bool = False,
    ) -> Any:
        """Settings as Segment shows them, each secret one (a catalog option of type password,
        or a masked value) read from config instead: ``with_secrets({...}, password=...)``.
        ``named``: the object's name, kept in ``settings.name``, is declared as ``name``."""
        options = (answer.get("metadata") or {}).get("options") or []
        secret = [str(o["name"]) for o in options if o.get("type") == "password" and o.get("name")]
        secret += [k for k, v in settings.items() if _masked(v) and k not in secret]
        plain = {
            k: v for k, v in settings.items() if k not in secret and not (named and k == "name")
        }
        reads = tuple((k, self.secret(var, k, f"{what}: setting {k!r}")) for k in secret)
        return Call("with_secrets", (plain,), reads) if reads else plain


def _masked(value: Any) -> bool:
    return isinstance(value, str) and MASKED in value


def declared(
    cls: type[Any], state: Mapping[str, Any], *, skip: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The arguments of ``cls`` whose value Segment holds, defaults left out (a name never: an
    absent one is autonamed). A catalog id only where the catalog slug is not known."""
    out: dict[str, Any] = {}
    for spec in specs(cls):
        if spec.output or spec.write_only or spec.name in skip:
            continue
        if spec.name == "metadata_id" and state.get("catalog_slug"):
            continue
        value = state.get(spec.state or spec.name)
        if value is None or (spec.name != "name" and value == spec.default):
            continue
        if value in ({}, []) and not spec.required:
            continue
        if spec.nested is not None and spec.name != "definition" and isinstance(value, Mapping):
            # A declared object (``TraitOptions``): typed in the program, as mypy checks it.
            value = Call(spec.nested.__name__, (), tuple(value.items()))
        out[spec.name] = value
    return out
