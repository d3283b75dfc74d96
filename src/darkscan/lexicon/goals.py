"""Wording of the built-in goals (:mod:`darkscan.crawl.goals` turns these into matchers).

Each list holds phrases real apps put on the control; a label *containing* one matches (after
:func:`~darkscan.lexicon.normalize.normalize`, so zh-Hant and full-width forms fold into these).
``NOT_*`` lists veto a match, ``*_EXACT`` lists match only as the whole label.
Nothing here names an app.
"""

from __future__ import annotations

SUBSCRIBE = (
    "开通会员", "立即开通", "开通vip", "开通svip", "开通连续包月", "立即订阅", "订阅会员", "成为会员",
    "加入会员", "购买会员", "升级会员", "开通超级会员", "续费会员", "开通", "订阅",
    "subscribe", "start free trial", "free trial", "get premium", "go premium",
    "upgrade to", "upgrade now", "join premium", "become a member", "try premium",
    "start membership", "get plus", "buy premium",
)
NOT_SUBSCRIBE = (
    "取消", "退订", "关闭", "停止", "管理", "已开通", "已订阅", "已是", "恢复购买",
    "cancel", "unsubscribe", "manage", "turnoff", "stop", "restore", "already",
)

CANCEL_SUBSCRIPTION = (
    "取消自动续费", "关闭自动续费", "取消自动续订", "关闭自动续订", "停止自动续费", "解除自动续费",
    "取消连续包月", "关闭连续包月", "取消连续包年", "取消续费", "关闭续费", "停止续费", "取消续订",
    "退订", "取消订阅", "取消会员订阅", "关闭免密支付", "取消签约", "解约",
    "cancel subscription", "cancel my subscription", "cancel membership", "cancel plan",
    "cancel auto-renew", "cancel autorenew", "cancel auto renewal", "cancel renewal",
    "turn off auto-renew", "turn off autorenew", "turn off auto renewal",
    "stop auto-renew", "disable auto-renew", "disable autorenew", "unsubscribe",
    "end subscription", "cancel trial", "cancel free trial",
)
# A switch whose label is the auto-renewal itself: switching it off cancels.
AUTO_RENEW_SWITCH = (
    "自动续费", "自动续订", "auto-renew", "autorenew", "auto renewal", "automatic renewal",
)
NOT_AUTO_RENEW_SWITCH = ("协议", "同意", "阅读", "条款", "agree", "terms", "accept")

DELETE_ACCOUNT = (
    "注销账号", "注销账户", "注销帐号", "账号注销", "账户注销", "帐号注销", "删除账号", "删除账户",
    "删除帐号", "永久注销", "申请注销", "注销会员账号", "注销用户",
    "delete account", "delete my account", "delete your account", "close account",
    "close my account", "deactivate account", "remove account", "account deletion",
    "erase account",
)
DELETE_ACCOUNT_EXACT = ("注销", "delete")
NOT_DELETE_ACCOUNT = ("登录", "退出", "logout", "log out", "sign out")

RECOMMENDATION_SWITCH = (
    "个性化推荐", "个性化内容推荐", "个性化内容", "个人化推荐", "推荐算法", "算法推荐", "智能推荐",
    "个性化推送", "个性化服务", "个性化设置",
    "personalized recommendation", "personalised recommendation",
    "personalized content", "personalised content", "personalization",
    "personalisation", "recommendations", "recommended for you", "tailored",
)
# Resource-id fragments of such a switch (lower case).
RECOMMENDATION_IDS = ("recommend", "personaliz", "personalis")

PRIVACY_POLICY = (
    "隐私政策", "隐私协议", "隐私条款", "隐私权政策", "隐私权条款", "隐私保护指引", "隐私保护政策",
    "隐私声明", "个人信息保护政策", "个人信息保护指引", "隐私指引",
    "privacy policy", "privacy notice", "privacy statement", "privacy terms",
)

CUSTOMER_SERVICE = (
    "客服", "热线", "投诉", "联系我们", "人工服务", "在线咨询",
    "customer service", "customer support", "contact us", "contact support",
    "hotline", "complaint", "live chat", "chat with us", "talk to us", "call us",
)

UNINSTALL = ("卸载", "解除安装", "uninstall")
NOT_UNINSTALL = ("更新", "updates")
