"""Every benchmark runs in quick mode and answers with well-formed rows, so none of them rots.

No timing is asserted (quick sizes are too small for the timing targets to mean anything, and
these machines are noisy). What is asserted does not depend on time: a no-op preview calls
nothing, a refresh through the read cache lists the space instead of reading each trait, the
fault soak leaves no duplicate and no orphan, and ``check`` never raises.
"""

from __future__ import annotations

import pytest

from benchmarks.__main__ import BENCHMARKS, main
from benchmarks.table import Row

pytestmark = pytest.mark.timeout(180)


def _rows(name: str) -> list[Row]:
    rows = BENCHMARKS[name](True)
    assert rows
    for row in rows:
        assert isinstance(row, Row)
        assert row.name and row.measured and row.target
        assert row.result in {"pass", "FAIL", "info"}
    return rows


@pytest.mark.parametrize("name", ["startup", "latency", "rate_limits", "space_schema"])
def test_timing_benchmark_runs_in_quick_mode(name: str) -> None:
    rows = _rows(name)
    assert any(row.passed is not None for row in rows)


def test_fuzz_finds_no_input_that_makes_check_raise() -> None:
    (row,) = _rows("fuzz")
    assert row.passed, row.notes


def test_no_op_preview_makes_no_api_call() -> None:
    (row,) = _rows("preview")
    assert row.measured == "0"
    assert row.passed, row.notes


def test_refresh_through_the_read_cache_lists_instead_of_reading_each_trait() -> None:
    cached, _ = _rows("refresh")
    assert cached.passed, f"{cached.measured}; {cached.notes}"


def test_fault_soak_leaves_no_duplicate_and_no_orphan() -> None:
    rows = _rows("soak")
    (objects,) = [row for row in rows if "duplicates / orphans" in row.name]
    assert objects.measured == "0 / 0", objects.notes


def test_main_prints_one_table_and_exits_zero_when_targets_are_met(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--quick", "--only", "preview"]) == 0
    out = capsys.readouterr().out
    assert "| measurement | measured | target | result | notes |" in out
    assert "No-op preview" in out


def test_main_refuses_an_unknown_benchmark() -> None:
    with pytest.raises(SystemExit):
        main(["--only", "nonsense"])


@pytest.mark.e2e
@pytest.mark.timeout(900)
def test_engine_rows_under_the_real_cli_run_in_quick_mode() -> None:
    from segment_unify.pulumi_cli import locate, why_missing

    if locate() is None:
        pytest.skip(why_missing())
    rows = {row.name.split(",")[0]: row for row in _rows("cli")}
    noop = rows["CLI: no-op `pulumi preview` of the example stack"]
    assert noop.measured == "0", noop.notes
    [refresh] = [row for name, row in rows.items() if "refresh" in name]
    assert refresh.passed, f"{refresh.measured}; {refresh.notes}"


@pytest.mark.e2e
@pytest.mark.timeout(900)
def test_the_fault_soak_under_the_real_cli_leaves_no_duplicate_and_no_orphan() -> None:
    from segment_unify.pulumi_cli import locate, why_missing

    if locate() is None:
        pytest.skip(why_missing())
    [objects] = [row for row in _rows("cli_soak") if "duplicates / orphans" in row.name]
    assert objects.measured == "0 / 0", objects.notes


def test_tracking_throughput_computes_every_event_sent() -> None:
    throughput, _ = _rows("tracking")
    sent = throughput.notes.split(" events", 1)[0]
    stored, total = sent.split("/")
    assert stored == total, throughput.notes


def test_reverse_etl_sync_delivers_every_row() -> None:
    (row,) = _rows("reverse_etl")
    if row.measured == "not measured":
        pytest.skip(row.notes)
    delivered, total = row.notes.split(" rows", 1)[0].split("/")
    assert delivered == total, row.notes


def test_export_reads_at_the_floor_of_one_list_per_kind() -> None:
    calls, _ = _rows("export")
    assert calls.passed is True, (calls.measured, calls.target)
