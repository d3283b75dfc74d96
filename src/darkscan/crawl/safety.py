"""What the crawler must never do: complete a payment, confirm an account deletion, type a
password. It reaches such screens and stops one tap before, recording ``stopped_before``.

Detection is by lexicon (zh / en, extendable per flow) and by the ``password`` flag of input
fields - never by knowledge of an app:

* a control whose label is a final payment / deletion action (确认支付, 立即支付, 确认注销,
  Pay now, Confirm deletion...) is denied outright;
* a generic confirmation (确定, 确认, 继续, OK, Confirm, Yes...) is denied when the screen it is
  on talks about paying or irreversibly deleting the account (a confirmation dialog);
* a password field is never typed into (the crawler does not type during exploration; setup
  steps that target one are refused unless the flow says ``allow_password: true``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from typing import Iterable

from darkscan.crawl.goals import BUILTIN_GOALS
from darkscan.crawl.state import Screen, Widget
from darkscan.lexicon.normalize import normalize, phrase_set


class StopReason(Enum):
    PAYMENT = "payment"
    ACCOUNT_DELETION = "account_deletion"
    PASSWORD = "password"
    UNINSTALL = "uninstall"
    FLOW_RULE = "flow_rule"


PAY_FINAL = phrase_set([
    "确认支付", "立即支付", "确认付款", "立即付款", "去支付", "马上支付", "确认购买", "立即购买",
    "确认并支付", "支付并开通", "确认开通并支付", "同意并支付", "确认订购", "提交订单", "确认交易",
    "免密支付开通", "指纹支付", "输入密码支付",
    "pay now", "confirm payment", "confirm purchase", "complete purchase", "place order",
    "buy now", "confirm and pay", "purchase now", "confirm order", "submit order",
    "authorize payment", "confirm subscription",
])
DELETE_FINAL = phrase_set([
    "确认注销", "确定注销", "继续注销", "永久注销", "立即注销", "注销并删除", "确认删除账号",
    "确认删除账户", "确认删除帐号", "永久删除", "删除并注销", "确认删除",
    "confirm deletion", "confirm delete", "delete permanently", "permanently delete",
    "yes delete", "delete forever", "confirm account deletion", "yes, delete my account",
])
UNINSTALL_FINAL = phrase_set(["确定卸载", "确认卸载", "卸载应用"])
# Generic confirmations / purchase / deletion verbs: denied only in a payment or deletion
# context. Chinese ones match as a prefix of a short label, English ones as the first word.
CONFIRM = phrase_set([
    "确定", "确认", "继续", "好的", "是的", "提交", "下一步", "完成", "订阅", "购买", "支付", "付款",
    "删除", "注销", "同意并",
])
CONFIRM_WORDS = frozenset([
    "ok", "okay", "confirm", "continue", "yes", "submit", "next", "proceed", "done",
    "subscribe", "buy", "pay", "purchase", "delete", "remove", "erase", "agree",
])
_WORD = re.compile(r"[a-z]+")


def is_commit(w: Widget, label: str) -> bool:
    """A button that commits whatever the screen is about (OK, 确定, Pay, Delete...)."""
    words = _WORD.findall(w.label.lower())
    if words and words[0] in CONFIRM_WORDS:
        return True
    return len(label) <= 12 and any(label.startswith(c) for c in CONFIRM)


# A payment sheet / cashier: a payment method or the charge itself is shown.
PAY_CONTEXT = phrase_set([
    "支付方式", "付款方式", "收银台", "支付金额", "实付", "应付", "付款金额", "订单金额", "银行卡",
    "微信支付", "支付宝", "云闪付", "花呗", "免密支付",
    "payment method", "you'll be charged", "you will be charged", "will be charged",
    "amount due", "total due", "order total", "checkout", "visa", "mastercard", "paypal",
    "card ending", "google play balance",
])
# "Pay $4.99", "支付 ¥15", "付款 18 元": a pay verb with an amount is a final action anywhere.
PAY_AMOUNT = re.compile(r"^(pay|支付|付款|确认支付|立即支付)(\d|¥|\$|€|£|￥)")
# Irreversibility: enough on any screen.
DELETE_CONTEXT = phrase_set([
    "注销后", "注销账号后", "永久删除", "无法恢复", "不可恢复", "不可撤销", "无法找回", "确认注销",
    "cannot be undone", "can't be undone", "cant be undone", "permanently deleted",
    "permanently delete", "removes your", "account will be deleted", "irreversible",
    "deleting your account", "permanently",
])
# Naming the deletion: enough on a short dialog (a confirmation), not on a long page.
DELETE_DIALOG_CONTEXT = phrase_set([
    "注销账号", "账号注销", "删除账号", "删除账户", "注销账户", "delete your account",
    "deleting your account", "delete account",
])


def _others(screen: Screen, w: Widget) -> str:
    """The screen's texts except the widget's own label (normalised, joined)."""
    texts = list(screen.texts)
    for own in (w.text, w.label, w.desc):
        if own in texts:
            texts.remove(own)
    return normalize(" ".join(texts))


@dataclass(frozen=True)
class SafetyRules:
    """The default denylist plus the flow's extra phrases (already normalised)."""

    deny: tuple[str, ...] = ()              # flow: labels that must never be tapped
    allow_password: bool = False
    pay_final: tuple[str, ...] = PAY_FINAL
    delete_final: tuple[str, ...] = DELETE_FINAL
    pay_context: tuple[str, ...] = PAY_CONTEXT
    delete_context: tuple[str, ...] = DELETE_CONTEXT
    extra_pay: tuple[str, ...] = field(default=())
    extra_delete: tuple[str, ...] = field(default=())

    @classmethod
    def with_extra(cls, deny: Iterable[str] = (), pay: Iterable[str] = (),
                   delete: Iterable[str] = (), allow_password: bool = False) -> SafetyRules:
        return cls(deny=phrase_set(deny), extra_pay=phrase_set(pay),
                   extra_delete=phrase_set(delete), allow_password=allow_password)

    def check(self, w: Widget, screen: Screen) -> StopReason | None:
        """Why tapping ``w`` on ``screen`` is forbidden, or None when it is safe."""
        label = normalize(w.label)
        if w.password:
            return StopReason.PASSWORD
        if not label or w.checkable:  # choosing an option (radio, checkbox) completes nothing
            return None
        if any(p in label for p in self.deny):
            return StopReason.FLOW_RULE
        if any(p in label for p in self.pay_final + self.extra_pay) or PAY_AMOUNT.match(label):
            return StopReason.PAYMENT
        if any(p in label for p in self.delete_final + self.extra_delete):
            return StopReason.ACCOUNT_DELETION
        if any(p in label for p in UNINSTALL_FINAL):
            return StopReason.UNINSTALL
        others = _others(screen, w)
        deletion_words = self.delete_context + self.extra_delete
        if _DELETE_GOAL.match(w) and (
                any(p in others for p in deletion_words) or _mentions_deletion(others)):
            # "Delete my account" on the page that is itself about deleting the account
            return StopReason.ACCOUNT_DELETION
        if is_commit(w, label):
            if any(p in others for p in deletion_words):
                return StopReason.ACCOUNT_DELETION
            if screen.dialog and len(others) <= 200 and any(
                    p in others for p in DELETE_DIALOG_CONTEXT):
                return StopReason.ACCOUNT_DELETION
            if any(p in others for p in self.pay_context + self.extra_pay):
                return StopReason.PAYMENT
        return None


def _mentions_deletion(others: str) -> bool:
    """Another text on the screen already names the account deletion (a title, a heading)."""
    return any(p in others for p in _DELETE_GOAL.labels)


_DELETE_GOAL = BUILTIN_GOALS["delete_account"].matchers[0]
