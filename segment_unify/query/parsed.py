"""A parsed definition: kept apart from the tree's nodes so that the printer, which reads the
nodes, and ``Query.compile``, which calls the printer, import in one direction."""

from __future__ import annotations

from dataclasses import dataclass, field

from segment_unify.query.nodes import BoolExpr, Chain, ResultKind
from segment_unify.query.printer import format_node

__all__ = ["Query"]


@dataclass(frozen=True)
class Query:
    """A parsed definition: its root node and what it produces."""

    root: BoolExpr | Chain
    kind: ResultKind
    text: str = field(default="", compare=False, repr=False)

    def compile(self) -> str:
        """The query in canonical syntax (builders emit the same form)."""
        return format_node(self.root)

    def __str__(self) -> str:
        return self.compile()
