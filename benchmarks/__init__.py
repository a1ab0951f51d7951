"""Reliability, security and performance, measured: ``python -m benchmarks`` (``make bench``).

One module per measurement, each with ``run(quick) -> list[Row]``: ``soak`` (faults),
``fuzz`` (bad input), ``rate_limits``, ``latency`` (full stack), ``refresh`` (at scale),
``preview`` (no-op) and ``startup``. Shared pieces: ``stack`` (the example through localrun),
``segment_objects`` (Segment against state), ``request_log``, ``critical_path``,
``timed_engine`` and ``table``. Everything runs against the local emulator; nothing here
reaches the network.
"""
