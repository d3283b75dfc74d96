"""How often the safety guard stops on real screens that sell nothing (its cost to exploration).

    python bench/safety_real.py [--corpus ../shared/corpus/droidbot-fdroid]

Reads the DroidBot states of the F-Droid crawls (real view trees of open-source apps with no
purchases and no account deletion), judges every state with the default guard and prints the
share of screens at each risk level, the share of clickables it would refuse, and every screen
rated risky with its signals. The rules were written from general wording, not from this
corpus; a screen rated high here is a false stop unless it shows a password or code field.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from darkscan.crawl.safety import SafetyRules
from darkscan.crawl.state import Screen, ScreenKind, Widget
from darkscan.geometry import Box

REPO = Path(__file__).resolve().parents[1]
# ../shared/corpus from the repository root (also found from a worktree one level deeper)
CORPUS = next((p / "shared" / "corpus" / "droidbot-fdroid" for p in REPO.parents
               if (p / "shared" / "corpus").is_dir()), REPO.parent / "shared" / "corpus")


def screen_of(state: dict) -> Screen | None:
    """The app's widgets of one DroidBot state as the crawler would see them."""
    pkg = str(state.get("foreground_activity") or "").split("/")[0]
    widgets: list[Widget] = []
    texts: list[str] = []
    for v in state.get("views") or []:
        if v.get("package") != pkg or not v.get("visible"):
            continue
        (x1, y1), (x2, y2) = v["bounds"]
        text, desc = v.get("text") or "", v.get("content_description") or ""
        texts += [s.strip() for s in (text, desc) if s.strip()]
        if not (v.get("clickable") or v.get("checkable") or text.strip() or desc.strip()):
            continue
        widgets.append(Widget(
            str(v.get("temp_id")), v.get("class") or "", text, desc, v.get("resource_id") or "",
            text or desc, Box(x1, y1, x2, y2), bool(v.get("clickable") and v.get("enabled")),
            bool(v.get("checkable")), bool(v.get("checked")), bool(v.get("enabled")),
            bool(v.get("is_password")), bool(v.get("editable")), False))
    if not widgets:
        return None
    return Screen(ScreenKind.APP, pkg, str(state.get("foreground_activity")), "", False, False,
                  tuple(widgets), texts=tuple(texts))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    args = ap.parse_args()
    states = sorted(args.corpus.glob("*/states/*.json"))
    if not states:
        print(f"no DroidBot states under {args.corpus}", file=sys.stderr)
        return 3
    rules = SafetyRules()
    levels: Counter[str] = Counter()
    refused = clickables = 0
    risky: list[str] = []
    for f in states:
        s = screen_of(json.loads(f.read_text(encoding="utf-8")))
        if s is None:
            continue
        risk = rules.assess(s)
        levels[risk.level.name.lower()] += 1
        for w in s.widgets:
            if w.clickable:
                clickables += 1
                refused += rules.check(w, s, risk=risk) is not None
        if risk.level:
            sig = "; ".join(f"{x.name}: {x.text}" for x in risk.signals[:3])
            risky.append(f"  {f.parts[-3]} {f.stem}: {risk.level.name.lower()} {risk.kind} | {sig}")
    n = sum(levels.values())
    print(f"{n} app screens from {len({f.parts[-3] for f in states})} apps: " + ", ".join(
        f"{k} {v} ({v / n:.1%})" for k, v in sorted(levels.items())))
    print(f"clickables refused: {refused} of {clickables} ({refused / max(clickables, 1):.1%})")
    print("\n".join(risky))
    return 0


if __name__ == "__main__":
    sys.exit(main())
