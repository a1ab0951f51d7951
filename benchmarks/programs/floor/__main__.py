"""The latency floor under the CLI: config ``graph`` (JSON, ``benchmarks.latency_floor.Spec``)
as ``Waiting`` resources whose creates wait their k x ``latency`` seconds."""

import json

import pulumi

from benchmarks.latency_floor import declare

config = pulumi.Config()
declare(json.loads(config.require("graph")), float(config.require("latency")))
