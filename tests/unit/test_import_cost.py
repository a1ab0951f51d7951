"""What importing the resource modules loads: no HTTP client, retries, parser or pydantic.

The dynamic provider process imports a resource's module when it unpickles the resource's
provider, and a program imports it to declare resources. httpx and tenacity come with the first
call to Segment, lark with the first query parsed, pydantic (and a type's input models) with
the first check of that type. Each case runs in a fresh interpreter, since this one has long
imported them all; the assertions are on ``sys.modules``, not on times.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

from segment_unify.localrun.engine import provider_blob
from segment_unify.provider import resources
from tests.resources.check_fuzz import RESOURCES

HEAVY = ("httpx", "tenacity", "lark", "pydantic")
INPUTS = f"{resources.__name__}._inputs"
# Every module of the package, the scaffold's private ones too, but not the input models,
# which are pydantic by design and loaded on first use.
MODULES = sorted(
    f"{resources.__name__}.{info.name}"
    for info in pkgutil.iter_modules(resources.__path__)
    if info.name != "_inputs"
)


def loaded_after(code: str) -> dict[str, list[str]]:
    """Run ``code`` in a fresh interpreter: which heavy libraries and input modules it loaded."""
    report = (
        "\nimport json, sys\n"
        f"heavy = sorted(m for m in {HEAVY!r} if m in sys.modules)\n"
        f"inputs = sorted(m for m in sys.modules if m.startswith({INPUTS + '.'!r}))\n"
        "print(json.dumps({'heavy': heavy, 'inputs': inputs}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code + report], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    answer: dict[str, list[str]] = json.loads(done.stdout.strip().splitlines()[-1])
    return answer


def test_every_module_of_the_package_lists_the_resources_and_the_scaffold() -> None:
    names = {module.rsplit(".", 1)[1] for module in MODULES}
    assert {"computed_trait", "unify_space", "schedule", "_base", "_resource"} <= names


def test_importing_every_resource_module_loads_no_heavy_library_and_builds_no_model() -> None:
    loaded = loaded_after("\n".join(f"import {module}" for module in MODULES))
    assert loaded == {"heavy": [], "inputs": []}


def test_the_lazy_exports_and_a_programs_props_load_no_heavy_library() -> None:
    # AudienceDefinition is a pydantic model itself: naming it is a use of pydantic.
    names = [name for name in resources.__all__ if name != "AudienceDefinition"]
    code = (
        f"from segment_unify.provider import {', '.join(names)}\n"
        "ComputedTrait.build_props('calls', space_id='spa_1', name='Calls',\n"
        "    definition=\"event('Call Completed').count()\")\n"
    )
    assert loaded_after(code) == {"heavy": [], "inputs": []}


def test_unpickling_every_provider_as_the_provider_process_does_loads_no_heavy_library() -> None:
    blobs = [provider_blob(cls._segment_provider) for cls in RESOURCES]
    code = (
        "import base64, dill\n"
        f"providers = [dill.loads(base64.b64decode(blob)) for blob in {blobs!r}]\n"
        f"assert len(providers) == {len(RESOURCES)}\n"
    )
    assert loaded_after(code) == {"heavy": [], "inputs": []}


def test_a_check_and_diff_load_pydantic_and_lark_and_that_types_models_but_no_http_client() -> None:
    # A preview is check and diff only: it never calls Segment, so never needs httpx.
    code = (
        "from segment_unify.provider import ComputedTrait\n"
        "provider = ComputedTrait._segment_provider\n"
        "props = ComputedTrait.build_props('calls', space_id='spa_1', name='Calls',\n"
        "    definition=\"event('Call Completed').count()\")\n"
        "checked = provider.check({}, props)\n"
        "assert checked.failures == [], checked.failures\n"
        "provider.diff('spa_1/ct_1', checked.inputs, checked.inputs)\n"
    )
    loaded = loaded_after(code)
    assert loaded["heavy"] == ["lark", "pydantic"]
    # A computed trait's model is derived from its declaration: no module of its own.
    assert loaded["inputs"] == [f"{INPUTS}.base", f"{INPUTS}.derive"]


def test_declaring_resources_reads_no_source_until_a_doc_is_asked_for() -> None:
    # A field's doc is the docstring under it: help() reads the declaring module's source,
    # which a program or the provider process never needs.
    code = (
        "import json\n"
        "from segment_unify.provider import ComputedTrait, Source\n"
        "from segment_unify.provider.resources import _docs\n"
        "ComputedTrait.build_props('calls', space_id='spa_1', name='Calls', definition='q')\n"
        "Source.build_props('web', catalog_slug='javascript')\n"
        "before = sorted(_docs._MODULE_TREES)\n"
        "ComputedTrait.__doc__\n"
        "print(json.dumps([before, sorted(_docs._MODULE_TREES)]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    before, after = json.loads(done.stdout)
    assert before == []
    assert after == ["segment_unify.provider.resources.computed_trait"]
