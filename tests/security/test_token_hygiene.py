"""A Public API token pasted with a stray CR, LF or space never shows up in what a person sees.

The token is configured the way the engine hands it over (``Configure`` over gRPC); the provider
process logs every logger at DEBUG. Whether the token is taken (surrounding white space dropped)
or refused (white space inside it), neither the error the engine gets nor the process's log holds
it. A transport failure whose own text carries a header (httpx's ``Illegal header value``) is
reported without that text, even in the chained causes a traceback prints.
"""

from __future__ import annotations

import traceback
from typing import Any

import grpc
import httpx
import pytest

from segment_unify.provider.client import SegmentClient
from segment_unify.provider.config import ConfigurationError, resolve
from segment_unify.provider.errors import SegmentError
from segment_unify.provider.resources.unify_space import UnifySpace
from tests.protocol.cases import props_of
from tests.protocol.cases_spaces import DEV
from tests.support.engine import Engine, ProviderProcess
from tests.support.provider import BLANK_ENV

pytestmark = pytest.mark.timeout(120)

SECRET_PART = "emu_FAKE_leaky_token_0123456789"


@pytest.mark.parametrize("tail", ["\n", "\r\n", " ", "\r"])
def test_surrounding_white_space_is_dropped_and_the_token_works(emulator: Any, tail: str) -> None:
    with ProviderProcess(BLANK_ENV, log_level="DEBUG") as proc:
        proc.configure({**_config(emulator), "segment:token": emulator.token + tail})
        space = Engine(proc).up(
            UnifySpace.type_token(), "dev", props_of(UnifySpace, "dev", slug=DEV.slug)
        )
        log = proc.close()
    assert space.outputs["slug"] == DEV.slug
    assert emulator.token not in log


@pytest.mark.parametrize("inner", ["\n", "\r", " ", "\t", "\x00"])
def test_a_token_with_white_space_inside_is_refused_without_showing_it(
    emulator: Any, inner: str
) -> None:
    token = SECRET_PART[:8] + inner + SECRET_PART[8:]
    with ProviderProcess(BLANK_ENV, log_level="DEBUG") as proc:
        proc.configure({**_config(emulator), "segment:token": token})
        with pytest.raises(grpc.RpcError) as caught:
            Engine(proc).up(
                UnifySpace.type_token(), "dev", props_of(UnifySpace, "dev", slug=DEV.slug)
            )
        log = proc.close()
    message = str(caught.value.details())
    assert "segment:token" in message
    for text in (message, log):
        assert SECRET_PART[:8] not in text
        assert SECRET_PART[8:] not in text


def test_resolve_names_the_setting_and_not_the_token() -> None:
    with pytest.raises(ConfigurationError) as caught:
        resolve(token=f"{SECRET_PART}\nX-Injected: 1", endpoint="http://127.0.0.1:1")
    assert "segment:token" in str(caught.value)
    assert SECRET_PART not in str(caught.value)
    assert resolve(token=f" {SECRET_PART}\r\n").token is not None
    assert resolve(token=f" {SECRET_PART}\r\n").require_token().get_secret_value() == SECRET_PART


def test_a_transport_error_carrying_a_header_reaches_no_message_or_traceback(
    emulator: Any,
) -> None:
    with SegmentClient(emulator.token, base_url=emulator.url, max_attempts=1) as client:
        # A header value no HTTP library will send: the failure's own text quotes it.
        client._http.headers["X-Probe"] = f"{SECRET_PART}\n"
        with pytest.raises(SegmentError) as caught:
            client.get("ListSources", "/sources")
    printed = "".join(traceback.format_exception(caught.value))
    assert f"ListSources GET {emulator.url}/sources failed" in printed
    assert SECRET_PART not in printed
    assert isinstance(caught.value.__cause__, httpx.TransportError) is False


def _config(emulator: Any) -> dict[str, str]:
    return {"segment:endpoint": emulator.url, "segment:profileEndpoint": emulator.profile_url}
