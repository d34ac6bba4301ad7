"""Versioned rule packs: which rules, in which wording, are in force at each guideline version.

Packs and per-action pipelines are computed once at import; ``decide`` only looks one up.
An unknown version is a configuration error and raises here (``rule_pack``), never in
``decide``.
"""

from __future__ import annotations

from .facts import Action
from .rules import ALL_RULES, PIPELINE_ORDER, Rule

__all__ = ["DEFAULT_VERSION", "PIPELINES", "VERSIONS", "pipeline", "rule_pack"]

VERSIONS: tuple[str, ...] = ("1.0", "2.0", "2.1", "2.2", "3.0")
DEFAULT_VERSION = "3.0"

_RANK = {version: rank for rank, version in enumerate(VERSIONS)}


def _build(version: str) -> tuple[Rule, ...]:
    rank = _RANK[version]
    pack: list[Rule] = []
    for rule_id in PIPELINE_ORDER:
        in_force = [
            rule
            for rule in ALL_RULES
            if rule.id == rule_id and _RANK[rule.since] <= rank and _RANK[rule.revision] <= rank
        ]
        if in_force:
            pack.append(max(in_force, key=lambda rule: _RANK[rule.revision]))
    return tuple(pack)


_PACKS: dict[str, tuple[Rule, ...]] = {version: _build(version) for version in VERSIONS}
# (version, action) -> the rules decide() runs, filtered by ``applies_to``. Read-only by convention.
PIPELINES: dict[tuple[str, Action], tuple[Rule, ...]] = {
    (version, action): tuple(rule for rule in pack if action in rule.applies_to)
    for version, pack in _PACKS.items()
    for action in Action
}


def rule_pack(version: str) -> tuple[Rule, ...]:
    """The rules in force at ``version``, in pipeline order.

    Call it when reading configuration (``INFOBANK_GUIDELINE_VERSION``) so that a typo fails
    at start-up rather than as a refusal of every request.
    """
    try:
        return _PACKS[version]
    except (KeyError, TypeError):
        known = ", ".join(VERSIONS)
        message = f"unknown guideline version {version!r}; expected one of {known}"
        raise ValueError(message) from None


def pipeline(version: str, action: Action) -> tuple[Rule, ...] | None:
    """The rules ``decide`` runs for this version and action, or None if either is unknown."""
    try:
        return PIPELINES.get((version, action))
    except TypeError:  # an unhashable argument
        return None
