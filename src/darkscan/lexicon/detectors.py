"""Words and patterns the screen detectors look for, in zh-Hans, zh-Hant and English.

Written from how apps phrase these things in general (app-store subscription pages, consent
dialogs, splash ads), not from any particular app. Every pattern runs on
:func:`~darkscan.lexicon.normalize.fold`-ed text: NFKC (full-width ASCII and ￥ become ASCII/¥),
lower case, curly quotes straightened, whitespace collapsed (OCR drops or inserts spaces, so
patterns allow ``\\s*``).
"""

from __future__ import annotations

import re
from enum import Enum

from darkscan.lexicon.cancellation import CANCEL_CONTINUE
from darkscan.lexicon.normalize import fold


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in parts), re.IGNORECASE)


_CUR = r"(?:¥|\$|€|£|us\$|nt\$|hk\$|rmb|cny)"
_AMOUNT = r"\d+(?:[.,]\d{1,2})?"
_PERIOD_ZH = r"(?:月|个月|個月|季|季度|年|周|週|星期|天|日)"
_PERIOD_EN = r"(?:month|mo|year|yr|annum|week|wk|day|quarter)"
_PRICE = rf"(?:{_CUR}\s*{_AMOUNT}|{_AMOUNT}\s*(?:元|块|塊|圆|圓|{_CUR}))"


class Lex(str, Enum):
    RENEWAL_TERMS = "renewal_terms"
    RENEWING_PLAN = "renewing_plan"
    RECURRING_PRICE = "recurring_price"
    RENEWAL_PRICE = "renewal_price"
    INTRO_OFFER = "intro_offer"
    TRIAL_OFFER = "trial_offer"
    SUBSCRIBE_ACTION = "subscribe_action"
    PURCHASE_ACTION = "purchase_action"
    SUBSCRIPTION_WORD = "subscription_word"
    ACCEPT_ACTION = "accept_action"
    DECLINE_ACTION = "decline_action"
    SOFT_DECLINE = "soft_decline"
    CONSENT = "consent"
    MARKETING = "marketing"
    DATA_SHARING = "data_sharing"
    RECOMMENDATION = "recommendation"
    NOTIFICATIONS = "notifications"
    NOTIFICATION_STYLE = "notification_style"
    DATA_COLLECTION = "data_collection"
    CONFIRMSHAMING = "confirmshaming"
    AD_MARKER = "ad_marker"
    CLOSE_SKIP = "close_skip"
    COUNTDOWN = "countdown"
    PRICE = "price"
    KEEP_ACTION = "keep_action"
    SIGN_UP = "sign_up"
    TOGGLE_STATE = "toggle_state"


