"""``ReverseEtlSchedule`` and ``validate_schedule``: Segment's reverseETLSchedule shapes."""

from __future__ import annotations

from typing import Any

import pytest

from segment_unify.provider.resources.schedule import ReverseEtlSchedule, validate_schedule


@pytest.mark.parametrize(
    ("schedule", "expected"),
    [
        (
            ReverseEtlSchedule.periodic("15m"),
            {"strategy": "PERIODIC", "config": {"interval": "15m"}},
        ),
        (
            ReverseEtlSchedule.specific_days([0, 6], [0, 23], "America/New_York"),
            {
                "strategy": "SPECIFIC_DAYS",
                "config": {"days": [0, 6], "hours": [0, 23], "timezone": "America/New_York"},
            },
        ),
        (
            ReverseEtlSchedule.cron("*/15 * * * *"),
            {"strategy": "CRON", "config": {"spec": "*/15 * * * *", "timezone": "UTC"}},
        ),
        (
            ReverseEtlSchedule.dbt_cloud("42", "7"),
            {"strategy": "DBT_CLOUD", "config": {"jobId": "42", "accountId": "7"}},
        ),
        (ReverseEtlSchedule.manual(), {"strategy": "MANUAL", "config": None}),
    ],
    ids=["periodic", "specific-days", "cron", "dbt", "manual"],
)
def test_constructors_make_segments_schedule_object(
    schedule: ReverseEtlSchedule, expected: dict[str, Any]
) -> None:
    assert schedule.to_prop() == expected
    assert validate_schedule(schedule.to_prop()) == expected


def test_whole_number_floats_from_the_wire_become_ints() -> None:
    wire = {
        "strategy": "SPECIFIC_DAYS",
        "config": {"days": [1.0], "hours": [9.0], "timezone": "UTC"},
    }

    assert validate_schedule(wire)["config"] == {"days": [1], "hours": [9], "timezone": "UTC"}


@pytest.mark.parametrize(
    "interval",
    # The SDK's examples; what Segment's app offers (15 and 30 minutes, 1 to 12 hours, 1 day);
    # and, Segment's maintainers say (terraform-provider-segment#194), "formats like 15m, 1d"
    # and a bare number of milliseconds.
    [
        *("15m", "3h25m30s", "90m", "24h", "1h0m900s"),
        *("30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d", "2d", "1d12h", "900000"),
    ],
)
def test_periodic_intervals_are_the_apis_duration_strings(interval: str) -> None:
    """The SDK's ReverseEtlPeriodicScheduleConfig: "Duration ... EG: 15m, 3h25m30s"."""
    schedule = ReverseEtlSchedule.periodic(interval).to_prop()
    assert validate_schedule(schedule)["config"] == {"interval": interval}


@pytest.mark.parametrize(
    ("schedule", "expected_words"),
    [
        (ReverseEtlSchedule.periodic("7m"), "interval must be at least 15m"),
        (ReverseEtlSchedule.periodic("600"), "interval must be at least 15m"),
        (ReverseEtlSchedule.periodic("1h 30m"), "such as 15m, 1h, 1d or 3h25m30s"),
        (ReverseEtlSchedule.periodic("1w"), "or a number of milliseconds"),
        (ReverseEtlSchedule.specific_days([7], [9]), "days must be a non-empty list"),
        (ReverseEtlSchedule.specific_days([], [9]), "days must be a non-empty list"),
        (ReverseEtlSchedule.specific_days([1, 1], [9]), "distinct"),
        (ReverseEtlSchedule.specific_days([1], [24]), "hours must be"),
        (ReverseEtlSchedule.specific_days([1], [9.5]), "hours must be"),
        (ReverseEtlSchedule.specific_days([1], [9], "Mars/Olympus"), "IANA time zone"),
        (ReverseEtlSchedule.cron("*/5 * * * *"), "more often than every 15 minutes"),
        (ReverseEtlSchedule.cron("0,50 * * * *"), "more often than every 15 minutes"),
        (ReverseEtlSchedule.cron("0 9 * *"), "five-field cron expression"),
        (ReverseEtlSchedule.cron("61 * * * *"), "minute field"),
        (ReverseEtlSchedule.cron("0 25 * * *"), "hour field"),
        (ReverseEtlSchedule.dbt_cloud("", "7"), "jobId must be a non-empty string"),
        (ReverseEtlSchedule("HOURLY", {}), "strategy must be one of"),
        (ReverseEtlSchedule("MANUAL", {"interval": "1h"}), "MANUAL schedule has no config"),
        (ReverseEtlSchedule("PERIODIC", None), "needs a config"),
        (ReverseEtlSchedule("PERIODIC", {"every": "1h"}), "exactly the keys interval"),
    ],
)
def test_bad_schedules_say_what_was_expected(
    schedule: ReverseEtlSchedule, expected_words: str
) -> None:
    with pytest.raises(ValueError, match=expected_words):
        validate_schedule(schedule.to_prop())


@pytest.mark.parametrize("spec", ["0 * * * *", "0,30 * * * *", "0,50 9 * * 1-5", "*/20 */2 * * *"])
def test_cron_runs_at_least_15_minutes_apart_are_accepted(spec: str) -> None:
    assert validate_schedule(ReverseEtlSchedule.cron(spec).to_prop())["strategy"] == "CRON"


def test_a_schedule_that_is_not_an_object_says_which_forms_exist() -> None:
    with pytest.raises(ValueError, match="periodic, specific_days, cron"):
        validate_schedule("hourly")
