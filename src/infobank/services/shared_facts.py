"""A per-process cache of the facts every decision about one offer shares: the recipient's
standing, certificates, exceptions and joint applications, the ethics board's approval with
the conditions it set (and whether the usage report it asks for has been filed), and the terms
in force.

Each entry carries the policy version (``uow.policy.version()``) it was read at, and is used
only while the database still says that version: any change to those facts moves the version
on in the transaction of the change, so the very next decision, in any process, reads them
again. Time is not cached: certificates and exceptions keep their dates, and the rules compare
them with the decision's time, so a certificate that lapses refuses the next fetch too.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from infobank.domain.policy import RecipientFacts, ReviewConditions

__all__ = ["SharedFacts", "SharedFactsCache"]


@dataclass(frozen=True, slots=True)
class SharedFacts:
    version: int
    recipient: RecipientFacts
    review_approved: bool
    industry: str
    current_terms_version: str
    conditions: ReviewConditions = field(default_factory=ReviewConditions)  # of the approval
    report_filed: bool = False  # a usage report (利用報告) filed since that approval


class SharedFactsCache:
    """Offer id → the shared facts, least recently used dropped past ``size``."""

    def __init__(self, size: int = 4096) -> None:
        self._size = size
        self._entries: OrderedDict[str, SharedFacts] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, offer_id: str, version: int) -> SharedFacts | None:
        with self._lock:
            found = self._entries.get(offer_id)
            if found is None or found.version != version:
                return None
            self._entries.move_to_end(offer_id)
            return found

    def put(self, offer_id: str, facts: SharedFacts) -> None:
        with self._lock:
            self._entries[offer_id] = facts
            self._entries.move_to_end(offer_id)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
