"""VirtualDevice behaviour, driven only through the Device protocol (taps found in the XML)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from darkscan.device.hierarchy import Hierarchy, parse_hierarchy
from darkscan.device.virtual import LAUNCHER, SETTINGS, EventKind, VirtualDevice, parse_app
from darkscan.errors import DeviceError

REPO = Path(__file__).resolve().parents[2]
MINI = REPO / "tests/apps/_mini.yaml"
PKG = "com.darkscan.mini"


def _h(dev: VirtualDevice) -> Hierarchy:
    return parse_hierarchy(dev.dump_hierarchy())


def _tap_text(dev: VirtualDevice, label: str) -> None:
    """Tap the node showing ``label`` (its clickable ancestor takes the tap, as on a phone)."""
    for _ in range(6):
        h = _h(dev)
        nodes = h.find(text=label) or h.find(content_desc=label)
        if nodes and nodes[-1].bounds.height >= 20:
            dev.tap(*nodes[-1].bounds.center)
            return
        dev.swipe(360, 900, 360, 500)  # scroll down to look further
    raise AssertionError(f"{label!r} not on screen: {h.texts()}")


@pytest.fixture()
def dev() -> VirtualDevice:
    d = VirtualDevice([MINI])
    d.app_start(PKG)
    assert d.current_screen() == (PKG, "promo")  # first launch: the popup
    d.back()
    return d


def test_starts_on_launcher_with_icons_and_settings() -> None:
    d = VirtualDevice([MINI])
    assert d.app_current().package == LAUNCHER
    h = _h(d)
    labels = [n.text for n in h.clickable() if n.package == LAUNCHER]
    assert labels == ["迷你", "设置"]
    _tap_text(d, "迷你")
    assert d.app_current().package == PKG


def test_navigation_back_stack_and_app_bar_arrow(dev: VirtualDevice) -> None:
    _tap_text(dev, "开通会员")
    assert dev.app_current().activity == ".VipActivity"
    _tap_text(dev, "暂不开通")  # tap: back
    assert dev.current_screen() == (PKG, "home")
    _tap_text(dev, "设置")
    _tap_text(dev, "隐私政策")
    assert dev.current_screen()[1] == "policy"
    up = _h(dev).find(content_desc="转到上一层级")[0]
    dev.tap(*up.bounds.center)
    assert dev.current_screen()[1] == "settings"
    dev.back()
    dev.back()  # back on the root screen leaves the app
    assert dev.app_current().package == LAUNCHER


def test_dialog_close_and_go(dev: VirtualDevice) -> None:
    _tap_text(dev, "我的")  # tab
    assert dev.current_screen()[1] == "me"
    _tap_text(dev, "注销账号")
    assert dev.current_screen()[1] == "delete_confirm"
    _tap_text(dev, "取消")  # close
    assert dev.current_screen()[1] == "me"
    _tap_text(dev, "注销账号")
    dev.back()  # back closes a dialog too
    assert dev.current_screen()[1] == "me"
    assert dev.counters.deletions == 0
    _tap_text(dev, "注销账号")
    _tap_text(dev, "确认注销")
    assert dev.counters.deletions == 1
    assert dev.current_screen()[1] == "promo"  # home entered again: its 2nd (last) popup


def test_tapping_outside_a_dialog_does_nothing_unless_outside_closes(dev: VirtualDevice) -> None:
    _tap_text(dev, "我的")
    _tap_text(dev, "注销账号")
    dev.tap(20, 300)
    assert dev.current_screen()[1] == "delete_confirm"


def test_toggle_state_kept_per_screen_and_sticky_switch(dev: VirtualDevice) -> None:
    _tap_text(dev, "设置")

    def switches() -> list[bool]:
        return [n.checked for n in _h(dev).find(cls="android.widget.Switch")]

    assert switches() == [True, False]
    _tap_text(dev, "个性化推荐")
    _tap_text(dev, "消息推送")
    assert switches() == [False, True]
    _tap_text(dev, "隐私政策")
    dev.back()  # returning keeps the state
    assert switches() == [False, True]
    dev.back()
    _tap_text(dev, "设置")  # entering again: the sticky switch has turned itself back on
    assert switches() == [True, True]


def test_checkbox_and_radio_state(dev: VirtualDevice) -> None:
    _tap_text(dev, "开通会员")
    h = _h(dev)
    assert [n.checked for n in h.find(cls="android.widget.CheckBox")] == [True, False]
    _tap_text(dev, "接收短信通知")
    _tap_text(dev, "年卡 ¥148/年")
    h = _h(dev)
    assert [n.checked for n in h.find(cls="android.widget.CheckBox")] == [True, True]
    assert [n.checked for n in h.find(cls="android.widget.RadioButton")] == [False, True]


def test_popup_shown_first_n_launches_only() -> None:
    d = VirtualDevice([MINI])
    seen = []
    for _ in range(3):
        d.app_start(PKG)
        seen.append(d.current_screen()[1])
    assert seen == ["promo", "promo", "home"]
    assert [e.kind for e in d.events].count(EventKind.POPUP) == 2


def test_popup_go_leaves_the_dialog(dev: VirtualDevice) -> None:
    d = VirtualDevice([MINI])
    d.app_start(PKG)
    _tap_text(d, "立即领取")
    assert d.current_screen()[1] == "vip"
    d.back()
    assert d.current_screen()[1] == "home"


def test_payment_counted(dev: VirtualDevice) -> None:
    _tap_text(dev, "开通会员")
    _tap_text(dev, "立即支付")
    assert dev.counters.payments == 1 and dev.current_screen()[1] == "paid"


def test_crash_returns_to_launcher(dev: VirtualDevice) -> None:
    _tap_text(dev, "崩溃")
    assert dev.app_current().package == LAUNCHER
    assert dev.counters.crashes == 1 and dev.events[-1].kind is EventKind.CRASH


def test_external_app_comes_to_front_and_back_returns(dev: VirtualDevice) -> None:
    _tap_text(dev, "打开浏览器")
    assert dev.app_current().package == "com.android.browser"
    h = _h(dev)
    assert h.find(cls="android.webkit.WebView")
    assert dev.events[-1].kind is EventKind.EXTERNAL_APP
    dev.back()
    assert dev.current_screen() == (PKG, "home")


def test_secure_screen_is_black_but_has_xml(dev: VirtualDevice) -> None:
    _tap_text(dev, "安全页面")
    assert not dev.screenshot().any()
    h = _h(dev)
    (field,) = h.find(cls="android.widget.EditText")
    assert field.password and field.hint == "请输入支付密码"


def test_slow_screen_advances_virtual_clock_without_sleeping(dev: VirtualDevice) -> None:
    import time

    before = dev.clock
    start = time.perf_counter()
    _tap_text(dev, "慢页面")
    assert time.perf_counter() - start < 1.0
    assert dev.last_delay == 5 and dev.clock - before >= 5
    assert dev.current_screen()[1] == "slowpage"


def test_long_list_scrolls_by_swipe(dev: VirtualDevice) -> None:
    _tap_text(dev, "长列表")
    first = [n.text for n in _h(dev).find(resource_id="android:id/title")]
    assert first[0] == "第 1 项"
    before = dev.screenshot()
    for _ in range(3):
        dev.swipe(360, 1000, 360, 300)
    after = [n.text for n in _h(dev).find(resource_id="android:id/title")]
    assert "第 1 项" not in after and after[0] != first[0]
    assert not np.array_equal(before, dev.screenshot())
    dev.swipe(360, 1000, 200, 990)  # horizontal: no scroll
    assert [n.text for n in _h(dev).find(resource_id="android:id/title")] == after
    for _ in range(200):
        dev.swipe(360, 1000, 360, 200)
    assert _h(dev).find(text="第 200 项")  # scroll clamps at the end


def test_taps_on_nothing_status_bar_and_disabled_do_nothing(dev: VirtualDevice) -> None:
    _tap_text(dev, "设置")
    shot, xml = dev.screenshot(), dev.dump_hierarchy()
    dev.tap(360, 10)  # status bar
    dev.tap(360, 1050)  # empty space
    _tap_text(dev, "禁用按钮")  # enabled: false
    assert dev.current_screen()[1] == "settings"
    assert np.array_equal(shot, dev.screenshot()) and xml == dev.dump_hierarchy()


def test_navigation_bar_buttons(dev: VirtualDevice) -> None:
    _tap_text(dev, "设置")
    nav = {n.content_desc: n for n in _h(dev).nodes if n.package == "com.android.systemui"}
    dev.tap(*nav["返回"].bounds.center)
    assert dev.current_screen()[1] == "home"
    dev.tap(*nav["主屏幕"].bounds.center)
    assert dev.app_current().package == LAUNCHER
    _tap_text(dev, "迷你")  # resumes the backgrounded task
    assert dev.current_screen()[1] == "home"


def test_password_entry_counted(dev: VirtualDevice) -> None:
    _tap_text(dev, "登录")
    fields = _h(dev).find(cls="android.widget.EditText")
    dev.tap(*fields[0].bounds.center)
    dev.send_text("13800000000")
    assert dev.counters.password_entries == 0
    dev.tap(*fields[1].bounds.center)
    dev.send_text("secret")
    assert dev.counters.password_entries == 1
    h = _h(dev)
    texts = [n.text for n in h.find(cls="android.widget.EditText")]
    assert texts == ["13800000000", "••••••"]
    assert [n.focused for n in h.find(cls="android.widget.EditText")] == [False, True]


def test_app_start_is_fresh_and_app_stop(dev: VirtualDevice) -> None:
    _tap_text(dev, "开通会员")
    dev.app_start(PKG)
    assert dev.current_screen()[1] == "promo"  # second launch still shows the popup
    dev.app_stop(PKG)
    assert dev.app_current().package == LAUNCHER
    with pytest.raises(DeviceError, match="not installed"):
        dev.app_start("com.nope.app")


def test_settings_uninstall_flow() -> None:
    locked = parse_app(MINI.read_text(encoding="utf-8").replace(
        "uninstall: {disabled: false}", "uninstall: {disabled: true}").replace(
        "com.darkscan.mini", "com.darkscan.locked").replace("label: 迷你", "label: 锁定"),
        "locked.yaml")
    d = VirtualDevice([MINI, locked])
    _tap_text(d, "设置")
    assert d.app_current().package == SETTINGS
    _tap_text(d, "应用")
    _tap_text(d, "锁定")
    button = _h(d).find(resource_id=f"{SETTINGS}:id/uninstall")[0]
    assert not button.enabled
    d.tap(*button.bounds.center)
    assert d.current_screen()[1] == "info/com.darkscan.locked"
    d.back()
    _tap_text(d, "迷你")
    button = _h(d).find(resource_id=f"{SETTINGS}:id/uninstall")[0]
    assert button.enabled
    d.tap(*button.bounds.center)
    assert _h(d).find(text="要卸载此应用吗？")
    _tap_text(d, "确定")
    assert d.counters.uninstalls == 1 and PKG not in d.installed
    assert d.current_screen() == (SETTINGS, "apps")
    assert not _h(d).find(text="迷你")
    d.home()
    assert [n.text for n in _h(d).clickable() if n.package == LAUNCHER] == ["锁定", "设置"]


def test_unknown_package_names_rejected() -> None:
    with pytest.raises(DeviceError, match="two apps"):
        VirtualDevice([MINI, MINI])
