"""Memory a crawl holds per discovered screen on a 1080x2400 virtual device (issue #13.5).

    python bench/crawl_memory.py [--screens 120] [--steps 400]

Generates a virtual app (bench/bigapp.py, rendered at 1080x2400 @ 3.0), crawls it into a
temporary run folder under tracemalloc and prints: screens discovered, memory still held by the
crawl at the end (the crawler's screens, graph, explorer) per screen, and the peak over the
whole crawl per screen. A full 1080x2400 RGB screenshot is 7.8 MB; the crawler writes each to
screens/<id>.png and keeps none, so the held memory per screen is its widgets and XML. The
virtual device's own render cache (a bounded number of frames; on a phone it is on the phone)
is reported apart and emptied before the per-screen figure is taken.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bigapp import app_dict  # noqa: E402

from darkscan.crawl import Budget, virtual_flow  # noqa: E402
from darkscan.crawl.crawler import Crawler  # noqa: E402
from darkscan.device.virtual import VirtualDevice, load_app  # noqa: E402
from darkscan.runfolder.writer import RunWriter  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--screens", type=int, default=120, help="screens in the generated app")
    ap.add_argument("--steps", type=int, default=400, help="crawl budget (steps)")
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="darkscan-mem-"))
    d = app_dict(a.screens, seed=1)
    d["app"]["screen"] = {"width": 1080, "height": 2400, "density": 3.0}
    app_path = tmp / "app.yaml"
    app_path.write_text(yaml.safe_dump(d, allow_unicode=True, sort_keys=False), "utf-8")
    app = load_app(app_path)
    flow = virtual_flow(app_path, Budget(max_steps=a.steps, max_minutes=60))
    device = VirtualDevice([app])
    device.app_start(app.package)  # warm the renderer's caches before measuring
    device.screenshot()
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    t0 = time.perf_counter()
    writer = RunWriter(tmp / "run", resume=False)
    writer.start(package=app.package, label=app.label, device=device.info(), flow=str(app_path))
    crawler = Crawler(device, flow, app.package, writer)
    result = crawler.run()
    writer.close()
    gc.collect()
    with_device, peak = tracemalloc.get_traced_memory()
    # The virtual device keeps its own bounded render cache (the last 24 frames); on a phone
    # that memory is on the phone. Empty it to see what the crawl itself holds.
    for cache in device._caches.values():
        cache.clear()
    gc.collect()
    held = tracemalloc.get_traced_memory()[0]
    if os.environ.get("MEMTOP"):
        for st in tracemalloc.take_snapshot().statistics("lineno")[:12]:
            print(st)
    tracemalloc.stop()
    n = len(crawler.screens)
    held_screens = sum(s.image.nbytes for s in crawler.screens.values() if s.image is not None)
    print(f"app: {a.screens} generated screens at 1080x2400; crawl {result.steps} steps in "
          f"{time.perf_counter() - t0:.0f} s (under tracemalloc)")
    print(f"screens discovered:           {n}")
    print(f"held by the crawl at the end: {(held - base) / 1e6:.1f} MB = "
          f"{(held - base) / n / 1e3:.0f} kB per screen")
    print(f"with the virtual device's render cache: {(with_device - base) / 1e6:.1f} MB")
    print(f"peak during the crawl:        {(peak - base) / 1e6:.1f} MB = "
          f"{(peak - base) / n / 1e3:.0f} kB per screen (one live screenshot is 7.8 MB)")
    print(f"screenshots held in memory:   {held_screens / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
