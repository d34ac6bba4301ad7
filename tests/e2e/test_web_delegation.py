"""The delegation form (委任条件) over HTTP: choices by name instead of codes to type, and a
rule that narrows nothing saved only after the person confirms it on the page. The API that
replaces the rules (PUT /v1/me/delegation) is unchanged and asks nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from infobank.bootstrap import Bank, bootstrap
from infobank.domain.catalogue import Sensitivity
from infobank.services import delegation, identity
from tests.fakes import FakeClock
from tests.support import api, db, web
from tests.support.words import foreign_words


@pytest.fixture
def bank(tmp_path: Path, clock: FakeClock, sqlite_template: Path) -> Iterator[Bank]:
    wired = bootstrap(db.sqlite_settings(sqlite_template, tmp_path), clock=clock)
    try:
        yield wired
    finally:
        wired.close()


def _rules(bank: Bank, email: str) -> list[dict[str, Any]]:
    with bank.context.read() as uow:
        person = uow.persons.by_email_lookup(identity.email_lookup(bank.context, email))
    assert person is not None
    return delegation.rules(bank.context, person.id)


def _general(bank: Bank) -> list[str]:
    return [c.code for c in bank.context.catalogue if c.sensitivity == Sensitivity.GENERAL]


def test_the_form_offers_named_choices_and_no_codes_to_type(client: TestClient, bank: Bank) -> None:
    web.sign_up(client, bank)
    page = client.get("/delegation").text
    assert 'name="industries" maxlength' not in page and "例：" not in page
    ticks = dict.fromkeys(("categories", "purposes", "industries"), 0)
    for name in ticks:
        ticks[name] = len(re.findall(rf'type="checkbox" id="[^"]+" name="{name}"', page))
    assert ticks["categories"] == len(_general(bank))  # general data only
    assert 'value="health.checkup"' not in page
    assert ticks["purposes"] == len(bank.context.purposes)
    assert ticks["industries"] >= 5
    for name in ("保険商品の設計・改善", "活動量（歩数など）", "保険", "研究機関"):
        assert f">{name}</label>" in page, name
    assert 'type="radio" id="profiling-no" name="allow_profiling" value="no" checked' in page
    assert foreign_words(page) == []


def test_an_empty_form_asks_before_saving_a_rule_that_covers_everything(
    client: TestClient, bank: Bank
) -> None:
    email = web.sign_up(client, bank)
    asked = web.post(client, "/delegation/rules", "/delegation")
    assert asked.status_code == 200
    assert 'data-testid="delegation-save-confirm"' in asked.text
    assert "何も絞り込んでいません" in asked.text
    assert foreign_words(asked.text) == []
    assert _rules(bank, email) == []  # nothing saved yet

    confirmed = client.post(
        "/delegation/rules",
        data={
            "csrf_token": web.csrf(asked.text),
            "min_benefit_points": "0",
            "max_retention_days": "365",
            "allow_profiling": "no",
            "confirmed": "yes",
        },
        follow_redirects=False,
    )
    assert confirmed.status_code == 303, confirmed.text
    assert [r["categories"] for r in _rules(bank, email)] == [[]]


def test_ticking_every_choice_with_no_least_benefit_also_asks(
    client: TestClient, bank: Bank
) -> None:
    email = web.sign_up(client, bank)
    every = {
        "categories": _general(bank),
        "purposes": list(bank.context.purposes),
        "industries": re.findall(
            r'name="industries" value="([^"]+)"', client.get("/delegation").text
        ),
        "min_benefit_points": "0",
        "max_retention_days": "90",
    }
    asked = web.post(client, "/delegation/rules", "/delegation", **every)
    assert 'data-testid="delegation-save-confirm"' in asked.text
    assert _rules(bank, email) == []
    # the confirmation carries exactly what was chosen
    for code in every["categories"]:
        assert f'<input type="hidden" name="categories" value="{code}">' in asked.text
    assert '<input type="hidden" name="max_retention_days" value="90">' in asked.text

    with_points = web.post(
        client, "/delegation/rules", "/delegation", **{**every, "min_benefit_points": "1"}
    )
    assert with_points.status_code == 303
    assert [r["min_benefit_points"] for r in _rules(bank, email)] == [1]


def test_a_narrowed_rule_is_saved_at_once_and_read_back_by_name(
    client: TestClient, bank: Bank
) -> None:
    email = web.sign_up(client, bank)
    added = web.post(
        client,
        "/delegation/rules",
        "/delegation",
        purposes="health.research",
        allow_profiling="yes",
    )
    assert added.status_code == 303, added.text
    (rule,) = _rules(bank, email)
    assert rule["purposes"] == ["health.research"] and rule["allow_profiling"] is True
    page = client.get("/delegation").text
    assert "利用目的が次のいずれか：公益性のある医学・健康研究" in page
    assert foreign_words(page) == []


def test_choices_the_form_does_not_offer_are_refused(client: TestClient, bank: Bank) -> None:
    email = web.sign_up(client, bank)
    for field, value in (
        ("industries", "weapons"),
        ("purposes", "anything.at_all"),
        ("categories", "health.checkup"),
        ("min_benefit_points", "-5"),
        ("max_retention_days", "many"),
    ):
        refused = web.post(client, "/delegation/rules", "/delegation", **{field: value})
        assert refused.status_code == 422, (field, refused.text)
        assert 'role="alert"' in refused.text
    assert _rules(bank, email) == []


def test_the_api_still_replaces_rules_without_asking(client: TestClient, bank: Bank) -> None:
    person = api.sign_up(client)
    put = client.put("/v1/me/delegation", json={"rules": [{}]}, headers=person.headers)
    assert put.status_code == 200, put.text
    assert delegation.rules(bank.context, person.id)[0]["categories"] == []
