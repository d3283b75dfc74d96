"""Wording that holds: goal and detector lexicons on phrasings they were not written from.

The table below was written as labels appear on real apps' screens (zh-Hans, zh-Hant as written
in Taiwan and Hong Kong, English; with the extra words, punctuation and full-width forms apps
use), separately from darkscan.lexicon. The appgen phrase bank (written by another author for
the random app generator) is checked too.
"""

from __future__ import annotations

import time

import pytest

from darkscan.crawl.explorer import priority
from darkscan.crawl.goals import BUILTIN_GOALS, GoalSet
from darkscan.crawl.state import Widget
from darkscan.geometry import Box
from darkscan.lexicon.cancellation import cancelling_screen
from darkscan.lexicon.detectors import is_accept, is_decline
from darkscan.lexicon.normalize import normalize


def _widget(label: str, switch: bool = False) -> Widget:
    return Widget(sig=f"x|{label}", cls="android.widget.Switch" if switch else "android.widget.TextView",
                  text=label, desc="", resource_id="", label=label, bounds=Box(0, 0, 100, 40),
                  clickable=not switch, checkable=switch, checked=switch, enabled=True,
                  password=False, editable=False, list_item=False)


SWITCH_GOALS = {"recommendation_off"}

# (goal, label as an app shows it)
REAL_APP_LABELS = [
    # cancel a subscription
    ("cancel_subscription", "停止自動扣款"),                  # Taiwan
    ("cancel_subscription", "關閉自動續訂"),
    ("cancel_subscription", "取消連續包月"),
    ("cancel_subscription", "取消自動續期"),                  # Hong Kong
    ("cancel_subscription", "關閉自動續期服務"),
    ("cancel_subscription", "取消會籍"),
    ("cancel_subscription", "解除代扣协议"),                  # mainland payment-agreement wording
    ("cancel_subscription", "关闭自动扣费"),
    ("cancel_subscription", "取消连续包季"),
    ("cancel_subscription", "终止订阅服务"),
    ("cancel_subscription", "Turn off auto-renew"),
    ("cancel_subscription", "Turn Off Automatic Renewal"),
    ("cancel_subscription", "End subscription"),
    ("cancel_subscription", "End my membership"),
    ("cancel_subscription", "Cancel my membership"),
    ("cancel_subscription", "Don't renew"),
    ("cancel_subscription", "Stop my subscription"),
    # delete the account
    ("delete_account", "刪除帳號"),
    ("delete_account", "刪除我的帳戶"),
    ("delete_account", "註銷帳號"),
    ("delete_account", "刪除戶口"),                          # Hong Kong
    ("delete_account", "关闭账户"),
    ("delete_account", "申请销户"),
    ("delete_account", "Delete Account"),
    ("delete_account", "Close your account"),
    ("delete_account", "Deactivate my account"),
    ("delete_account", "Delete my profile"),
    # turn recommendations off (switches)
    ("recommendation_off", "個人化推薦"),
    ("recommendation_off", "個人化內容推薦"),
    ("recommendation_off", "個人化推介"),                     # Hong Kong
    ("recommendation_off", "个性化内容推送"),
    ("recommendation_off", "Personalised feed"),
    ("recommendation_off", "Personalized suggestions"),
    ("recommendation_off", "Content recommendations"),
    # privacy policy
    ("privacy_policy", "隱私權政策"),
    ("privacy_policy", "隱私權保護政策"),
    ("privacy_policy", "私隱政策"),                           # Hong Kong
    ("privacy_policy", "私隱政策聲明"),
    ("privacy_policy", "個人資料保護政策"),
    ("privacy_policy", "《隐私政策》"),
    ("privacy_policy", "Privacy & Cookie Policy"),
    ("privacy_policy", "Data Policy"),
    # customer service
    ("customer_service", "聯絡客服"),
    ("customer_service", "線上客服"),
    ("customer_service", "客戶服務"),                         # Hong Kong: does not contain 客服
    ("customer_service", "聯絡我們"),
    ("customer_service", "Help & Support"),
    ("customer_service", "Get in touch"),
    ("customer_service", "Customer Care"),
    ("customer_service", "Support"),
    # subscribe
    ("subscribe", "開始免費試用"),
    ("subscribe", "立即訂閱"),
    ("subscribe", "加入會籍"),
    ("subscribe", "Try it free"),
    ("subscribe", "Start my free trial"),
    # uninstall (system Settings › Apps › app)
    ("uninstall", "解除安裝"),                                # Taiwan / Hong Kong Android
    ("uninstall", "卸載"),
    ("uninstall", "卸载应用"),
    ("uninstall", "UNINSTALL"),
]

