"""Wording: every word list and text pattern darkscan matches UI text against, in one place.

Low in the layout (it imports nothing else of darkscan), so ``crawl/``, ``vision/`` and
``detect/`` all use the same lists. Modules are named for what they hold:

- ``normalize``     the matching forms (:func:`normalize` compact key, :func:`fold` spaced form)
- ``goals``         the built-in goals' phrases (cancel, delete account, privacy policy, ...)
- ``navigation``    labels toward / away from the goals, dialog answers, back arrows
- ``system``        Android's crash / ANR dialogs
- ``detectors``     screen-detector patterns (renewal terms, prices, accept / decline, ads, ...)
- ``promo``         nagging prompts and advertising cues
- ``cancellation``  how a cancellation flow goes on, ends, or tries to keep the user
- ``safety``        what the crawl guard reads: final pay / delete wording, payment methods,
                    checkout and charge wording, irreversibility, harmless actions, prices

zh-Hans, zh-Hant (Taiwan, Hong Kong) and English; written from how apps phrase things in
general, never from one app.
"""
