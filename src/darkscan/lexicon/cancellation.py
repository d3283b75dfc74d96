"""Phrases the graph rules look for beyond the crawler's goals, in zh-Hans, zh-Hant and en.

The controls themselves (subscribe, cancel, delete account, the recommendation switch, the
privacy policy, customer service, uninstall) are found with the crawler's goal matchers
(:mod:`darkscan.crawl.goals`), so the gate, the goal table and these rules agree. This module
holds what only the rules need: how a cancellation flow goes on, ends, or tries to keep the
user. Patterns run on :func:`darkscan.lexicon.normalize.normalize`-d text (NFKC, lower case,
Traditional folded to Simplified, no spaces or punctuation) and describe how apps in general
phrase these things, never one app's wording.
"""

from __future__ import annotations

import re
from typing import Iterable, Sequence

from darkscan.lexicon.normalize import normalize

__all__ = [
    "Lexicon", "CANCEL_CONTINUE", "CANCEL_DONE", "RETENTION", "OFFLINE_CANCEL",
    "PHONE_OR_EMAIL", "SUBSCRIPTION_CONTEXT", "UNRELATED_MENU", "RECOMMENDATION_CONTENT",
    "has_cjk", "CANCEL_SUBJECT", "cancel_intent", "cancelling_screen",
]

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def has_cjk(texts: Iterable[str]) -> bool:
    return any(_CJK.search(t) for t in texts)


class Lexicon:
    """A named set of patterns; ``match`` says whether one text belongs to it."""

    def __init__(self, name: str, patterns: Sequence[str], exclude: Sequence[str] = ()) -> None:
        self.name = name
        self._re = re.compile("|".join(f"(?:{p})" for p in patterns))
        self._ex = re.compile("|".join(f"(?:{p})" for p in exclude)) if exclude else None

    def match(self, text: str) -> bool:
        t = normalize(text)
        if not t or not self._re.search(t):
            return False
        return not (self._ex and self._ex.search(t))

    def first(self, texts: Iterable[str]) -> str | None:
        return next((t for t in texts if self.match(t)), None)

    def __repr__(self) -> str:
        return f"Lexicon({self.name})"


_STOP = r"(?:取消|关闭|退订|放弃|离开|解约|停止|注销)"

# Buttons that carry on with cancelling after a confirmation or a retention screen.
CANCEL_CONTINUE = Lexicon("cancel_continue", [
    rf"(?:仍|依然|继续|坚持|确认|确定|狠心|残忍|忍痛|执意|还是|直接|我要|去)要?{_STOP}",
    rf"^{_STOP}(?:自动续费|续费|订阅|会员|连续包月)?$",
    r"^(?:确定|确认|是|是的|继续|下一步|提交)$",
    r"(?:yes|confirm|continue|still|proceed|goahead)(?:and|to|with)?cancel", r"cancelanyway",
    r"^(?:yes|confirm|continue|ok|next|submit|proceed)$", r"nothanks(?:i)?(?:want)?(?:to)?cancel",
    r"^cancel(?:my|the)?(?:subscription|membership|plan|renewal|autorenew(?:al)?)?$",
    r"leaveanyway|endmysubscription|finishcancell?ing|completecancell?ation",
], exclude=[r"^(?:取消|cancel)$"])

# Texts a screen shows once the subscription is cancelled.
CANCEL_DONE = Lexicon("cancel_done", [
    r"(?:已|成功)(?:取消|关闭|退订|解约)", r"(?:取消|关闭|退订|解约)成功",
    r"(?:subscription|membership|autorenew(?:al)?|plan|renewal)(?:has|was|is)?(?:been|now)?(?:cancell?ed|turnedoff|ended)",
    r"^cancell?ed$", r"you(?:have|ve)cancell?ed", r"cancellationconfirmed",
    r"successfullycancell?ed",
])

# A screen that tries to keep the user: lost benefits, "are you sure", a stay button, an offer.
RETENTION = Lexicon("retention", [
    r"真的要?(?:离开|取消|走)|确定要?离开|舍得|不再考虑|再想想|再考虑|留下来?|挽留|别走",
    r"(?:将|会)?(?:无法|不能)(?:再|继续)?享受|将失去|失去(?:全部|所有)?(?:特权|权益|福利)|继续享受|保留(?:会员|特权|权益|福利)",
    r"优惠|特惠|立减|减免|折扣|\d(?:\.\d)?折|特价|[送赠]你?\d*[天月]|免费[领送得]|专属福利|限时|红包|券",
    r"areyousure(?:you)?(?:want)?(?:to)?(?:leave|cancel|go)|beforeyougo|we'?llmissyou|sorrytoseeyougo",
    r"you'?(?:ll|will)lose|loseaccess|losey?our(?:benefits|progress|perks)|keep(?:my|your)(?:subscription|membership|benefits|perks|plan)",
    r"staysubscribed|staypremium|staywithus|\d+%?off|discount",
    r"specialoffer|specialprice|exclusiveoffer",
    r"freemonth|monthsfree|half(?:-)?price|deal|pause(?:my|your)?(?:subscription|membership)",
])