# Labels that must not count as the goal (a common neighbour in the same menus).
NOT_THE_GOAL = [
    ("delete_account", "登出"),                               # Taiwan: log out (OpenCC: 注销)
    ("delete_account", "登出帳號"),
    ("delete_account", "Log out"),
    ("cancel_subscription", "取消"),
    ("cancel_subscription", "管理訂閱"),                      # the page that holds it, not it
    ("cancel_subscription", "Manage membership"),
    ("recommendation_off", "個人化廣告"),                     # ad targeting, another switch
    ("recommendation_off", "Personalized ads"),
    ("subscribe", "管理訂閱"),
    ("subscribe", "取消自動續訂"),
    ("privacy_policy", "隱私設定"),
    ("customer_service", "Support us"),
    ("uninstall", "解除安裝更新"),                            # uninstall updates: not the app
    ("uninstall", "Uninstall updates"),
]


@pytest.mark.parametrize(("goal", "label"), REAL_APP_LABELS)
def test_real_app_phrasing_matches_its_goal(goal: str, label: str) -> None:
    assert BUILTIN_GOALS[goal].match(_widget(label, goal in SWITCH_GOALS)), label


@pytest.mark.parametrize(("goal", "label"), NOT_THE_GOAL)
def test_neighbouring_label_is_not_the_goal(goal: str, label: str) -> None:
    assert BUILTIN_GOALS[goal].match(_widget(label, goal in SWITCH_GOALS)) is None, label


def test_appgen_phrase_bank_matches_the_builtin_goals() -> None:
    """The generator's phrase bank was written by another author, from real apps."""
    phrases = pytest.importorskip("darkscan.evaluation.appgen.phrases")
    missed = []
    for lang, bank in phrases.BANK.items():
        for goal, labels in bank["goals"].items():
            switch = goal in SWITCH_GOALS or goal == "cancel_switch"
            g = BUILTIN_GOALS["cancel_subscription" if goal == "cancel_switch" else goal]
            missed += [(lang, goal, lb) for lb in labels if not g.match(_widget(lb, switch))]
        for lb in bank["entries"]["cancel_subscription"]:
            # the page that holds the cancel control: explored early, not the goal itself
            assert priority(_widget(lb), GoalSet(), found=set()) >= 2, (lang, lb)
            assert BUILTIN_GOALS["cancel_subscription"].match(_widget(lb)) is None, (lang, lb)
        logout = bank["logout"][0]
        assert BUILTIN_GOALS["delete_account"].match(_widget(logout)) is None, (lang, logout)
    assert not missed


def test_opencc_folds_taiwan_and_hong_kong_script_and_phrases() -> None:
    assert normalize("設定") == normalize("设置")            # Taiwan phrase -> mainland phrase
    assert normalize("應用程式") == normalize("应用程序")
    assert normalize("解除安裝") == normalize("卸载")
    assert normalize("帳號與安全") == normalize("账号与安全")
    assert normalize("衞生") == normalize("卫生")            # Hong Kong variant character
    assert normalize("ＶＩＰ會員　中心") == "vip会员中心"       # full width, spaces
    assert normalize("停止自動扣款") == "停止自动扣款"


def test_normalize_is_fast_enough_for_every_label() -> None:
    labels = [f"設定項目{i}：個人化推薦與隱私權" for i in range(2000)]
    t = time.perf_counter()
    for lb in labels:
        normalize(lb)
    first = time.perf_counter() - t
    t = time.perf_counter()
    for _ in range(5):
        for lb in labels:
            normalize(lb)
    again = (time.perf_counter() - t) / 5
    assert first / len(labels) < 1e-3            # < 1 ms per new label, on a loaded CI box
    assert again < first                           # repeated labels come from the cache


