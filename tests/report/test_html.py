"""The static report as written to disk: files, escaping, geometry of overlays and path marks."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import synthrun
from PIL import Image

from darkscan.cli import main
from darkscan.report import load_run, write_report
from darkscan.report.layout import LAYER_GAP, MARGIN, layered_layout

lxml_html = pytest.importorskip("lxml.html")


def _copy(run: Path, dest: Path, *skip: str) -> Path:
    shutil.copytree(run, dest, ignore=shutil.ignore_patterns("report", *skip))
    return dest


@pytest.fixture(scope="module")
def dark_report(dark_run: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    run = _copy(dark_run, tmp_path_factory.mktemp("dr") / "run")
    assert main(["report", str(run)]) == 0
    return run / "report" / "index.html"


def X(tag: str, cls: str, axis: str = ".//") -> str:
    """XPath for ``tag.cls`` below the context node (no cssselect dependency)."""
    return f"{axis}{tag}[contains(concat(' ', normalize-space(@class), ' '), ' {cls} ')]"


def _pct(style: str) -> dict[str, float]:
    return {k: float(v) for k, v in re.findall(r"(left|top|width|height):([\d.]+)%", style)}


def test_report_is_self_contained(dark_report: Path, dark_run: Path) -> None:
    doc = lxml_html.parse(str(dark_report)).getroot()
    refs = [e.get(a) for e in doc.iter() if isinstance(e.tag, str)
            for a in ("src", "href") if e.get(a)]
    local = [r for r in refs if not r.startswith("#")]
    assert local, "report references no local files"
    for ref in local:
        assert "://" not in ref and not ref.startswith("//"), ref
        assert (dark_report.parent / ref).is_file(), ref
    css = [r for r in local if r.endswith(".css")]
    js = [r for r in local if r.endswith(".js")]
    assert len(css) == 1 and re.fullmatch(r"report\.[0-9a-f]{10}\.css", css[0])
    assert len(js) == 1 and re.fullmatch(r"report\.[0-9a-f]{10}\.js", js[0])
    screens = list((dark_run / "screens").glob("*.png"))
    thumbs = list((dark_report.parent / "img").glob("*-t.jpg"))
    assert len(thumbs) == len(screens)
    with Image.open(thumbs[0]) as im:  # reduced by a whole factor towards 160 px
        assert im.width <= synthrun.WIDTH // 2


def test_finding_overlay_matches_its_bbox(dark_report: Path, dark_run: Path) -> None:
    doc = lxml_html.parse(str(dark_report)).getroot()
    findings = json.loads((dark_run / "findings.json").read_text(encoding="utf-8"))["findings"]
    items = doc.xpath(X("li", "finding"))
    assert len(items) == len(findings)
    for li in items:
        msg = li.xpath(X("p", "message"))[0].text_content()
        f = next(f for f in findings if f["message"] == msg)
        frame = li.xpath(X("*", "shot-frame"))[0]
        w, h = int(frame.get("data-w")), int(frame.get("data-h"))
        assert (w, h) == (synthrun.WIDTH, synthrun.HEIGHT)
        box = _pct(li.xpath(X("*", "shot-frame") + X("*", "box", "/"))[0].get("style"))
        x1, y1, x2, y2 = f["bbox"]
        assert box["left"] == pytest.approx(100 * x1 / w, abs=0.01)
        assert box["top"] == pytest.approx(100 * y1 / h, abs=0.01)
        assert box["width"] == pytest.approx(100 * (x2 - x1) / w, abs=0.01)
        assert box["height"] == pytest.approx(100 * (y2 - y1) / h, abs=0.01)
        # the overlay is drawn by the page, not burned into the image copy
        assert li.xpath(X("*", "shot-frame") + "/img")[0].get("src").startswith("img/")


def test_evidence_and_regulations_in_words(dark_report: Path) -> None:
    text = lxml_html.parse(str(dark_report)).getroot().text_content()
    assert "Text contrast: 2.1:1" in text
    assert "Steps: 6 steps" in text and "Allowed steps: 4 steps" in text
    assert "Ticked by default: yes" in text
    assert "California Automatic Renewal Law" in text
    assert "Pre-ticked consent is not consent" in text


def test_cancel_path_marks_each_tapped_row(dark_report: Path, dark_run: Path) -> None:
    doc = lxml_html.parse(str(dark_report)).getroot()
    metrics = json.loads((dark_run / "metrics.json").read_text(encoding="utf-8"))
    goal = metrics["goals"]["cancel_subscription"]
    art = doc.xpath(X("article", "path") + '[@data-goal="cancel_subscription"]')[0]
    steps = art.xpath(X("li", "step"))
    assert len(steps) == goal["steps"] == 6
    screens = {p.stem: json.loads(p.read_text(encoding="utf-8"))
               for p in (dark_run / "screens").glob("*.json")}
    for li, p in zip(steps, goal["path"]):
        label = re.search(r"'(.+)'", p["action"]).group(1)
        widget = next(w for w in screens[p["screen"]]["widgets"] if w["text"] == label)
        box = _pct(li.xpath(X("*", "box"))[0].get("style"))
        assert box["top"] == pytest.approx(100 * widget["bounds"][1] / synthrun.HEIGHT, abs=0.01)
        assert label in li.text_content()


def test_goal_table_and_gate_table(dark_report: Path) -> None:
    doc = lxml_html.parse(str(dark_report)).getroot()
    rows = {r.get("data-goal"): r for r in doc.xpath('//table[@id="goal-table"]/tbody/tr')}
    assert rows["cancel_subscription"].get("class") == "found"
    assert rows["cancel_subscription"].xpath("td")[2].text_content() == "6"
    assert rows["recommendation_off"].get("class") == "missing"
    assert "explored" in rows["recommendation_off"].text_content()
    gate = {r.xpath("td")[0].text_content(): r.get("class")
            for r in doc.xpath(X("table", "gate") + "/tbody/tr")}
    assert gate["max-cancel-steps"] == "outcome-fail"


def test_graph_is_layered_by_tap_depth(dark_run: Path, dark_report: Path) -> None:
    run = load_run(dark_run)
    layout = layered_layout(run.graph, "home")
    depth = {"home": 0, "vip": 1, "me": 1, "settings": 2, "account": 3, "manage": 4, "renew": 5}
    for sid, d in depth.items():
        assert layout.positions[sid][0] == MARGIN + d * LAYER_GAP
    doc = lxml_html.parse(str(dark_report)).getroot()
    on_path = doc.xpath('//*[local-name()="a"][contains(@class,"node")]'
                        '[contains(@class,"on-path")]')
    assert len(on_path) == len(depth)  # every screen lies on some goal path here
    assert len(doc.xpath('//*[local-name()="line"][contains(@class,"on-path")]')) >= 5


def test_app_text_is_escaped(xss_run: Path, tmp_path: Path) -> None:
    run = _copy(xss_run, tmp_path / "run")
    index = write_report(load_run(run))
    html = index.read_text(encoding="utf-8")
    for bad in (synthrun.XSS_SCRIPT, synthrun.XSS_IMG, "<svg onload", "</script><script>"):
        assert bad not in html
    assert "&lt;script&gt;window.__xss" in html
    doc = lxml_html.fromstring(html)
    scripts = doc.xpath("//script")
    assert [s.get("type") or s.get("src")[:7] for s in scripts] == ["application/json", "report."]
    assert not doc.xpath("//img[@onerror]") and not doc.xpath("//*[@onload]")
    block = scripts[0].text
    assert "<" not in block and ">" not in block
    data = json.loads(block)
    labels = {s["label"] for s in data["screens"].values()}
    assert any("<script>" in label for label in labels)  # the text survives, as text


def test_not_analysed_and_missing_files(dark_run: Path, tmp_path: Path) -> None:
    run = _copy(dark_run, tmp_path / "run", "findings.json")
    index = write_report(load_run(run))
    doc = lxml_html.parse(str(index)).getroot()
    assert doc.xpath('//*[@id="not-analysed"]')
    assert not doc.xpath(X("li", "finding"))
    bare = tmp_path / "bare"
    bare.mkdir()
    shutil.copy(dark_run / "run.json", bare / "run.json")
    assert main(["report", str(bare)]) == 0
    text = (bare / "report" / "index.html").read_text(encoding="utf-8")
    assert "No metrics.json yet" in text


def test_chinese_ui(dark_run: Path, tmp_path: Path) -> None:
    run = _copy(dark_run, tmp_path / "run")
    assert main(["report", str(run), "--lang", "zh"]) == 0
    doc = lxml_html.parse(str(run / "report" / "index.html")).getroot()
    assert doc.get("lang") == "zh-Hans"
    text = doc.text_content()
    for s in ("发现的问题", "取消订阅（自动续费）", "文字对比度：2.1:1", "界面关系图", "默认勾选"):
        assert s in text
    assert "Findings" not in text


def test_bad_language_and_run(tmp_path: Path, dark_run: Path,
                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(dark_run), "--lang", "fr", "--out", str(tmp_path / "o")]) == 2
    assert "unknown report language" in capsys.readouterr().err
    assert main(["report", str(tmp_path / "missing")]) == 2
