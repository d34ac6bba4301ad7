"""The guideline rules as one pure function (情報信託機能の認定に係る指針 as code).

``decide(request, facts, at, version)`` returns a ``Decision``; see README.md in this folder
for the pipeline, the rule table and the difference between a *deny* and a *gap*.
"""

from __future__ import annotations

from .decision import Decision, Outcome, Reason
from .engine import decide
from .facts import (
    Action,
    Certification,
    ConsentFacts,
    ConsentMode,
    ConsentStatus,
    DelegationRule,
    Facts,
    FetchMode,
    JointApplicationEntry,
    Justification,
    OfferFacts,
    OfferStatus,
    PersonFacts,
    PurposeGuardrails,
    RecipientException,
    RecipientFacts,
    Request,
    ReviewConditions,
    Sensitivity,
)
from .packs import DEFAULT_VERSION, VERSIONS, rule_pack
from .rules import Rule
from .sources import Basis, Source

__all__ = [
    "DEFAULT_VERSION",
    "VERSIONS",
    "Action",
    "Basis",
    "Certification",
    "ConsentFacts",
    "ConsentMode",
    "ConsentStatus",
    "Decision",
    "DelegationRule",
    "Facts",
    "FetchMode",
    "JointApplicationEntry",
    "Justification",
    "OfferFacts",
    "OfferStatus",
    "Outcome",
    "PersonFacts",
    "PurposeGuardrails",
    "Reason",
    "RecipientException",
    "RecipientFacts",
    "Request",
    "ReviewConditions",
    "Rule",
    "Sensitivity",
    "Source",
    "decide",
    "rule_pack",
]
