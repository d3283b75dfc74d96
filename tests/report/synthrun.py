"""Write run folders (docs/run-folder.md) from a small app description, with real rendered PNGs.

Used by the report tests until a real crawl exists, and by bench/report.py for a 500-screen run.
The screens are drawn with PIL (CJK font), the steps come from a depth-first walk of the links,
and goal paths are true shortest paths in that graph, so every number the report and gate show
follows from the description rather than being typed in.
"""

from __future__ import annotations

import json
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
from PIL import Image, ImageDraw, ImageFont

FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
WIDTH, HEIGHT = 360, 640
BAR, ROW = 56, 56


@dataclass
class AppSpec:
    package: str
    label: str
    start: str
    # screen id -> (title, [(row text, target screen id or None)])
    screens: dict[str, tuple[str, list[tuple[str, str | None]]]]
    # goal name -> (screen, row text) of the control that achieves it
    goals: dict[str, tuple[str, str]] = field(default_factory=dict)
    # goals the crawl looked for but did not find: name -> reason
    missing: dict[str, str] = field(default_factory=dict)
    # (category, severity, screen, row text, message, evidence, regulations)
    findings: list[tuple[str, str, str, str, str, dict[str, Any], list[str]]] | None = None


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.truetype(str(FONT), size) if FONT.is_file() else ImageFont.load_default()


def row_box(i: int) -> list[int]:
    return [0, BAR + i * ROW, WIDTH, BAR + (i + 1) * ROW]


def render(title: str, rows: list[tuple[str, str | None]], fonts: tuple[Any, Any]) -> Image.Image:
    big, small = fonts
    im = Image.new("RGB", (WIDTH, HEIGHT), "#FFFFFF")
    d = ImageDraw.Draw(im)
    d.rectangle([0, 0, WIDTH, BAR], fill="#FF5722")
    d.text((16, 14), title, fill="#FFFFFF", font=big)
    for i, (text, target) in enumerate(rows):
        _x1, y1, x2, y2 = row_box(i)
        d.line([16, y2 - 1, x2, y2 - 1], fill="#E0E0E0")
        d.text((16, y1 + 16), text, fill="#212121", font=small)
        if target is not None:
            d.text((WIDTH - 28, y1 + 14), "›", fill="#9E9E9E", font=big)
    return im


def _walk(spec: AppSpec) -> list[dict[str, Any]]:
    """Depth-first exploration: tap every row that leads somewhere, press back after."""
    steps: list[dict[str, Any]] = []
    seen = {spec.start}

    def visit(sid: str) -> None:
        for i, (text, target) in enumerate(spec.screens[sid][1]):
            if target is None:
                continue
            box = row_box(i)
            steps.append({"step": len(steps) + 1, "from": sid, "to": target,
                          "action": {"kind": "tap", "x": WIDTH // 2, "y": (box[1] + box[3]) // 2,
                                     "target": {"text": text, "class": "android.widget.TextView",
                                                "resource_id": "", "bounds": box}},
                          "event": None, "time": 0.01})
            if target not in seen:
                seen.add(target)
                visit(target)
            steps.append({"step": len(steps) + 1, "from": target, "to": sid,
                          "action": {"kind": "back"}, "event": None, "time": 0.01})

    visit(spec.start)
    return steps


def _graph(spec: AppSpec) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_nodes_from(spec.screens)
    for sid, (_title, rows) in spec.screens.items():
        for text, target in rows:
            if target is not None:
                g.add_edge(sid, target, action={"kind": "tap", "target": {"text": text}})
    return g


def _shortest(spec: AppSpec, goal_screen: str) -> list[str] | None:
    prev: dict[str, str | None] = {spec.start: None}
    queue = deque([spec.start])
    while queue:
        sid = queue.popleft()
        if sid == goal_screen:
            chain = [sid]
            while prev[chain[-1]] is not None:
                chain.append(prev[chain[-1]])  # type: ignore[arg-type]
            return chain[::-1]
        for _text, target in spec.screens[sid][1]:
            if target is not None and target not in prev:
                prev[target] = sid
                queue.append(target)
    return None


def _row_text_to(spec: AppSpec, sid: str, target: str) -> str:
    return next(t for t, tg in spec.screens[sid][1] if tg == target)


def _row_index(spec: AppSpec, sid: str, text: str) -> int:
    return next(i for i, (t, _) in enumerate(spec.screens[sid][1]) if t == text)


