"""Page data: everything the templates show, already computed, translated and laid out.

Templates only loop and print these values (autoescaped); no logic lives there. Image paths
are relative to ``report/index.html``. Boxes are in pixels of the original screenshot; the page
scales them by the screenshot's size (``width``/``height``), not the thumbnail's.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Image:
    """A downscaled copy of a screenshot inside report/, plus the original's size."""

    src: str
    width: int  # original screenshot pixels
    height: int


@dataclass(frozen=True)
class Mark:
    """A box to overlay on a screenshot, as percentages of its size (CSS left/top/width/height)."""

    left: float
    top: float
    width: float
    height: float

    @classmethod
    def from_box(cls, box: tuple[int, int, int, int], width: int, height: int) -> Mark:
        x1, y1, x2, y2 = box
        w, h = max(width, 1), max(height, 1)
        x1, x2 = sorted((min(max(x1, 0), w), min(max(x2, 0), w)))
        y1, y2 = sorted((min(max(y1, 0), h), min(max(y2, 0), h)))
        return cls(round(100 * x1 / w, 3), round(100 * y1 / h, 3),
                   round(100 * (x2 - x1) / w, 3), round(100 * (y2 - y1) / h, 3))

    @property
    def style(self) -> str:
        return (f"left:{self.left}%;top:{self.top}%;width:{self.width}%;"
                f"height:{self.height}%")


@dataclass(frozen=True)
class Count:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class Fact:
    label: str
    value: str


@dataclass(frozen=True)
class Overview:
    app_label: str
    package: str
    facts: tuple[Fact, ...]
    coverage: tuple[Fact, ...]
    by_severity: tuple[Count, ...]
    by_category: tuple[Count, ...]


@dataclass(frozen=True)
class GoalRow:
    name: str
    label: str
    found: bool
    steps: int | None  # from the main screen when it is on the path
    from_launch: int | None
    skipped: int  # path steps before the main screen (splash ad, consent dialog ...)
    reason: str
    anchor: str  # id of its path section
    verified: bool | None = None  # the path replayed from a cold start (None: not replayed)
    unverified_reason: str = ""
    first_launch_only: str = ""   # verified by the first launch only: why later launches can't


@dataclass(frozen=True)
class RegulationRef:
    key: str
    instrument: str
    provision: str
    jurisdiction: str


@dataclass(frozen=True)
class FindingView:
    id: str
    category: str
    category_label: str
    rule: str
    severity: str
    severity_label: str
    message: str
    evidence: tuple[str, ...]
    regulations: tuple[RegulationRef, ...]
    screen: str  # screen id or ""
    screen_anchor: str
    image: Image | None
    mark: Mark | None


@dataclass(frozen=True)
class PathStepView:
    index: int
    screen: str
    screen_anchor: str
    action: str
    image: Image | None
    mark: Mark | None  # the tapped element (or a small square round the tap point)
    prelude: bool = False  # a step before the main screen (not counted)


@dataclass(frozen=True)
class PathView:
    goal: str
    label: str
    anchor: str
    found: bool
    reason: str
    steps: tuple[PathStepView, ...]
    counted: int | None  # steps from the main screen (what the gate measures)


@dataclass(frozen=True)
class GraphNode:
    id: str
    label: str
    x: float
    y: float
    anchor: str
    goals: tuple[str, ...]  # ids ("g1") of the goal paths through this node
    start: bool


@dataclass(frozen=True)
class GraphEdge:
    source: str
    target: str
    x1: float
    y1: float
    x2: float
    y2: float
    goals: tuple[str, ...]


@dataclass(frozen=True)
class GraphView:
    width: float
    height: float
    nodes: tuple[GraphNode, ...]
    edges: tuple[GraphEdge, ...]
    goals: tuple[tuple[str, str], ...]  # (goal id "g1", label) for goals that have a path

    @property
    def display_height(self) -> int:
        """CSS height of the drawing: the graph's own height, between 240 and 640 px."""
        return int(min(max(self.height, 240), 640))


@dataclass(frozen=True)
class ScreenView:
    id: str
    anchor: str
    label: str
    activity: str
    thumb: Image | None
    image: Image | None
    finding_ids: tuple[str, ...]
    marks: tuple[Mark, ...]


@dataclass(frozen=True)
class GateRow:
    rule: str
    title: str
    outcome: str
    outcome_label: str
    measured: str
    limit: str
    message: str


@dataclass(frozen=True)
class ReportPage:
    lang: str
    title: str
    css: str
    js: str
    overview: Overview
    analysed: bool
    has_metrics: bool
    goals: tuple[GoalRow, ...]
    findings: tuple[FindingView, ...]
    categories: tuple[Count, ...]  # filter options
    severities: tuple[Count, ...]
    screens_with_findings: tuple[Count, ...]  # key = screen anchor
    paths: tuple[PathView, ...]
    graph: GraphView | None
    screens: tuple[ScreenView, ...]
    gate: tuple[GateRow, ...]
    gate_passed: bool | None
    footer: str
    data_json: str  # already escaped for a <script type="application/json"> block
