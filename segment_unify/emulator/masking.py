"""Masking of secret settings, as Segment renders them.

Segment never returns a stored credential: a warehouse's answer leaves its credentials out
(Segment's Terraform provider keeps the password from its own state for that reason);
profiles-warehouse and destination settings come back with secret values replaced by
`••••••••`. A setting is secret when its catalog option has type `password`, or when its key
names a credential (password, private key, credentials, secret, token, ciphertext). On update,
a value equal to the mask keeps the stored value, so a client may send back what it read.
Nested objects are not masked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

MASK = "••••••••"

_SECRET_KEY = re.compile(
    r"password|passphrase|private_?key|credentials|secret|token|ciphertext", re.I
)


def is_secret(key: str, secret_keys: Iterable[str] = ()) -> bool:
    return key in set(secret_keys) or bool(_SECRET_KEY.search(key))


def mask_settings(settings: dict[str, Any], secret_keys: Iterable[str] = ()) -> dict[str, Any]:
    keys = set(secret_keys)
    return {
        key: MASK if is_secret(key, keys) and value not in (None, "") else value
        for key, value in settings.items()
    }


def omit_secrets(settings: dict[str, Any], secret_keys: Iterable[str] = ()) -> dict[str, Any]:
    keys = set(secret_keys)
    return {key: value for key, value in settings.items() if not is_secret(key, keys)}


def redact_secrets(value: Any) -> Any:
    """``value`` with every secret-named key's value masked, at any depth (for the control
    plane, which anyone on the machine can read)."""
    if isinstance(value, dict):
        return {
            key: MASK if is_secret(str(key)) and item not in (None, "") else redact_secrets(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [redact_secrets(item) for item in value]
    return value


def merge_settings(stored: dict[str, Any], incoming: dict[str, Any]) -> dict[str, Any]:
    """Settings after an update that sends `incoming`: masked values keep the stored ones."""
    merged = dict(incoming)
    for key, value in incoming.items():
        if value == MASK and key in stored:
            merged[key] = stored[key]
    return merged


def patch_settings(stored: dict[str, Any], incoming: dict[str, Any] | None) -> dict[str, Any]:
    """PATCH semantics: keys merge one by one; `null` removes a key; a mask keeps the value."""
    if incoming is None:
        return dict(stored)
    merged = dict(stored) | merge_settings(stored, incoming)
    return {key: value for key, value in merged.items() if value is not None}