PATTERNS: dict[Lex, re.Pattern[str]] = {
    # Creating an account / signing up: a form whose ticks the user has not touched yet.
    Lex.SIGN_UP: _rx(
        r"注册|註冊|创建(?:账号|帐号|账户|帳戶)|建立(?:帳號|帳戶)|开通账号|開通帳號|立即加入",
        r"sign\s*up|\bregister\b|registration|create\s+(?:an?\s+|your\s+|my\s+|new\s+)?account",
        r"\bjoin\s+(?:now|free|us)\b|get\s+started",
    ),
    # A switch's state read out as its text: no label of what it switches.
    Lex.TOGGLE_STATE: _rx(
        r"^(?:开|關|关|開|开启|關閉|关闭|開啟|已开启|已關閉|已关闭|已開啟|是|否)$",
        r"^(?:on|off|yes|no|enabled?|disabled?|checked|unchecked|true|false)$",
    ),
    Lex.PRICE: _rx(_PRICE, r"免费|免費|\bfree\b"),
    # Terms that say the subscription renews by itself.
    Lex.RENEWAL_TERMS: _rx(
        r"自动续[费订期约]", r"自動續[費訂期約]", r"到期[后後]?\s*自[动動]\s*(?:扣[费款費]|续|續)",
        r"自[动動]扣[费款費]", r"到期[后後]\s*(?:按|以)", r"(?:次|下个|下個)(?:月|年|周|週)起",
        r"auto[\s-]*renew", r"renews?\s+automatically", r"automatically\s+renew",
        r"recurring\s+(?:billing|payment|charge|subscription)",
        r"billed\s+(?:monthly|annually|yearly|weekly|every)",
        r"(?:until|unless)\s+(?:you\s+)?cancel",
        rf"then\s*{_PRICE}", r"subscription\s+(?:will\s+)?(?:automatically\s+)?renew",
        r"charged\s+(?:every|each|automatically)",
    ),
    # Plan names that imply renewal without stating the terms.
    Lex.RENEWING_PLAN: _rx(
        r"连续包[月季年周]", r"連續包[月季年週]", r"连续订阅|連續訂閱|自动续费|自動續費",
        r"(?:monthly|annual|yearly|weekly)\s+(?:subscription|membership|plan)",
        r"auto[\s-]*renew",
    ),
    # A price with a billing period: ¥25/月, 25元/月, $9.99/month, $59.99 per year, 每月¥25.
    Lex.RECURRING_PRICE: _rx(
        rf"{_PRICE}\s*(?:/|每|一|per\s+|a\s+|every\s+)\s*(?:{_PERIOD_ZH}|{_PERIOD_EN})",
        rf"(?:每|按)(?:{_PERIOD_ZH})\s*{_PRICE}", rf"{_PRICE}\s*(?:monthly|annually|yearly|weekly)",
        rf"(?:monthly|annual|yearly|weekly)\s*(?:price|plan|fee)?\s*:?\s*{_PRICE}",
    ),
    # Where the price after the introductory period is stated.
    Lex.RENEWAL_PRICE: _rx(
        rf"then\s*{_PRICE}", rf"(?:after|thereafter).{{0,30}}{_PRICE}",
        rf"(?:到期|之后|之後|以后|以後|次月|次年|第二个月|第二個月|续费|續費).{{0,12}}{_PRICE}",
        rf"{_PRICE}.{{0,6}}(?:续费|續費|自动续|自動續)",
        rf"renews?\s+(?:at|for)\s*{_PRICE}",
    ),
    # Introductory offers whose renewal price must be shown beside the button.
    Lex.INTRO_OFFER: _rx(
        r"首(?:月|年|季|周|週|期|单|單)", r"(?:免费|免費)(?:试用|試用|体验|體驗)", r"试用|試用",
        r"新(?:客|人|用户|用戶)(?:专享|專享|特惠|价|價)", r"(?:体验|體驗)(?:价|價|卡)",
        r"free\s+trial", r"\d+[\s-]*(?:day|week|month)s?\s+(?:free\s+)?trial", r"\btrial\b",
        r"free\s+for\s+(?:\d+|one|two|a)\s*(?:day|week|month)", r"\btry\b.{0,24}\bfree\b",
        r"free\s+(?:week|month)\b",
        r"first\s+(?:month|year|week)", r"introductory", r"\bintro\b\s*(?:price|offer)",
        r"try\s+(?:it\s+)?(?:for\s+)?free",
    ),
    # A trial or first-period price that turns into a subscription ("首月 6 元", "free for 14
    # days"); a one-off free pass (体验卡, 新人专享) is not one.
    Lex.TRIAL_OFFER: _rx(
        r"首(?:月|年|季|周|週|期)", r"试用|試用", r"free\s+trial", r"\btrial\b",
        r"first\s+(?:month|year|week)", r"free\s+for\s+(?:\d+|one|two|a)\s*(?:day|week|month)",
        r"\btry\b.{0,24}\bfree\b", r"free\s+(?:week|month)\b",
    ),
    Lex.SUBSCRIBE_ACTION: _rx(
        r"开通|開通|订阅|訂閱|续费|續費|购买|購買|支付|付款|加入会员|加入會員|升级|升級|领取|領取",
        r"(?:免费|免費)?(?:试用|試用)",
        r"(?:立即|马上|馬上)(?:开通|開通|订阅|訂閱|购买|購買|抢购|搶購|领取|領取|加入)",
        r"subscribe", r"start\s+(?:my\s+|your\s+|the\s+)?(?:[\w-]+\s+){0,2}"
        r"(?:trial|membership|plan|subscription)", r"start\s+(?:my\s+|your\s+)?free\s+(?:week|month)",
        r"\btry\b.*\bfree\b", r"upgrade", r"\bjoin\b", r"\bbuy\b", r"get\s+(?:premium|pro|plus)",
        r"continue\s+to\s+pay", r"\bpay\b", r"unlock",
    ),
    # A one-off purchase / payment call to action (no subscription in its wording): where a
    # renewal clause in the fine print turns the purchase into a subscription.
    Lex.PURCHASE_ACTION: _rx(
        r"下单|下單|提交订单|提交訂單|确认订单|確認訂單|结算|結算|结账|結帳|买单|買單",
        r"(?:去|立即|确认|確認|马上|馬上)(?:支付|付款|购买|購買)|^(?:支付|付款|购买|購買)",
        r"加入会员|加入會員|立即加入|领取并支付|領取並支付",
        r"place\s+(?:my\s+|your\s+|the\s+)?order|\border\s+now|^order\b|check\s*out",
        r"\bbuy\b|\bpay\b|purchase|(?:complete|confirm|submit)\s+(?:my\s+|your\s+)?"
        r"(?:order|purchase|payment)|proceed\s+to\s+(?:payment|checkout)|^join\b",
    ),
    # Words that make a purchase label a subscription ("Buy Premium", 开通会员, "Start trial").
    Lex.SUBSCRIPTION_WORD: _rx(
        r"订阅|訂閱|续费|續費|开通|開通|会员|會員|试用|試用|包月|包年|vip",
        r"subscri|member|trial|premium|upgrade|\bplan\b|\bpro\b|\bplus\b",
    ),
    Lex.ACCEPT_ACTION: _rx(
        r"^(?:同意|接受|允许|允許|确定|確定|确认|確認|好的|好|继续|繼續|知道了|开启|開啟|打开|打開)",
        r"同意并|同意並|同意协议|同意協議|去开启|去開啟|立即|马上|馬上",
        r"^(?:accept|agree|allow|continue|ok|okay|yes|got it|enable|turn on|sure|claim|redeem"
        r"|activate|keep|stay)\b",
        r"i\s+agree", r"accept\s+all", r"allow\s+all",
    ),
    Lex.DECLINE_ACTION: _rx(
        r"不同意|拒绝|拒絕|取消|暂不|暫不|以后再说|以後再說|下次再说|下次再說|不用了|不需要",
        r"跳过|跳過|放弃|放棄|残忍|殘忍|狠心|忍痛|稍后|稍後|算了|不了|关闭|關閉|不允许|不允許",
        r"^否$|不开通|不開通|不感兴趣|不感興趣|离开|離開|退出|先不",
        r"decline|reject|deny|dismiss|no\s*,?\s*thanks|no\s+thank\s+you|not\s+now|maybe\s+later",
        r"^later$|^skip\b|^cancel\b|^no\b|don'?t\s+allow|^close$|i'?ll\s+pass",
        r"continue\s+without|i'?d\s+rather|leave\s+anyway",
        # a postponement at the end of a short label ("I'll finish this later", "Remind me
        # later"), and "<verb> without ..." ("Call without adding funds", "Proceed without")
        r"\blater\s*[.!]?$|remind\s+me|^[a-z]+\s+without\b",
    ),
    # Declines that only put the request off or go on without it: "Not now", 以后再说, "No
    # thanks", "Skip", "Continue without" - as opposed to a hard answer (取消, Cancel, Deny,
    # 不同意) to a question the user asked for. A request answered with a soft decline is one
    # the app wants accepted.
    Lex.SOFT_DECLINE: _rx(
        r"以后再说|以後再說|下次再说|下次再說|稍后|稍後|暂不|暫不|先不|晚点|晚點|不用了|算了|跳过|跳過",
        r"不[,，]?\s*谢谢|不[,，]?\s*謝謝|不感兴趣|不感興趣|以后|以後|下次",
        r"not\s+now|\blater\s*[.!]?$|remind\s+me|no\s*,?\s*thanks|no\s+thank\s+you|^skip\b",
        r"i'?ll\s+pass|^[a-z]+\s+without\b|not\s+interested|^maybe\b",
    ),
    Lex.CONSENT: _rx(
        r"同意|已阅读|已閱讀|阅读并|閱讀並|协议|協議|条款|條款|隐私|隱私|政策|授权|授權|许可|許可",
        r"个人信息|個人資料|個人信息",
        r"agree|consent|terms|privacy|policy|accept",
    ),
    Lex.MARKETING: _rx(
        r"营销|營銷|行销|行銷|促销|促銷|优惠|優惠|活动|活動|短信|简讯|簡訊|邮件|郵件",
        r"订阅消息|訂閱消息|广告|廣告|推广|推廣",
        r"newsletter|marketing|promotion|promotional|offers|e-?mails?|\bsms\b",
        r"news\s+and|updates\s+(?:and|from)|special\s+deals",
    ),
    Lex.DATA_SHARING: _rx(
        r"共享|第三方|合作伙伴|合作夥伴|个人信息|個人資料|個人信息|通讯录|通訊錄",
        r"share|third[\s-]*part|partners|personal\s+(?:data|information)",
        r"tracking|track\s+(?:my|your)",
    ),
    # Settings that collect or upload data: location, contacts, usage data, sync, signing in to
    # other services with this account. (Staying signed in on this device is not one.)
    Lex.DATA_COLLECTION: _rx(
        r"位置|定位|地理|联系人|聯絡人|使用(?:数据|數據|資料|情况|情況)|诊断|診斷|体验计划|體驗計畫",
        r"同步|备份|備份",
        r"location|\bgps\b|contacts|usage\s+(?:data|statistics)|analytics|diagnostic|crash\s+report",
        r"\bsync|back\s*up|(?:sign|log)\s*in\s+automatically\s+to|automatically\s+(?:sign|log)\s*in\s+to",
        r"auto[\s-]*(?:sign|log)[\s-]*in\s+to|help\s+improve|improve\s+(?:our|the)\s+(?:app|service|product)",
    ),
    # Notification channels: a pre-enabled push channel is a marketing channel by default.
    Lex.NOTIFICATIONS: _rx(
        r"推送|推播|通知|消息提醒|提醒|订阅消息|訂閱訊息",
        r"notif|\bpush\b|\balerts?\b|\breminders?\b",
    ),
    # How an enabled notification channel looks or sounds (a dot, a sound, vibration, the lock
    # screen): a presentation detail of a channel, not a channel the user is signed up to.
    Lex.NOTIFICATION_STYLE: _rx(
        r"角标|角標|红点|紅點|小圆点|小圓點|声音|聲音|铃声|鈴聲|提示音|振动|震动|震動|呼吸灯|呼吸燈",
        r"锁屏|鎖屏|横幅|橫幅|悬浮|懸浮|预览|預覽",
        r"\bdots?\b|badges?\b|\bsounds?\b|vibrat|ringtone|\bled\b|lock\s*screen|preview|"
        r"pop[\s-]*up|\bbanner|\bheads[\s-]*up|\bfloating\b",
    ),
    Lex.RECOMMENDATION: _rx(
        r"个性化|個性化|個人化|推荐|推薦|算法|演算法|猜你喜欢|猜你喜歡|兴趣|興趣",
        r"personali[sz]ed|recommendation|recommend|tailored|for\s+you\b|based\s+on\s+your",
    ),
    Lex.CONFIRMSHAMING: _rx(
        r"残忍|殘忍|狠心|忍痛|心碎|伤心|傷心|绝情|絕情|无情|無情",
        r"不想(?:省钱|省錢|变|變|要(?:优惠|優惠|福利|好))|不要(?:优惠|優惠|福利|省钱|省錢)",
        r"放弃(?:优惠|福利|特权|權益|权益|省钱|机会)|放棄(?:優惠|福利|特權|權益|省錢|機會)",
        r"宁愿|寧願|原价(?:购买|购|买)|原價(?:購買|購|買)|不稀罕|不在乎|我就是不|我不配|穷|窮",
        r"含泪|含淚|流泪|流淚|哭着|哭著|痛心",
        r"i\s*(?:don'?t|do\s+not)\s+(?:like|want|care|need)\b.{0,30}"
        r"(?:sav|deal|discount|offer|benefit|free|money|health|secur|safe|better|smart|bonus)",
        r"no\s*,?\s*thanks?\s*[,.!]?\s*i\s*(?:don'?t|do\s+not)\s+(?:want|like|need|care)",
        r"i\s*(?:don'?t|do\s+not)\s+want\s+to\s+(?:save|win|be|get|reach|improve|lose|look|"
        r"feel|stay|learn|grow|succeed|protect)",
        r"不[了用要]?[，,]\s*我(?:不想|不需要|不要|宁愿|寧願|就是)",
        r"i'?d\s+rather", r"full\s+price", r"miss(?:ing)?\s+out", r"i\s+(?:prefer|like)\s+"
        r"(?:paying|to\s+pay|missing|being)", r"no\s*,?\s*i\s+hate", r"stay\s+(?:uninformed|"
        r"unprotected|broke|behind)", r"i'?m\s+(?:not\s+interested\s+in\s+(?:saving|deals|"
        r"discounts|money)|fine\s+(?:being|paying))", r"don'?t\s+want\s+to\s+(?:save|win|be)",
        # -- by mechanism (what the decline makes the user say about themselves) --
        # self-deprecation: the user declares they do not want / need / deserve a good thing
        r"\bi\s*(?:'m|am)?\s*(?:don'?t|do\s+not|won'?t|will\s+not|never|not)\s+(?:really\s+)?"
        r"(?:like|want|need|care\s+(?:about|for)|deserve|enjoy|into|interested\s+in)\b.{0,40}"
        r"(?:sav|deal|discount|offer|reward|perk|gift|free|money|cash|health|fit|secur|safe|"
        r"protect|better|smart|success|grow|improv|win|fun|good|great|happ|learn|tips?\b)",
        r"\bi\s*(?:'m|am)\s+(?:fine|ok(?:ay)?|happy|good)\s+(?:with\s+)?(?:paying|missing|"
        r"losing|being|staying|wasting|spending|overpaying)",
        r"\bi\s*(?:won'?t|will\s+not)\s+(?:protect|secure|save|improve|grow|learn|look\s+after)",
        r"stay\s+(?:out\s+of\s+the\s+loop|in\s+the\s+dark)",
        r"\bi\s+(?:like|love|enjoy)\s+(?:paying|missing|losing|wasting|overpaying|being\s+"
        r"(?:bored|broke|late|behind))",
        r"\bi'?ll\s+(?:just\s+)?(?:pay\s+(?:more|extra|full)|stay\s+(?:uninformed|behind|"
        r"broke|bored)|miss\s+out|keep\s+(?:paying|overpaying|struggling))",
        r"(?:rather|prefer\s+to|prefer)\s+(?:pay|miss|lose|stay|be\s+|keep|waste|struggle|"
        r"overpay|guess|fail|spend)",
        # loss framing: declining is giving up something already the user's
        r"\b(?:give\s+up|lose|forfeit|throw\s+away|waste|leave\s+behind|walk\s+away\s+from)\s+"
        r"(?:my|the|this|these|all|your)?\s*(?:\$?\d+\S*\s+)?(?:exclusive\s+|free\s+)?"
        r"(?:discount|saving|reward|bonus|benefit|offer|deal|gift|progress|perk|points|coupon|"
        r"streak)",
        # guilt toward someone: abandoning them
        r"\b(?:abandon|desert|let\s+down|disappoint)\s+(?:them|us|you|my|our|the)",
        # zh: the user says they do not want to save / be well, would rather pay / miss
        r"我(?:不|不太|才不)(?:想|要|需要|喜欢|喜歡|在乎|稀罕|配)(?:.{0,6})"
        r"(?:省钱|省錢|优惠|優惠|福利|便宜|赚钱|賺錢|变美|變美|健康|瘦|进步|進步|好看|学习|學習|"
        r"礼物|禮物|礼包|禮包|红包|紅包|奖励|獎勵|特权|特權|新人|券)",
        r"(?:我)?(?:宁可|寧可|情愿|情願|愿意|願意)(?:多花|多付|原价|原價|错过|錯過|吃亏|吃虧)",
        r"(?:放弃|放棄|错过|錯過|不要了?)(?:这|這)?(?:个|個|份|次)?(?:.{0,4})"
        r"(?:红包|紅包|礼包|禮包|奖励|獎勵|折扣|券|省钱|省錢|好礼|好禮)",
        r"(?:就是|偏偏|我|就)(?:喜欢|喜歡|愿意|願意)(?:多花钱|多花錢|原价|原價|吃亏|吃虧)",
        r"狠心|忍心|舍得|捨得|抛弃|拋棄|丢下|丟下",
    ),
    # On a retention / cancellation-confirmation screen: the answers that keep the subscription
    # (what the app wants), as opposed to the ones that go on cancelling.
    Lex.KEEP_ACTION: _rx(
        r"(?:继续|繼續)(?:享受|享有|使用|订阅|訂閱|保留|当|當)|保留|留下|再想想|再考虑|再考慮|我再想",
        r"(?:不|暂不|暫不|先不|放弃|放棄)(?:取消|退订|退訂|关闭|關閉|停止|解约|解約)|不走了|我不走",
        r"(?:领取|領取|接受|使用|享受)(?:优惠|優惠|福利|折扣|特价|特價)|^(?:领取|領取)",
        r"^keep\b|^stay\b|never\s*mind|changed?\s+my\s+mind|^go\s+back|^back\s+to|^return\b",
        r"continue\s+(?:with|using|my|enjoying|to\s+enjoy)|don'?t\s+cancel|^i'?ll\s+stay",
        r"(?:claim|accept|get|take|redeem|use)\s+(?:the\s+|this\s+|my\s+)?(?:\d+\s*%\s*)?"
        r"(?:offer|deal|discount)",
        # a bare Cancel / Close / Back on the confirmation of cancelling calls the cancelling off
        r"^(?:取消|关闭|關閉|返回|cancel|close|back|go\s+back)$",
    ),
    Lex.AD_MARKER: _rx(
        r"广告|廣告|赞助|贊助|推广|推廣",
        r"^ad$|^ads$|\bad\s*[·|•]|\bsponsored\b|\badvertisement\b|\bpromoted\b",
    ),
    Lex.CLOSE_SKIP: _rx(
        r"^跳过|^跳過|跳过广告|跳過廣告|^关闭|^關閉|关闭广告|關閉廣告",
        r"^skip\b|skip\s+ad|^close\b|^[×✕✖╳xX]$|^[×✕✖╳xX]\s*\d*$|^\d+\s*[×✕✖╳]$",
    ),
    Lex.COUNTDOWN: _rx(
        r"^\d{1,2}\s*(?:s|秒|sec)?$", r"\d{1,2}\s*(?:s|秒|sec)\b", r"(?:跳过|跳過|skip)\s*\d{1,2}",
        r"\d{1,2}\s*(?:跳过|跳過)", r"skip\s+in\s+\d",
    ),
}


