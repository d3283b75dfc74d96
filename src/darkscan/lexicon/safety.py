"""Safety wording: what the crawl guard (crawl/safety/) reads - inputs to its decision, never
the decision itself.

Written in Simplified Chinese and English; :func:`normalize` maps Traditional Chinese,
full-width forms, case, spaces and punctuation first. Where its character table does not cover
a Traditional form (還, 銀, 紋, 寶...) or Taiwan / Hong Kong use another word (結帳, 儲值, 加值,
街口支付, 八達通), that form is listed too. Nothing here knows a particular app.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from darkscan.lexicon.normalize import normalize, phrase_set

_WORD = re.compile(r"[a-z0-9]+")


def spaced(text: str) -> str:
    """Lower-case ASCII words of ``text`` joined by single spaces ("Can't" -> "can t")."""
    return " ".join(_WORD.findall(unicodedata.normalize("NFKC", text).lower()))


@dataclass(frozen=True)
class Phrases:
    """A word list: Chinese phrases match inside :func:`normalize`-d text; English ones match
    whole words (a trailing ``*`` makes the last word a prefix), so "wipe" is not in "swipe",
    "pay" not in "display", "ending in" not in "pending invoices"."""

    cjk: tuple[str, ...] = ()
    en: re.Pattern[str] | None = None
    raw: tuple[str, ...] = ()

    @classmethod
    def of(cls, phrases: Iterable[str]) -> Phrases:
        raw = tuple(p for p in phrases if p and p.strip())
        cjk = phrase_set(p for p in raw if not p.isascii())
        alts = []
        for p in raw:
            if not p.isascii():
                continue
            words = _WORD.findall(p.lower())
            if words:
                tail = "" if p.endswith("*") else r"(?![a-z0-9])"
                alts.append(r"(?<![a-z0-9])" + " ".join(map(re.escape, words)) + tail)
        return cls(cjk, re.compile("|".join(alts)) if alts else None, raw)

    def __add__(self, other: Phrases) -> Phrases:
        return Phrases.of(self.raw + other.raw)

    def find(self, text: str) -> str | None:
        """The phrase found in ``text`` (raw UI text), or None."""
        if not text:
            return None
        if self.cjk:
            n = normalize(text)
            hit = next((p for p in self.cjk if p in n), None)
            if hit:
                return hit
        if self.en is not None:
            m = self.en.search(spaced(text))
            if m:
                return m.group(0)
        return None

# ---------------------------------------------------------------- final actions (anywhere)
PAY_FINAL = Phrases.of([
    "确认支付", "立即支付", "确认付款", "立即付款", "去支付", "马上支付", "确认购买", "立即购买",
    "确认并支付", "支付并开通", "确认开通并支付", "同意并支付", "并支付", "并付款", "确认订购",
    "提交订单", "确认交易", "免密支付开通", "指纹支付", "输入密码支付", "一键支付", "一键购买",
    "pay now", "confirm payment", "confirm purchase", "complete purchase", "place order",
    "buy now", "confirm and pay", "and pay", "purchase now", "confirm order", "submit order",
    "authorize payment", "confirm subscription", "1-tap buy", "one-tap buy", "1 tap buy",
])
DELETE_FINAL = Phrases.of([
    "确认注销", "确定注销", "继续注销", "永久注销", "立即注销", "注销并删除", "确认删除账号",
    "确认删除账户", "确认删除帐号", "永久删除", "删除并注销", "确认删除", "同意注销",
    "confirm deletion", "confirm delete", "delete permanently", "permanently delete",
    "yes delete", "delete forever", "confirm account deletion", "yes, delete my account",
    "erase all", "wipe all",
])
UNINSTALL_FINAL = Phrases.of(["确定卸载", "确认卸载", "卸载应用"])

# A pay / buy verb in a control's label: with an amount beside it ("Buy for $0.99", "¥6 购买")
# the control is a final payment anywhere; it also marks the tap as a purchase (arrival).
BUY_VERBS = Phrases.of([
    "支付", "付款", "购买", "买", "充值", "储值", "儲值", "加值", "下单", "结算", "抢", "开通", "订阅", "续费", "升级", "兑换",
    "pay*", "buy*", "purchas*", "order*", "checkout", "subscrib*", "upgrad*", "top up", "topup",
    "recharge", "renew*", "get premium", "start trial", "free trial",
])
DELETE_VERBS = Phrases.of([
    "注销", "删除账号", "删除账户", "删除帐号", "删除", "清除数据", "清空数据", "抹除", "抹掉",
    "delet*", "erase", "erased", "erasing", "wipe", "wiped", "deactivat*", "close account",
    "close my account", "remove account", "remove my account",
])

# ---------------------------------------------------------------- risk signals (on screen)
PAY_METHOD = Phrases.of([
    "微信支付", "支付宝", "云闪付", "花呗", "银联", "银行卡", "信用卡", "储蓄卡", "借记卡", "零钱",
    "余额支付", "支付寶", "雲閃付", "銀聯", "銀行卡", "街口支付", "台灣pay", "八達通", "悠遊付",
    "line pay", "payme", "octopus", "alipay", "wechat pay", "apple pay", "google pay", "google play", "paypal", "visa", "mastercard", "amex",
    "american express", "credit card", "debit card", "card number", "卡号", "card ending",
    "ending in", "尾号", "google play balance",
])
ONE_TAP = Phrases.of([
    "免密支付", "免密", "一键支付", "快捷支付", "自动扣款", "password-free", "passwordless payment",
    "one-tap", "1-tap", "one tap", "1 tap", "auto-pay", "autopay",
])
CHECKOUT = Phrases.of([
    "收银台", "收银", "收銀台", "收銀", "结账", "結帳", "买单", "確認訂單", "确认订单", "订单信息", "订单金额", "订单号", "订单详情", "实付", "应付", "待支付",
    "支付金额", "付款金额", "支付方式", "付款方式", "结算", "支付订单", "合计",
    "checkout", "check out", "order summary", "order total", "amount due", "total due",
    "payment method", "payment details", "billing details", "pay with", "total today",
])
CHARGE_NOW = Phrases.of([
    "billed today", "charged today", "you'll be charged", "you will be charged",
    "will be charged", "charge now", "due today", "pay today", "billed now", "charged now",
    "今日扣费", "今天扣费", "立即扣费", "立即扣款", "将扣除", "将扣款", "本次扣费",
    "今日支付", "今天支付",
])
CHARGE_WORDS = Phrases.of([
    "扣费", "扣款", "支付", "付款", "charge*", "billed", "billing", "pay*",
])
PIN_OR_BIOMETRIC = Phrases.of([
    "支付密码", "交易密码", "指纹", "指紋", "臉部辨識", "面部识别", "面部識別", "面容", "人脸", "face id", "touch id",
    "fingerprint", "biometric", "enter pin", "enter your pin", "verify it's you",
    "verify its you", "confirm with", "passcode",
])
CODE_FIELD = Phrases.of([
    "验证码", "校验码", "动态码", "短信码", "动态密码", "verification code", "sms code",
    "security code", "one-time code", "one time code", "digit code", "位数字码", "otp", "cvv", "cvc", "pin码", "pin code",
    "passcode",
])
IRREVERSIBLE = Phrases.of([
    "无法恢复", "不可恢复", "不能恢复", "无法找回", "不可找回", "无法撤销", "不可撤销", "不能撤销",
    "永久删除", "永久注销", "彻底删除", "注销后", "将被删除", "将被清除", "将被永久", "清空所有",
    "清除所有", "全部清除", "抹除", "抹掉",
    "cannot be undone", "can't be undone", "cant be undone", "can not be undone",
    "irreversible", "permanent*", "forever", "will be deleted", "will be erased", "all your data",
    "all of your data", "erase", "erased", "erasing", "wipe", "wiped", "removes all your",
    "will remove all", "for good", "cannot recover", "can't recover", "can not recover",
    "unrecoverable", "cannot be recovered", "can't be recovered", "cannot be restored",
    "can't be restored", "lost forever", "no way to undo",
    "无法复原", "无法还原", "不能还原", "不可还原", "無法還原", "不能還原", "不可還原", "彻底清除", "永久失效", "将被清空", "一并删除",
])
# Naming the deletion (a title, a heading): enough on a short dialog.
DELETION_NAMED = Phrases.of([
    "注销账号", "账号注销", "删除账号", "删除账户", "注销账户", "注销帐号", "注销",
    "delete your account", "deleting your account", "delete account", "close your account",
    "close account", "remove account", "deactivate", "account deletion", "delete my account",
    "erase",
])

# ---------------------------------------------------------------- harmless actions
# Whole labels that only leave, dismiss or step back.
HARMLESS_EXACT = phrase_set([
    "返回", "关闭", "取消", "暂不", "不了", "不用了", "以后再说", "下次再说", "稍后", "稍后再说", "放弃",
    "再想想", "我再想想", "算了", "否", "不", "×", "x", "✕", "✖", "转到上一层级", "向上导航", "上一步",
    "back", "close", "cancel", "not now", "no thanks", "no, thanks", "maybe later", "later",
    "dismiss", "no", "navigate up", "go back", "keep my account", "keep account",
    "keep subscription", "keep my subscription", "stay", "never mind", "nevermind",
    "no, keep it", "no, keep my account", "no, go back",
])
# Label prefixes that decline ("暂不支付", "放弃注销", "No, keep it", "Cancel order").
HARMLESS_PREFIX = phrase_set([
    "暂不", "放弃", "取消", "不了", "不想", "不要", "以后", "稍后", "我再想想", "再想想", "返回",
    "no thanks", "not now", "maybe later", "cancel", "go back", "back to",
])
# A link to a document (terms, agreement, privacy, help) - only without an action verb.
DOCUMENT = Phrases.of([
    "协议", "条款", "政策", "须知", "说明", "规则", "指引", "声明", "帮助", "常见问题", "了解更多",
    "详情", "terms", "agreement", "policy", "privacy", "notice", "help", "faq", "learn more",
    "details", "conditions",
])
ACTION_VERBS = Phrases.of([
    "同意", "接受", "支付", "付款", "购买", "开通", "确认", "确定", "注销", "删除", "继续", "提交",
    "订阅", "并", "agree*", "accept*", "pay*", "buy*", "purchas*", "subscrib*", "confirm*",
    "delet*", "continu*", "erase", "submit*",
])
# Checkables that switch on a payment (not a plan choice).
PAY_SWITCH = Phrases.of(["免密", "自动扣款", "password-free", "auto-pay", "autopay", "one-tap",
                         "1-tap", "save card", "保存卡"])

# ---------------------------------------------------------------- patterns on raw text
_CUR = r"(?:[¥￥$€£₩]|rmb|cny|usd|eur|gbp|hk\$|nt\$|us\$)"
PRICE = re.compile(
    rf"{_CUR}\s?\d|\d(?:[.,]\d+)?\s?(?:元|块|圓|圆|rmb|cny|usd|eur|gbp|dollars?)(?![a-z])",
    re.IGNORECASE)
# "•••• 4242", "**** **** **** 4242" (a masked phone number, 138****5621, has digits before)
CARD_NUMBER = re.compile(r"(?<![\d*•·x×])(?:[*•·x×]{2,}\s?){1,3}\d{4}\b", re.IGNORECASE)
CLOCK = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\b|\d+\s?(?:天|小时|小時|分钟|分鐘|秒|"
                   r"days?|hours?|hrs?|minutes?|mins?|seconds?|secs?)(?![a-z])",
                   re.IGNORECASE)
