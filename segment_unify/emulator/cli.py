"""`segment-emulator serve`: run the emulator as a process.

    segment-emulator serve --host 127.0.0.1 --port 0 --db PATH --seed FILE
                           [--time-scale N] [--latency-ms N] [--fault SPEC]... [--fault-seed N]

Once it accepts requests it prints, flushed, exactly:

    SEGMENT_PUBLIC_API_URL=http://127.0.0.1:PORT
    SEGMENT_PROFILE_API_URL=http://127.0.0.1:PORT/profile-api
    SEGMENT_PUBLIC_API_TOKEN=<the first seeded workspace's token>

(the token line is left out when nothing is seeded). `--fault` takes
`KIND[:PROBABILITY][:key=value,...]`, e.g. `lost_response:0.3:method=POST,status=504` or
`list_lag:1:lag_seconds=10` (new objects missing from lists for 10 s of Segment's time).

For local testing only. The control plane (`/__emulator/`: seed workspaces and tokens, read
stored objects and the request log, inject faults) has no authentication, so the server binds
loopback addresses only; another address is refused unless `--allow-non-loopback` is given.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import logging
import socket
import sys
from collections.abc import Sequence
from pathlib import Path

import uvicorn

from .app import Emulator, EmulatorConfig, build_emulator
from .backend import Backend
from .errors import PROFILE_API_PREFIX
from .faults import parse_fault_spec
from .seed import SeedDocument, load_seed

LOCAL_ONLY = (
    "For local testing only: its control plane (/__emulator/: seeding workspaces and tokens, "
    "stored objects, the request log, faults) has no authentication, so it listens on loopback."
)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="segment-emulator", description=f"A local Segment. {LOCAL_ONLY}"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser(
        "serve", help="serve the Public API and the Profile API", description=LOCAL_ONLY
    )
    serve.add_argument(
        "--host", default="127.0.0.1", help="a loopback address (127.0.0.1, ::1, localhost)"
    )
    serve.add_argument(
        "--allow-non-loopback",
        action="store_true",
        help="listen on a non-loopback --host anyway: anyone who reaches it can read and "
        "change everything, the control plane needing no token",
    )
    serve.add_argument("--port", type=int, default=0, help="0 picks a free port")
    serve.add_argument("--db", default=":memory:", help="SQLite file, or :memory:")
    serve.add_argument(
        "--seed",
        action="append",
        default=[],
        help="seed file (YAML or JSON); `example`: the seed the package carries (the example "
        "workspace, its dev and prod spaces, Flex events seen)",
    )
    serve.add_argument("--time-scale", type=float, default=1.0, help="60 makes a minute 1 second")
    serve.add_argument(
        "--latency-ms",
        type=int,
        default=0,
        help="every answer starts this long after its request arrived",
    )
    serve.add_argument("--fault", action="append", default=[], help="fault rule, repeatable")
    serve.add_argument("--fault-seed", type=int, default=0, help="seed of the fault chooser")
    serve.add_argument("--log-level", default="warning")
    return parser


def announce(port: int, seeds: Sequence[SeedDocument], host: str = "127.0.0.1") -> list[str]:
    """The lines printed once the server accepts requests."""
    url = f"http://{host}:{port}"
    lines = [f"SEGMENT_PUBLIC_API_URL={url}", f"SEGMENT_PROFILE_API_URL={url}{PROFILE_API_PREFIX}"]
    tokens = [ws.token for seed in seeds for ws in seed.workspaces]
    if tokens:
        lines.append(f"SEGMENT_PUBLIC_API_TOKEN={tokens[0]}")
    return lines


async def _run_schedules(backend: Backend, every_seconds: float) -> None:
    """Reverse ETL syncs on their PERIODIC schedules, checked every minute of emulated time."""
    while True:
        await asyncio.sleep(every_seconds)
        try:
            await asyncio.to_thread(backend.run_due_syncs)
        except Exception:  # a failing check must not stop the server; the next one retries
            logging.getLogger(__name__).exception("scheduled Reverse ETL syncs")


async def _serve(
    server: uvicorn.Server, sock: socket.socket, lines: list[str], emulator: Emulator
) -> None:
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started and not task.done():
        await asyncio.sleep(0.01)
    if server.started:
        print("\n".join(lines), flush=True)
    every = 60 / max(emulator.config.time_scale, 1e-6)
    schedules = asyncio.create_task(_run_schedules(emulator.backend, every))
    try:
        await task
    finally:
        schedules.cancel()


def serve(args: argparse.Namespace) -> int:
    seeds = [load_seed(_seed_path(path)) for path in args.seed]
    config = EmulatorConfig(
        db=args.db,
        seeds=seeds,
        time_scale=args.time_scale,
        latency_ms=args.latency_ms,
        faults=[parse_fault_spec(spec) for spec in args.fault],
        fault_seed=args.fault_seed,
    )
    emulator = build_emulator(config)
    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    # IPPROTO_TCP explicitly, so that asyncio sets TCP_NODELAY on accepted connections.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((args.host, args.port))
    port = int(sock.getsockname()[1])
    host = "127.0.0.1" if args.host == "localhost" else args.host
    server = uvicorn.Server(
        uvicorn.Config(emulator.asgi, log_level=args.log_level, access_log=False, lifespan="off")
    )
    try:
        asyncio.run(_serve(server, sock, announce(port, seeds, host), emulator))
    finally:
        emulator.close()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "serve":
        if not is_loopback(args.host) and not args.allow_non_loopback:
            parser.error(
                f"--host {args.host} is not a loopback address. {LOCAL_ONLY} Use 127.0.0.1 or "
                "::1, or pass --allow-non-loopback if the network is yours alone."
            )
        return serve(args)
    return 2


if __name__ == "__main__":
    sys.exit(main())


def _seed_path(given: str) -> str | Path:
    """``example`` names the packaged example seed (an installed wheel has no checkout)."""
    if given != "example":
        return given
    return Path(__file__).resolve().parents[1] / "examples" / "seed.yaml"
