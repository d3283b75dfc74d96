"""How long `darkscan scan --xml` takes on hostile hierarchy dumps (issue #13: bounded time).

    python bench/inputs.py [--flat 100000] [--deep 5000] [--keep DIR]

Writes a 1080x2400 screenshot and three uiautomator dumps of the size real WebView-heavy
screens reach and beyond (a flat list of FLAT TextViews running below the fold, a chain DEEP
views deep, a 4,000-node tree with 1,000-deep branches, and FLAT TextViews piled on one
screenful as the worst case), runs the real CLI on each in a fresh process and prints wall
seconds, the exit code and the first warning line. Nothing here is tuned to a screen: the dumps
are synthetic.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

W, H = 1080, 2400
PKG = "com.example.bench"


def _node(i: int, bounds: str, *, text: str = "", cls: str = "android.widget.TextView",
          clickable: bool = False, close: bool = True) -> str:
    end = " />" if close else ">"
    return (f'<node index="{i}" text="{text}" resource-id="{PKG}:id/n{i}" class="{cls}" '
            f'package="{PKG}" content-desc="" checkable="false" checked="false" '
            f'clickable="{str(clickable).lower()}" enabled="true" focusable="false" '
            f'focused="false" scrollable="false" long-clickable="false" password="false" '
            f'selected="false" bounds="{bounds}"{end}')


def _wrap(body: str) -> str:
    return ("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>"
            '<hierarchy rotation="0">'
            + _node(0, f"[0,0][{W},{H}]", cls="android.widget.FrameLayout", close=False)
            + body + "</node></hierarchy>")


def flat_dump(n: int) -> str:
    """``n`` TextViews in one list, one row each, the page running far below the fold (a
    WebView exposing every DOM node of a long page)."""
    rows = []
    for i in range(n):
        y = 40 * i
        rows.append(_node(i + 1, f"[24,{y}][{W - 24},{y + 36}]", text=f"item {i}",
                          clickable=i % 7 == 0))
    return _wrap("".join(rows))


def dense_dump(n: int) -> str:
    """``n`` TextViews piled over one screenful (worst case: every text is on screen and
    overlaps dozens of others; no real app draws this)."""
    rows = []
    for i in range(n):
        y = (i * 24) % (H - 40)
        x = (i * 37) % (W - 200)
        rows.append(_node(i + 1, f"[{x},{y}][{x + 180},{y + 36}]", text=f"item {i}",
                          clickable=i % 7 == 0))
    return _wrap("".join(rows))


def deep_dump(depth: int) -> str:
    """A chain ``depth`` views deep, each 1 px inside its parent, a text at the bottom."""
    opens = []
    for i in range(depth):
        m = min(i, 500)
        opens.append(_node(i + 1, f"[{m},{m}][{W - m},{H - m}]",
                           cls="android.view.ViewGroup", close=False))
    leaf = _node(depth + 1, "[540,1100][900,1160]", text="Subscribe now", clickable=True)
    return _wrap("".join(opens) + leaf + "</node>" * depth)


def bushy_dump(nodes: int, depth: int) -> str:
    """``nodes`` nodes in branches ``depth`` deep (nested WebView DOM)."""
    parts = []
    made = 0
    while made < nodes:
        d = min(depth, nodes - made)
        for i in range(d):
            m = min(i, 400)
            parts.append(_node(made + i + 1, f"[{m},{m}][{W - m},{H - m}]",
                               cls="android.view.View", close=False, text=f"t{i}" if i % 9 else ""))
        parts.append("</node>" * d)
        made += d
    return _wrap("".join(parts))


def screenshot(path: Path) -> None:
    img = np.full((H, W, 3), 250, np.uint8)
    img[1100:1160, 540:900] = (30, 110, 230)
    Image.fromarray(img).save(path)


def make_inputs(folder: Path, flat: int, deep: int) -> dict[str, Path]:
    png = folder / "screen.png"
    screenshot(png)
    out = {"screen": png}
    for name, text in ((f"flat{flat}", flat_dump(flat)), (f"deep{deep}", deep_dump(deep)),
                       ("bushy4000x1000", bushy_dump(4000, 1000)),
                       (f"dense{flat}", dense_dump(flat))):
        p = folder / f"{name}.xml"
        p.write_text(text, encoding="utf-8")
        out[name] = p
    return out


def run_scan(png: Path, xml: Path, timeout: float) -> tuple[float, int | None, str]:
    cmd = [sys.executable, "-m", "darkscan", "scan", str(png), "--xml", str(xml), "--json"]
    # a fresh OCR cache: the figure includes reading the screen, not a cache hit
    env = {**os.environ, "DARKSCAN_CACHE_DIR": tempfile.mkdtemp(prefix="darkscan-ocr-")}
    t0 = time.perf_counter()
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return time.perf_counter() - t0, None, f"timed out after {timeout:.0f} s"
    err = next((ln for ln in p.stderr.splitlines() if ln.strip()), "")
    return time.perf_counter() - t0, p.returncode, err


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--flat", type=int, default=100_000)
    ap.add_argument("--deep", type=int, default=5_000)
    ap.add_argument("--timeout", type=float, default=300.0)
    ap.add_argument("--keep", type=Path, help="write the inputs here and keep them")
    a = ap.parse_args()
    folder = a.keep or Path(tempfile.mkdtemp(prefix="darkscan-inputs-"))
    folder.mkdir(parents=True, exist_ok=True)
    files = make_inputs(folder, a.flat, a.deep)
    png = files.pop("screen")
    print(f"{'dump':<16} {'MB':>6} {'seconds':>8} {'exit':>4}  stderr")
    for name, xml in files.items():
        secs, rc, err = run_scan(png, xml, a.timeout)
        mb = xml.stat().st_size / 1e6
        print(f"{name:<16} {mb:6.1f} {secs:8.1f} {rc if rc is not None else '-':>4}  {err}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
