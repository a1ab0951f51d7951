"""Rate limits: 40 computed traits and 10 Send Identify mappings in one ``up``, at the engine's
parallelism, against Segment's per-endpoint limits on a time-scaled emulator.

The program adopts the space and makes a Reverse ETL source, 10 models, the Segment Profiles
destination and one Send Identify subscription per model (a subscription's create is a POST
then a PATCH, each limited to 5 a minute), next to 40 computed traits (create limited to 10 a
minute). Traits and subscriptions do not wait for each other, so the engine runs them side by
side: localrun's registrations run on the program's thread pool (as Pulumi's runtime sends
them) and the provider process serves four calls at once. The emulator's request log shows how
many calls were in flight at once.

The bound the limits imply, per limited operation with N calls and a limit of L per window W:
the first L go at once and each further L waits for the next window, so the last one starts
(ceil(N / L) - 1) x W after the first. Segment's windows are fixed (aligned to the clock); a
client that knew their phase could start late in one and save up to one W, but a client that
does not (ours) has to leave W between the first call of each batch of L; our pacing leaves
W x (1 + 3%) (a margin for clock skew). The operations run side by side, so the bound is the
largest: for 40 traits at 10/min, 3 x W. The target: the whole ``up`` (adopting the space, the
sources and models before, the last call's answer after) within 1.15 x that bound, and no error.

What a run shows besides: a create waiting for its pacing slot holds one of the provider
process's four workers, so once four trait creates wait, no other call is served; the mappings
then start only after the last batch of traits. The second row reports when the traits were
done and when the first mapping was created, against the bound for kinds run one after
another (the sum, over resource kinds, of each kind's waits).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import pulumi

from benchmarks import request_log as rl
from benchmarks import stack
from benchmarks.stack import SEED, SPACE_SLUG, provider_for, window_env
from benchmarks.table import Row, seconds
from segment_unify.emulator.ratelimits import WINDOW_SECONDS, limit_for
from segment_unify.emulator.testing import spawn_emulator
from segment_unify.localrun.engine import Engine
from segment_unify.provider import (
    ComputedTrait,
    Destination,
    DestinationSubscription,
    ReverseEtlModel,
    ReverseEtlSchedule,
    SendIdentifyMapping,
    Source,
    UnifySpace,
    catalog,
)
from segment_unify.query import event_counter

TRAITS, SUBSCRIPTIONS = 40, 10
QUICK_TRAITS, QUICK_SUBSCRIPTIONS = 20, 10
# Segment's minute becomes 10 s: long enough that the setup around the paced creates is small
# against the bound, short enough for a run of about half a minute.
TIME_SCALE = 6.0
QUICK_TIME_SCALE = 30.0
TARGET_RATIO = 1.15


def program(traits: int, subscriptions: int) -> Callable[[], None]:
    def body() -> None:
        space = UnifySpace("space", slug=SPACE_SLUG)
        counter = event_counter("Flex - Engagement Initiated")
        for i in range(traits):
            ComputedTrait(
                f"trait-{i}",
                space_id=space.space_id,
                name=f"Inbound interactions {i}",
                definition=counter.within(days=i + 1),
            )
        source = Source(
            "reverse-etl",
            catalog_slug=catalog.REVERSE_ETL_SOURCE_FOR_WAREHOUSE["postgres"],
            name="Reverse ETL (benchmark)",
            # Complete, as Segment's Test Connection asks before the source is made.
            settings={
                "hostname": "warehouse.example",
                "port": "5432",
                "database": "analytics",
                "username": "segment",
                "password": "not-a-real-password",
            },
        )
        destination = Destination(
            "segment-profiles",
            source_id=source.id,
            metadata_id=catalog.SEGMENT_PROFILES_DESTINATION,
        )
        write_key = space.write_key.apply(lambda key: key or "")
        for i in range(subscriptions):
            model = ReverseEtlModel(
                f"model-{i}",
                source_id=source.id,
                query=f"SELECT * FROM salesforce.accounts WHERE region = {i}",
                query_identifier_column="id",
            )
            DestinationSubscription(
                f"identify-{i}",
                destination_id=destination.id,
                action_slug="sendIdentify",
                model_id=model.id,
                mapping=SendIdentifyMapping(engage_space=write_key, user_id="id"),
                schedule=ReverseEtlSchedule.periodic("1h"),
            )
        pulumi.export("spaceId", space.space_id)

    return body


def bound_windows(calls: dict[str, int]) -> dict[str, int]:
    """Per limited operation: the windows its calls must wait, ceil(N / L) - 1."""
    return {op: math.ceil(n / limit_for(op)) - 1 for op, n in calls.items()}


def run(quick: bool = False) -> list[Row]:
    traits = QUICK_TRAITS if quick else TRAITS
    subscriptions = QUICK_SUBSCRIPTIONS if quick else SUBSCRIPTIONS
    scale = QUICK_TIME_SCALE if quick else TIME_SCALE
    window = WINDOW_SECONDS / scale
    waits = bound_windows(
        {
            "CreateComputedTrait": traits,
            "CreateDestinationSubscription": subscriptions,
            "UpdateSubscriptionForDestination": subscriptions,
        }
    )
    bound = max(waits.values()) * window
    error = ""
    with (
        spawn_emulator(seed=SEED, time_scale=scale) as emulator,
        provider_for(emulator, env=window_env(scale)) as provider,
    ):
        engine = Engine(provider)
        wall_start = time.time()
        started = time.monotonic()
        try:
            stack.run(program(traits, subscriptions), engine)
        except Exception as exc:
            error = str(exc).strip().splitlines()[-1][:200] if str(exc).strip() else repr(exc)
        elapsed = time.monotonic() - started
        entries = emulator.request_log()
        made = (
            len(emulator.objects("acme-contact-center", "computed_trait")),
            len(emulator.objects("acme-contact-center", "subscription")),
        )
    trait_posts = rl.matching(entries, "POST", "/computed-traits")
    sub_posts = rl.matching(entries, "POST", "/subscriptions")
    traits_done = max((rl.end(e) for e in trait_posts), default=wall_start) - wall_start
    first_sub = min((rl.start(e) for e in sub_posts), default=wall_start) - wall_start
    # Operations of one resource kind overlap (a mapping's POST and PATCH); kinds queue.
    kinds = [
        ("CreateComputedTrait",),
        ("CreateDestinationSubscription", "UpdateSubscriptionForDestination"),
    ]
    serial = sum(max(waits[op] for op in ops) for ops in kinds) * window
    status = rl.statuses(entries)
    limited = sum(n for code, n in status.items() if code == 429)
    ratio = elapsed / bound
    passed = not error and ratio <= TARGET_RATIO and made == (traits, subscriptions)
    per_op = ", ".join(f"{op} {n}" for op, n in waits.items())
    return [
        Row(
            f"Rate limits: {traits} computed traits + {subscriptions} Send Identify mappings",
            f"{seconds(elapsed)} = {ratio:.2f}x bound; errors {1 if error else 0}; 429s {limited}",
            f"0 errors, <= {TARGET_RATIO}x bound ({seconds(bound)})",
            passed,
            f"window {window:g} s (time scale {scale:g}); windows waited per operation: {per_op}; "
            f"made {made[0]} traits, {made[1]} subscriptions; {len(entries)} calls, at most "
            f"{rl.max_in_flight(entries)} in flight at once"
            + (f"; error: {error}" if error else ""),
        ),
        Row(
            "Rate limits: where the time went",
            f"traits done at {seconds(traits_done)} = "
            f"{traits_done / (waits['CreateComputedTrait'] * window):.2f}x their own bound; "
            f"first mapping created at {seconds(first_sub)}",
            "report",
            None,
            "a create waiting for its pacing slot holds one of the provider process's 4 "
            "workers, so once 4 trait creates wait, nothing else is served: the "
            "resource kinds run one after another; that bound (the sum of each kind's waits, "
            f"{seconds(serial)}) measured "
            f"{elapsed / serial:.2f}x",
        ),
    ]
