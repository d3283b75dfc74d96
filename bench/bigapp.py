"""Generated virtual apps of any size, for crawl-scaling benchmarks only (not a test oracle).

    from bigapp import write_app
    path = write_app(Path("/tmp/app800.yaml"), screens=800, seed=1)

A tree of screens (4 children each) with a back arrow, one cross link per screen to a random
other screen, a switch, a few "toward" rows (Settings, Account) and "away" rows (Share), and a
one-time popup dialog on every tenth screen whose second button stays unexplored and
unreachable afterwards (the case that used to force a search of the whole graph every step).
Screen names are distinct pseudo-words: the screen key masks digits, so "Page 12" and
"Page 13" would be one screen.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import yaml

SYL = ["ka", "lo", "mi", "ren", "tu", "sa", "vel", "no", "pi", "dor", "ze", "qua", "bri", "fen",
       "go", "hal"]


def word(i: int) -> str:
    """A distinct, digit-free name for ``i``."""
    out = []
    i += 1
    while i:
        i, r = divmod(i, len(SYL))
        out.append(SYL[r])
    return "".join(out).capitalize()


def app_dict(screens: int, seed: int = 1, fanout: int = 4) -> dict[str, Any]:
    rng = random.Random(seed)
    sc: dict[str, Any] = {}
    for i in range(screens):
        name = word(i)
        widgets: list[dict[str, Any]] = [{"type": "text", "text": f"{name} overview"}]
        for c in range(fanout * i + 1, min(screens, fanout * i + fanout + 1)):
            label = f"Settings {word(c)}" if c % 7 == 0 else word(c)
            widgets.append({"type": "row", "text": label, "icon": "list",
                            "tap": {"go": f"s{c}"}})
        j = rng.randrange(screens)
        widgets.append({"type": "row", "text": f"See {word(j)}", "icon": "star",
                        "tap": {"go": f"s{j}"}})
        widgets.append({"type": "switch", "id": f"sw{i}", "text": f"{name} alerts",
                        "checked": bool(i % 2)})
        if i % 5 == 0:
            widgets.append({"type": "button", "text": "Share", "style": "text",
                            "tap": {"go": f"s{rng.randrange(screens)}"}})
        s: dict[str, Any] = {"title": name, "widgets": widgets}
        if i:
            s["back_arrow"] = True
        if i % 10 == 3:
            s["popup"] = {"screen": f"d{i}", "times": 1}
            sc[f"d{i}"] = {"dialog": True, "title": f"{name} news", "widgets": [
                {"type": "text", "text": f"Something new in {name}"},
                {"type": "row_group", "items": [
                    {"type": "button", "text": "Later", "style": "text", "tap": "close"},
                    {"type": "button", "text": "OK", "tap": "close"}]}]}
        sc[f"s{i}"] = s
    return {
        "app": {"package": f"com.darkscan.bench.gen{screens}", "label": f"Gen {word(screens)}",
                "icon": {"color": "#3F51B5", "glyph": "G"}, "lang": "en",
                "screen": {"width": 720, "height": 1280, "density": 2.0},
                "theme": {"primary": "#3F51B5", "on_primary": "#FFFFFF",
                          "background": "#FFFFFF", "text": "#212121",
                          "secondary_text": "#757575", "divider": "#E0E0E0"},
                "start": "s0", "uninstall": {"disabled": False}},
        "design": {"note": f"generated for bench: {screens} screens, seed {seed}"},
        "screens": sc,
    }


def write_app(path: Path, screens: int, seed: int = 1) -> Path:
    path.write_text(yaml.safe_dump(app_dict(screens, seed), allow_unicode=True,
                                   sort_keys=False), encoding="utf-8")
    return path
