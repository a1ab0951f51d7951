"""``ReverseEtlSchedule``: when Segment runs a Reverse ETL subscription.

The value is Segment's ``reverseETLSchedule`` object, ``{"strategy": ..., "config": ...}``:

| constructor | strategy | config |
|---|---|---|
| ``periodic("1d")`` | PERIODIC | ``{interval}``: a duration such as ``15m``, ``1d``, ``3h25m30s`` |
| ``specific_days([0, 3], [9], "Europe/Paris")`` | SPECIFIC_DAYS | ``{days, hours, timezone}`` |
| ``cron("0 */2 * * *", "UTC")`` | CRON | ``{spec, timezone}``, runs at least 15 minutes apart |
| ``dbt_cloud(job_id, account_id)`` | DBT_CLOUD | ``{jobId, accountId}`` |
| ``manual()`` | MANUAL | null |

``validate_schedule`` judges a schedule given as that object (what ``check`` sees) and says
what it expected. Of a cron spec, the minute and hour fields are checked (ranges, steps and the
15-minute spacing); the day, month and weekday fields only for their count.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from segment_unify.segment_facts import MIN_INTERVAL_SECONDS, interval_seconds

# What Segment takes as an interval (15m, 1d, 3h25m30s, milliseconds) is ``segment_facts``'s,
# shared with the emulator. Its schedules run at most every 15 minutes.
MIN_CRON_SPACING_MINUTES = 15
STRATEGIES = ("PERIODIC", "SPECIFIC_DAYS", "CRON", "DBT_CLOUD", "MANUAL")
_CONFIG_KEYS = {
    "PERIODIC": ("interval",),
    "SPECIFIC_DAYS": ("days", "hours", "timezone"),
    "CRON": ("spec", "timezone"),
    "DBT_CLOUD": ("jobId", "accountId"),
}


@dataclass(frozen=True)
class ReverseEtlSchedule:
    """A Reverse ETL schedule; build one with the constructors below."""

    strategy: str
    config: Mapping[str, Any] | None = None

    @classmethod
    def periodic(cls, interval: str) -> ReverseEtlSchedule:
        """Every ``interval``: ``15m``, ``30m``, ``1h``, ``2h``, ``4h``, ``6h``, ``8h``, ``12h``
        or ``1d`` as Segment's app offers, or any duration such as ``3h25m30s`` (15m at least)."""
        return cls("PERIODIC", {"interval": interval})

    @classmethod
    def specific_days(
        cls, days: Sequence[int], hours: Sequence[int], timezone: str = "UTC"
    ) -> ReverseEtlSchedule:
        """On ``days`` (0 = Sunday .. 6) at ``hours`` (0..23) in ``timezone``."""
        return cls(
            "SPECIFIC_DAYS", {"days": list(days), "hours": list(hours), "timezone": timezone}
        )

    @classmethod
    def cron(cls, spec: str, timezone: str = "UTC") -> ReverseEtlSchedule:
        """A five-field cron ``spec`` whose runs are at least 15 minutes apart."""
        return cls("CRON", {"spec": spec, "timezone": timezone})

    @classmethod
    def dbt_cloud(cls, job_id: str, account_id: str) -> ReverseEtlSchedule:
        """After a dbt Cloud job finishes."""
        return cls("DBT_CLOUD", {"jobId": job_id, "accountId": account_id})

    @classmethod
    def manual(cls) -> ReverseEtlSchedule:
        """Only when someone starts a sync."""
        return cls("MANUAL", None)

    def __repr__(self) -> str:
        # As a program writes it (docs show defaults by their repr).
        if self.strategy == "PERIODIC" and self.config is not None:
            return f"ReverseEtlSchedule.periodic({self.config.get('interval')!r})"
        if self.strategy == "MANUAL":
            return "ReverseEtlSchedule.manual()"
        return f"ReverseEtlSchedule({self.strategy!r}, {dict(self.config or {})!r})"

    def to_prop(self) -> dict[str, Any]:
        return {
            "strategy": self.strategy,
            "config": None if self.config is None else dict(self.config),
        }


