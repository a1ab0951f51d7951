"""One whole lifecycle against an in-process emulator, every exchange kept for the referee.

Both examples run under ``segment_unify.localrun`` (the program under Pulumi's mocks, every
resource through the real provider process over gRPC): ``unified-profiles`` on its dev and prod
stacks and ``computed-traits-only``; then a program of every resource kind, audiences included,
is made, refreshed (and then shows no changes), changed (updates and replacements) and
destroyed. The log is read from the emulator object in this process, so bodies are the ones
sent (the control plane masks secret values).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pulumi
import pytest

from segment_unify import demo
from segment_unify.components import UnifiedProfilesStack, UnifiedProfilesStackArgs
from segment_unify.components.flex_traits import FLEX_TRAITS
from segment_unify.components.unified_profiles_config import AudienceConfig
from segment_unify.emulator.ratelimits import WINDOW_SECONDS
from segment_unify.emulator.testing import InProcessEmulator, running_emulator
from segment_unify.localrun.engine import Engine, ProviderProcess
from segment_unify.localrun.program import destroy_all, run_program
from segment_unify.provider._constants import ENV_RATE_LIMIT_WINDOW
from tests.conftest import SEED_PATH
from tests.fidelity import segment_models
from tests.fidelity.segment_models import PublicApi, SourceUnavailableError

REPORT = segment_models.REPO / ".tools" / "fidelity-report.md"
SECRET_KEYS = [k for k in demo.SECRET_KEYS if not k.startswith("segment:")]
COMPUTED_TRAITS_ONLY = demo.EXAMPLE.parent / "computed-traits-only" / "__main__.py"


@pytest.fixture(scope="session")
def public_api() -> PublicApi:
    try:
        return segment_models.load_public_api()
    except SourceUnavailableError as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="session")
def sdk_rate_limits() -> dict[str, int]:
    try:
        return segment_models.load_rate_limits()
    except SourceUnavailableError as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="session")
def segment_profiles() -> dict[str, Any]:
    try:
        return segment_models.destination_definition("segment-profiles")
    except SourceUnavailableError as exc:
        pytest.skip(str(exc))


def _engine(emulator: InProcessEmulator, provider: ProviderProcess) -> Engine:
    provider.configure(
        {
            "segment:token": emulator.token,
            "segment:endpoint": emulator.url,
            "segment:profileEndpoint": emulator.profile_url,
        }
    )
    return Engine(provider)


def _example(engine: Engine, stack: str, extra: dict[str, Any] | None = None) -> None:
    config = demo.stack_config(stack, demo.seed_token(stack)) | (extra or {})
    run_program(
        demo.EXAMPLE / "__main__.py",
        engine,
        config=config,
        secret_keys=SECRET_KEYS,
        project=demo.PROJECT,
        stack=stack,
    )


def _all_kinds(version: int) -> Callable[[], None]:
    """Every resource kind (the stack makes the predictions too), a source named by a catalog
    slug the provider's table lacks, a warehouse Segment tests the connection of, and traits
    whose event properties are checked; version 2 changes names, a query, the schedule and
    warehouse settings (updates), an audience's type (a replacement), and drops a trait (a
    delete)."""

    def program() -> None:
        from segment_unify.components.unified_profiles_config import (
            ProfilesSyncConfig,
            ReverseEtlModelConfig,
            SourceConfig,
            WarehouseConfig,
        )
        from segment_unify.provider import ReverseEtlSchedule

        settings = {
            "hostname": "warehouse.fidelity.example",
            "port": "5432",
            "database": "analytics" if version == 1 else "analytics_v2",
            "username": "segment",
            "password": "fidelity-password",
        }
        stack = UnifiedProfilesStack(
            "all",
            UnifiedProfilesStackArgs(
                space_slug="unified-profiles-dev",
                profile_api_token=pulumi.Output.secret(demo.seed_token("dev")),
                sources=[
                    SourceConfig("javascript", name=f"Website v{version}"),
                    # Not in the provider's table: found in Segment's sources catalog.
                    SourceConfig("hubspot", name="HubSpot"),
                ],
                salesforce=SourceConfig(),
                warehouse=WarehouseConfig("postgres", pulumi.Output.secret(settings)),
                reverse_etl_models=[
                    ReverseEtlModelConfig(
                        schedule=ReverseEtlSchedule.periodic("1h" if version == 1 else "3h25m30s")
                    )
                ],
                profiles_sync=ProfilesSyncConfig(),
                computed_traits=FLEX_TRAITS if version == 1 else FLEX_TRAITS[:-1],
                audiences=[
                    AudienceConfig(
                        "Frequent callers",
                        "event('Flex - Engagement Initiated').count() >= "
                        + ("3" if version == 1 else "4"),
                    ),
                    AudienceConfig(
                        "Accounts calling",
                        "event('Flex - Engagement Initiated').count() >= 1",
                        audience_type="USERS" if version == 1 else "ACCOUNTS",
                    ),
                ],
            ),
        )
        pulumi.export("spaceId", stack.twilio_sheet()["spaceId"])

    return program


@pytest.fixture(scope="session")
def lifecycle() -> Iterator[list[dict[str, Any]]]:
    """Every request the provider sent in the lifecycle, with the emulator's answer."""
    # Segment's clock 10x faster, and the provider's pacing with it: the lifecycle sends every
    # operation at Segment's limits (warehouse operations 2 a minute) without waiting minutes.
    scale = 10.0
    pacing = {ENV_RATE_LIMIT_WINDOW: repr(WINDOW_SECONDS / scale)}
    with (
        running_emulator(seed=SEED_PATH, time_scale=scale) as emulator,
        ProviderProcess(pacing) as provider,
    ):
        engine = _engine(emulator, provider)
        for stack in ("dev", "prod"):
            _example(engine, stack)
            _example(engine, stack)  # no changes
            destroy_all(engine)
        _example(engine, "dev", {"unified-profiles:syncInterval": "30m"})
        _example(
            engine,
            "dev",
            {
                "unified-profiles:syncInterval": "15m",
                "unified-profiles:audiences": json.dumps(
                    [
                        {
                            "name": "Callers",
                            "query": "event('Flex - Engagement Initiated').count() >= 1",
                        }
                    ]
                ),
            },
        )
        destroy_all(engine)
        run_program(
            COMPUTED_TRAITS_ONLY,
            engine,
            config={"computed-traits-only:spaceSlug": "unified-profiles-dev"},
            project="computed-traits-only",
        )
        destroy_all(engine)
        run_program(_all_kinds(1), engine, project=demo.PROJECT)
        for urn in list(engine.state):  # `pulumi refresh`: every read Segment answers
            engine.refresh(urn)
        mark = len(engine.steps)
        run_program(_all_kinds(1), engine, project=demo.PROJECT)
        changed = [step for step in engine.steps[mark:] if step[0] != "same"]
        # Segment omits write-only secrets from its answers: refresh must not make them a diff.
        assert changed == [], f"the refreshed stack is not the same as the program: {changed}"
        run_program(_all_kinds(2), engine, project=demo.PROJECT)
        destroy_all(engine)
        yield emulator.emulator.context.request_log.entries()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Show the per-operation counts the run wrote, so CI's log holds them."""
    report = REPORT
    written = getattr(terminalreporter.config, "_fidelity_report_written", False)
    if written and report.is_file():
        terminalreporter.section("fidelity: request bodies and answers checked per operation")
        terminalreporter.write(report.read_text(encoding="utf-8"))
