"""``python -m segment_unify.policies --path``: the policy pack folder for ``--policy-pack``.

``--config dev|prod`` prints the enforcement config to pass to ``--policy-pack-config``
(advisory in dev, mandatory in prod).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from segment_unify.policies.pack_folder import config_file, pack_folder


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m segment_unify.policies",
        description="The segment-unify policy pack's folder, for pulumi preview --policy-pack.",
    )
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--path", action="store_true", help="print the pack folder")
    which.add_argument(
        "--config", choices=["dev", "prod"], help="print the dev or prod enforcement config file"
    )
    args = parser.parse_args(argv)
    print(config_file(args.config) if args.config else pack_folder())
    return 0


if __name__ == "__main__":
    sys.exit(main())
