"""Property tests, one per input kind (hierarchy XML, flow YAML, app YAML, run folder, images):
whatever the input, darkscan either uses it or says what is wrong in one line with exit code 2,
never a traceback, never touches files it was only asked to read, and finishes in bounded time.

Examples are few and bounded in size so the file stays well under a minute on a loaded 2-core
machine; the time bounds are generous (they catch hangs, not slowness).
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from darkscan.analysis import analyze_context, scan_file
from darkscan.cli import main
from darkscan.crawl.flow import load_flow
from darkscan.device.hierarchy import Hierarchy, parse_hierarchy
from darkscan.device.virtual import VirtualDevice
from darkscan.device.virtual.appfile import parse_app
from darkscan.errors import DarkscanError, HierarchyError, InputError
from darkscan.vision.context import ScreenContext

REPO = Path(__file__).resolve().parents[1]
FEW = settings(max_examples=30, deadline=None, derandomize=True,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                      HealthCheck.function_scoped_fixture])
HANG = 30.0  # seconds; any one example taking longer is a hang, not slowness

NASTY_PIECES = st.sampled_from(
    list("\u2028\u2029\u200f\u202e\u202c\u0301\ufeff\u00a0\t\r\n[]/<>&\"'")
    + ["[/]", "[bold]", "😀", "👨‍👩‍👧", "自动续费", "取消", "Subscribe", "\ud800", "\x00"])
NASTY_TEXT = st.lists(st.one_of(NASTY_PIECES, st.text(max_size=4)), max_size=8).map("".join)


def one_line(e: DarkscanError) -> None:
    text = str(e)
    assert text and "\n" not in text and "Traceback" not in text, text
    assert e.exit_code == 2


# ------------------------------------------------------------------ hierarchy XML
def _attr(s: str) -> str:
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
            .encode("utf-8", "surrogatepass").decode("utf-8", "replace"))


@st.composite
def hierarchies(draw: st.DrawFn) -> str:
    """Random uiautomator dumps: chains, fans, huge/inverted/off-screen bounds, nasty text."""
    n = draw(st.integers(1, 400))
    depth_bias = draw(st.floats(0, 1))
    parts, open_ = ['<hierarchy rotation="0">'], 0
    for i in range(n):
        x1, y1 = draw(st.integers(-500, 800)), draw(st.integers(-500, 3000))
        w, h = draw(st.integers(-50, 2000)), draw(st.integers(-50, 3000))
        text = draw(NASTY_TEXT) if draw(st.booleans()) else ""
        cls = draw(st.sampled_from(["android.widget.TextView", "android.widget.Button",
                                    "android.webkit.WebView", "android.view.View",
                                    "android.widget.CheckBox", "android.widget.ImageView"]))
        flags = " ".join(f'{k}="{str(draw(st.booleans())).lower()}"'
                         for k in ("clickable", "checkable", "checked"))
        parts.append(f'<node index="{i}" text="{_attr(text)}" class="{cls}" package="com.x" '
                     f'content-desc="" {flags} bounds="[{x1},{y1}][{x1 + w},{y1 + h}]">')
        open_ += 1
        if draw(st.floats(0, 1)) > depth_bias:
            close = draw(st.integers(1, open_))
            parts.append("</node>" * close)
            open_ -= close
    parts.append("</node>" * open_ + "</hierarchy>")
    return "".join(parts)


@pytest.fixture(scope="module")
def engine():
    from darkscan.vision.ocr import default_engine

    return default_engine()


@FEW
@given(xml=hierarchies())
def test_any_hierarchy_is_analysed_in_bounded_time(xml: str, engine) -> None:
    t0 = time.perf_counter()
    try:
        h = parse_hierarchy(xml)
    except HierarchyError as e:
        one_line(e)
        return
    assert isinstance(h, Hierarchy)
    image = np.full((640, 360, 3), 245, np.uint8)
    image[300:340, 40:320] = (20, 120, 220)
    ctx = ScreenContext(image, h, ocr=engine)
    findings = analyze_context(ctx)
    assert all(f.bbox is not None for f in findings)
    assert all("\n" not in w for w in ctx.warnings)
    assert time.perf_counter() - t0 < HANG


# ------------------------------------------------------------------ flow YAML
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                    st.floats(allow_nan=True), NASTY_TEXT)
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(NASTY_TEXT, inner, max_size=4)), max_leaves=20)
FLOW_KEYS = ["name", "target", "setup", "goals", "budget", "safety", "gate", "thresholds",
             "typo"]


@st.composite
def flow_texts(draw: st.DrawFn) -> str:
    doc = {k: draw(VALUES) for k in draw(st.lists(st.sampled_from(FLOW_KEYS), max_size=5))}
    if draw(st.booleans()):
        doc["target"] = {"app": "bundled:kanju_zh"}
    try:
        text = yaml.safe_dump(doc, allow_unicode=True)
    except yaml.YAMLError:
        text = "target: {app: bundled:kanju_zh}\n"
    if draw(st.booleans()):  # and then break the text itself
        i = draw(st.integers(0, len(text)))
        text = text[:i] + draw(st.sampled_from(["[", "{", ": :", "\t", "&a *a", "- ", "\"",
                                                "[" * 200, "\u2029", "!!python/object:os.system"]
                                               )) + text[i:]
    return text


@FEW
@given(text=flow_texts())
def test_any_flow_file_loads_or_is_one_line(text: str, tmp_path: Path) -> None:
    p = tmp_path / "flow.yaml"
    p.write_text(text, encoding="utf-8", errors="surrogatepass")
    t0 = time.perf_counter()
    try:
        load_flow(p)
    except InputError as e:
        one_line(e)
    assert time.perf_counter() - t0 < HANG


# ------------------------------------------------------------------ app YAML
APP_TEXT = (REPO / "tests" / "apps" / "_mini.yaml").read_text(encoding="utf-8")


@st.composite
def app_texts(draw: st.DrawFn) -> str:
    lines = APP_TEXT.splitlines()
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["delete", "dup", "text", "nest", "char"]))
        i = draw(st.integers(0, max(0, len(lines) - 1)))
        if op == "delete" and lines:
            del lines[i]
        elif op == "dup" and lines:
            lines.insert(i, lines[i])
        elif op == "text" and lines and "text:" in lines[i]:
            head = lines[i].split("text:", 1)[0]
            lines[i] = head + "text: " + json.dumps(draw(NASTY_TEXT)) + "}" * lines[i].count("{")
        elif op == "nest":
            lines.insert(i, "x: " + "[" * draw(st.integers(1, 300)))
        elif lines:
            line = lines[i]
            j = draw(st.integers(0, len(line)))
            lines[i] = line[:j] + draw(st.sampled_from(["\u2029", ":", "{", "'", "&", "\x00"])) \
                + line[j:]
    return "\n".join(lines) + "\n"


@FEW
@given(text=app_texts())
def test_any_app_file_renders_or_is_one_line(text: str) -> None:
    t0 = time.perf_counter()
    try:
        app = parse_app(text, "app.yaml")
    except InputError as e:
        one_line(e)
        return
    dev = VirtualDevice([app])
    dev.app_start(app.package)
    assert dev.screenshot().ndim == 3
    parse_hierarchy(dev.dump_hierarchy())
    assert time.perf_counter() - t0 < HANG


# ------------------------------------------------------------------ run folders
@pytest.fixture(scope="module")
def small_run(tmp_path_factory: pytest.TempPathFactory,
              crawl_tiny: Callable[[Path, str], Path]) -> Path:
    return crawl_tiny(tmp_path_factory.mktemp("fuzzrun"),
                      "target: {app: bundled:kanju_zh}\nbudget: {max_steps: 12}\n")




def _mutate_json(value, draw):  # type: ignore[no-untyped-def]
    """Replace one value somewhere inside ``value`` by random JSON."""
    if isinstance(value, dict) and value and draw(st.booleans()):
        k = draw(st.sampled_from(sorted(value)))
        return {**value, k: _mutate_json(value[k], draw)}
    if isinstance(value, list) and value and draw(st.booleans()):
        i = draw(st.integers(0, len(value) - 1))
        return value[:i] + [_mutate_json(value[i], draw)] + value[i + 1:]
    return draw(st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.text(
        max_size=5)), lambda x: st.one_of(st.lists(x, max_size=3),
                                          st.dictionaries(st.text(max_size=5), x, max_size=3)),
        max_leaves=5))


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha1(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@FEW
@given(data=st.data())
def test_any_run_folder_is_read_or_one_line(data: st.DataObject, small_run: Path,
                                            tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    run = tmp_path / f"run{time.monotonic_ns()}"
    shutil.copytree(small_run, run)
    names = sorted(str(p.relative_to(run)) for p in run.rglob("*.json*"))
    name = data.draw(st.sampled_from(names))
    p = run / name
    how = data.draw(st.sampled_from(["truncate", "value", "delete", "garbage"]))
    raw = p.read_bytes()
    if how == "truncate":
        p.write_bytes(raw[:data.draw(st.integers(0, len(raw)))])
    elif how == "delete":
        p.unlink()
    elif how == "garbage":
        p.write_bytes(data.draw(st.binary(max_size=50)))
    elif name.endswith(".jsonl"):
        lines = raw.decode("utf-8").splitlines()
        i = data.draw(st.integers(0, len(lines) - 1))
        lines[i] = json.dumps(_mutate_json(json.loads(lines[i]), data.draw))
        p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    else:
        p.write_text(json.dumps(_mutate_json(json.loads(raw), data.draw)), encoding="utf-8")
    before = _digest(run)
    t0 = time.perf_counter()
    capsys.readouterr()
    rc = main(["gate", str(run)])
    _, err = capsys.readouterr()
    assert "Traceback" not in err
    assert rc in (0, 1, 2), err
    if rc == 2:
        errors = [ln for ln in err.splitlines() if ln.startswith("darkscan: error:")]
        assert len(errors) == 1, err
    assert _digest(run) == before  # reading never changes the folder
    assert time.perf_counter() - t0 < HANG


# ------------------------------------------------------------------ images
@st.composite
def image_files(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["random", "png", "truncated", "header", "mode"]))
    if kind == "random":
        return draw(st.binary(max_size=300))
    w, h = draw(st.integers(1, 160)), draw(st.integers(1, 160))
    arr = np.asarray(draw(st.lists(st.integers(0, 255), min_size=3, max_size=3)), np.uint8)
    img = Image.fromarray(np.broadcast_to(arr, (h, w, 3)).copy())
    if kind == "mode":
        img = img.convert(draw(st.sampled_from(["L", "LA", "P", "RGBA", "I", "F", "1", "CMYK"])))
    buf = io.BytesIO()
    fmt = "TIFF" if img.mode in ("I", "F", "CMYK") else "PNG"
    img.save(buf, fmt)
    data = buf.getvalue()
    if kind == "truncated":
        return data[:draw(st.integers(0, len(data)))]
    if kind == "header":  # a PNG whose header claims enormous dimensions
        big = draw(st.integers(50_000, 2**31 - 1)).to_bytes(4, "big")
        return data[:16] + big + big + data[24:]
    return data


@FEW
@given(blob=image_files())
def test_any_image_file_is_scanned_or_one_line(blob: bytes, tmp_path: Path, engine) -> None:
    p = tmp_path / "shot.png"
    p.write_bytes(blob)
    t0 = time.perf_counter()
    r = scan_file(p, ocr=engine)
    if r.error is not None:
        assert "\n" not in r.error and str(p) in r.error
    else:
        assert r.width > 0 and r.height > 0
    assert p.read_bytes() == blob
    assert time.perf_counter() - t0 < HANG
