"""Build the documentation site into ``build/docs`` (``make docs``; ``make test`` runs it).

1. ``docs/`` is copied to a temporary folder, with the READMEs and the changelog the site
   shows (``COPIED``), their links into the repository rewritten to the site's pages;
2. ``gen_reference.py`` writes the reference pages (one per resource and component) and the
   seed format page there;
3. ``mkdocs.yml``'s ``Reference: GENERATED`` entry becomes the list of those pages, and
   ``mkdocs build --strict`` builds the site from that configuration.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import gen_reference  # noqa: E402

# Repository files shown as pages of the site: where they are -> the page.
COPIED = {
    "segment_unify/emulator/README.md": "emulator.md",
    "policies/README.md": "policies.md",
    "CHANGELOG.md": "changelog.md",
}
# Links written for reading in the repository, as the site's pages.
LINKS = {**COPIED, "README.md": "index.md"}
LINK = re.compile(r"\[([^\]]+)\]\(([^)#\s]+)(#[^)\s]*)?\)")
# Where the benchmark page shows the README's table of results.
RESULTS_MARK = "<!-- results table: copied from README.md by tools/docs/build.py -->"


def site_link(match: re.Match[str]) -> str:
    """A markdown link to a file of the repository, as a link to its page (or left alone)."""
    text, target, anchor = match.group(1), match.group(2), match.group(3) or ""
    path = target.removeprefix("../").removeprefix("./")
    if path in LINKS:
        return f"[{text}]({LINKS[path]}{anchor})"
    if path.startswith("docs/"):
        return f"[{text}]({path.removeprefix('docs/')}{anchor})"
    return match.group(0)


def results_table() -> str:
    """The README's table of benchmark results (one place holds the figures)."""
    lines = (ROOT / "README.md").read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("| measurement |"))
    end = next((i for i in range(start, len(lines)) if not lines[i].strip()), len(lines))
    return "\n".join(lines[start:end])


def copy_sources(source: Path) -> None:
    shutil.copytree(ROOT / "docs", source)
    for repo_path, page in COPIED.items():
        shutil.copyfile(ROOT / repo_path, source / page)
    for page in source.rglob("*.md"):
        text = LINK.sub(site_link, page.read_text(encoding="utf-8"))
        page.write_text(text.replace(RESULTS_MARK, results_table()), encoding="utf-8")


def config(source: Path, reference: list[Path]) -> dict[str, Any]:
    doc: dict[str, Any] = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    pages: list[Any] = [{"Index": "reference/index.md"}]
    for path in reference:
        if path.parent.name == "reference" and path.stem != "index":
            title = "".join(part.capitalize() for part in path.stem.split("_"))
            pages.append({title: f"reference/{path.name}"})
    doc["nav"] = [
        {"Reference": pages} if entry == {"Reference": "GENERATED"} else entry
        for entry in doc["nav"]
    ]
    doc["docs_dir"] = str(source)
    doc["site_dir"] = str(ROOT / "build" / "docs")
    return doc


def main() -> int:
    # Staged outside build/, which setuptools' builds of this checkout also write to (`pulumi
    # install` of an example, the tests' wheel builds), in a folder of this build's own.
    with tempfile.TemporaryDirectory(prefix="segment-unify-docs-") as staging:
        source = Path(staging) / "src"
        copy_sources(source)
        written = gen_reference.write_pages(source)
        built_config = Path(staging) / "mkdocs.yml"
        built_config.write_text(
            yaml.safe_dump(config(source, written), sort_keys=False), encoding="utf-8"
        )
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "mkdocs",
                "build",
                "--strict",
                "--quiet",
                "-f",
                str(built_config),
            ],
            cwd=ROOT,
            env=env,
            check=False,
        )
    if done.returncode == 0:
        print(f"docs: {ROOT / 'build' / 'docs' / 'index.html'}")
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
