"""Segment's mapping directives, evaluated as `@segment/actions-core`'s mapping-kit does.

A destination subscription's `settings` map an event to an action's fields with directives:
`@path`, `@template`, `@literal`, `@if` (`exists`/`blank`, `then`/`else`), `@case`, `@replace`,
`@arrayPath`, `@json`, `@flatten`, `@merge`, `@transform`, `@excludeWhenNull`, and a root
directive under `__segment_internal_directive`. :func:`transform` follows mapping-kit's
`transform()` (actions-core 3.170.0) with JavaScript's values as Python's: `null` is ``None``,
and `undefined` (a path to nothing) is :data:`UNDEFINED`, dropped from the result as
mapping-kit's `removeUndefined` drops it. JavaScript's own rules are kept where they show:
truthiness (``0``, ``""`` are false), `String()` of numbers (``1`` not ``1.0``), `get()` stopping
at a falsy value, `==` against ``''`` for `@if blank`. `tests/emulator/test_mapping_kit.py`
runs the same mappings through actions-core under node and compares.

Not evaluated: `@liquid` (a Liquid template engine) raises :class:`MappingError`, as do the
malformed directives mapping-kit refuses; its schema validation is not repeated.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["UNDEFINED", "MappingError", "get", "transform"]

ROOT_DIRECTIVE = "__segment_internal_directive"
MAX_PATTERN_LENGTH = 10
MAX_REPLACEMENT_LENGTH = 10


class _Undefined:
    def __repr__(self) -> str:
        return "UNDEFINED"

    def __bool__(self) -> bool:
        return False


UNDEFINED: Any = _Undefined()


class MappingError(ValueError):
    """A mapping mapping-kit would refuse (its message, where mapping-kit has one)."""


def _truthy(value: Any) -> bool:
    if value is None or value is UNDEFINED or value is False:
        return False
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value != 0
    if isinstance(value, str):
        return value != ""
    return True  # objects and arrays, even empty, are true in JavaScript


def _js_string(value: Any) -> str:
    if value is None:
        return "null"
    if value is UNDEFINED:
        return "undefined"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, list):
        return ",".join("" if v is None or v is UNDEFINED else _js_string(v) for v in value)
    if isinstance(value, dict):
        return "[object Object]"
    return str(value)


_PATH_SPLIT = re.compile(r"\[(?=\"|'|\d)|\.|(?<=\"|'|\d)]+")


def get(obj: Any, path: str | None) -> Any:
    """mapping-kit's `get`: ``a.b[0]`` / ``a['b']`` paths; stops at a falsy value."""
    if path in ("", "."):
        return obj
    if path is None:
        return UNDEFINED
    keys = [part.replace("'", "").replace('"', "") for part in _PATH_SPLIT.split(path) if part]
    current = obj
    for key in keys:
        if not _truthy(current):
            return current
        current = _index(current, key)
    return current


def _index(container: Any, key: str) -> Any:
    if isinstance(container, dict):
        return container.get(key, UNDEFINED)
    if isinstance(container, (list, str)):
        if key.isdigit() and int(key) < len(container):
            return container[int(key)]
        if key == "length":
            return len(container)
    return UNDEFINED


def _is_directive(value: Any) -> bool:
    if not isinstance(value, dict):
        return False
    keys = list(value)
    if not any(key.startswith("@") for key in keys):
        return False
    return all(key.startswith("@") or key == "_metadata" for key in keys)


def resolve(mapping: Any, payload: Any) -> Any:
    if _is_directive(mapping):
        name = next(key for key in mapping if key.startswith("@"))
        directive = _DIRECTIVES.get(name)
        if directive is None:
            raise MappingError(f"{name} is not a valid directive, got undefined")
        return directive(mapping[name], payload)
    if isinstance(mapping, list):
        return [resolve(value, payload) for value in mapping]
    if isinstance(mapping, dict):
        return {key: resolve(value, payload) for key, value in mapping.items()}
    return mapping


def _remove_undefined(value: Any) -> Any:
    if isinstance(value, list):
        # An undefined item stays in its array (it reaches the destination as JSON's null).
        return [None if item is UNDEFINED else _remove_undefined(item) for item in value]
    if isinstance(value, dict):
        return {k: _remove_undefined(v) for k, v in value.items() if v is not UNDEFINED}
    return value


def transform(mapping: Mapping[str, Any], data: Any) -> dict[str, Any]:
    """The action's fields for one event (``data``), as mapping-kit's ``transform``."""
    if not isinstance(data, dict):
        raise MappingError("data must be an object")
    to_process: Any = dict(mapping)
    if ROOT_DIRECTIVE in mapping:
        to_process = mapping[ROOT_DIRECTIVE]
        if len(to_process) > 1:
            raise MappingError("The root mapping must only have a single directive object")
        root = next(iter(to_process.values()), None)
        if not isinstance(root, dict):
            raise MappingError("The root directive must be an object")
        root = {**root, "mapping": {k: v for k, v in mapping.items() if k != ROOT_DIRECTIVE}}
        to_process = {next(iter(to_process)): root}
    result = _remove_undefined(resolve(to_process, data))
    if not isinstance(result, dict):
        raise MappingError("a mapping must resolve to an object")
    return result


