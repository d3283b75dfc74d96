"""What the crawler must never do: complete a payment, confirm an account deletion, type a
password or a verification code. It reaches such screens and stops one tap before, recording a
``stopped_before`` step with the reason and the evidence.

The guard reads the situation (:mod:`.risk`: prices, payment methods, cashier wording, charge
countdowns, irreversibility warnings, secret fields, and the tap that led to the screen) and
decides (:mod:`.guard`): on a risky screen only actions known to be harmless are allowed, so an
unfamiliar label stops. The word lists (:mod:`.words`) are inputs to that decision.
"""

from darkscan.crawl.safety.guard import SafetyRules, Stop, StopReason
from darkscan.crawl.safety.risk import Arrival, Level, Risk, Signal

__all__ = ["Arrival", "Level", "Risk", "SafetyRules", "Signal", "Stop", "StopReason"]
