"""Inputs that cannot hurt (issue #13.4): every hang and traceback the issue names, through the
real CLI on real files. Each test here failed on main before the fix (hang, traceback, exit 0 or
a wrapped line).
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from darkscan.cli import main
from darkscan.device.hierarchy import MAX_DEPTH, MAX_NODES, parse_hierarchy

REPO = Path(__file__).resolve().parents[1]
APP = "target: {app: bundled:kanju_zh}\n"


def _bench_inputs():  # bench/inputs.py: the dump generators the bench measures with
    spec = importlib.util.spec_from_file_location("bench_inputs", REPO / "bench" / "inputs.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


inputs = _bench_inputs()


def _run(argv: list[str], cwd: Path, capsys: pytest.CaptureFixture[str],
         monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    monkeypatch.chdir(cwd)
    capsys.readouterr()
    rc = main(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return rc, out, err


def _error_line(err: str) -> str:
    lines = [ln for ln in err.splitlines() if ln.startswith("darkscan: error:")]
    assert len(lines) == 1, err
    return lines[0]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory,
        crawl_tiny: Callable[[Path, str], Path]) -> Path:
    """One real finished run (kanju_zh on the virtual device, 5 steps)."""
    return crawl_tiny(tmp_path_factory.mktemp("hostile"), APP + "budget: {max_steps: 5}\n")


def _copy(run: Path, tmp_path: Path, name: str = "copy") -> Path:
    dst = tmp_path / name
    shutil.copytree(run, dst)
    return dst


# ------------------------------------------------------------------ hierarchy size and depth
@pytest.fixture(scope="module")
def dumps(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return inputs.make_inputs(tmp_path_factory.mktemp("dumps"), 100_000, 5_000)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["flat100000", "deep5000", "bushy4000x1000"])
def test_scan_of_huge_hierarchies_is_bounded(dumps: dict[str, Path], name: str,
                                             tmp_path: Path) -> None:
    """100k views, 5,000 deep, 4,000 views in 1,000-deep branches: `scan --xml` finishes with
    findings JSON and a one-line warning for what was cut (main: minutes / out of memory)."""
    t0 = time.perf_counter()
    p = subprocess.run([sys.executable, "-m", "darkscan", "scan", str(dumps["screen"]),
                        "--xml", str(dumps[name]), "--json"],
                       capture_output=True, text=True, timeout=150,
                       env={**os.environ, "PYTHONPATH": str(REPO / "src"),
                            "DARKSCAN_CACHE_DIR": str(tmp_path / "ocr-cache")})
    seconds = time.perf_counter() - t0
    assert p.returncode == 0, p.stderr
    assert "Traceback" not in p.stderr
    screens = json.loads(p.stdout)["screens"]
    assert "error" not in screens[0]
    warnings = [ln for ln in p.stderr.splitlines() if ln.startswith("darkscan: warning:")]
    assert warnings, p.stderr
    assert screens[0]["warnings"]
    print(f"{name}: {seconds:.1f} s")


def test_hundred_thousand_deep_dump_parses_in_bounded_memory() -> None:
    """main: every node carried its whole path (O(depth^2) memory): out of memory at 100k."""
    h = parse_hierarchy(inputs.deep_dump(100_000))
    assert len(h) == MAX_NODES
    assert max(n.depth for n in h) == MAX_DEPTH
    assert any("deeper than" in w for w in h.warnings)
    assert any("views after the first were left out" in w for w in h.warnings)
    assert max(len(n.path) for n in h) < 40 * MAX_DEPTH


def test_long_texts_are_cut_with_a_warning() -> None:
    xml = inputs._wrap(inputs._node(1, "[0,0][100,100]", text="字" * 50_000))
    h = parse_hierarchy(xml)
    assert len(h.nodes[-1].text) < 50_000
    assert any("longer than" in w for w in h.warnings)


# ------------------------------------------------------------------ YAML and JSON nesting
def test_deeply_nested_flow_and_app_yaml_are_one_line(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """main: RecursionError traceback from PyYAML's recursive composer."""
    (tmp_path / "deep_flow.yaml").write_text("target: " + "[" * 5000 + "]" * 5000 + "\n")
    (tmp_path / "deep_app.yaml").write_text(
        "app: {package: a.b, label: x, start: a}\nscreens: {a: {widgets: ["
        + "[" * 3000 + "]" * 3000 + "]}}\n")
    (tmp_path / "flow_app.yaml").write_text("target: {app: deep_app.yaml}\n")
    rc, _, err = _run(["crawl", "deep_flow.yaml", "--out", "o"], tmp_path, capsys, monkeypatch)
    assert rc == 2 and "deep_flow.yaml: line 1: nests deeper than 64 levels" in _error_line(err)
    rc, _, err = _run(["crawl", "flow_app.yaml", "--out", "o"], tmp_path, capsys, monkeypatch)
    assert rc == 2 and "deep_app.yaml:2: nests deeper than 64 levels" in _error_line(err)
    assert not (tmp_path / "o").exists()