def validate_schedule(value: Any) -> dict[str, Any]:
    """The schedule as Segment takes it, or ``ValueError`` saying what was expected."""
    if isinstance(value, ReverseEtlSchedule):
        value = value.to_prop()
    if not isinstance(value, Mapping):
        raise ValueError(
            "expected a ReverseEtlSchedule (periodic, specific_days, cron, dbt_cloud, manual) "
            "or {strategy, config}"
        )
    strategy = value.get("strategy")
    if strategy not in STRATEGIES:
        raise ValueError(f"strategy must be one of {', '.join(STRATEGIES)}, got {strategy!r}")
    config = value.get("config")
    if strategy == "MANUAL":
        if config:
            raise ValueError("a MANUAL schedule has no config")
        return {"strategy": "MANUAL", "config": None}
    if not isinstance(config, Mapping):
        raise ValueError(
            f"a {strategy} schedule needs a config {{{', '.join(_CONFIG_KEYS[strategy])}}}"
        )
    expected = set(_CONFIG_KEYS[strategy])
    if set(config) != expected:
        raise ValueError(
            f"a {strategy} schedule's config has exactly the keys {', '.join(sorted(expected))}, "
            f"got {', '.join(sorted(config)) or 'none'}"
        )
    if strategy == "PERIODIC":
        _check_interval(config["interval"])
    elif strategy == "SPECIFIC_DAYS":
        config = {
            **config,
            "days": _whole_numbers(config["days"], "days", 0, 6, "0 (Sunday) to 6 (Saturday)"),
            "hours": _whole_numbers(config["hours"], "hours", 0, 23, "0 to 23"),
        }
    elif strategy == "CRON":
        check_cron(config["spec"])
    elif strategy == "DBT_CLOUD":
        for key in ("jobId", "accountId"):
            if not isinstance(config[key], str) or not config[key].strip():
                raise ValueError(f"{key} must be a non-empty string")
    if "timezone" in config:
        _check_timezone(config["timezone"])
    return {"strategy": strategy, "config": dict(config)}


def _check_interval(interval: Any) -> None:
    seconds = interval_seconds(interval)
    if seconds is None:
        raise ValueError(
            "interval must be a duration in days, hours, minutes and seconds such as 15m, 1h, "
            f"1d or 3h25m30s, or a number of milliseconds, got {interval!r}"
        )
    if seconds < MIN_INTERVAL_SECONDS:
        raise ValueError(f"interval must be at least 15m, got {interval!r}")


def _whole_numbers(values: Any, name: str, low: int, high: int, what: str) -> list[int]:
    """``values`` as distinct ints (the wire format turns every number into a float)."""

    def whole(value: Any) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        if isinstance(value, float) and not value.is_integer():
            return None
        return int(value) if low <= value <= high else None

    numbers = [whole(v) for v in values] if isinstance(values, list) else []
    if not numbers or None in numbers or len(set(numbers)) != len(numbers):
        raise ValueError(
            f"{name} must be a non-empty list of distinct numbers {what}, got {values!r}"
        )
    return [n for n in numbers if n is not None]


def _check_timezone(name: Any) -> None:
    # Imported here: zoneinfo reads the platform's config at import, and a process that never
    # checks a schedule's time zone need not.
    import zoneinfo

    if name == "UTC":
        return
    try:
        if not isinstance(name, str) or not name:
            raise ValueError
        zoneinfo.ZoneInfo(name)
    except (ValueError, zoneinfo.ZoneInfoNotFoundError):
        raise ValueError(
            f"timezone must be an IANA time zone such as 'UTC' or 'America/New_York', got {name!r}"
        ) from None


def check_cron(spec: Any) -> None:
    """A five-field cron spec whose runs are at least 15 minutes apart, else ``ValueError``."""
    fields = spec.split() if isinstance(spec, str) else []
    if len(fields) != 5:
        raise ValueError(
            "spec must be a five-field cron expression (minute hour day month weekday), "
            f"got {spec!r}"
        )
    minutes = _cron_values(fields[0], 0, 59, "minute")
    hours = _cron_values(fields[1], 0, 23, "hour")
    gaps = [later - earlier for earlier, later in itertools.pairwise(minutes)]
    if any((hour + 1) % 24 in hours for hour in hours):
        # From the last run of one hour to the first run of the next.
        gaps.append(60 - minutes[-1] + minutes[0])
    if any(gap < MIN_CRON_SPACING_MINUTES for gap in gaps):
        raise ValueError(
            f"spec {spec!r} runs more often than every {MIN_CRON_SPACING_MINUTES} minutes; "
            "Segment needs at least 15 minutes between runs"
        )


def _cron_values(field: str, low: int, high: int, name: str) -> list[int]:
    values: set[int] = set()
    try:
        for part in field.split(","):
            base, _, step_text = part.partition("/")
            step = int(step_text) if step_text else 1
            if base == "*":
                first, last = low, high
            elif "-" in base:
                first_text, last_text = base.split("-", 1)
                first, last = int(first_text), int(last_text)
            else:
                first = int(base)
                last = high if step_text else first
            if not (low <= first <= last <= high) or step < 1:
                raise ValueError(part)
            values.update(range(first, last + 1, step))
    except ValueError:
        raise ValueError(
            f"the {name} field {field!r} of the cron spec must use numbers {low}-{high}, "
            "'*', ranges, lists and steps"
        ) from None
    return sorted(values)
