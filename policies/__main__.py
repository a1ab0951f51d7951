"""Entry point the Pulumi CLI runs for ``--policy-pack policies`` in a checkout (the folder's
PulumiPolicy.yaml runs it in the checkout's ``.venv``). Installed copies of the package carry
their own pack folder: ``python -m segment_unify.policies --path``."""

from __future__ import annotations

from segment_unify.policies.serve import serve

if __name__ == "__main__":
    serve()
