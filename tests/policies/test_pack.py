"""The pack as a whole: registry, what the engine is told, config files, how the CLI runs it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest
import yaml
from google.protobuf import empty_pb2
from pulumi.runtime import proto
from pulumi.runtime.proto import analyzer_pb2_grpc
from pulumi_policy import ResourceValidationPolicy

from segment_unify import provider
from segment_unify.policies import PACK_NAME, POLICIES
from segment_unify.policies.registry import DuplicatePolicyError, PolicyRegistry
from segment_unify.policies.resources import (
    AUDIENCE,
    COMPUTED_TRAIT,
    PREDICTION,
    PROFILES_WAREHOUSE,
    UNIFY_SPACE,
    WAREHOUSE,
    token,
)
from segment_unify.provider import TraitOptions, UnifySpace
from tests.policies.analyzer import LEVEL_NAMES, Analyzer, Registered
from tests.policies.helpers import only, trait

ROOT = Path(__file__).resolve().parents[2]
PACK_DIR = ROOT / "policies"


def _noop(*_: object) -> None:
    return None


def test_registry_fails_if_two_policies_share_a_name() -> None:
    registry = PolicyRegistry()
    registry.register([ResourceValidationPolicy("same-name", "Checks one thing.", _noop)])

    with pytest.raises(DuplicatePolicyError) as raised:
        registry.register([ResourceValidationPolicy("same-name", "Checks another.", _noop)])

    assert str(raised.value) == (
        "The policy name 'same-name' is registered twice; give each policy its own name."
    )


def test_registry_passes_if_every_name_is_distinct() -> None:
    registry = PolicyRegistry()
    registry.register(
        [
            ResourceValidationPolicy("first-policy", "Checks one thing.", _noop),
            ResourceValidationPolicy("second-policy", "Checks another.", _noop),
        ]
    )

    assert registry.names() == ["first-policy", "second-policy"]


def test_the_engine_is_told_each_policy_with_its_description_and_config_defaults(
    analyzer: Analyzer,
) -> None:
    info = analyzer.info()

    assert info.name == PACK_NAME
    assert [p.name for p in info.policies] == [p.name for p in POLICIES]
    for policy in info.policies:
        assert re.fullmatch(r"[a-z]+(-[a-z]+)+", policy.name)
        assert policy.description.startswith("Checks ")
        assert LEVEL_NAMES[policy.enforcementLevel] == "advisory"
        for name, schema in policy.configSchema.properties.items():
            assert "default" in schema, f"{policy.name}.{name} has no default"
    kinds = {p.name: p.policy_type for p in info.policies}
    assert kinds["trait-keys-unique"] == proto.PolicyType.POLICY_TYPE_STACK
    assert kinds["definition-valid"] == proto.PolicyType.POLICY_TYPE_RESOURCE


def _careless_production_trait() -> Registered:
    """A production trait that breaks three policies: history, protection, window length."""
    return trait(
        "calls-ever",
        name="Calls Ever",
        query="event('Flex - Engagement Initiated').within(400 days).count()",
        options=TraitOptions(include_anonymous_users=False),
        stack="prod",
    )


def _levels(analyzer: Analyzer, config_file: str) -> dict[str, str]:
    analyzer.configure(json.loads((PACK_DIR / config_file).read_text()))
    resource = _careless_production_trait()
    return {d.policy: d.level for d in analyzer.analyze(resource)}


def test_the_dev_config_makes_every_violation_advisory(analyzer: Analyzer) -> None:
    assert _levels(analyzer, "config.dev.json") == {
        "time-window-maximum": "advisory",
        "production-traits-include-historical-data": "advisory",
        "production-data-resources-protected": "advisory",
    }


def test_the_prod_config_makes_violations_mandatory_but_long_windows_advisory(
    analyzer: Analyzer,
) -> None:
    assert _levels(analyzer, "config.prod.json") == {
        "time-window-maximum": "advisory",
        "production-traits-include-historical-data": "mandatory",
        "production-data-resources-protected": "mandatory",
    }


def test_a_disabled_policy_reports_nothing(analyzer: Analyzer) -> None:
    analyzer.configure({"all": "mandatory", "production-data-resources-protected": "disabled"})

    levels = {d.policy: d.level for d in analyzer.analyze(_careless_production_trait())}

    assert "production-data-resources-protected" not in levels
    assert levels["production-traits-include-historical-data"] == "mandatory"


def test_importing_the_package_starts_no_analyzer() -> None:
    # The pack folder's entry point, loaded under another name than ``__main__``.
    code = (
        "import runpy, segment_unify.policies; "
        f"runpy.run_path({str(PACK_DIR / '__main__.py')!r}, run_name='pack'); print('imported')"
    )

    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )

    assert done.stdout == "imported\n"


@pytest.fixture
def pack_process() -> Iterator[analyzer_pb2_grpc.AnalyzerStub]:
    """The pack started as the CLI starts a Python policy pack, in a stack named prod."""
    env = {
        **os.environ,
        "PULUMI_PROJECT": "unify",
        "PULUMI_STACK": "prod",
        "PULUMI_DRY_RUN": "true",
    }
    process = subprocess.Popen(
        [sys.executable, "-u", "-m", "pulumi.policy", "127.0.0.1:1", str(PACK_DIR)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=ROOT,
    )
    assert process.stdout is not None
    port = process.stdout.readline().decode().strip()
    if not port.isdigit():
        process.kill()
        pytest.fail(f"the pack did not start: {process.communicate()[1].decode()}")
    channel = grpc.insecure_channel(f"127.0.0.1:{port}")
    try:
        yield analyzer_pb2_grpc.AnalyzerStub(channel)
    finally:
        channel.close()
        process.terminate()
        process.communicate(timeout=30)


def test_the_cli_way_of_running_the_pack_reports_on_a_production_stack(
    pack_process: analyzer_pb2_grpc.AnalyzerStub,
) -> None:
    space = only(lambda: UnifySpace("main", slug="main"), stack="prod")

    info = pack_process.GetAnalyzerInfo(empty_pb2.Empty())
    response = pack_process.Analyze(
        proto.AnalyzeRequest(
            type=space.type,
            properties=space.properties,
            urn=space.urn,
            name=space.name,
            options=proto.AnalyzerResourceOptions(protect=False),
        )
    )

    assert info.name == PACK_NAME
    assert [(d.policyName, LEVEL_NAMES[d.enforcementLevel]) for d in response.diagnostics] == [
        ("production-data-resources-protected", "advisory")
    ]
    assert 'Unify space "main" holds data' in response.diagnostics[0].message


def test_the_checkout_s_pack_runs_in_the_repository_virtualenv_with_this_checkout() -> None:
    pack = yaml.safe_load((PACK_DIR / "PulumiPolicy.yaml").read_text())
    requirements = [
        line.strip()
        for line in (PACK_DIR / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]

    assert pack["runtime"] == {"name": "python", "options": {"virtualenv": "../.venv"}}
    assert requirements == ["-e .."]


def test_the_shipped_pack_names_the_virtualenv_it_is_asked_from() -> None:
    # A virtualenv the user has not activated: the pack must not fall back to PATH's python3.
    from segment_unify.policies.pack_folder import pack_folder

    folder = pack_folder()
    pack = yaml.safe_load((folder / "PulumiPolicy.yaml").read_text())

    assert pack["runtime"] == {"name": "python", "options": {"virtualenv": sys.prefix}}
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["PulumiPolicy.yaml", "__main__.py", "config.dev.json", "config.prod.json"]
    )


@pytest.mark.parametrize(
    "kind", [AUDIENCE, COMPUTED_TRAIT, PREDICTION, PROFILES_WAREHOUSE, UNIFY_SPACE, WAREHOUSE]
)
def test_policies_use_the_type_tokens_our_resources_register(kind: str) -> None:
    assert token(kind) == getattr(provider, kind).type_token()