def without_titles(text: str) -> str:
    """Drop document titles (《会员服务协议》, "Terms of Service" in quotes): a title that names
    an auto-renewal agreement is not itself the renewal terms."""
    return re.sub(r"《[^》]*》|「[^」]*」|\"[^\"]*\"", " ", text)


def has(kind: Lex, text: str) -> bool:
    return PATTERNS[kind].search(fold(text)) is not None


# endings a stem pattern may leave unmatched ("notif"+"ications", "third part"+"ies")
_SUFFIXES = frozenset({"s", "es", "d", "ed", "ing", "ings", "y", "ies", "al", "ally", "er",
                       "ers", "ication", "ications", "ation", "ations", "ion", "ions", "ly"})
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_WORD_TAIL = re.compile(r"[a-z0-9]*")


def has_words(kind: Lex, text: str) -> bool:
    """Whether ``kind`` matches whole words of ``text`` (CJK, which has no spaces, matches as
    it is; a Latin match must start a word and end one, or end in a plain suffix)."""
    t = fold(text)
    for m in PATTERNS[kind].finditer(t):
        a, b = m.span()
        if a == b:
            continue
        if _CJK.search(m.group(0)):
            return True
        if a > 0 and t[a - 1].isalnum():
            continue
        rest = _WORD_TAIL.match(t, b).group(0)  # type: ignore[union-attr]
        if not rest or rest in _SUFFIXES:
            return True
    return False


