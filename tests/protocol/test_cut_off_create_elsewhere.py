"""A create cut off on another machine leaves one object, even when the look beside the next
create fails.

An autonamed object whose name Segment takes twice (a warehouse, a Reverse ETL model, a
destination, a subscription, a Profiles Sync warehouse) is made under a name deterministic per
resource. Here an earlier ``up`` made it and was cut off before the engine recorded it, on a
machine whose records of pending creates this one does not have (another CI runner with the
same state backend): the provider holds no record, so it sends the create and looks for the
earlier object beside it. That look fails (the list answers 503 through every retry); the
provider lists again once the create has answered, finds the earlier object, keeps it and
removes the one just made. Where the list fails after the create too, the new one is kept and
the warning names the kind and the name to look for in Segment.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from segment_unify.provider import _constants as c
from segment_unify.provider.resources.destination import Destination
from segment_unify.provider.resources.destination_subscription import DestinationSubscription
from segment_unify.provider.resources.profiles_warehouse import ProfilesWarehouse
from segment_unify.provider.resources.reverse_etl_model import ReverseEtlModel
from segment_unify.provider.resources.warehouse import Warehouse
from tests.protocol.cases import CASES, Case, props_of
from tests.support.engine import Engine, ProviderProcess, Resource

pytestmark = pytest.mark.timeout(240)

# The list each kind's look for an earlier create uses, and how many of its GETs one failed
# look makes: one listing, retried by the client (the list wait, 1 s here, is over before the
# client's backoff is). A subscription's create also lists its destination's subscriptions
# for ones left half-made, beside the look.
LISTS: dict[type[Any], tuple[str, int]] = {
    Warehouse: ("^/warehouses$", c.MAX_ATTEMPTS),
    ReverseEtlModel: ("^/reverse-etl-models$", c.MAX_ATTEMPTS),
    Destination: ("^/destinations$", c.MAX_ATTEMPTS),
    DestinationSubscription: ("^/destinations/[^/]+/subscriptions$", c.MAX_ATTEMPTS),
    ProfilesWarehouse: ("^/spaces/[^/]+/profiles-warehouses$", c.MAX_ATTEMPTS),
}
BESIDE_FAILED = "could not look for an earlier, cut-off create"


@pytest.fixture
def state_dir(tmp_path: Path) -> Path:
    """This machine's records of pending creates (``SEGMENT_UNIFY_STATE_DIR``)."""
    return tmp_path / "provider-state"


@pytest.fixture
def provider(emulator: Any, state_dir: Path) -> Iterator[ProviderProcess]:
    """A provider with records of its own; logs at INFO, so a test can tell that the look
    beside the create failed."""
    env = {
        "SEGMENT_PUBLIC_API_TOKEN": "",
        "SEGMENT_PUBLIC_API_URL": "",
        "SEGMENT_PROFILE_API_URL": "",
        "SEGMENT_UNIFY_LIST_WAIT_SECONDS": "1",
        "SEGMENT_UNIFY_STATE_DIR": str(state_dir),
    }
    with ProviderProcess(env, log_level="INFO") as proc:
        proc.configure(
            {
                "segment:token": emulator.token,
                "segment:endpoint": emulator.url,
                "segment:profileEndpoint": emulator.profile_url,
            }
        )
        yield proc


def _case(cls: type[Any]) -> Case:
    return next(case for case in CASES if case.cls is cls)


def _up(engine: Engine, case: Case, name: str, args: dict[str, Any]) -> Resource:
    return engine.up(case.cls.type_token(), name, props_of(case.cls, name, **args))


def _cut_off_elsewhere(
    engine: Engine, state_dir: Path, case: Case, name: str, args: dict[str, Any]
) -> Resource:
    """The object an earlier ``up`` made before it was cut off, on a machine whose records
    this one does not hold: made, then dropped from the engine's state and the records."""
    made = _up(engine, case, name, args)
    del engine.state[made.urn]
    records = list((state_dir / "pending-creates").glob("*.json"))
    assert records, "the create left no record to drop"
    for record in records:
        record.unlink()
    return made


@pytest.mark.parametrize("cls", list(LISTS), ids=lambda cls: cls.__name__)
def test_a_failed_look_beside_the_create_is_made_again_after_it(
    cls: type[Any],
    engine: Engine,
    provider: ProviderProcess,
    state_dir: Path,
    segment: httpx.Client,
    emulator: Any,
) -> None:
    case = _case(cls)
    assert case.count_in_segment is not None
    args = case.args(engine)
    name = "cut-off-elsewhere"
    earlier = _cut_off_elsewhere(engine, state_dir, case, name, args)
    path, beside = LISTS[cls]
    emulator.set_faults(
        [{"kind": "server_error", "method": "GET", "path": path, "max_count": beside}]
    )

    created = _up(engine, case, name, args)

    assert emulator.fault_counts().get("server_error") == beside
    assert created.id == earlier.id
    assert case.count_in_segment(segment, created.outputs) == 1
    assert engine.refresh(created.urn) is not None
    assert BESIDE_FAILED in provider.close()


def test_a_look_that_fails_after_the_create_too_keeps_it_and_says_what_to_check(
    engine: Engine,
    provider: ProviderProcess,
    state_dir: Path,
    segment: httpx.Client,
    emulator: Any,
) -> None:
    case = _case(Destination)
    assert case.count_in_segment is not None
    args = case.args(engine)
    name = "cut-off-elsewhere"
    earlier = _cut_off_elsewhere(engine, state_dir, case, name, args)
    path, _ = LISTS[Destination]
    emulator.set_faults([{"kind": "server_error", "method": "GET", "path": path}])

    created = _up(engine, case, name, args)

    assert created.id != earlier.id
    assert engine.refresh(created.urn) is not None
    emulator.clear_faults()
    # Nothing could tell the two apart: both are left, and the warning says which to delete.
    assert case.count_in_segment(segment, created.outputs) == 2
    log = " ".join(provider.close().split())
    assert BESIDE_FAILED in log
    expected = (
        f"look in Segment for a destination with name {created.outputs['name']!r} and delete "
        f"any whose id is not {created.id!r}"
    )
    assert expected in log