# -- directives -------------------------------------------------------------------------


def _object(options: Any, message: str) -> dict[str, Any]:
    if not isinstance(options, dict):
        raise MappingError(message)
    return options


def _if(options: Any, payload: Any) -> Any:
    opts = _object(options, '@if requires an object with an "exists" key')
    if not _truthy(opts.get("exists")) and not _truthy(opts.get("blank")):
        raise MappingError('@if requires an "exists" key or a "blank" key')
    if "exists" in opts:
        value = resolve(opts["exists"], payload)
        condition = value is not None and value is not UNDEFINED
    else:
        value = resolve(opts["blank"], payload)
        condition = value is not None and value is not UNDEFINED and not _loosely_empty(value)
    if condition and "then" in opts:
        return resolve(opts["then"], payload)
    if not condition and _truthy(opts.get("else")):
        return resolve(opts["else"], payload)
    return UNDEFINED


def _loosely_empty(value: Any) -> bool:
    """JavaScript's ``value == ''``."""
    if isinstance(value, bool):
        return value is False
    if isinstance(value, (int, float)):
        return value == 0
    if isinstance(value, list):
        return _js_string(value) == ""
    return isinstance(value, str) and value == ""


def _case(options: Any, payload: Any) -> Any:
    opts = _object(options, '@case requires an object with a "operator" key')
    if not _truthy(opts.get("operator")):
        raise MappingError('@case requires a "operator" key')
    if not _truthy(opts.get("value")):
        return UNDEFINED
    value = resolve(opts["value"], payload)
    if isinstance(value, str):
        if opts["operator"] == "lower":
            return value.lower()
        if opts["operator"] == "upper":
            return value.upper()
        raise MappingError('operator key should have a value of "lower" or "upper"')
    return value


def _perform_replace(value: str, pattern: str, replacement: str, flags: str) -> str:
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise MappingError(
            f'@replace requires a "pattern" less than {MAX_PATTERN_LENGTH} characters'
        )
    if len(replacement) > MAX_REPLACEMENT_LENGTH:
        raise MappingError(
            f'@replace requires a "replacement" less than {MAX_REPLACEMENT_LENGTH} characters'
        )
    compiled = re.compile(re.escape(pattern), re.IGNORECASE if "i" in flags else 0)
    return compiled.sub(lambda _: replacement, value, count=0 if "g" in flags else 1)


def _replace(options: Any, payload: Any) -> Any:
    opts = _object(options, '@replace requires an object with a "pattern" key')
    if not _truthy(opts.get("pattern")):
        raise MappingError('@replace requires a "pattern" key')
    replacement = "" if opts.get("replacement") is None else opts["replacement"]
    replacement2 = "" if opts.get("replacement2") is None else opts["replacement2"]
    ignorecase = False if opts.get("ignorecase") is None else opts["ignorecase"]
    is_global = True if opts.get("global") is None else opts["global"]
    if not _truthy(opts.get("value")):
        return UNDEFINED
    value = resolve(opts["value"], payload)
    if isinstance(value, (bool, int, float)):
        value = _js_string(value)
    pattern = opts["pattern"]
    if not (
        isinstance(value, str)
        and isinstance(pattern, str)
        and isinstance(replacement, str)
        and isinstance(ignorecase, bool)
        and isinstance(is_global, bool)
    ):
        return ""
    flags = ("g" if is_global else "") + ("i" if ignorecase else "")
    new_value = _perform_replace(value, pattern, replacement, flags)
    pattern2 = opts.get("pattern2")
    if _truthy(pattern2) and isinstance(pattern2, str) and isinstance(replacement2, str):
        new_value = _perform_replace(new_value, pattern2, replacement2, flags)
    return new_value


def _array_path(data: Any, payload: Any) -> Any:
    if not isinstance(data, list):
        raise MappingError("@arrayPath expected array")
    path = data[0] if data else UNDEFINED
    shape = data[1] if len(data) > 1 else UNDEFINED
    root = (
        get(payload, path.replace("$.", "", 1)) if isinstance(path, str) else resolve(path, payload)
    )
    if isinstance(root, (dict, list)) and isinstance(shape, dict) and shape:
        items = root if isinstance(root, list) else [root]
        return [resolve(shape, item) for item in items]
    return root