def test_deeply_nested_labels_json_is_one_line(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "labels.json").write_text("[" * 100_000 + "]" * 100_000)
    rc, _, err = _run(["eval", "labels.json"], tmp_path, capsys, monkeypatch)
    assert rc == 2 and "nested too deeply" in _error_line(err)


# ------------------------------------------------------------------ Unicode and markup in app text
UNICODE_APP = """\
app: {package: com.example.uni, label: "Uni\\u2029code", start: a, lang: en}
screens:
  a:
    widgets:
      - {type: text, text: "Line\\u2028sep \\u2029 para \\u200f\\u202eRTL\\u202c e\\u0301\\u0301 \
\\U0001F600\\U0001F468\\u200d\\U0001F469 \\ud800 lone \\t tab\\r\\nCRLF \\x85 NEL"}
      - {type: button, text: "[/] Subscribe [bold]x", tap: {go: b}}
  b:
    widgets:
      - {type: text, text: "Cancel subscription [/]\\u2029done"}
      - {type: button, text: "Cancel subscription", tap: {go: a}}
"""


def test_any_unicode_and_markup_in_app_text(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """main: U+2029 made the renderer's shaper fail (traceback), a U+2029 inside a steps.jsonl
    string split the line on reading, and "[/]" in a label broke Rich printing."""
    (tmp_path / "u.yaml").write_text(UNICODE_APP, encoding="utf-8")
    (tmp_path / "flow.yaml").write_text(
        "target: {app: u.yaml}\nbudget: {max_steps: 6}\n"
        "goals: {cancel_subscription: {labels: ['[/] Subscribe [bold]x']}}\n", encoding="utf-8")
    rc, out, err = _run(["crawl", "flow.yaml", "--out", "run", "--quiet"], tmp_path, capsys,
                        monkeypatch)
    assert rc == 0, err
    assert "tap [/] Subscribe [bold]x" in out  # the label as text, not as markup
    run = tmp_path / "run"
    xmls = [p.read_text("utf-8") for p in (run / "screens").glob("*.xml")]
    assert any("\u2028" in x and "\u2029" in x and "\u200f" in x for x in xmls)
    assert not any("\ud800" in x for x in xmls)  # XML cannot hold a lone surrogate: dropped
    for p in (run / "screens").glob("*.xml"):
        parse_hierarchy(p.read_bytes())
    steps = (run / "steps.jsonl").read_text("utf-8")
    assert "\u2029" in steps or "\\u2029" in steps
    rc, _, err = _run(["gate", "run"], tmp_path, capsys, monkeypatch)
    assert rc in (0, 1), err
    rc, _, err = _run(["report", "run", "--out", "rep"], tmp_path, capsys, monkeypatch)
    assert rc == 0, err


def test_markup_in_paths_and_messages_is_printed_as_text(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """main: rich.errors.MarkupError traceback printing the error line."""
    rc, _, err = _run(["crawl", "x[/]y.yaml", "--out", "o"], tmp_path, capsys, monkeypatch)
    assert rc == 2
    assert "x[/]y.yaml: flow file not found" in _error_line(err)


def test_error_lines_are_not_wrapped_in_pipes(tmp_path: Path) -> None:
    """main: Rich wrapped error lines at 80 columns when stderr was a pipe (CI logs)."""
    long = (tmp_path / ("a-rather-long-folder-name-" * 4)
            / "and-a-flow-file-that-does-not-exist.yaml")
    p = subprocess.run([sys.executable, "-m", "darkscan", "crawl", str(long), "--out", "o"],
                       capture_output=True, text=True, timeout=120, cwd=tmp_path,
                       env={**os.environ, "PYTHONPATH": str(REPO / "src"), "COLUMNS": "80"})
    assert p.returncode == 2
    lines = p.stderr.splitlines()
    assert len(lines) == 1, p.stderr
    assert len(lines[0]) > 100 and lines[0].endswith("flow file not found")


# ------------------------------------------------------------------ analyze
def test_only_with_an_unknown_detector_is_exit_2_and_keeps_findings(
        run: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """main: exit 0 and findings.json overwritten with no findings."""
    r = _copy(run, tmp_path)
    before = '{"findings": [{"kept": true}]}'
    (r / "findings.json").write_text(before, encoding="utf-8")
    rc, _, err = _run(["analyze", str(r), "--only", "naging"], tmp_path, capsys, monkeypatch)
    assert rc == 2
    assert "--only: no detector or category 'naging' (did you mean 'nagging'?)" in _error_line(err)
    assert (r / "findings.json").read_text(encoding="utf-8") == before


class _NoOcr:
    """An OCR engine that fails the test if it is ever asked to read."""

    def __getattr__(self, name: str):
        raise AssertionError(f"OCR used ({name}) before the run folder was validated")


BAD_FILES = {
    "metrics.json": ('{"goals": [1, 2]}', "metrics.json: 'goals' must be an object"),
    "graph.json": ('{"nodes": 5}', "graph.json"),
    "run.json": ('[1]', "run.json: expected a JSON object"),
    "steps.jsonl": ('{"step": 1}\ngarbage\n{"step": 3}\n', "steps.jsonl:2: corrupt JSON"),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_a_corrupt_run_folder_fails_before_ocr(run: Path, tmp_path: Path, name: str) -> None:
    """main: metrics.json and graph.json were read after every screen had been OCR'd."""
    from darkscan.analysis import analyze_run
    from darkscan.errors import RunFolderError

    r = _copy(run, tmp_path)
    text, message = BAD_FILES[name]
    (r / name).write_text(text, encoding="utf-8")
    with pytest.raises(RunFolderError) as e:
        analyze_run(r, ocr=_NoOcr())  # type: ignore[arg-type]
    assert message in str(e.value) and "\n" not in str(e.value)
    assert not (r / "findings.json").exists()


# ------------------------------------------------------------------ full disk, read-only folder
@contextlib.contextmanager
def _tmpfs(where: Path, options: str) -> Iterator[Path]:
    where.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    p = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
                       capture_output=True, text=True)
    if p.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {p.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def _no_half_files(folder: Path) -> None:
    """Whatever a failed write left must be whole: no temp files, every file readable."""
    from PIL import Image

    for p in folder.rglob("*"):
        assert ".tmp" not in p.name, p
        if p.suffix == ".json":
            json.loads(p.read_text("utf-8"))
        elif p.suffix == ".png":
            with Image.open(p) as im:
                im.load()
        elif p.suffix == ".xml":
            parse_hierarchy(p.read_bytes())


def test_full_disk_is_exit_3_and_leaves_no_half_files(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """main: an OSError traceback from PIL or write_text, and a half-written screenshot."""
    (tmp_path / "flow.yaml").write_text(APP + "budget: {max_steps: 40}\n", encoding="utf-8")
    with _tmpfs(tmp_path / "disk", "size=256k") as disk:
        rc, _, err = _run(["crawl", "flow.yaml", "--out", str(disk / "run"), "--quiet"],
                          tmp_path, capsys, monkeypatch)
        assert rc == 3, err
        assert "the disk is full" in _error_line(err)
        _no_half_files(disk / "run")


def test_full_disk_keeps_the_previous_file(run: Path, tmp_path: Path) -> None:
    from darkscan.errors import EnvironmentProblem
    from darkscan.runfolder.files import write_json

    with _tmpfs(tmp_path / "disk", "size=64k") as disk:
        target = disk / "findings.json"
        write_json(target, {"findings": []})
        (disk / "filler").write_bytes(b"\0" * (64 * 1024 - 8192))
        with pytest.raises(EnvironmentProblem, match="disk is full"):
            write_json(target, {"findings": [{"x": "y" * 50_000}]})
        assert json.loads(target.read_text("utf-8")) == {"findings": []}
        _no_half_files(disk)


def test_read_only_output_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "flow.yaml").write_text(APP + "budget: {max_steps: 3}\n", encoding="utf-8")
    with _tmpfs(tmp_path / "ro", "size=64k,ro") as ro:
        rc, _, err = _run(["crawl", "flow.yaml", "--out", str(ro / "run"), "--quiet"],
                          tmp_path, capsys, monkeypatch)
        assert rc == 2, err
        assert "Read-only file system" in _error_line(err)


# ------------------------------------------------------------------ bounded crawl memory (#13.5)
def test_the_crawler_keeps_screenshots_on_disk_not_in_memory(tmp_path: Path) -> None:
    """main: every discovered screen kept its full screenshot (7.8 MB at 1080x2400)."""
    import tracemalloc

    from darkscan.crawl import Budget, virtual_flow
    from darkscan.crawl.crawler import Crawler
    from darkscan.device.virtual import VirtualDevice, load_app
    from darkscan.runfolder.writer import RunWriter
    from darkscan.vision.imageio import load_image

    app_path = REPO / "src" / "darkscan" / "apps" / "fitpro_en.yaml"
    app = load_app(app_path)
    device = VirtualDevice([app])
    writer = RunWriter(tmp_path / "run", resume=False)
    writer.start(package=app.package, label=app.label, device=device.info(), flow=str(app_path))
    crawler = Crawler(device, virtual_flow(app_path, Budget(max_steps=12)), app.package, writer,
                      verify=False)
    tracemalloc.start()
    crawler.run()
    writer.close()
    for cache in device._caches.values():  # the virtual device's own bounded render cache
        cache.clear()
    held = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    assert len(crawler.screens) >= 3
    assert all(s.image is None for s in crawler.screens.values())
    w, h = device.window_size()
    for sid in crawler.screens:
        png = tmp_path / "run" / "screens" / f"{sid}.png"
        if png.is_file():
            assert load_image(png).shape == (h, w, 3)
    # one 1080x1920 screenshot is 6.2 MB: the crawl holds less than one for all its screens
    assert held < w * h * 3, held


def test_report_on_a_full_disk_is_exit_3(run: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    # tmpfs counts whole 4 kB pages: room for the run folder, not for the report's images
    kb = sum(4 * ((p.stat().st_size + 4095) // 4096) if p.is_file() else 4
             for p in run.rglob("*")) + 48
    with _tmpfs(tmp_path / "disk", f"size={kb}k") as disk:
        shutil.copytree(run, disk / "run")
        rc, _, err = _run(["report", str(disk / "run")], tmp_path, capsys, monkeypatch)
        assert rc == 3, err
        assert "the disk is full" in _error_line(err)
        assert not (disk / "run" / "report" / "index.html").exists()
        _no_half_files(disk / "run")
