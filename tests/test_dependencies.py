"""The package is a library installed beside the user's own Pulumi: it declares ranges, never
exact versions (an exact `pulumi==` pin downgraded users' SDK under their newer CLI), and
constraints.txt pins, inside those ranges, what `make` and CI install."""

from __future__ import annotations

import subprocess
from pathlib import Path

import tomllib
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]


def declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project.get("optional-dependencies", {})
    names = [*project["dependencies"], *extras.get("emulator", []), *extras.get("demo", [])]
    # An extra that names another extra of the package itself carries no version.
    return [r for r in map(Requirement, names) if r.name != project["name"]]


def core() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return {Requirement(line).name.lower() for line in project["dependencies"]}


def pins() -> dict[str, str]:
    found: dict[str, str] = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            requirement = Requirement(line)
            [spec] = requirement.specifier
            assert spec.operator == "==", line
            found[requirement.name.lower()] = spec.version
    return found


def test_the_package_declares_ranges_with_an_upper_bound_not_exact_versions() -> None:
    for requirement in declared():
        operators = {spec.operator for spec in requirement.specifier}
        assert "==" not in operators, requirement
        assert ">=" in operators and "<" in operators, requirement


def test_pulumi_is_allowed_from_the_tested_version_up_to_the_next_major() -> None:
    [pulumi] = [r for r in declared() if r.name == "pulumi"]
    assert pulumi.specifier.contains("3.272.0")
    assert pulumi.specifier.contains("3.999.0")
    assert not pulumi.specifier.contains("4.0.0")


def test_constraints_pin_every_declared_dependency_inside_its_range() -> None:
    pinned = pins()
    for requirement in declared():
        version = pinned.get(requirement.name.lower())
        assert version is not None, f"{requirement.name} is not pinned in constraints.txt"
        assert requirement.specifier.contains(version), (requirement, version)


def test_the_cli_build_reads_the_sdk_version_from_the_constraints_pin() -> None:
    script = (ROOT / "tools" / "build-pulumi-cli.sh").read_text()
    line = next(s for s in script.splitlines() if s.startswith("SDK_VERSION="))
    done = subprocess.run(
        ["bash", "-c", f'ROOT={ROOT}; {line}; echo "$SDK_VERSION"'],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == pins()["pulumi"]


def test_a_production_install_brings_no_web_server_database_driver_or_tracking_library() -> None:
    # The emulator's and the demo's dependencies are extras (`[emulator]`, `[demo]`); a program
    # runs `pulumi up` with the core alone (tests/e2e/test_getting_started.py installs only it).
    test_tooling = {"fastapi", "uvicorn", "fastapi-offline", "psycopg", "segment-analytics-python"}
    assert core() & test_tooling == set()
    assert {"pulumi", "pulumi-policy", "httpx", "pydantic", "tenacity"} <= core()
