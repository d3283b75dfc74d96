"""darkscan's own time per crawl step as apps grow: generated apps of 50 / 200 / 800 screens.

    python bench/crawl_scale.py [--sizes 50,200,800] [--seed 1]

Each app is crawled to the end (no goal stop) into a real run folder. The device's own time
(rendering, the XML dump, the simulated clock) is measured on the device and subtracted, so
what is left is darkscan's: observing (parsing, keying), the explorer's choice, the graph, the
progress hook and the run-folder writes (steps.jsonl, screens, run.json). Times are CPU time of
this process (``time.process_time``), so other load on the machine does not blur them. Prints per size the
steps, screens, darkscan ms per step, decision ms per step, and the ratio of the largest to the
smallest app's ms per step (flat = 1.0; the old whole-graph rescan grew ~N^2.15 in total).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bigapp import write_app  # noqa: E402

from darkscan.crawl import Budget, crawl, virtual_flow  # noqa: E402
from darkscan.device.protocol import Device  # noqa: E402
from darkscan.device.virtual import VirtualDevice, load_app  # noqa: E402


class TimedDevice:
    """A device that adds up the CPU time spent inside its own methods."""

    def __init__(self, device: Device) -> None:
        self._device = device
        self.seconds = 0.0

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._device, name)
        if not callable(attr):
            return attr

        def timed(*args: Any, **kwargs: Any) -> Any:
            t0 = time.process_time()
            try:
                return attr(*args, **kwargs)
            finally:
                self.seconds += time.process_time() - t0
        return timed


def measure(screens: int, seed: int, work: Path) -> dict[str, float]:
    app = write_app(work / f"gen{screens}.yaml", screens, seed)
    flow = virtual_flow(app, budget=Budget(max_steps=200 * screens, max_minutes=600))
    dev = TimedDevice(VirtualDevice([load_app(app)]))
    t0 = time.process_time()
    r = crawl(flow, work / f"run{screens}", device=dev)  # type: ignore[arg-type]
    wall = time.process_time() - t0
    own = wall - dev.seconds
    return {"screens": r.metrics["coverage"]["states"], "steps": r.steps,
            "own_ms": own / r.steps * 1000, "decide_ms": r.decision_ms,
            "device_ms": dev.seconds / r.steps * 1000}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="50,200,800")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    sizes = [int(x) for x in args.sizes.split(",")]
    rows = []
    print(f"{'size':>5} {'states':>6} {'steps':>6} {'darkscan ms/step':>16} "
          f"{'decide ms/step':>14} {'device ms/step':>14}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            m = measure(n, args.seed, Path(tmp))
            rows.append(m)
            print(f"{n:>5} {m['screens']:>6} {m['steps']:>6} {m['own_ms']:>16.2f} "
                  f"{m['decide_ms']:>14.3f} {m['device_ms']:>14.2f}", flush=True)
    print(f"darkscan ms/step, {sizes[-1]} vs {sizes[0]} screens: "
          f"{rows[-1]['own_ms'] / rows[0]['own_ms']:.2f}x; decision: "
          f"{rows[-1]['decide_ms'] / rows[0]['decide_ms']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
