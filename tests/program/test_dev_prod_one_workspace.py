"""Dev and prod stacks of the example in one Segment workspace load nothing into each other.

Segment connects a new source to every warehouse of the workspace, and a new warehouse to every
source, unless the create says otherwise; the provider says otherwise
(``disconnectAllWarehouses`` / ``disconnectAllSources``) and connects exactly what the program
declares. Both stacks use the same resource names: their autonames differ by stack.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from segment_unify import demo
from segment_unify.emulator.testing import InProcessEmulator
from segment_unify.localrun.engine import Engine, ProviderProcess
from segment_unify.localrun.program import run_program

pytestmark = pytest.mark.timeout(300)

SECRET_KEYS = [k for k in demo.SECRET_KEYS if not k.startswith("segment:")]


@pytest.fixture
def engines(emulator: InProcessEmulator) -> Iterator[dict[str, Engine]]:
    with ProviderProcess() as dev, ProviderProcess() as prod:
        for provider in (dev, prod):
            provider.configure(
                {
                    "segment:token": emulator.token,
                    "segment:endpoint": emulator.url,
                    "segment:profileEndpoint": emulator.profile_url,
                }
            )
        yield {"dev": Engine(dev), "prod": Engine(prod)}


def _up(engine: Engine, stack: str) -> Any:
    return run_program(
        demo.EXAMPLE / "__main__.py",
        engine,
        config=demo.stack_config(stack, demo.seed_token(stack)),
        secret_keys=SECRET_KEYS,
        project=demo.PROJECT,
        stack=stack,
    )


def _ids(engine: Engine, kind: str) -> set[str]:
    return {r.id for urn, r in engine.state.items() if urn.split("::")[-2].endswith(kind)}


def test_dev_and_prod_in_one_workspace_have_no_cross_connections(
    engines: dict[str, Engine], emulator: InProcessEmulator
) -> None:
    for stack, engine in engines.items():
        _up(engine, stack)

    with emulator.client() as http:
        for stack, engine in engines.items():
            sources = _ids(engine, ":Source")
            declared = {
                r.id.split("/")[1]
                for urn, r in engine.state.items()
                if urn.split("::")[-2].endswith(":WarehouseSourceConnection")
            }
            (warehouse,) = _ids(engine, ":Warehouse")
            connected = {
                s["id"]
                for s in http.get(f"/warehouses/{warehouse}/connected-sources").json()["data"][
                    "sources"
                ]
            }
            assert declared and connected == declared, (stack, connected, declared)
            assert connected <= sources
    dev_slugs = {r.outputs["slug"] for r in engines["dev"].state.values() if "slug" in r.outputs}
    prod_slugs = {r.outputs["slug"] for r in engines["prod"].state.values() if "slug" in r.outputs}
    assert dev_slugs.isdisjoint(prod_slugs - {"unified-profiles-prod"})