# A retention / cancellation-confirmation screen: (texts, the tap that opened it, the button that
# goes on cancelling, the button that keeps the subscription).
RETENTION_SCREENS = [
    (["Before you go", "You'll lose your offline downloads.", "Keep my subscription", "Continue"],
     "Cancel subscription", "Continue", "Keep my subscription"),
    (["Are you sure?", "Your benefits end on 12 May.", "Stay Premium", "Continue to cancel"],
     "Turn off auto-renew", "Continue to cancel", "Stay Premium"),
    (["確定要取消訂閱嗎？", "繼續使用", "仍要取消"], "取消訂閱", "仍要取消", "繼續使用"),
    (["真的要离开吗", "你将失去全部会员特权", "继续享受特权", "继续取消"], "关闭自动续费", "继续取消",
     "继续享受特权"),
    (["Get 50% off your next 3 months", "Claim offer", "No thanks, continue"],
     "Continue", "No thanks, continue", "Claim offer"),
    # a confirmation of cancelling: its bare Cancel calls the cancelling off
    (["确定要关闭自动续费吗？", "关闭后将无法继续享受会员特权", "取消", "确定"], "关闭自动续费", "确定",
     "取消"),
    (["Cancel subscription?", "You'll lose access at the end of this period.", "Cancel",
      "Confirm"], "Cancel subscription", "Confirm", "Cancel"),
]


@pytest.mark.parametrize(("texts", "opened_by", "go_on", "keep"), RETENTION_SCREENS)
def test_continue_on_a_retention_screen_is_a_decline(texts, opened_by, go_on, keep) -> None:
    assert cancelling_screen(texts, opened_by=(opened_by,))
    assert is_decline(go_on, cancelling=True) and not is_accept(go_on, cancelling=True)
    assert is_accept(keep, cancelling=True) and not is_decline(keep, cancelling=True)


def test_continue_elsewhere_stays_an_accept() -> None:
    # an onboarding page opened by "Next": the same word accepts
    onboarding = ["Welcome to Premium", "Stream without ads", "Continue"]
    assert not cancelling_screen(onboarding, opened_by=("Next",))
    assert is_accept("Continue") and not is_decline("Continue")
    # a paywall that mentions cancelling in its fine print, with a discount, is no retention
    paywall = ["Go Premium", "Save 40% with the annual plan",
               "Cancel your subscription anytime in Settings. Renews automatically.", "Continue"]
    assert not cancelling_screen(paywall)
    # a retention-looking dialog that popped up on its own is not the user's cancellation
    assert not cancelling_screen(RETENTION_SCREENS[0][0], opened_by=("Cancel subscription",),
                                 interrupting=True)
    # without arrival information, the screen must both name the cancellation and hold on
    assert cancelling_screen(["Cancel Premium?", "You'll lose your playlists", "Continue"])


def test_rendered_retention_screen_reads_continue_from_context(ocr_engine) -> None:
    """On a rendered English retention screen reached by "Turn off auto-renew", the bare
    "Continue" is the way on with the cancellation: a decline, weaker than the filled "Keep my
    subscription" (false hierarchy). The same screenshot without arrival information names no
    cancellation, so there "Continue" stays an accept."""
    from pathlib import Path

    from darkscan.detect.arrival import Shown
    from darkscan.detect.screen import false_hierarchy
    from darkscan.device.hierarchy import parse_hierarchy
    from darkscan.device.virtual import VirtualDevice
    from darkscan.vision.context import ScreenContext

    app = Path(__file__).parent / "apps" / "retention_en.yaml"
    dev = VirtualDevice([app])
    dev.open_screen("com.test.retention", "retention")
    png, xml = dev.screenshot(), dev.dump_hierarchy()
    nodes = parse_hierarchy(xml).for_package("com.test.retention")

    def ctx(shown: Shown | None) -> ScreenContext:
        return ScreenContext(png, nodes, density=dev.density(), ocr=ocr_engine, shown=shown)

    cancelling = ctx(Shown(interrupting=False, opened_by=("Turn off auto-renew",)))
    assert cancelling.cancelling
    assert cancelling.is_decline("Continue") and not cancelling.is_accept("Continue")
    found = false_hierarchy.detect(cancelling)
    assert [(f.evidence["accept"], f.evidence["decline"]) for f in found
            if f.rule == "accept_far_stronger_than_decline"] == [("Keep my subscription",
                                                                  "Continue")]
    alone = ctx(None)
    assert not alone.cancelling and alone.is_accept("Continue")
