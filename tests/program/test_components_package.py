"""What ``segment_unify.components`` exports, and what importing it costs."""

from __future__ import annotations

import subprocess
import sys
import types

from segment_unify import components


def test_importing_the_package_loads_neither_pulumi_nor_the_resources() -> None:
    code = (
        "import sys, segment_unify.components\n"
        "print(sorted(m for m in ('pulumi', 'segment_unify.provider.resources.source')"
        " if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_every_name_in_all_resolves() -> None:
    missing = [name for name in components.__all__ if getattr(components, name, None) is None]
    assert missing == []


def test_flex_traits_is_still_the_module() -> None:
    from segment_unify.components import flex_traits

    assert isinstance(flex_traits, types.ModuleType)
    assert callable(flex_traits.flex_traits)
