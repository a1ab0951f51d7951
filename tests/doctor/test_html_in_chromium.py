"""Doctor's HTML page as a browser shows it: headless Chromium renders the page doctor wrote
(a setup with a disabled mapping), and the screenshot has the pipeline's stages in the colours
of their checks: green where every check passed, red where one failed.

Skipped, saying so, where no Chromium is installed (Debian: apt-get install chromium).
``DOCTOR_SCREENSHOT=path.png`` keeps the screenshot."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from tests.doctor.conftest import CUSTOMER, Setup, failed

GREEN, RED = (0x1F, 0x8F, 0x4E), (0xC6, 0x2F, 0x2F)


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "headless_shell"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("no headless browser: none of chromium, chromium-browser, google-chrome on PATH")


def _pixels(png: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and rows of RGB(A) bytes of an 8-bit PNG (what Chromium writes)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    at, chunks, header = 8, b"", b""
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind, body = png[at + 4 : at + 8], png[at + 8 : at + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks += body
        at += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and colour in (2, 6), (depth, colour)
    step = 3 if colour == 2 else 4
    raw, stride, rows = zlib.decompress(chunks), width * step, []
    previous = bytearray(stride)
    for y in range(height):
        kind, line = (
            raw[y * (stride + 1)],
            bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        for x in range(stride):
            a = line[x - step] if x >= step else 0
            b, c = previous[x], previous[x - step] if x >= step else 0
            if kind == 1:
                line[x] = (line[x] + a) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + b) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(
            bytes(line) if step == 3 else bytes(v for i, v in enumerate(line) if i % 4 != 3)
        )
        previous = line
    return width, height, rows


def _count(rows: list[bytes], colour: tuple[int, int, int]) -> int:
    needle = bytes(colour)
    return sum(row[i : i + 3] == needle for row in rows for i in range(0, len(row), 3))


def test_the_page_renders_the_pipeline_in_the_colours_of_its_checks(
    healthy: Setup, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    browser = _chromium()
    destination = healthy.outputs["destinationId"]
    mapping = next(iter(healthy.outputs["sendIdentifySubscriptionIds"].values()))
    path = f"/destinations/{destination}/subscriptions/{mapping}"
    page = tmp_path / "doctor.html"
    with healthy.emulator.client(timeout=30) as api:
        api.patch(path, json={"input": {"enabled": False}}).raise_for_status()
        try:
            code, report = healthy.doctor(
                monkeypatch, "--user", f"user_id:{CUSTOMER}", "--html", str(page)
            )
        finally:
            api.patch(path, json={"input": {"enabled": True}}).raise_for_status()
    assert code == 1 and list(failed(report)) == [f"mapping:{mapping}"]
    shot = tmp_path / "doctor.png"
    done = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            f"--screenshot={shot}",
            "--window-size=1280,1500",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert shot.is_file(), done.stderr[-2000:]
    if os.environ.get("DOCTOR_SCREENSHOT"):
        shutil.copy(shot, os.environ["DOCTOR_SCREENSHOT"])
    width, height, rows = _pixels(shot.read_bytes())
    assert (width, height) == (1280, 1500)
    # The picture's top part: the stage boxes (190 x 84 CSS pixels each, scaled to the page).
    picture = rows[: height // 2]
    assert _count(picture, RED) > 5000, "the Segment Profiles stage is not drawn red"
    assert _count(picture, GREEN) > 5 * 5000, "the passing stages are not drawn green"
