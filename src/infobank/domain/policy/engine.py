"""``decide``: run the rule pack of one guideline version over one request.

Pure and total: no I/O, no clock (``at`` is an argument), and it never raises. A rule whose
facts are malformed (a naive datetime beside an aware one, a ``None`` where a set belongs)
becomes a ``gap`` reason for that rule instead of an exception. The happy path allocates only
what it must: pipelines are precomputed per (version, action), refusal reasons are prebuilt,
and an allowed decision without ``explain`` is a shared constant.
"""

from __future__ import annotations

from datetime import datetime

from .decision import Decision, Outcome, Reason
from .facts import Facts, Request
from .packs import DEFAULT_VERSION, PIPELINES, VERSIONS
from .sources import policy

__all__ = ["decide"]

_ALLOW = Outcome.ALLOW
_ALLOWED = {version: Decision(True, (), version) for version in VERSIONS}
_UNCONFIGURED = Reason(
    "policy.configuration",
    policy(
        "判定できない要求には何も提供しない",
        "nothing is provided on a request that cannot be decided",
    ),
    Outcome.GAP,
    "指針の版または要求の種類が不明なため、判定できません。",
    "The guideline version or the kind of request is unknown, so nothing can be decided.",
)


def decide(
    request: Request,
    facts: Facts,
    at: datetime,
    version: str = DEFAULT_VERSION,
    explain: bool = False,
) -> Decision:
    """Decide ``request`` on ``facts`` at time ``at`` under guideline ``version``.

    Allowed iff no rule returns a ``deny`` or ``gap`` reason. With ``explain=True`` every rule
    that passed adds an ``allow`` reason too, for the operator's explain view.
    """
    try:
        rules = PIPELINES.get((version, request.action))
    except Exception:  # a malformed request: refuse, never raise
        rules = None
    if rules is None:
        return Decision(False, (_UNCONFIGURED,), version)
    reasons: list[Reason] | None = None
    refused = False
    for rule in rules:
        try:
            reason = rule.check(request, facts, at)
        except Exception:  # malformed facts are a gap in what we were told, not a crash
            reason = rule.broken
        if reason is None:
            if not explain:
                continue
            reason = rule.passed
        elif reason.outcome is not _ALLOW:
            refused = True
        if reasons is None:
            reasons = [reason]
        else:
            reasons.append(reason)
    if reasons is None:
        return _ALLOWED[version]
    return Decision(not refused, tuple(reasons), version)
