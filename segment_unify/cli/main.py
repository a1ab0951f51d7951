"""The ``segment-unify`` command line: argument parsing and exit codes, nothing else.

Settings as the provider's: ``--endpoint`` / ``--profile-endpoint`` or ``SEGMENT_PUBLIC_API_URL``
/ ``SEGMENT_PROFILE_API_URL``; the token from ``SEGMENT_PUBLIC_API_TOKEN`` (or, for ``diff`` of
two workspaces, the environment variable ``--token-env-b`` names: never a token on the command
line, where ``ps`` shows it). Exit codes: 0 done (``diff``: no difference; ``doctor``: no check
failed), 1 ``diff`` found a difference or a ``doctor`` check failed, 2 an error (Segment's
message, the URL and the setting named).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from segment_unify.cli.doctor import StackOutputsError
from segment_unify.cli.workspace import SpaceNotFoundError
from segment_unify.provider import _constants as c
from segment_unify.provider.client import SegmentClient
from segment_unify.provider.config import ConfigurationError, Settings, resolve
from segment_unify.provider.errors import SegmentError

EXAMPLES = """examples:
  export SEGMENT_PUBLIC_API_TOKEN=...   # a token of the workspace (read access is enough)
  segment-unify export --space unified-profiles-dev --out infra/ --stack dev
  segment-unify diff --space unified-profiles-dev --space unified-profiles-prod \\
      --suffix dev --suffix prod --json
  segment-unify diff --space profiles --space profiles \\
      --endpoint-b https://api.eu1.segmentapis.com --token-env-b PROD_SEGMENT_TOKEN
  export SEGMENT_PROFILE_API_TOKEN=...  # the space's Profile API token (or give --stack)
  segment-unify doctor --space unified-profiles-dev --user user_id:001A0000AdaLvl \\
      --html doctor.html
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="segment-unify",
        description="Tools over a live Segment workspace: export its Unify setup as a Pulumi "
        "program, compare two spaces, check that data flows through a space (doctor). Reads only "
        "(GET requests; doctor may ask Segment for one audience preview).",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--endpoint",
        help=f"Public API URL (default: ${c.ENV_PUBLIC_API_URL}, else Segment's US endpoint)",
    )
    parser.add_argument("--profile-endpoint", help=f"Profile API URL (${c.ENV_PROFILE_API_URL})")
    sub = parser.add_subparsers(dest="command", required=True)
    ex = _subcommand(sub, "export", "write a Pulumi project that adopts the workspace's objects")
    _spaces(ex, "a Unify space to export (repeatable)")
    ex.add_argument("--out", required=True, type=Path, metavar="DIR")
    ex.add_argument("--stack", default="dev", help="the stack whose config file is written")
    ex.add_argument(
        "--protect",
        action="store_true",
        help="protect every resource: `pulumi destroy` deletes nothing until it is lifted",
    )
    ex.add_argument("--project", default="segment-workspace", help="the Pulumi project's name")
    df = _subcommand(sub, "diff", "compare two spaces by natural key (exit 1 on a difference)")
    _spaces(df, "give it twice: A (say dev), then B (say prod)")
    df.add_argument(
        "--suffix",
        action="append",
        default=[],
        help="an environment suffix to ignore in names (repeatable)",
    )
    df.add_argument(
        "--ignore-autonames",
        action="store_true",
        help="names this package generated (a hyphen and 7 letters or digits at the end) "
        "compare by what comes before",
    )
    df.add_argument("--endpoint-b", help="B's Public API URL, when B is another workspace")
    df.add_argument("--token-env-b", help="the environment variable holding B's token")
    df.add_argument("--json", action="store_true", help="the differences as JSON")
    _doctor_parser(sub)
    return parser


def _doctor_parser(sub: Any) -> None:
    dr = _subcommand(
        sub, "doctor", "after `up`, check that data flows through the setup (exit 1 on a failure)"
    )
    dr.add_argument("--space", required=True, metavar="SLUG", help="the Unify space to check")
    dr.add_argument(
        "--stack",
        metavar="NAME",
        help="also read this stack's outputs (`pulumi stack output`, run in --cwd): ids, the "
        "Profile API token, pending steps",
    )
    dr.add_argument("--cwd", type=Path, default=Path.cwd(), help="the Pulumi project's folder")
    dr.add_argument(
        "--user",
        metavar="ID",
        help="a profile to read as Twilio Studio does (user_id:…, or an identifier type:value)",
    )
    dr.add_argument("--json", action="store_true", help="the report as JSON (docs/doctor.md)")
    dr.add_argument("--html", type=Path, metavar="FILE", help="also write the report as a page")


