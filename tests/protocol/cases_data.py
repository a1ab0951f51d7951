"""Lifecycle cases (filled in as resources land)."""

from __future__ import annotations

from tests.protocol.cases import Case

CASES: list[Case] = []
