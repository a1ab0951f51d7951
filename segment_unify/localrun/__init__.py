"""Run a Pulumi program's Segment resources without the Pulumi CLI.

For the demo where neither the CLI nor Go (to build it) exists, and for tests and benchmarks
that need one provider call at a time: the program runs under Pulumi's mocks and its dynamic
resources go through ``python -m pulumi.dynamic`` over gRPC, as the engine would drive them.
State lives in memory. It is a double of Pulumi's engine, not a referee: ``tests/e2e`` runs the
real one (see ``engine.py`` for where this is still used and why).
"""
