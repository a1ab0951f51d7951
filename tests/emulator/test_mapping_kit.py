"""The emulator's mapping directives against Segment's own: every case is run through
`@segment/actions-core`'s mapping-kit `transform()` under node and through
`segment_unify.emulator.mapping_kit.transform`, and the results (or the refusal) must agree."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest

from segment_unify.emulator.mapping_kit import MappingError, transform
from tests.support.node_packages import node_modules

ROW = {
    "type": "track",
    "event": "new",
    "messageId": "retl-1",
    "timestamp": "2026-06-01T00:00:00.000Z",
    "properties": {
        "id": "001A",
        "email": "Ada@Example.com",
        "phone": "+1 555 0101",
        "name": "Acme Corp",
        "arr": 1200.0,
        "employees": 0,
        "tier": "",
        "active": True,
        "owner": None,
        "tags": ["vip", "emea"],
        "address": {"city": "Lyon", "zip": "69001"},
        "contacts": [{"email": "a@x.test", "role": "cto"}, {"email": "b@x.test", "role": "cfo"}],
        "json_text": '{"plan": "pro", "seats": 5}',
    },
    "context": {"consent": {"categoryPreferences": {"ads": False}}},
}

CASES: dict[str, dict[str, Any]] = {
    "send identify": {
        "engage_space": "wk_123",
        "user_id": {"@path": "$.properties.id"},
        "traits": {
            "email": {"@path": "$.properties.email"},
            "name": {"@path": "$.properties.name"},
            "arr": {"@path": "$.properties.arr"},
        },
        "timestamp": {"@path": "$.timestamp"},
        "message_id": {"@path": "$.messageId"},
        "consent": {"@path": "$.context.consent"},
    },
    "missing paths are left out": {"x": {"@path": "$.properties.nothing"}, "y": 1},
    "path through a falsy value": {"x": {"@path": "$.properties.employees.count"}},
    "array indexes": {
        "first": {"@path": "$.properties.tags[0]"},
        "quoted": {"@path": "$.properties.address['city']"},
        "length": {"@path": "$.properties.tags.length"},
    },
    "template": {
        "greeting": {"@template": "{{properties.name}} in {{ properties.address.city }}"},
        "numbers": {
            "@template": "{{properties.arr}}/{{properties.employees}}/{{properties.active}}"
        },
        "missing": {"@template": "[{{properties.nothing}}][{{{properties.tags}}}]"},
        "object": {"@template": "{{properties.address}}"},
    },
    "literal": {"a": {"@literal": {"nested": {"@path": "$.properties.id"}}}, "b": {"@literal": 0}},
    "if exists": {
        "owner": {"@if": {"exists": {"@path": "$.properties.owner"}, "then": "yes", "else": "no"}},
        "email": {
            "@if": {
                "exists": {"@path": "$.properties.email"},
                "then": {"@path": "$.properties.email"},
                "else": "none",
            }
        },
        "falsy else": {"@if": {"exists": {"@path": "$.properties.owner"}, "then": 1, "else": 0}},
    },
    "if blank": {
        "tier": {"@if": {"blank": {"@path": "$.properties.tier"}, "then": "set", "else": "blank"}},
        "zero": {
            "@if": {"blank": {"@path": "$.properties.employees"}, "then": "set", "else": "blank"}
        },
        "name": {"@if": {"blank": {"@path": "$.properties.name"}, "then": "set", "else": "blank"}},
    },
    "case": {
        "lower": {"@case": {"operator": "lower", "value": {"@path": "$.properties.email"}}},
        "upper": {"@case": {"operator": "upper", "value": "abc"}},
        "number": {"@case": {"operator": "lower", "value": {"@path": "$.properties.arr"}}},
    },
    "replace": {
        "phone": {
            "@replace": {
                "pattern": " ",
                "replacement": "",
                "value": {"@path": "$.properties.phone"},
            }
        },
        "once": {
            "@replace": {
                "pattern": " ",
                "replacement": "-",
                "global": False,
                "value": {"@path": "$.properties.phone"},
            }
        },
        "ignorecase": {
            "@replace": {
                "pattern": "acme",
                "replacement": "X",
                "ignorecase": True,
                "value": {"@path": "$.properties.name"},
            }
        },
        "two": {
            "@replace": {
                "pattern": "+",
                "replacement": "",
                "pattern2": "5",
                "replacement2": "#",
                "value": {"@path": "$.properties.phone"},
            }
        },
        "number": {
            "@replace": {"pattern": "2", "replacement": "9", "value": {"@path": "$.properties.arr"}}
        },
        "dots": {"@replace": {"pattern": ".", "replacement": "[.]", "value": "a.b.c"}},
    },
    "array path": {
        "emails": {
            "@arrayPath": [
                "$.properties.contacts",
                {"mail": {"@path": "$.email"}, "r": {"@path": "$.role"}},
            ]
        },
        "object as one": {"@arrayPath": ["$.properties.address", {"c": {"@path": "$.city"}}]},
        "no shape": {"@arrayPath": ["$.properties.tags", {}]},
    },
    "json": {
        "encode": {"@json": {"mode": "encode", "value": {"@path": "$.properties.address"}}},
        "encode number": {"@json": {"mode": "encode", "value": {"@path": "$.properties.arr"}}},
        "decode": {"@json": {"mode": "decode", "value": {"@path": "$.properties.json_text"}}},
        "decode text": {"@json": {"mode": "decode", "value": {"@path": "$.properties.name"}}},
    },
    "flatten": {
        "flat": {"@flatten": {"separator": "_", "value": {"@path": "$.properties.address"}}},
        "with arrays": {"@flatten": {"separator": ".", "value": {"@path": "$.properties"}}},
        "omit arrays": {
            "@flatten": {
                "separator": ".",
                "omitArrays": True,
                "value": {"@path": "$.properties.contacts"},
            }
        },
    },
    "merge": {
        "right": {"@merge": {"direction": "right", "objects": [{"a": 1, "b": 1}, {"b": 2}]}},
        "left": {"@merge": {"direction": "left", "objects": [{"a": 1, "b": 1}, {"b": 2}]}},
        "paths": {
            "@merge": {
                "direction": "right",
                "objects": [{"@path": "$.properties.address"}, {"city": "Paris"}],
            }
        },
    },
    "transform": {
        "x": {
            "@transform": {
                "apply": {"mail": {"@path": "$.properties.email"}},
                "mapping": {"@path": "$.mail"},
            }
        }
    },
    "exclude when null": {
        "owner": {"@excludeWhenNull": {"@path": "$.properties.owner"}},
        "object": {
            "@excludeWhenNull": {
                "o": {"@path": "$.properties.owner"},
                "n": {"@path": "$.properties.name"},
            }
        },
    },
    "root directive": {
        "__segment_internal_directive": {
            "@transform": {"apply": {"who": {"@path": "$.properties.id"}}}
        },
        "user": {"@path": "$.who"},
    },
    "refused: unknown directive": {"x": {"@nothing": 1}},
    "refused: if without condition": {"x": {"@if": {"then": 1}}},
    "refused: path of a number": {"x": {"@path": 5}},
    "refused: long pattern": {"x": {"@replace": {"pattern": "abcdefghijk", "value": "a"}}},
    "refused: case operator": {"x": {"@case": {"operator": "title", "value": "abc"}}},
    "refused: merge without direction": {"x": {"@merge": {"objects": []}}},
}


def _stack_default_mapping() -> dict[str, Any]:
    """What the stack sends for its default model: the provider's compiled Send Identify."""
    from segment_unify.components import DEFAULT_MODEL_TRAITS
    from segment_unify.provider.resources._inputs.send_identify import SendIdentifyMappingInputs
    from segment_unify.provider.resources.send_identify import compile_mapping

    inputs = SendIdentifyMappingInputs(
        engage_space="wk_123",
        user_id="id",
        traits={**DEFAULT_MODEL_TRAITS, "plan": {"@literal": "gold"}},
    )
    return compile_mapping(inputs, reverse_etl=True)


