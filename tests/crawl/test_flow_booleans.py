"""Every boolean in a flow file is a real YAML boolean (issue #13): a quoted "no" is not false.

On the old main ``safety: {allow_password: "no"}`` was truthy and the crawler typed into the
password field of the test app; now the flow does not load (one line, exit 2) and nothing is
typed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from darkscan.cli import main
from darkscan.crawl import load_flow
from darkscan.errors import FlowError

SAFETY_APP = Path(__file__).resolve().parents[1] / "apps" / "safety.yaml"
LOGIN = ("setup:\n  - tap: {text: 我的}\n  - tap: {text: 登录 / 注册}\n"
         "  - type: {resource_id: password, value: hunter2%s}\n")


def _flow(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "f.yaml"
    p.write_text(f"target: {{app: {SAFETY_APP}}}\nbudget: {{max_steps: 30}}\n{body}",
                 encoding="utf-8")
    return p


BAD = ['"no"', '"yes"', "1", '"true"', "0", '"false"', "off_"]


@pytest.mark.parametrize("value", BAD)
@pytest.mark.parametrize("body, key", [
    ("safety: {allow_password: %s}\n", "safety.allow_password"),
    (LOGIN % ", allow_password: %s", "setup[2].type.allow_password"),
    ("goals: {subscribe: {labels: [x], extend: %s}}\n", "goals.subscribe.extend"),
    ("goals: {mine: {labels: [x], tappable: %s}}\n", "goals.mine.tappable"),
    ("setup: [{back: %s}]\n", "setup[0].back"),
])
def test_a_non_boolean_is_a_flow_error(tmp_path: Path, body: str, key: str, value: str) -> None:
    p = _flow(tmp_path, body % value)
    with pytest.raises(FlowError) as e:
        load_flow(p)
    assert e.value.key == key and "expected true" in e.value.problem, str(e.value)


@pytest.mark.parametrize("value, want", [("true", True), ("false", False), ("no", False),
                                         ("yes", True)])
def test_yaml_booleans_load(tmp_path: Path, value: str, want: bool) -> None:
    # unquoted yes/no are YAML 1.1 booleans (PyYAML reads them as such)
    assert load_flow(_flow(tmp_path, f"safety: {{allow_password: {value}}}\n")
                     ).safety.allow_password is want


def test_quoted_no_never_types_a_password(tmp_path: Path,
                                          capsys: pytest.CaptureFixture) -> None:
    p = _flow(tmp_path, 'safety: {allow_password: "no"}\n' + LOGIN % "")
    out = tmp_path / "run"
    assert main(["crawl", str(p), "--out", str(out)]) == 2
    err = " ".join(capsys.readouterr().err.split())  # rich wraps long lines (#13.4)
    assert "Traceback" not in err
    assert "safety.allow_password: expected true or false" in err and "'no'" in err
    assert not (out / "steps.jsonl").exists()  # refused before anything ran


def test_setup_never_taps_a_final_payment(tmp_path: Path) -> None:
    from darkscan.crawl import crawl
    from darkscan.device.virtual import VirtualDevice, load_app
    dev = VirtualDevice([load_app(SAFETY_APP)])
    flow = _flow(tmp_path, "setup:\n  - tap: {text: 我的}\n  - tap: {text: 会员中心}\n"
                           "  - tap: {text: 立即开通}\n  - tap: {text: 确认支付}\n")
    with pytest.raises(FlowError) as e:
        crawl(load_flow(flow), tmp_path / "run", device=dev)
    assert e.value.key == "setup[3]" and "确认支付" in str(e.value)
    assert dev.counters.payments == 0


def test_setup_refuses_password_and_code_fields_without_permission(tmp_path: Path) -> None:
    from darkscan.crawl import crawl
    from darkscan.device.virtual import VirtualDevice, load_app
    dev = VirtualDevice([load_app(SAFETY_APP)])
    with pytest.raises(FlowError) as e:
        crawl(load_flow(_flow(tmp_path, LOGIN % "")), tmp_path / "run", device=dev)
    assert "password field" in str(e.value)
    assert dev.counters.password_entries == 0