def find(kind: Lex, text: str) -> str | None:
    m = PATTERNS[kind].search(fold(text))
    return m.group(0) if m else None


# Button-sized texts only (a sentence containing 取消 is not a cancel button).
MAX_ACTION_CJK = 10
MAX_ACTION_WORDS = 9


def _cjk_count(t: str) -> int:
    return sum(1 for ch in t if "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff")


def action_sized(text: str) -> bool:
    """Short enough to be a button label, not a sentence (no CJK sentence punctuation)."""
    t = fold(text)
    if not t or any(p in t for p in "，。；;！!？?") and _cjk_count(t) > 0:
        return False
    cjk = _cjk_count(t)
    if cjk:
        return cjk <= MAX_ACTION_CJK
    return len(t.split()) <= MAX_ACTION_WORDS


def _cancelling_role(text: str) -> bool | None:
    """On a screen that stands between the user and a cancellation (see
    :func:`darkscan.lexicon.cancellation.cancelling_screen`): True = the answer keeps the
    subscription (the app's wanted answer), False = it goes on cancelling ("Continue",
    继续取消, 仍要取消, "Continue to cancel", "Yes"), None = neither."""
    if not action_sized(text):
        return None
    if PATTERNS[Lex.KEEP_ACTION].search(fold(text)):
        return True
    if CANCEL_CONTINUE.match(text):
        return False
    return None


def is_decline(text: str, cancelling: bool = False) -> bool:
    """A way to decline. With ``cancelling`` (the screen is a retention / cancellation
    confirmation reached while cancelling), going on with the cancellation is the decline of
    what the screen asks, and keeping the subscription is not a decline."""
    if cancelling:
        role = _cancelling_role(text)
        if role is not None:
            return not role
    return action_sized(text) and PATTERNS[Lex.DECLINE_ACTION].search(fold(text)) is not None


def is_accept(text: str, cancelling: bool = False) -> bool:
    """An accept/subscribe action that is not also a decline (不同意 contains 同意). With
    ``cancelling``, "Continue" goes on cancelling (a decline) and "Keep my plan" accepts."""
    if cancelling:
        role = _cancelling_role(text)
        if role is not None:
            return role
    if not action_sized(text) or is_decline(text):
        return False
    t = fold(text)
    return bool(PATTERNS[Lex.ACCEPT_ACTION].search(t) or PATTERNS[Lex.SUBSCRIBE_ACTION].search(t))
