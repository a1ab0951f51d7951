"""What a program's arguments and a token's Pulumi id give away: nothing of the secrets.

- ``repr`` of every argument class that takes a token or credentials, given them as plain
  strings (a program that forgot ``pulumi.Output.secret``), shows neither.
- ``ProfileApiToken``'s id carries nothing derived from the token (a hash prefix would let
  anyone who sees the id test a guessed token); it stays the same when the token is rotated,
  and an import and a refresh from it still work.
"""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from segment_unify.components import (
    ProfilesSyncConfig,
    SourceConfig,
    UnifiedProfilesStackArgs,
    WarehouseConfig,
)
from segment_unify.provider.resources.profile_api_token import (
    ProfileApiToken,
    ProfileApiTokenArgs,
)
from segment_unify.provider.resources.profiles_warehouse import ProfilesWarehouseArgs
from segment_unify.provider.resources.source import SourceArgs
from segment_unify.provider.resources.warehouse import WarehouseArgs
from tests.protocol.cases import props_of
from tests.protocol.cases_spaces import DEV, ROTATED_TOKEN, add_rotated_token, space_id
from tests.support.engine import Engine, provider_blob

pytestmark = pytest.mark.timeout(120)

TOKEN = "pat_FAKE_repr_token_5d1e0c9b"
PASSWORD = "pw_FAKE_repr_password_77aa"
CREDENTIALS = {"hostname": "db.internal", "username": "loader", "password": PASSWORD}


def _argument_objects() -> list[object]:
    warehouse = WarehouseConfig(
        "postgres", CREDENTIALS, reverse_etl_settings={**CREDENTIALS, "port": 5432}
    )
    return [
        ProfileApiTokenArgs(space_id="spa_1", token=TOKEN),
        WarehouseArgs(catalog_slug="postgres", settings=CREDENTIALS),
        SourceArgs(catalog_slug="postgres-reverse-etl", settings=CREDENTIALS),
        ProfilesWarehouseArgs(space_id="spa_1", catalog_slug="postgres", settings=CREDENTIALS),
        SourceConfig("salesforce", settings=CREDENTIALS),
        warehouse,
        ProfilesSyncConfig(warehouse=warehouse),
        UnifiedProfilesStackArgs(space_slug="dev", profile_api_token=TOKEN, warehouse=warehouse),
    ]


@pytest.mark.parametrize("obj", _argument_objects(), ids=lambda obj: type(obj).__name__)
def test_repr_of_arguments_shows_no_token_or_password(obj: object) -> None:
    shown = f"{obj!r} {obj!s}"
    assert TOKEN not in shown
    assert PASSWORD not in shown
    assert type(obj).__name__ in shown


def test_profile_api_token_id_carries_nothing_of_the_token(engine: Engine, emulator: Any) -> None:
    add_rotated_token(emulator)
    space = space_id(engine, DEV.slug)
    type_ = ProfileApiToken.type_token()

    made = engine.up(
        type_, "token", props_of(ProfileApiToken, "t", space_id=space, token=DEV.profile_api_token)
    )
    rotated = engine.up(
        type_, "token", props_of(ProfileApiToken, "t", space_id=space, token=ROTATED_TOKEN)
    )

    for token in (DEV.profile_api_token, ROTATED_TOKEN):
        digest = hashlib.sha256(token.encode()).hexdigest()
        assert not any(digest[i : i + 6] in made.id for i in range(len(digest) - 5))
        assert token not in made.id
    assert made.id.split("/")[0] == space
    assert rotated.id == made.id

    imported = engine.import_(
        type_, "imported", made.id, provider_blob(ProfileApiToken._segment_provider)
    )
    assert imported is not None
    assert imported.id == made.id
    assert imported.outputs["space_id"] == space
    refreshed = engine.refresh(rotated.urn)
    assert refreshed is not None
    assert refreshed.id == made.id
    assert refreshed.outputs["token"] == ROTATED_TOKEN
