"""Run a Pulumi program's Segment resources without the Pulumi CLI.

For the demo where the CLI is not installed, and for tests and benchmarks: the program runs
under Pulumi's mocks and its dynamic resources go through ``python -m pulumi.dynamic`` over
gRPC, exactly as the engine would drive them. State lives in memory.
"""
