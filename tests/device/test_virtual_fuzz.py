"""Random action sequences: the virtual device never fails, stays consistent and deterministic."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from darkscan.device.hierarchy import parse_hierarchy
from darkscan.device.virtual import VirtualDevice, load_app

REPO = Path(__file__).resolve().parents[2]
APPS = [load_app(p) for p in sorted((REPO / "src/darkscan/apps").glob("*.yaml"))
        + sorted((REPO / "tests/apps").glob("*.yaml"))]

_action = st.one_of(
    st.tuples(st.just("tap"), st.floats(0, 1), st.floats(0, 1)),
    st.tuples(st.just("swipe"), st.floats(0, 1), st.floats(-0.6, 0.6)),
    st.tuples(st.sampled_from(["back", "home", "start"]), st.just(0.0), st.just(0.0)),
)


def _run(app_index: int, actions: list[tuple[str, float, float]]) -> list[tuple[str, str]]:
    app = APPS[app_index]
    dev = VirtualDevice([app])
    dev.app_start(app.package)
    w, h = dev.window_size()
    seen = []
    for kind, a, b in actions:
        if kind == "tap":
            dev.tap(int(a * (w - 1)), int(b * (h - 1)))
        elif kind == "swipe":
            x = int(a * (w - 1))
            dev.swipe(x, h // 2, x, int(h // 2 - b * h))
        elif kind == "back":
            dev.back()
        elif kind == "home":
            dev.home()
        else:
            dev.app_start(app.package)
        seen.append(dev.current_screen())
    shot = dev.screenshot()
    assert shot.shape == (h, w, 3)
    tree = parse_hierarchy(dev.dump_hierarchy())
    assert dev.app_current().package in tree.packages()
    assert tree.packages()[0] == dev.app_current().package
    assert tree.packages()[-1] == "com.android.systemui"
    return seen


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(APPS) - 1), st.lists(_action, max_size=25))
def test_random_actions_are_safe_and_deterministic(app_index: int,
                                                   actions: list[tuple[str, float, float]]) -> None:
    assert _run(app_index, actions) == _run(app_index, actions)
