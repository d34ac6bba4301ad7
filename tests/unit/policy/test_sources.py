"""Every rule says where it comes from, honestly (SPEC §4): a ``source`` of the four, a basis
in Japanese and English that says only what that source supports, and never a clause or item
number that no document in hand supports: not in a rule, a refusal, the READMEs or the
catalogue of page messages."""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from infobank.domain.policy import VERSIONS, Reason, Source, decide, engine, rule_pack, rules
from infobank.domain.policy.rules import ALL_RULES
from infobank.services.compliance_criteria import CRITERIA

from .test_rules_table import CASES

ROOT = Path(__file__).parents[3]

# An item or clause number: 「ⅱ-(7)」, "ii-(7)", "v1.0 (7)", 「（3）」, 「第7条」. (A section of an
# RFC, "RFC 4648 §4", is a citation of a document in hand and is not looked for.)
NUMBERED = re.compile(
    r"[ⅰ-ⅿ]\s*-?\s*[(（]"
    r"|\b[ivx]+-\(\d"
    r"|\d+\.\d+\s*[(（]\s*\d"
    r"|[(（]\s*\d{1,2}\s*[)）]"
    r"|第\s*[0-9０-９一二三四五六七八九十]+\s*[条項号節]"
)

# SPEC §4: each rule id's source, and the first version it is in force.
EXPECTED = {
    "consent.scope": (Source.GUIDELINE, "1.0"),
    "consent.window": (Source.GUIDELINE, "1.0"),
    "consent.status": (Source.GUIDELINE, "1.0"),
    "recipient.certified": (Source.GUIDELINE, "1.0"),
    "recipient.exception": (Source.GUIDELINE, "2.0"),
    "recipient.standing": (Source.POLICY, "1.0"),
    "offer.reviewed": (Source.GUIDELINE, "1.0"),
    "reprovision.prohibited": (Source.GUIDELINE, "1.0"),
    "delegation.scope": (Source.GUIDELINE, "1.0"),
    "profiling.disclosed": (Source.GUIDELINE, "2.2"),
    "sensitive.excluded": (Source.GUIDELINE, "1.0"),
    "health.conditions": (Source.GUIDELINE, "3.0"),
    "mynaportal.joint_application": (Source.MYNAPORTAL, "1.0"),
    "terms.current": (Source.CERTIFICATION, "1.0"),
    "purpose.guardrails": (Source.POLICY, "1.0"),
}
# How each source's basis begins: the guideline with its version, the others by kind.
OPENINGS = {
    Source.GUIDELINE: (r"認定指針 v(\d\.\d)：", r"Certification guideline v(\d\.\d): "),
    Source.CERTIFICATION: (r"認定団体の資料：", r"The certification body's material: "),
    Source.MYNAPORTAL: (r"マイナポータルAPIを仲介者経由で利用する条件：", r"A condition of using"),
    Source.POLICY: (r"運営方針：", r"Bank policy: "),
}


def _rule_modules() -> Iterator[ModuleType]:
    for found in pkgutil.iter_modules(rules.__path__):
        yield importlib.import_module(f"{rules.__name__}.{found.name}")


def _prebuilt_reasons() -> Iterator[Reason]:
    """Every reason a rule module builds at import, and those of every rule object."""
    yield engine._UNCONFIGURED
    for module in _rule_modules():
        for value in vars(module).values():
            if isinstance(value, Reason):
                yield value
            elif isinstance(value, dict):
                yield from (v for v in value.values() if isinstance(v, Reason))
    for rule in ALL_RULES:
        yield rule.passed
        yield rule.broken


def _message_templates() -> Iterator[str]:
    """The (ja, en) message templates a module formats at decision time."""
    for module in _rule_modules():
        for value in vars(module).values():
            if isinstance(value, tuple) and value and all(isinstance(v, str) for v in value):
                yield from value


def _decided_reasons() -> Iterator[Reason]:
    """The reasons of every decision of the rule table, explained (passes included)."""
    for case in CASES:
        version, request, facts, at, _rule, _outcome = case.values
        yield from decide(request, facts, at, version, explain=True).reasons


def _check_basis(source: Source, ja: str, en: str, version: str) -> None:
    assert source in set(Source)
    assert ja and en and ja != en
    opening_ja, opening_en = OPENINGS[source]
    found_ja, found_en = re.match(opening_ja, ja), re.match(opening_en, en)
    assert found_ja and found_en, (ja, en)
    if source is Source.GUIDELINE:  # a version the guideline had by then, the same twice
        assert found_ja.group(1) == found_en.group(1)
        assert VERSIONS.index(found_ja.group(1)) <= VERSIONS.index(version)


@pytest.mark.parametrize("version", VERSIONS)
def test_every_rule_of_every_version_says_where_it_comes_from(version: str) -> None:
    pack = rule_pack(version)

    assert pack
    for rule in pack:
        expected_source, since = EXPECTED[rule.id]
        assert (rule.source, rule.since) == (expected_source, since), rule.id
        _check_basis(rule.source, rule.basis.ja, rule.basis.en, version)
        assert rule.passed.source is rule.source and rule.broken.source is rule.source


def test_every_wording_of_every_rule_says_where_it_comes_from() -> None:
    for rule in ALL_RULES:
        _check_basis(rule.source, rule.basis.ja, rule.basis.en, rule.revision)


def test_this_banks_policy_and_the_mynaportal_conditions_hold_at_every_version() -> None:
    for rule_id, (source, _since) in EXPECTED.items():
        if source in (Source.POLICY, Source.MYNAPORTAL):
            assert all(rule_id in {r.id for r in rule_pack(v)} for v in VERSIONS), rule_id


def test_every_refusal_has_a_source_and_a_basis_in_both_languages() -> None:
    reasons = [*_prebuilt_reasons(), *_decided_reasons()]

    assert len(reasons) > 100
    for reason in reasons:
        _check_basis(reason.source, reason.basis_ja, reason.basis_en, "3.0")
        assert reason.message_ja and reason.message_en


def test_no_basis_nor_message_cites_a_clause_number() -> None:
    reasons = [*_prebuilt_reasons(), *_decided_reasons()]
    texts = [t for r in reasons for t in (r.basis_ja, r.basis_en, r.message_ja, r.message_en)]
    texts += list(_message_templates())
    for criterion in CRITERIA:
        if criterion.basis is not None:
            texts += [criterion.basis.ja, criterion.basis.en]

    assert [t for t in set(texts) if NUMBERED.search(t)] == []


@pytest.mark.parametrize(
    "document",
    [
        "README.md",
        "ARCHITECTURE.md",
        "src/infobank/domain/policy/README.md",
        "src/infobank/locale/ja/LC_MESSAGES/messages.po",
    ],
)
def test_no_document_cites_a_clause_number(document: str) -> None:
    text = (ROOT / document).read_text(encoding="utf-8")

    assert [m.group(0) for m in NUMBERED.finditer(text)] == []


@pytest.mark.parametrize(
    "cited",
    ["認定指針 v1.0 ⅱ-(7) 約款", "v2.1 (3) 提供先", "ii-(4)", "指針（7）", "第3条"],
)
def test_the_check_bites(cited: str) -> None:
    assert NUMBERED.search(cited) is not None