def write_run(spec: AppSpec, root: Path, *, with_findings: bool = True) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    sdir = root / "screens"
    sdir.mkdir(exist_ok=True)
    fonts = (_font(22), _font(17))
    for order, (sid, (title, rows)) in enumerate(spec.screens.items()):
        render(title, rows, fonts).save(sdir / f"{sid}.png", compress_level=1)
        widgets = [{"bounds": row_box(i), "class": "android.widget.TextView", "text": text,
                    "resource_id": "", "checkable": False, "checked_first_seen": False}
                   for i, (text, _t) in enumerate(rows)]
        (sdir / f"{sid}.json").write_text(json.dumps({
            "id": sid, "key": sid, "activity": ".MainActivity", "package": spec.package,
            "secure": False, "first_seen": order, "title": title, "widgets": widgets,
            "density": 1.0}, ensure_ascii=False), encoding="utf-8")
    steps = _walk(spec)
    (root / "steps.jsonl").write_text(
        "".join(json.dumps(s, ensure_ascii=False) + "\n" for s in steps), encoding="utf-8")
    (root / "graph.json").write_text(json.dumps(
        nx.node_link_data(_graph(spec), edges="links"), ensure_ascii=False), encoding="utf-8")
    goals: dict[str, Any] = {}
    for name, (gscreen, text) in spec.goals.items():
        chain = _shortest(spec, gscreen)
        if chain is None:
            goals[name] = {"found": False, "steps": None, "path": [], "reason": "exhausted"}
            continue
        path = [{"screen": a, "action": f"tap '{_row_text_to(spec, a, b)}'"}
                for a, b in zip(chain, chain[1:])]
        path.append({"screen": gscreen, "action": f"tap '{text}'"})
        goals[name] = {"found": True, "steps": len(path), "path": path, "reason": "found"}
    for name, reason in spec.missing.items():
        goals[name] = {"found": False, "steps": None, "path": [], "reason": reason}
    (root / "metrics.json").write_text(json.dumps({
        "goals": goals,
        "coverage": {"screens": len(spec.screens), "actions": len(steps),
                     "unexplored_actions": 0}}, ensure_ascii=False), encoding="utf-8")
    (root / "run.json").write_text(json.dumps({
        "app": {"package": spec.package, "label": spec.label},
        "device": {"serial": "virtual-1", "model": "darkscan virtual", "android": "virtual",
                   "width": WIDTH, "height": HEIGHT, "density": 1.0},
        "flow": None, "started": "2025-01-01T10:00:00", "finished": "2025-01-01T10:01:00",
        "status": "done", "darkscan": "0.1.0"}, ensure_ascii=False), encoding="utf-8")
    if with_findings and spec.findings is not None:
        out = []
        for cat, sev, sid, text, message, evidence, regs in spec.findings:
            out.append({"category": cat, "rule": f"{cat}.synthetic", "severity": sev,
                        "bbox": row_box(_row_index(spec, sid, text)), "message": message,
                        "evidence": evidence, "regulations": regs, "screen": sid})
        (root / "findings.json").write_text(json.dumps({"findings": out}, ensure_ascii=False),
                                            encoding="utf-8")
    return root


