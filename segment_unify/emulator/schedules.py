"""Validation of a subscription's `reverseETLSchedule`, per strategy.

| strategy      | config                                                   |
|---------------|----------------------------------------------------------|
| PERIODIC      | `{interval}` a duration: 15m, 1d, 3h25m30s, ms (>= 15m)  |
| SPECIFIC_DAYS | `{days: [0..6], hours: [0..23], timezone}`               |
| CRON          | `{spec, timezone}`, runs at least 15 minutes apart        |
| DBT_CLOUD     | `{jobId, accountId}`                                     |
| MANUAL        | null                                                     |

A bad schedule is a 422 whose `field` points into `input.reverseETLSchedule`. Not emulated:
cron day-of-month/month/day-of-week syntax beyond a five-field shape check.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from segment_unify.segment_facts import MIN_INTERVAL_SECONDS, interval_seconds

from .errors import ValidationFailure
from .inputs import ScheduleInput

# The SDK's ReverseEtlPeriodicScheduleConfig: "Duration is specified as a string, EG: 15m,
# 3h25m30s"; Segment also takes days (1d, as its app offers) and milliseconds
# (``segment_facts``). Syncs run at most every 15 minutes, as for CRON.
MIN_CRON_GAP_MINUTES = 15

_CONFIG_KEYS = {
    "PERIODIC": {"interval"},
    "SPECIFIC_DAYS": {"days", "hours", "timezone"},
    "CRON": {"spec", "timezone"},
    "DBT_CLOUD": {"jobId", "accountId"},
}


@lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def _valid_timezone(name: object) -> bool:
    if not isinstance(name, str) or not name:
        return False
    if _zones():
        return name in _zones() or name == "UTC"
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return name == "UTC"
    return True


def _periodic_interval(value: object) -> bool:
    seconds = interval_seconds(value)
    return seconds is not None and seconds >= MIN_INTERVAL_SECONDS


def _cron_minutes(field: str) -> list[int]:
    minutes: set[int] = set()
    for part in field.split(","):
        base, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if base == "*":
            low, high = 0, 59
        elif "-" in base:
            low_text, high_text = base.split("-", 1)
            low, high = int(low_text), int(high_text)
        else:
            low = int(base)
            high = 59 if step_text else low
        if not (0 <= low <= high <= 59) or step < 1:
            raise ValueError(part)
        minutes.update(range(low, high + 1, step))
    return sorted(minutes)


def _check_cron(spec: object, field: str) -> None:
    fields = spec.split() if isinstance(spec, str) else []
    if len(fields) != 5:
        raise ValidationFailure(f'"{field}" must be a five-field cron expression', field=field)
    try:
        minutes = _cron_minutes(fields[0])
    except ValueError as exc:
        raise ValidationFailure(f'"{field}" has an invalid minute field', field=field) from exc
    gaps = [later - earlier for earlier, later in pairwise(minutes)]
    if fields[1] == "*":
        gaps.append(60 - minutes[-1] + minutes[0])
    if any(gap < MIN_CRON_GAP_MINUTES for gap in gaps):
        raise ValidationFailure(
            f'"{field}" must not run more often than every {MIN_CRON_GAP_MINUTES} minutes',
            field=field,
        )


def _int_list(value: object, low: int, high: int) -> bool:
    return (
        isinstance(value, list)
        and len(value) > 0
        and all(isinstance(v, int) and not isinstance(v, bool) and low <= v <= high for v in value)
    )


def validate_schedule(schedule: ScheduleInput, field: str) -> dict[str, Any]:
    """The schedule as stored and returned, or a ValidationFailure."""
    config_field = f"{field}.config"
    config = schedule.config
    if schedule.strategy == "MANUAL":
        if config:
            raise ValidationFailure(f'"{config_field}" must be null for MANUAL', field=config_field)
        return {"strategy": "MANUAL", "config": None}
    if not isinstance(config, dict):
        raise ValidationFailure(f'"{config_field}" is required', field=config_field)
    for key in config:
        if key not in _CONFIG_KEYS[schedule.strategy]:
            raise ValidationFailure(
                f'"{config_field}.{key}" is not allowed', field=f"{config_field}.{key}"
            )
    for key in sorted(_CONFIG_KEYS[schedule.strategy]):
        if key not in config:
            raise ValidationFailure(
                f'"{config_field}.{key}" is required', field=f"{config_field}.{key}"
            )
    if schedule.strategy == "PERIODIC" and not _periodic_interval(config["interval"]):
        key = f"{config_field}.interval"
        raise ValidationFailure(
            f'"{key}" must be a duration of at least 15m, such as 15m, 1d or 3h25m30s', field=key
        )
    if schedule.strategy == "SPECIFIC_DAYS":
        if not _int_list(config["days"], 0, 6):
            key = f"{config_field}.days"
            raise ValidationFailure(f'"{key}" must be a list of days 0-6', field=key)
        if not _int_list(config["hours"], 0, 23):
            key = f"{config_field}.hours"
            raise ValidationFailure(f'"{key}" must be a list of hours 0-23', field=key)
    if schedule.strategy == "CRON":
        _check_cron(config["spec"], f"{config_field}.spec")
    if "timezone" in config and not _valid_timezone(config["timezone"]):
        key = f"{config_field}.timezone"
        raise ValidationFailure(f'"{key}" must be an IANA time zone', field=key)
    if schedule.strategy == "DBT_CLOUD":
        for key in ("jobId", "accountId"):
            if not isinstance(config[key], str) or not re.match(r"^\S+$", config[key]):
                raise ValidationFailure(
                    f'"{config_field}.{key}" must be a non-empty string',
                    field=f"{config_field}.{key}",
                )
    return {"strategy": schedule.strategy, "config": dict(config)}
