"""Every resource through the engine's steps over the real gRPC protocol, against the emulator."""

from __future__ import annotations

from typing import Any

import grpc
import httpx
import pytest

from tests.protocol.cases import CASES, Case, props_of
from tests.support.engine import CheckFailedError, Engine, provider_blob

pytestmark = pytest.mark.timeout(120)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_resource_lifecycle(
    case: Case, engine: Engine, segment: httpx.Client, emulator: Any
) -> None:
    cls, name = case.cls, f"it-{case.id.lower()}"
    if case.prepare is not None:
        case.prepare(emulator)
    args = case.args(engine)
    type_ = cls.type_token()

    created = engine.up(type_, name, props_of(cls, name, **args))
    assert engine.steps[-1] == ("create", created.urn)
    assert created.id
    urn = created.urn

    # read: what Segment holds matches what was declared
    refreshed = engine.refresh(urn)
    assert refreshed is not None
    for key, value in args.items():
        if not isinstance(value, dict):
            assert refreshed.outputs.get(key) == value, key

    # no-op: the same program again changes nothing and calls no API
    engine.up(type_, name, props_of(cls, name, **args))
    assert engine.steps[-1] == ("same", urn)

    # update in place keeps the id (resources whose every input replaces have none)
    update = case.changes(case.update, engine)
    in_place = (
        set(cls._segment_provider.inputs_model.model_fields) - cls._segment_provider.replace_on
    )
    assert update or not (case.creates and in_place), "this resource needs an update case"
    current = created
    if update:
        args = {**args, **update}
        current = engine.up(type_, name, props_of(cls, name, **args))
        assert engine.steps[-1] == ("update", urn)
        assert current.id == created.id
        for key, value in update.items():
            assert current.outputs.get(key) == value, key

    # a replacing change makes a new object, or adopts another one, and lets go of the old one
    args = {**args, **case.changes(case.replace, engine)}
    replaced = engine.up(type_, name, props_of(cls, name, **args))
    assert engine.steps[-1][0] == "delete-replaced" or engine.steps[-1][0] == "replace"
    assert replaced.id != current.id

    # import: a read from the id alone gives the same outputs
    imported = engine.import_(
        type_, f"{name}-imported", replaced.id, provider_blob(cls._segment_provider)
    )
    assert imported is not None
    assert imported.id == replaced.id
    for key, value in replaced.inputs.items():
        if key in case.write_only:
            continue
        if key in cls._segment_provider.inputs_model.model_fields and not isinstance(value, dict):
            assert imported.outputs.get(key) == value, key
    del engine.state[imported.urn]

    # out-of-band delete: refresh drops it, the next up recreates it (or, for an adopted
    # object, fails naming the step in Segment's app that makes it again)
    case.delete_out_of_band(segment, emulator, replaced.id, replaced.outputs)
    assert engine.refresh(urn) is None
    if case.creates:
        again = engine.up(type_, name, props_of(cls, name, **args))
        assert engine.steps[-1] == ("create", urn)

        # delete, twice: the second finds it gone and succeeds
        engine.destroy(urn)
        engine.provider.delete(urn, again.id, again.outputs)
    else:
        assert case.gone_message, "an adopted resource's case says what the failing up says"
        with pytest.raises(grpc.RpcError) as failed:
            engine.up(type_, name, props_of(cls, name, **args))
        assert case.gone_message in str(failed.value.details())
        assert urn not in engine.state


@pytest.mark.parametrize(
    ("case", "bad", "field"),
    [(c, bad, f) for c in CASES for bad, f in c.bad],
    ids=lambda v: v.id if isinstance(v, Case) else (v if isinstance(v, str) else ""),
)
def test_bad_input_is_a_check_failure_on_its_field(
    case: Case, bad: dict[str, Any], field: str, engine: Engine, emulator: Any
) -> None:
    if case.prepare is not None:
        case.prepare(emulator)
    args = {**case.args(engine), **bad}
    name = f"bad-{case.id.lower()}"
    creates_before = engine.provider.calls.count("Create")  # prerequisites' creates
    with pytest.raises(CheckFailedError) as info:
        engine.up(case.cls.type_token(), name, props_of(case.cls, name, **args))
    assert field in [path for path, _ in info.value.failures], info.value.failures
    assert engine.provider.calls.count("Create") == creates_before
