"""Entry point the Pulumi CLI runs for this pack (``python -m pulumi.policy <this folder>``).

The folder ships inside the package; ``python -m segment_unify.policies --path`` prints the one
to pass to ``--policy-pack``. It holds no rules: they are imported from the installed package,
so a Python without the package stops here with what to install instead of a traceback.
"""

from __future__ import annotations

import sys

try:
    from segment_unify.policies.serve import serve
except ImportError as missing:
    sys.exit(
        f"segment-unify policy pack: {sys.executable} cannot import {missing.name or 'it'} "
        f"({missing}). Install pulumi-segment-unify into the environment your program runs in, "
        "and pass the folder it prints: pulumi preview --policy-pack "
        '"$(<that environment>/bin/python -m segment_unify.policies --path)"'
    )

if __name__ == "__main__":
    serve()
