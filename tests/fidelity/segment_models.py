"""Segment's published models, loaded at test time, as tables the referee checks against.

Where they come from, and why (the tier's docstring, ``test_fidelity.py``, says more):

- Public API bodies and answers, API 73.2.0: ``emulated-contract.md`` (and, for operations it
  leaves out, ``contract-supplement.md`` beside this file, derived the same way) and
  ``segment-public-api.md`` in the project's ``shared/reference/`` (beside the clone), the
  operation table and object shapes derived mechanically from the models of Segment's generated
  Go SDK at 73.2.0 (field names, JSON tags, ``omitempty`` = optional), and the Reverse ETL
  schedule's strategies and config per strategy. The Go SDK itself is what the issue names, but
  the Go module proxy answers "not available" (403) for ``github.com/segmentio/public-api-sdk-go``
  at every version form (``@v/list``, ``v73.2.0``, ``+incompatible``, ``/v73``, a pseudo-version);
  no PyPI package ships the Public API models; and the npm TypeScript SDK
  (``@segment/public-api-sdk-typescript``, newest 47.0.0-b8398) is at API 47, where
  ``CreateReverseEtlModelInput`` still requires ``scheduleStrategy``/``scheduleConfig`` (moved to
  the subscription since), ``UpdateAudienceForSpaceInput`` has only ``enabled`` and there is no
  ``CreateAudience`` or ``CreateComputedTrait`` at all: it would referee against a contract
  Segment has left.
- Which body fields may be ``null``: ``sdk-nullable-fields.md`` beside this file, derived from
  the input models of Segment's generated Python SDK at 73.2.0 (the file says how).
- Per-operation rate limits: ``sdk-rate-limits.md`` beside this file, derived from the
  operation descriptions of Segment's generated Python SDK at 73.2.0 (the file says how).
- The Segment Profiles destination and its Send Identify action: ``@segment/action-destinations``
  from npm, pinned below, unpacked into ``.tools/segment-sdk/`` (gitignored) and read with node.

Nothing here is copied from either source: the tables are built from the files each run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tarfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
ACTION_DESTINATIONS = "@segment/action-destinations@3.497.0"
CACHE = REPO / ".tools" / "segment-sdk"


class SourceUnavailableError(Exception):
    """A referee source cannot be had here; the message says why (tests skip with it)."""


def reference_dir() -> Path:
    """``shared/reference`` beside the clone (``SEGMENT_REFERENCE_DIR`` overrides)."""
    override = os.environ.get("SEGMENT_REFERENCE_DIR")
    candidates = [Path(override)] if override else []
    candidates += [parent / "shared" / "reference" for parent in REPO.parents]
    for candidate in candidates:
        if (candidate / "emulated-contract.md").is_file():
            return candidate
    raise SourceUnavailableError(
        "Segment's 73.2.0 contract (shared/reference/emulated-contract.md) is not beside this "
        "clone; set SEGMENT_REFERENCE_DIR to the folder that holds it"
    )


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    required: bool


@dataclass
class Operation:
    name: str
    method: str
    path: str
    status: int
    data_keys: dict[str, bool]  # key -> required
    body: dict[str, bool] | None  # field -> required; None: no body
    pattern: re.Pattern[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        regex = re.sub(r"\\\{[^}]+\\\}", r"[^/]+", re.escape(self.path))
        self.pattern = re.compile(f"^{regex}$")


@dataclass
class PublicApi:
    operations: list[Operation]
    shapes: dict[str, dict[str, Field]]
    # strategy -> config keys (None: config must be null)
    schedule_configs: dict[str, tuple[str, ...] | None]
    enums: dict[str, tuple[str, ...]]
    # operation -> body fields its input model lets be null (``sdk-nullable-fields.md``)
    nullable: dict[str, frozenset[str]] = field(default_factory=dict)

    def operation(self, method: str, path: str) -> Operation | None:
        for op in self.operations:
            if op.method == method and op.pattern.match(path):
                return op
        return None


def _fields(text: str) -> dict[str, bool]:
    if text.strip() in ("-", ""):
        return {}
    names = [part.strip() for part in text.split(",")]
    return {name.rstrip("?"): not name.endswith("?") for name in names}


# Operations the provider calls that the shared contract leaves out, in its form (the file says
# where in the Go SDK each comes from).
SUPPLEMENT = Path(__file__).with_name("contract-supplement.md")


def load_public_api(folder: Path | None = None) -> PublicApi:
    folder = folder or reference_dir()
    contract = (folder / "emulated-contract.md").read_text(encoding="utf-8")
    contract += "\n" + SUPPLEMENT.read_text(encoding="utf-8")
    operations = []
    row = re.compile(
        r"^\| (GET|POST|PATCH|PUT|DELETE) \| `([^`]+)` \| (\w+) \| (\d+) \| ([^|]*)\| ([^|]*)\|$"
    )
    for line in contract.splitlines():
        match = row.match(line)
        if match:
            method, path, name, status, data, body = match.groups()
            operations.append(
                Operation(
                    name,
                    method,
                    path,
                    int(status),
                    _fields(data),
                    None if body.strip() == "-" else _fields(body),
                )
            )
    shapes: dict[str, dict[str, Field]] = {}
    for match in re.finditer(r"^- \*\*(\w+)\*\*: (.+)$", contract, re.M):
        fields: dict[str, Field] = {}
        for part in match.group(2).split(", "):
            name, _, type_ = part.partition(": ")
            fields[name.rstrip("?")] = Field(
                name.rstrip("?"), type_.strip(), not name.endswith("?")
            )
        shapes[match.group(1)] = fields
    notes = (folder / "segment-public-api.md").read_text(encoding="utf-8")
    strategies = re.search(r"reverseETLSchedule = `\{strategy: ([A-Z_|]+),", notes)
    if not operations or not shapes or strategies is None:
        raise SourceUnavailableError(
            f"the reference in {folder} no longer has the tables this reads"
        )
    configs: dict[str, tuple[str, ...] | None] = {}
    for strategy, config in re.findall(r"^\s*\| ([A-Z_]+) \| (`\{[^`]*\}`|null) ", notes, re.M):
        keys = re.findall(r"(\w+)(?::[^,}]*)?[,}]", config.strip("`{}") + "}")
        configs[strategy] = None if config == "null" else tuple(keys)
    enums = {"strategy": tuple(strategies.group(1).split("|"))}
    audience_type = re.search(r"`audienceType` \(([A-Z|]+)\)", notes)
    if audience_type:
        enums["audienceType"] = tuple(audience_type.group(1).split("|"))
    return PublicApi(operations, shapes, configs, enums, load_nullable_fields())


# Per-operation rate limits from Segment's Python SDK at 73.2.0 (the file says how derived).
RATE_LIMITS = Path(__file__).with_name("sdk-rate-limits.md")


def load_rate_limits() -> dict[str, int]:
    """Operation -> requests per minute, for every operation the SDK gives a limit of its own."""
    row = re.compile(r"^\| (\w+) \| (\d+) \| `[^`]+` \| `\w+` \|$")
    limits = {
        match.group(1): int(match.group(2))
        for line in RATE_LIMITS.read_text(encoding="utf-8").splitlines()
        if (match := row.match(line))
    }
    if not limits:
        raise SourceUnavailableError(f"{RATE_LIMITS} no longer has the table this reads")
    return limits


# Which body fields Segment's SDK lets be null, per operation (the file says how derived).
NULLABLE_FIELDS = Path(__file__).with_name("sdk-nullable-fields.md")


def load_nullable_fields() -> dict[str, frozenset[str]]:
    """Operation -> the fields of its input model that may be ``null``."""
    row = re.compile(r"^\| (\w+) \| \w+ \| `[^`]+` \| ([^|]+) \|$")
    nullable = {
        match.group(1): frozenset(
            name.strip() for name in match.group(2).split(",") if name.strip() != "-"
        )
        for line in NULLABLE_FIELDS.read_text(encoding="utf-8").splitlines()
        if (match := row.match(line))
    }
    if not nullable:
        raise SourceUnavailableError(f"{NULLABLE_FIELDS} no longer has the table this reads")
    return nullable


# -- @segment/action-destinations ------------------------------------------------------------

_DUMP_JS = r"""
const Module = require('module');
const original = Module.prototype.require;
// The package's runtime dependencies are not installed (only its definitions are read):
// anything outside the package is a stand-in that can be called, constructed and read.
const standIn = () => new Proxy(function () {}, {
  get: (t, p) => (p === '__esModule' ? false : standIn()),
  apply: () => standIn(),
  construct: () => ({}),
});
Module.prototype.require = function (id) {
  if (id.startsWith('.')) return original.apply(this, arguments);
  try { return original.apply(this, arguments); } catch (e) { return standIn(); }
};
const destination = require(process.argv[1]).default;
const fieldsOf = (fields) => Object.fromEntries(Object.entries(fields || {}).map(([k, v]) => [
  k, {type: v.type, required: v.required === true, multiple: v.multiple === true,
      choices: Array.isArray(v.choices)
        ? v.choices.map((c) => (typeof c === 'object' ? c.value : c)) : null},
]));
const out = {
  name: destination.name, slug: destination.slug,
  settings: fieldsOf(destination.authentication && destination.authentication.fields),
  actions: Object.fromEntries(Object.entries(destination.actions).map(([k, a]) => [
    k, {title: a.title, fields: fieldsOf(a.fields)}])),
};
process.stdout.write(JSON.stringify(out));
"""


def _npm_pack(spec: str, into: Path) -> Path:
    npm = shutil.which("npm")
    if npm is None:
        raise SourceUnavailableError(f"npm is not on PATH, so {spec} cannot be downloaded")
    into.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [npm, "pack", spec, "--silent", "--pack-destination", str(into)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        raise SourceUnavailableError(f"`npm pack {spec}` failed: {done.stderr.strip()[-300:]}")
    return into / done.stdout.strip().splitlines()[-1]


def action_destinations_dir() -> Path:
    """The unpacked package (downloaded once into the gitignored cache)."""
    name = ACTION_DESTINATIONS.replace("/", "+")
    root = CACHE / name
    if not (root / "package" / "package.json").is_file():
        tarball = _npm_pack(ACTION_DESTINATIONS, CACHE)
        with tarfile.open(tarball) as archive:
            members = [m for m in archive.getmembers() if m.name.startswith("package/dist/")]
            members.append(archive.getmember("package/package.json"))
            archive.extractall(root, members=members, filter="data")
        tarball.unlink()
    return root / "package"


def destination_definition(slug_dir: str) -> dict[str, Any]:
    """A destination's settings and actions' fields, from Segment's own definition."""
    node = shutil.which("node")
    if node is None:
        raise SourceUnavailableError(
            "node is not on PATH, so Segment's action definitions cannot be read"
        )
    index = action_destinations_dir() / "dist" / "destinations" / slug_dir / "index.js"
    done = subprocess.run(
        [node, "-e", _DUMP_JS, str(index)], capture_output=True, text=True, timeout=120, check=False
    )
    if done.returncode != 0:
        raise SourceUnavailableError(
            f"reading {index} with node failed: {done.stderr.strip()[-300:]}"
        )
    definition: dict[str, Any] = json.loads(done.stdout)
    return definition