def _string_directive(name: str, fn: Callable[[str, Any], Any]) -> Callable[[Any, Any], Any]:
    def directive(value: Any, payload: Any) -> Any:
        text = resolve(value, payload)
        if not isinstance(text, str):
            raise MappingError(f"{name}: expected string")
        return fn(text, payload)

    return directive


_PLACEHOLDER3 = re.compile(r"\{\{\{([^}]+)\}\}\}")
_PLACEHOLDER2 = re.compile(r"\{\{([^}]+)\}\}")


def _render(template: str, payload: Any) -> str:
    def replacer(match: re.Match[str]) -> str:
        value = get(payload, match.group(1).strip())
        return "" if value is None or value is UNDEFINED else _js_string(value)

    return _PLACEHOLDER2.sub(replacer, _PLACEHOLDER3.sub(replacer, template))


def _flatten_object(value: Any, prefix: str, separator: str, omit_arrays: bool) -> dict[str, Any]:
    if isinstance(value, dict) or (not omit_arrays and isinstance(value, list)):
        items = value.items() if isinstance(value, dict) else enumerate(value)
        flat: dict[str, Any] = {}
        for key, item in items:
            name = f"{prefix}{separator}{key}" if prefix else str(key)
            flat.update(_flatten_object(item, name, separator, omit_arrays))
        return flat
    return {prefix: value}


def _flatten(options: Any, payload: Any) -> Any:
    opts = _object(options, '@flatten requires an object with a "separator" key')
    if not _truthy(opts.get("separator")):
        raise MappingError('@flatten requires a "separator" key')
    separator = resolve(opts["separator"], payload)
    if not isinstance(separator, str):
        raise MappingError("@flatten requires a string separator")
    value = resolve(opts.get("value", UNDEFINED), payload)
    return _flatten_object(value, "", separator, _truthy(opts.get("omitArrays")))


def _js_json(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [None if v is UNDEFINED else _js_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _js_json(v) for k, v in value.items() if v is not UNDEFINED}
    return value


def _json(options: Any, payload: Any) -> Any:
    opts = _object(options, '@json requires an object with a "value" key')
    if not _truthy(opts.get("mode")):
        raise MappingError('@json requires a "mode" key')
    if not _truthy(opts.get("value")):
        raise MappingError('@json requires a "value" key')
    value = resolve(opts["value"], payload)
    if opts["mode"] == "encode":
        if value is UNDEFINED:
            return UNDEFINED
        return json.dumps(_js_json(value), separators=(",", ":"), ensure_ascii=False)
    if opts["mode"] == "decode":
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                return value
        return value
    return UNDEFINED


def _merge(options: Any, payload: Any) -> Any:
    opts = _object(options, '@merge requires an object with an "objects" key and a "direction" key')
    if not _truthy(opts.get("direction")):
        raise MappingError('@merge requires a "direction" key')
    direction = resolve(opts["direction"], payload)
    if not _truthy(opts.get("objects")):
        raise MappingError('@merge requires a "objects" key')
    if not isinstance(opts["objects"], list):
        raise MappingError("@merge: expected opts.array")
    objects = [resolve(value, payload) for value in opts["objects"]]
    if direction == "left":
        objects.reverse()
    merged: dict[str, Any] = {}
    for item in objects:
        if isinstance(item, dict):
            merged.update(item)
    return merged


def _transform(options: Any, payload: Any) -> Any:
    opts = _object(options, '@transform requires an object with an "apply" key and a "mapping" key')
    if not _truthy(opts.get("mapping")):
        raise MappingError('@transform requires a "mapping" key')
    if not _truthy(opts.get("apply")):
        raise MappingError('@transform requires a "apply" key')
    if not isinstance(opts["apply"], dict):
        raise MappingError('@transform "apply" key should be an object')
    return resolve(opts["mapping"], transform(opts["apply"], payload))


def _clean_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: UNDEFINED if v is None else _clean_nulls(v) if isinstance(v, dict) else v
            for k, v in value.items()
        }
    return value


def _exclude_when_null(value: Any, payload: Any) -> Any:
    resolved = resolve(value, payload)
    return UNDEFINED if resolved is None else _clean_nulls(resolved)


def _liquid(value: Any, payload: Any) -> Any:
    raise MappingError("@liquid (Liquid templates) is not evaluated by the emulator")


_DIRECTIVES: dict[str, Callable[[Any, Any], Any]] = {
    "@if": _if,
    "@case": _case,
    "@replace": _replace,
    "@arrayPath": _array_path,
    "@path": _string_directive("@path", lambda path, p: get(p, path.replace("$.", "", 1))),
    "@template": _string_directive("@template", _render),
    "@literal": resolve,
    "@flatten": _flatten,
    "@json": _json,
    "@merge": _merge,
    "@transform": _transform,
    "@excludeWhenNull": _exclude_when_null,
    "@liquid": _liquid,
}