CASES["the stack's Send Identify for its default model"] = _stack_default_mapping()

NODE_SCRIPT = """
const { transform } = require('@segment/actions-core/mapping-kit');
const { cases, payload } = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const out = {};
for (const [name, mapping] of Object.entries(cases)) {
  try { out[name] = { value: transform(mapping, payload) }; }
  catch (e) { out[name] = { error: String(e.message) }; }
}
process.stdout.write(JSON.stringify(out));
"""


@pytest.fixture(scope="module")
def segment_results() -> dict[str, Any]:
    modules = node_modules("@segment/actions-core")
    completed = subprocess.run(
        ["node", "-e", NODE_SCRIPT],
        input=json.dumps({"cases": CASES, "payload": ROW}),
        capture_output=True,
        text=True,
        timeout=120,
        env={"NODE_PATH": str(modules), "PATH": "/usr/local/bin:/usr/bin:/bin"},
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    results: dict[str, Any] = json.loads(completed.stdout)
    return results


@pytest.mark.parametrize("name", list(CASES))
def test_mapping_agrees_with_segments_mapping_kit(
    name: str, segment_results: dict[str, Any]
) -> None:
    segment = segment_results[name]
    try:
        ours: dict[str, Any] = {"value": transform(CASES[name], ROW)}
    except MappingError as error:
        ours = {"error": str(error)}
    if "error" in segment:
        assert "error" in ours, f"Segment refuses ({segment['error']}); ours gave {ours}"
    else:
        # Through JSON, as the identify call carries it.
        assert json.loads(json.dumps(ours)) == segment