# A cancellation that can only be done off-line (phone, e-mail, letter, chat with an agent).
_OFFLINE = r"(?:拨打|致电|电话|热线|邮件|邮箱|来信|写信|联系客服|人工客服|客服)"
OFFLINE_CANCEL = Lexicon("offline_cancel", [
    rf"{_OFFLINE}.{{0,24}}(?:取消|退订|关闭|解约)", rf"(?:取消|退订|关闭|解约).{{0,24}}{_OFFLINE}",
    r"(?:call|phone|email|e-?mail|write|contact|chat)(?:to|with|us|our|support|customerservice)?.{0,40}cancel",
    r"cancel.{0,40}(?:call|phone|byemail|bye-?mail|email|contactsupport|contactus|customerservice|customersupport)",
])

# Raw text (not normalised): a phone number or an e-mail address.
PHONE_OR_EMAIL = re.compile(
    r"(?:\+?\d[\d\-\s()]{6,}\d)|(?:[\w.+-]+@[\w-]+\.[\w.-]+)"
)

# Evidence the app sells renewing subscriptions at all.
SUBSCRIPTION_CONTEXT = Lexicon("subscription_context", [
    r"自动续[费订]|连续包[月季年]|订阅|会员|vip|包月|续费",
    r"subscription|subscribe|membership|premium|autorenew|permonth|peryear|month|year",
])

# Menu entries that have nothing to do with paying or the account: a cancellation under them
# is placed where nobody looks for it.
UNRELATED_MENU = Lexicon("unrelated_menu", [
    r"关于|帮助|法律|通用|实验室|辅助功能|存储|储存|语言|通知|显示|字体|清除缓存|反馈|其他|其它|更多|下载|播放|主题|外观|青少年|儿童",
    r"^about|help|legal|general|labs|accessibility|storage|language|notification|display|fontsize|clearcache|feedback|^other|^more$|misc|download|playback|appearance|theme",
], exclude=[r"会员|订阅|续费|付费|支付|账号|账户|帐号",
            r"subscription|membership|billing|account|payment|premium|plan"])

# Evidence the app recommends content to the user (a feed "for you"), i.e. the algorithm
# rules apply to it.
RECOMMENDATION_CONTENT = Lexicon("recommendation_content", [
    r"推荐|猜你喜欢|为你|精选|看了又看|也在看|根据你的|根据您的",
    r"foryou|recommended|suggested|becauseyou|picksforyou|youmightlike|basedonyour|youmayalsolike",
])

# A text that names cancelling a subscription: the title or question of a cancellation
# confirmation ("Cancel Premium?", "确定要关闭自动续费吗？", 停止自動扣款), or a cancel entry.
_RENEWING = (r"(?:自动(?:续费|续订|续期|扣款|扣费|支付)|续费|续订|续期|订阅|会员|会籍|连续包|包月|包年|"
             r"代扣|套餐|vip|subscription|membership|plan|autorenew|renewal|trial|premium|autopay)")
CANCEL_SUBJECT = Lexicon("cancel_subject", [
    rf"(?:取消|关闭|退订|停止|解除|终止|结束|停用|不再){_RENEWING}",
    rf"(?:cancel|end|stop|turnoff|disable|unsubscribe|dontrenew|donotrenew)(?:my|your|the)?{_RENEWING}",
    r"unsubscribe|退订|解约",
])


def _headline(text: str) -> bool:
    """A title, question or control, not fine print ("cancel your subscription anytime in
    Settings" under a paywall names cancelling without being about it)."""
    return len(normalize(text)) <= _HEADLINE or any(q in text for q in "?？吗嗎")


_HEADLINE = 24


def cancel_intent(label: str) -> bool:
    """The tapped label asks to cancel (an entry such as 停止自動扣款, or a control that carries
    on with cancelling such as "Continue to cancel")."""
    return _headline(label) and (CANCEL_SUBJECT.match(label) or CANCEL_CONTINUE.match(label))


def cancelling_screen(texts: Sequence[str], opened_by: Iterable[str] = (),
                      interrupting: bool = False) -> bool:
    """A retention or cancellation-confirmation screen that stands between the user and a
    cancellation the user asked for.

    From context, not from a button's word: the screen was opened by a tap that asked to cancel
    and it talks about the cancellation (or tries to keep the user); without arrival information
    (a lone screenshot) the screen must both name the cancellation and try to keep the user.
    A screen that popped up on its own is never one.
    """
    if interrupting:
        return False
    subject = any(_headline(t) and CANCEL_SUBJECT.match(t) for t in texts)
    retention = RETENTION.first(texts) is not None
    if any(cancel_intent(lb) for lb in opened_by):
        return subject or retention
    return subject and retention