def _subcommand(sub: Any, name: str, summary: str) -> argparse.ArgumentParser:
    # The examples keep their line breaks only under RawDescriptionHelpFormatter.
    parser: argparse.ArgumentParser = sub.add_parser(
        name,
        help=summary,
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    return parser


def _spaces(parser: argparse.ArgumentParser, summary: str) -> None:
    parser.add_argument("--space", action="append", required=True, metavar="SLUG", help=summary)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = resolve(endpoint=args.endpoint, profile_endpoint=args.profile_endpoint)
        if args.command == "export":
            return _export(args, settings)
        if args.command == "doctor":
            return _doctor(args, settings)
        return _diff(args, settings)
    except (ConfigurationError, SegmentError, SpaceNotFoundError, StackOutputsError) as exc:
        print(f"segment-unify {args.command}: {exc}", file=sys.stderr)
        return 2


def _export(args: argparse.Namespace, settings: Settings) -> int:
    from segment_unify.cli.export import export

    with SegmentClient.from_settings(settings) as client:
        export(
            client,
            args.space,
            args.out,
            stack=args.stack,
            project=args.project,
            profile_endpoint=settings.profile_endpoint,
            protect=args.protect,
        )
    return 0


def _diff(args: argparse.Namespace, settings: Settings) -> int:
    from segment_unify.cli.diff import Ignoring, as_json, as_table, compare
    from segment_unify.cli.workspace import read_workspace

    if len(args.space) != 2:
        print("segment-unify diff: give --space twice (A, then B)", file=sys.stderr)
        return 2
    a_slug, b_slug = args.space
    settings_b = settings
    if args.endpoint_b or args.token_env_b:
        token_b = os.environ.get(args.token_env_b) if args.token_env_b else None
        if args.token_env_b and not token_b:
            raise ConfigurationError(f"--token-env-b names {args.token_env_b}, which is not set")
        settings_b = resolve(token=token_b, endpoint=args.endpoint_b or settings.endpoint)
    with SegmentClient.from_settings(settings) as client_a:
        a = read_workspace(client_a, [a_slug])
        if settings_b is settings:
            b = read_workspace(client_a, [b_slug])
        else:
            with SegmentClient.from_settings(settings_b) as client_b:
                b = read_workspace(client_b, [b_slug])
    found = compare(a, b, Ignoring(tuple(args.suffix), args.ignore_autonames))
    sys.stdout.write(as_json(found) + "\n" if args.json else as_table(found, a_slug, b_slug))
    return 1 if found else 0


# The space's Profile API token for doctor (never on the command line, where `ps` shows it).
ENV_PROFILE_API_TOKEN = "SEGMENT_PROFILE_API_TOKEN"


def _doctor(args: argparse.Namespace, settings: Settings) -> int:
    from segment_unify.cli.doctor import diagnose, stack_outputs
    from segment_unify.cli.doctor_html import as_html
    from segment_unify.cli.doctor_render import as_json, as_table, use_colour
    from segment_unify.provider.profile_client import ProfileClient
    from segment_unify.pulumi_cli import locate

    outputs = None
    if args.stack:
        outputs = stack_outputs(locate(build_if_missing=False), args.stack, args.cwd)
    token = os.environ.get(ENV_PROFILE_API_TOKEN) or (outputs or {}).get("profileApiToken")
    profiles = None
    if isinstance(token, str) and token:
        profiles = ProfileClient(
            token,
            base_url=settings.profile_endpoint,
            endpoint_from=settings.profile_endpoint_from,
        )
    try:
        with SegmentClient.from_settings(settings) as client:
            report = diagnose(client, profiles, args.space, user=args.user, outputs=outputs)
    finally:
        if profiles is not None:
            profiles.close()
    if args.html:
        args.html.write_text(as_html(report), encoding="utf-8")
    if args.json:
        sys.stdout.write(as_json(report) + "\n")
    else:
        sys.stdout.write(as_table(report, colour=use_colour(sys.stdout.isatty())))
        if args.html:
            sys.stdout.write(f"HTML report: {args.html}\n")
    return 1 if report.failed else 0