def video_app(clean: bool = False, splash: bool = False) -> AppSpec:
    """A small subscription app: the dark version buries cancelling 6 taps deep (from home;
    ``splash`` puts a skippable splash screen before home, one more step from launch)."""
    screens: dict[str, tuple[str, list[tuple[str, str | None]]]] = {
        "home": ("首页", [("会员中心", "vip"), ("我的", "me"), ("推荐视频 1", None),
                          ("推荐视频 2", None)]),
        "vip": ("会员中心", [("立即开通", None), ("同意自动续费协议", None), ("会员权益", None)]),
    }
    if clean:
        screens["me"] = ("我的", [("会员管理", "manage"), ("设置", "settings"), ("首页", "home")])
        screens["manage"] = ("会员管理", [("取消自动续费", None), ("续费记录", None)])
        screens["settings"] = ("设置", [("个性化推荐", None), ("隐私政策", None)])
        findings = [("false_hierarchy", "low", "vip", "会员权益", "Benefits banner outshines "
                     "the terms", {"area_ratio": 1.4}, ["EU-DSA-25"])]
    else:
        screens["me"] = ("我的", [("设置", "settings"), ("客服", None), ("首页", "home")])
        screens["settings"] = ("设置", [("账号与安全", "account"), ("隐私政策", None)])
        screens["account"] = ("账号与安全", [("会员管理", "manage"), ("注销账号", None)])
        screens["manage"] = ("会员管理", [("自动续费", "renew"), ("续费记录", None)])
        screens["renew"] = ("自动续费管理", [("取消自动续费", None), ("说明", None)])
        findings = [
            ("preselection", "high", "vip", "同意自动续费协议",
             "Auto-renewal consent is ticked before the user acts", {"checked": True},
             ["MIIT-2023-NO-PRETICK", "CN-2019-PRETICKED-CONSENT"]),
            ("hidden_auto_renewal", "medium", "vip", "会员权益",
             "Renewal terms in small grey type", {"contrast": 2.1, "text_height_px": 11,
                                                  "body_text_height_px": 17},
             ["CA-ARL-CLEAR-CONSPICUOUS", "MIIT-2025-AUTO-RENEWAL"]),
            ("buried_cancellation", "high", "renew", "取消自动续费",
             "Cancelling takes 6 taps from the home screen", {"steps": 6, "max_steps": 4},
             ["MIIT-2025-AUTO-RENEWAL", "EU-DSA-25", "CA-ARL-EASY-CANCEL"]),
        ]
    goals = {"subscribe": ("vip", "立即开通"), "privacy_policy": ("settings", "隐私政策")}
    goals["cancel_subscription"] = ("manage" if clean else "renew", "取消自动续费")
    missing = {"recommendation_off": "exhausted"}
    if clean:
        goals["recommendation_off"] = ("settings", "个性化推荐")
        missing = {}
    if splash:
        screens = {"splash": ("广告", [("跳过 3", "home")]), **screens}
    return AppSpec(package="com.example.kanvideo" + (".clean" if clean else ""),
                   label="看视频" + ("（净版）" if clean else ""),
                   start="splash" if splash else "home", screens=screens,
                   goals=goals, missing=missing, findings=findings)


XSS_SCRIPT = "<script>window.__xss=(window.__xss||0)+1</script>"
XSS_IMG = "<img src=x onerror=\"window.__xss=(window.__xss||0)+1\">"


def xss_app() -> AppSpec:
    """Every text the app controls tries to run script."""
    screens: dict[str, tuple[str, list[tuple[str, str | None]]]] = {
        "home": (XSS_SCRIPT, [(XSS_IMG, "evil"), ("</script><script>window.__xss=9</script>",
                                                  None)]),
        "evil": ("<svg onload=window.__xss=7>", [("<!-- </script> -->", None),
                                                 ("取消自动续费 " + XSS_IMG, None),
                                                 ("首页", "home")]),
    }
    findings = [("confirmshaming", "medium", "evil", "<!-- </script> -->",
                 XSS_SCRIPT + " message", {"text": XSS_IMG, "</script>": "<!--"}, ["EU-DSA-25"])]
    return AppSpec(package="com.example.xss", label=XSS_SCRIPT + XSS_IMG, start="home",
                   screens=screens,
                   goals={"cancel_subscription": ("evil", "取消自动续费 " + XSS_IMG)},
                   findings=findings)


def big_app(n_screens: int = 500) -> AppSpec:
    """A wide app for the benchmark: a tree of n screens, 3 rows each, a few findings."""
    screens: dict[str, tuple[str, list[tuple[str, str | None]]]] = {}
    for i in range(n_screens):
        children = [c for c in (2 * i + 1, 2 * i + 2) if c < n_screens]
        rows: list[tuple[str, str | None]] = [(f"条目 {c}", f"s{c}") for c in children]
        rows.append((f"说明文字 {i}", None))
        if i == 1:
            rows.append(("首页", "s0"))  # a tab back home: s0 is the main screen
        screens[f"s{i}"] = (f"页面 {i}", rows)
    last = f"s{n_screens - 1}"
    findings = [("hidden_auto_renewal", "medium", f"s{i}", f"说明文字 {i}", "small renewal text",
                 {"contrast": 2.0}, ["CA-ARL-CLEAR-CONSPICUOUS"]) for i in range(0, n_screens, 10)]
    return AppSpec(package="com.example.big", label="大应用", start="s0", screens=screens,
                   goals={"cancel_subscription": (last, f"说明文字 {n_screens - 1}")},
                   findings=findings)
