"""Every tunable of the Segment clients in one place.

Rate limits are Segment's published per-endpoint limits (requests per minute, per workspace) as
the Public API SDKs document them at API version 73.2.0, kept in ``segment_unify.segment_facts``
so the emulator enforces the same table; operations without a published limit use
``DEFAULT_PER_MINUTE``, which is our assumption, not a Segment figure.
"""

from __future__ import annotations

from typing import Final

from segment_unify import segment_facts

US_PUBLIC_API_URL: Final = "https://api.segmentapis.com"
EU_PUBLIC_API_URL: Final = "https://eu1.api.segmentapis.com"
US_PROFILE_API_URL: Final = "https://profiles.segment.com"
EU_PROFILE_API_URL: Final = "https://profiles.euw1.segment.com"

ENV_PUBLIC_API_URL: Final = "SEGMENT_PUBLIC_API_URL"
ENV_PUBLIC_API_TOKEN: Final = "SEGMENT_PUBLIC_API_TOKEN"
ENV_PROFILE_API_URL: Final = "SEGMENT_PROFILE_API_URL"
# Length of Segment's rate-limit window in seconds; only an emulator with a scaled clock changes it.
ENV_RATE_LIMIT_WINDOW: Final = "SEGMENT_RATE_LIMIT_WINDOW_SECONDS"
# How long a create whose answer was lost lists again for the object before it gives up
# saying the outcome is unknown: Segment's lists can trail its writes by seconds.
ENV_LIST_WAIT: Final = "SEGMENT_UNIFY_LIST_WAIT_SECONDS"
LIST_WAIT_SECONDS: Final = 30.0
# How long after it was sent a create whose answer never came may still be applied by Segment
# (held in a queue past the client's timeout): until then, each `up` looks for what it made.
ENV_LATE_WRITE: Final = "SEGMENT_UNIFY_LATE_WRITE_SECONDS"
LATE_WRITE_SECONDS: Final = 900.0

CONNECT_TIMEOUT: Final = 10.0
READ_TIMEOUT: Final = 60.0
MAX_CONNECTIONS: Final = 16

MAX_ATTEMPTS: Final = 5
BACKOFF_INITIAL: Final = 0.5
BACKOFF_MAX: Final = 8.0
# A 429 whose wait exceeds this is surfaced instead of slept through.
MAX_RATE_LIMIT_WAIT: Final = 120.0

# Waiting out the edit lock Segment puts on a computed trait or audience after an update.
MAX_EDIT_LOCK_WAIT: Final = 600.0
EDIT_LOCK_WAIT_INITIAL: Final = 0.5
EDIT_LOCK_WAIT_MAX: Final = 30.0

RATE_LIMIT_WINDOW: Final = 60.0
# A wait (for a pacing slot, a 429, an edit lock) at least this long is told to the person
# running Pulumi, naming what it waits for: a silent stall looks like a hang.
WAIT_NOTICE_SECONDS: Final = 2.0
DEFAULT_PER_MINUTE: Final = segment_facts.DEFAULT_PER_MINUTE
# Added to each pacing window so that clock skew and network delay between us and Segment's
# fixed windows never push one request over the edge.
PACING_MARGIN: Final = 0.03

# Segment's published per-operation limits, shared with the emulator (``segment_facts``).
PER_MINUTE: Final = segment_facts.RATE_LIMITS_PER_MINUTE

DEFAULT_PAGE_SIZE: Final = 200
MAX_PAGE_SIZE: Final = 1000

# The Profile API allows 100 requests per second per space.
PROFILE_API_PER_SECOND: Final = 100
