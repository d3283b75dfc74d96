"""Data generation: a loaded run (+ gate verdicts) -> the page data the templates print."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import datetime, timezone
from typing import Any, Mapping

from darkscan import __version__ as DARKSCAN_VERSION
from darkscan.detect.finding import Finding, Severity
from darkscan.detect.regulations import REGULATIONS
from darkscan.report.data import (
    Count,
    Fact,
    FindingView,
    GateRow,
    GoalRow,
    GraphEdge,
    GraphNode,
    GraphView,
    Image,
    Mark,
    Overview,
    PathStepView,
    PathView,
    RegulationRef,
    ReportPage,
    ScreenView,
)
from darkscan.report.evidence import describe_evidence, plain
from darkscan.report.gate import GateResult
from darkscan.report.goals import GoalSteps, goal_steps
from darkscan.report.i18n import Translator
from darkscan.report.images import Scaled
from darkscan.report.layout import layered_layout, pick_start
from darkscan.report.load import RunData, Screen, Step

TAP_MARK_PX = 48  # side of the square drawn round a bare tap point
LABEL_CHARS = 18


def script_json(value: Any) -> str:
    """JSON safe to place inside <script type="application/json"> (no </script>, no <!--)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                    ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def _short(text: str, n: int = LABEL_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _named_label(text: str) -> str | None:
    """The widget label an action description names: "tap '设置'" or "tap 设置" -> "设置"."""
    m = re.search(r"['\"“‘「](.+?)['\"”’」]", text)
    if m:
        return m.group(1).strip()
    m = re.match(r"\s*tap[: ]\s*(.+)", text)
    return m.group(1).strip() if m else None


def screen_label(screen: Screen | None, sid: str) -> str:
    if screen is None:
        return sid
    title = screen.info.get("title")
    if isinstance(title, str) and title.strip():
        return _short(title)
    texts = screen.texts
    return _short(texts[0]) if texts else sid


class _Builder:
    def __init__(self, run: RunData, t: Translator, scaled: Mapping[str, Scaled],
                 gate: GateResult | None) -> None:
        self.run, self.t, self.gate = run, t, gate
        # Screens known from any source, in a stable order; anchors never contain app text.
        ids: list[str] = list(run.screens)
        if run.graph is not None:
            ids += [str(n) for n in run.graph.nodes if str(n) not in run.screens]
        self.ids = list(dict.fromkeys(ids))
        self.anchor = {sid: f"screen-{i + 1}" for i, sid in enumerate(self.ids)}
        self.scaled = scaled  # keyed by screen id
        self.step_between: dict[tuple[str, str], Step] = {}
        for st in run.steps:
            if st.source is not None and st.target is not None:
                self.step_between.setdefault((str(st.source), str(st.target)), st)

    # -- helpers -------------------------------------------------------------------------------
    def image(self, sid: str | None, thumb: bool = False) -> Image | None:
        s = self.scaled.get(sid) if sid is not None else None
        if s is None:
            return None
        return Image(src=f"img/{s.thumb if thumb else s.view}", width=s.width, height=s.height)

    def label(self, sid: str) -> str:
        return screen_label(self.run.screens.get(sid), sid)

    def reason(self, reason: Any) -> str:
        if not reason:
            return ""
        key = f"reason.{reason}"
        return self.t(key) if self.t.has(key) else str(reason)

    def goal_label(self, name: str) -> str:
        return self.t(f"goal.{name}")

    def action_text(self, action: Any) -> str:
        if not isinstance(action, Mapping):
            return str(action) if action else ""
        kind = str(action.get("kind", ""))
        target = action.get("target") if isinstance(action.get("target"), Mapping) else {}
        text = str(target.get("text") or target.get("desc") or "").strip()
        if kind == "tap":
            where = self.t("tap_at", x=action.get("x", "?"), y=action.get("y", "?"))
            return f"{where} “{_short(text, 30)}”" if text else where
        if kind == "back":
            return self.t("back")
        if kind == "swipe":
            return self.t("swipe")
        if kind in ("start", "launch", "app_start"):
            return self.t("start")
        return kind

    def _mark_box(self, box: Any, sid: str) -> Mark | None:
        s = self.scaled.get(sid)
        if s is None or not isinstance(box, (list, tuple)) or len(box) != 4:
            return None
        return Mark.from_box(tuple(int(v) for v in box), s.width, s.height)

    def _scroll_shift(self, action: Mapping[str, Any], sid: str) -> int:
        """Pixels to add to a tap's y on a long screen's whole image: the offset of the
        viewport its widget was tapped in (screens/<id>.json ``segments``)."""
        screen = self.run.screens.get(sid)
        if screen is None or not screen.info.get("segments"):
            return 0
        target = action.get("target") if isinstance(action.get("target"), Mapping) else {}
        bounds = list(target.get("bounds") or ())
        scroll = next((w.get("scroll", 0) for w in screen.info.get("widgets") or ()
                       if isinstance(w, Mapping) and bounds and list(w.get("bounds") or ()) == bounds
                       and w.get("label") == target.get("text")), 0)
        return next((int(g.get("offset", 0)) for g in screen.info["segments"]
                     if isinstance(g, Mapping) and g.get("scroll") == scroll), 0)

    def _mark_action(self, action: Mapping[str, Any], sid: str) -> Mark | None:
        target = action.get("target") if isinstance(action.get("target"), Mapping) else {}
        dy = self._scroll_shift(action, sid)
        b = target.get("bounds")
        if isinstance(b, (list, tuple)) and len(b) == 4:
            return self._mark_box((b[0], b[1] + dy, b[2], b[3] + dy), sid)
        x, y = action.get("x"), action.get("y")
        if isinstance(x, (int, float)) and isinstance(y, (int, float)):
            h = TAP_MARK_PX // 2
            y = int(y) + dy
            return self._mark_box((int(x) - h, y - h, int(x) + h, y + h), sid)
        return None

    def action_mark(self, action: Any, sid: str, next_sid: str | None) -> Mark | None:
        """Where the path's tap landed: the action's own target, else the crawl step that led
        from this screen to the next one, else the widget whose text the action names."""
        if sid not in self.scaled:
            return None
        if isinstance(action, Mapping):
            mark = self._mark_action(action, sid)
            if mark is not None:
                return mark
        if next_sid is not None:
            step = self.step_between.get((sid, next_sid))
            if step is not None:
                mark = self._mark_action(step.action, sid)
                if mark is not None:
                    return mark
        label = _named_label(action) if isinstance(action, str) else None
        screen = self.run.screens.get(sid)
        if label and screen is not None:
            for w in screen.info.get("widgets", ()):
                if isinstance(w, Mapping) and str(w.get("text") or "").strip() == label:
                    return self._mark_box(w.get("bounds"), sid)
        return None

    # -- sections ------------------------------------------------------------------------------
    def overview(self) -> Overview:
        t, run = self.t, self.run
        dev = run.run.get("device") or {}
        device = " · ".join(str(v) for v in (
            dev.get("model"), f"Android {dev['android']}" if dev.get("android") else None,
            f"{dev['width']}×{dev['height']}" if dev.get("width") else None,
            f"{dev['density']}x" if dev.get("density") else None,
            dev.get("serial")) if v)
        facts = [Fact(t("package"), run.app_package), Fact(t("device"), device),
                 Fact(t("date"), str(run.run.get("started") or "")),
                 Fact(t("finished"), str(run.run.get("finished") or "—")),
                 Fact(t("status"), str(run.run.get("status") or "—"))]
        src = run.info.source
        if src is not None:  # crawled by another tool, imported with `darkscan import`
            facts.append(Fact(t("imported"), t("imported_from").format(
                tool=src.tool, path=src.path, warnings=src.warnings)))
        coverage_raw = (run.metrics or {}).get("coverage") or {}
        coverage = tuple(Fact(*plain(str(k), v, t)) for k, v in coverage_raw.items()) \
            if isinstance(coverage_raw, Mapping) else ()
        return Overview(app_label=run.app_label, package=run.app_package,
                        facts=tuple(f for f in facts if f.value), coverage=coverage,
                        by_severity=self.severity_counts(), by_category=self.category_counts())

    def severity_counts(self) -> tuple[Count, ...]:
        c = Counter(f.severity for f in self.run.findings or ())
        return tuple(Count(s.value, t_, c[s]) for s in Severity
                     for t_ in [self.t(f"sev.{s.value}")] if c[s])

    def category_counts(self) -> tuple[Count, ...]:
        c = Counter(f.category for f in self.run.findings or ())
        return tuple(Count(cat.value, self.t(f"cat.{cat.value}"), n)
                     for cat, n in sorted(c.items(), key=lambda kv: (-kv[1], kv[0].value)))

    def goals(self, counted: Mapping[str, GoalSteps]) -> tuple[GoalRow, ...]:
        rows = []
        for i, (name, g) in enumerate(counted.items()):
            rows.append(GoalRow(name=name, label=self.goal_label(name), found=g.found,
                                steps=g.steps, from_launch=g.from_launch, skipped=g.skipped,
                                reason=self.reason(g.reason), anchor=f"path-{i + 1}",
                                verified=g.verified, unverified_reason=g.unverified_reason,
                                first_launch_only=g.first_launch_only))
        return tuple(rows)

    def finding(self, i: int, f: Finding) -> FindingView:
        sid = f.screen
        img = self.image(sid) if sid else None
        mark = Mark.from_box(f.bbox.as_list(), img.width, img.height) \
            if img is not None and not f.bbox.empty else None
        regs = tuple(RegulationRef(k, r.instrument, r.provision, r.jurisdiction) if r
                     else RegulationRef(k, k, "", "") for k in f.regulations
                     for r in [REGULATIONS.get(k)])
        return FindingView(
            id=f"f{i + 1}", category=f.category.value,
            category_label=self.t(f"cat.{f.category.value}"), rule=f.rule,
            severity=f.severity.value, severity_label=self.t(f"sev.{f.severity.value}"),
            message=f.message, evidence=describe_evidence(f.evidence, self.t), regulations=regs,
            screen=sid or "", screen_anchor=self.anchor.get(sid, "") if sid else "",
            image=img, mark=mark)

    def findings(self) -> tuple[FindingView, ...]:
        ordered = sorted(self.run.findings or (), key=lambda f: (-f.severity.rank,
                                                                 f.category.value))
        return tuple(self.finding(i, f) for i, f in enumerate(ordered))

    def paths(self, goals: tuple[GoalRow, ...]) -> tuple[PathView, ...]:
        out = []
        for row in goals:
            raw = self.run.goals[row.name].get("path") or []  # goals() came from run.goals
            items = [p for p in (raw if isinstance(raw, list) else []) if isinstance(p, Mapping)]
            steps = []
            for j, p in enumerate(items):
                sid = str(p.get("screen", ""))
                nxt = str(items[j + 1].get("screen", "")) if j + 1 < len(items) else None
                action = p.get("action")
                steps.append(PathStepView(
                    index=j + 1 - row.skipped, screen=self.label(sid),
                    screen_anchor=self.anchor.get(sid, ""), action=self.action_text(action),
                    image=self.image(sid, thumb=True), mark=self.action_mark(action, sid, nxt),
                    prelude=j < row.skipped))
            out.append(PathView(goal=row.name, label=row.label, anchor=row.anchor,
                                found=row.found, reason=row.reason, steps=tuple(steps),
                                counted=row.steps))
        return tuple(out)

    def path_screens(self) -> dict[str, list[str]]:
        out = {}
        for name, g in self.run.goals.items():
            raw = g.get("path") if isinstance(g, Mapping) else None
            if isinstance(raw, list) and raw:
                out[name] = [str(p.get("screen")) for p in raw if isinstance(p, Mapping)]
        return out

    def graph(self) -> GraphView | None:
        g = self.run.graph
        if g is None:
            return None
        hint = (self.run.metrics or {}).get("root") or g.graph.get("root") or \
            (self.run.steps[0].source if self.run.steps else None)
        start = pick_start(g, hint)
        layout = layered_layout(g, start)
        paths = self.path_screens()
        gid = {name: f"g{i + 1}" for i, name in enumerate(paths)}
        node_goals: dict[str, list[str]] = {}
        edge_goals: dict[tuple[str, str], list[str]] = {}
        for name, chain in paths.items():
            for sid in chain:
                node_goals.setdefault(sid, []).append(gid[name])
            for a, b in zip(chain, chain[1:]):
                edge_goals.setdefault((a, b), []).append(gid[name])
        nodes = []
        for n in g.nodes:
            x, y = layout.positions[n]
            sid = str(n)
            nodes.append(GraphNode(id=sid, label=self.label(sid), x=x, y=y,
                                   anchor=self.anchor.get(sid, ""),
                                   goals=tuple(dict.fromkeys(node_goals.get(sid, ()))),
                                   start=n == start))
        edges = []
        for u, v in dict.fromkeys((u, v) for u, v in g.edges() if u != v):
            (x1, y1), (x2, y2) = layout.positions[u], layout.positions[v]
            edges.append(GraphEdge(source=str(u), target=str(v), x1=x1, y1=y1, x2=x2, y2=y2,
                                   goals=tuple(dict.fromkeys(edge_goals.get((str(u), str(v)),
                                                                             ())))))
        return GraphView(width=layout.width, height=layout.height, nodes=tuple(nodes),
                         edges=tuple(edges),
                         goals=tuple((gid[k], self.goal_label(k)) for k in paths))

    def screens(self, findings: tuple[FindingView, ...]) -> tuple[ScreenView, ...]:
        by_screen: dict[str, list[FindingView]] = {}
        for f in findings:
            if f.screen:
                by_screen.setdefault(f.screen, []).append(f)
        out = []
        for sid in self.ids:
            s = self.run.screens.get(sid)
            here = by_screen.get(sid, [])
            out.append(ScreenView(
                id=sid, anchor=self.anchor[sid], label=self.label(sid),
                activity=s.activity if s else "", thumb=self.image(sid, thumb=True),
                image=self.image(sid), finding_ids=tuple(f.id for f in here),
                marks=tuple(f.mark for f in here if f.mark is not None)))
        return tuple(out)

    def gate_rows(self) -> tuple[GateRow, ...]:
        if self.gate is None:
            return ()
        return tuple(GateRow(r.rule, r.title, r.outcome.value, self.t(f"outcome.{r.outcome.value}"),
                             r.measured, r.limit, r.message) for r in self.gate.results)


def build_page(run: RunData, *, lang: str, scaled: Mapping[str, Scaled], css: str, js: str,
               gate: GateResult | None = None, now: datetime | None = None,
               goals_counted: Mapping[str, GoalSteps] | None = None) -> ReportPage:
    """``goals_counted``: goal steps from the main screen (default: counted from launch)."""
    t = Translator(lang)
    b = _Builder(run, t, scaled, gate)
    goals = b.goals(goals_counted if goals_counted is not None else goal_steps(run))
    findings = b.findings()
    screens = b.screens(findings)
    data = {
        "screens": {
            s.anchor: {"id": s.id, "label": s.label, "activity": s.activity,
                       "img": s.image.src if s.image else None,
                       "w": s.image.width if s.image else 0, "h": s.image.height if s.image else 0,
                       "findings": [[f.id, f.severity, f.category_label,
                                     *(([f.mark.left, f.mark.top, f.mark.width, f.mark.height])
                                       if f.mark else [])]
                                    for f in findings if f.screen == s.id]}
            for s in screens},
        "strings": {k: t(k) for k in ("close", "findings_here", "activity", "no_screenshot",
                                      "filter.shown")},
    }
    stamp = (now or datetime.now(timezone.utc)).strftime("%Y-%m-%d %H:%M UTC")
    cats = Counter(f.category for f in findings)
    sevs = Counter(f.severity for f in findings)
    return ReportPage(
        lang=t.lang, title=f"{t('title')} · {run.app_label}" if run.app_label else t("title"),
        css=css, js=js, overview=b.overview(), analysed=run.findings is not None,
        has_metrics=run.metrics is not None, goals=goals, findings=findings,
        categories=tuple(Count(c, t(f"cat.{c}"), n) for c, n in sorted(cats.items())),
        severities=tuple(Count(s.value, t(f"sev.{s.value}"), sevs[s.value]) for s in Severity
                         if sevs[s.value]),
        screens_with_findings=tuple(
            Count(s.anchor, s.label, len(s.finding_ids)) for s in screens if s.finding_ids),
        paths=b.paths(goals), graph=b.graph(), screens=screens, gate=b.gate_rows(),
        gate_passed=gate.passed if gate is not None else None,
        footer=t("generated", version=DARKSCAN_VERSION, date=stamp), data_json=script_json(data))


__all__ = ["build_page", "screen_label", "script_json"]
