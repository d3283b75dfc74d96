"""Wording of the built-in goals (:mod:`darkscan.crawl.goals` turns these into matchers).

Each list holds phrases real apps put on the control; a label *containing* one matches (after
:func:`~darkscan.lexicon.normalize.normalize`, so zh-Hant and full-width forms fold into these,
and the regional words 個人化, 私隱, 推介, 戶口, 會籍, 自動續期 into the mainland ones). Taiwan /
Hong Kong wording that stays different after conversion is written in Traditional characters.
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
    "免费试用", "开始试用", "立即升级", "立即购买", "升级进阶", "升級進階版", "升级高级版", "升级vip",
    "立即续费", "续费vip",
    "subscribe now", "start my free trial", "try it free", "try for free", "go pro", "get pro",
    "unlock premium", "upgrade to premium", "start subscription",
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
    # automatic debit (Taiwan 自動扣款, mainland 代扣 / 自动扣费) and renewal periods (HK 續期)
    "停止自动扣款", "关闭自动扣款", "取消自动扣款", "解除自动扣款", "关闭自动扣费", "取消自动扣费",
    "停止自动扣费", "解除代扣", "关闭代扣", "取消代扣", "取消自动支付", "关闭自动支付",
    "取消连续包季", "关闭连续包年", "关闭连续包季", "取消会员",
    "停止续订", "终止订阅", "结束订阅", "停止订阅", "解除订阅", "取消包月",
    "关闭包月", "解除签约", "解除自动续订", "停用自动续订", "停用自动续费",
    "cancel my membership", "end membership", "end my membership", "end my subscription",
    "end plan", "stop subscription", "stop my subscription", "turn off automatic renewal",
    "turn off renewal", "stop renewal", "stop auto renewal", "cancel automatic renewal",
    "disable auto renewal", "disable automatic renewal", "don't renew", "do not renew",
    "cancel premium", "cancel recurring", "stop recurring", "turn off auto-pay",
    "turn off autopay", "cancel autopay", "cancel auto-pay",
)
# A switch whose label is the auto-renewal itself: switching it off cancels.
AUTO_RENEW_SWITCH = (
    "自动续费", "自动续订", "自动扣款", "自动扣费", "auto-renew", "autorenew",
    "auto renewal", "automatic renewal", "renew automatically", "auto-pay", "autopay",
)
NOT_AUTO_RENEW_SWITCH = ("协议", "同意", "阅读", "条款", "agree", "terms", "accept")

DELETE_ACCOUNT = (
    "注销账号", "注销账户", "注销帐号", "账号注销", "账户注销", "帐号注销", "删除账号", "删除账户",
    "删除帐号", "永久注销", "申请注销", "注销会员账号", "注销用户",
    "delete account", "delete my account", "delete your account", "close account",
    "close my account", "deactivate account", "remove account", "account deletion",
    "erase account",
    "关闭账户", "关闭账号", "删除我的账号",
    "删除我的账户", "注销我的账号", "申请销户", "账号删除", "账户删除", "永久删除账号", "销户",
    "delete profile", "delete my profile", "close your account",
    "deactivate my account", "terminate account", "terminate my account", "delete your profile",
)
DELETE_ACCOUNT_EXACT = ("注销", "delete")
NOT_DELETE_ACCOUNT = ("登录", "退出", "logout", "log out", "sign out")

RECOMMENDATION_SWITCH = (
    "个性化推荐", "个性化内容推荐", "个性化内容", "个人化推荐", "推荐算法", "算法推荐", "智能推荐",
    "个性化推送", "个性化服务", "个性化设置",
    "personalized recommendation", "personalised recommendation",
    "personalized content", "personalised content", "personalization",
    "personalisation", "recommendations", "recommended for you", "tailored",
    "为你推荐", "个性化内容推送", "个性化排序",
    "personalized feed", "personalised feed", "personalized suggestions",
    "personalised suggestions", "recommended content", "content recommendations",
)
RECOMMENDATION_SWITCH_EXACT = ("个性化", "个人化", "推荐", "personalize", "personalise",
                               "recommend", "for you")
# Personalised *ads* are a different switch (ad targeting), not the content recommendations.
NOT_RECOMMENDATION_SWITCH = ("广告", "ads", "advertis")
# Resource-id fragments of such a switch (lower case).
RECOMMENDATION_IDS = ("recommend", "personaliz", "personalis")

PRIVACY_POLICY = (
    "隐私政策", "隐私协议", "隐私条款", "隐私权政策", "隐私权条款", "隐私保护指引", "隐私保护政策",
    "隐私声明", "个人信息保护政策", "个人信息保护指引", "隐私指引",
    "privacy policy", "privacy notice", "privacy statement", "privacy terms",
    "隐私权保护", "隐私权声明", "个人资料保护", "隐私保护说明", "隐私说明",
    # Taiwan wording, in Traditional (個人資料 converts to 个人数据, like the labels do)
    "隱私權保護", "隱私權聲明", "個人資料保護", "個資保護", "個人資料使用",
    "privacy & cookie policy", "data policy", "data protection policy",
    "personal information protection", "personal data policy", "privacy and cookies",
)

CUSTOMER_SERVICE = (
    "客服", "热线", "投诉", "联系我们", "人工服务", "在线咨询",
    "customer service", "customer support", "contact us", "contact support",
    "hotline", "complaint", "live chat", "chat with us", "talk to us", "call us",
    # 客戶服務 (Taiwan, Hong Kong) converts to 客户服务, which does not contain 客服
    "客户服务", "客户支持", "联系客户", "专人服务", "真人客服", "在线支持", "联络我们",
    "客服專線", "聯絡客戶服務",
    "help & support", "help and support", "get help", "email us", "message us",
    "get in touch", "help desk", "helpdesk", "support center", "support centre",
    "customer care", "contact customer",
)
CUSTOMER_SERVICE_EXACT = ("support", "contact")

UNINSTALL = ("卸载", "解除安装", "uninstall")
NOT_UNINSTALL = ("更新", "updates")
