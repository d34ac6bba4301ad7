"""Error pages for browsers, problem+json for everyone else: a browser (Accept prefers
text/html) that mistypes an address, uses a wrong method or meets a failure inside the bank
sees a page in the layout and its language that links home; API clients, and every request
under /v1, /oauth and /.well-known, get exactly the problem they always got. On SQLite only:
nothing here depends on the database."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from infobank.bootstrap import Bank, bootstrap
from infobank.entrypoints.api.problems import MEDIA_TYPE, problem
from infobank.services import sessions
from tests.fakes import FakeClock
from tests.support import api, db, web

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
SECRET = "kaboom-4f1c: the inner workings of the bank"


@pytest.fixture
def bank(tmp_path: Path, clock: FakeClock, sqlite_template: Path) -> Iterator[Bank]:
    wired = bootstrap(db.sqlite_settings(sqlite_template, tmp_path), clock=clock)
    try:
        yield wired
    finally:
        wired.close()


@pytest.fixture
def quiet(client: TestClient) -> TestClient:
    """The same app, answering a failure with its 500 instead of raising it into the test."""
    return TestClient(client.app, raise_server_exceptions=False)


def _is_page(response: object) -> bool:
    headers = getattr(response, "headers", {})
    return str(headers.get("content-type", "")).startswith("text/html")


def test_a_mistyped_address_in_a_browser_is_a_page_in_the_layout_that_links_home(
    client: TestClient,
) -> None:
    page = client.get("/recrods", headers={"Accept": BROWSER})

    assert page.status_code == 404 and _is_page(page)
    assert '<html lang="ja">' in page.text and 'class="site"' in page.text  # the layout
    assert 'data-testid="error-title" data-code="not_found">見つかりません<' in page.text
    assert "このページは存在しないか、あなたが見ることのできないページです。" in page.text
    assert '<a href="/">はじめに戻る</a>' in page.text
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    english = client.get("/recrods?lang=en", headers={"Accept": BROWSER})
    assert english.status_code == 404 and '<html lang="en">' in english.text
    assert "This page does not exist" in english.text and "見つかりません" not in english.text


def test_a_logged_in_visitor_keeps_their_menu_on_the_error_page(
    client: TestClient, bank: Bank
) -> None:
    web.sign_up(client, bank)
    page = client.get("/no-such-page", headers={"Accept": BROWSER})
    assert page.status_code == 404
    assert 'data-testid="main-menu"' in page.text and 'href="/records"' in page.text


@pytest.mark.parametrize(
    "accept",
    [
        None,  # no Accept header at all
        "*/*",
        "application/json",
        "application/problem+json",
        "text/html, application/json",  # a tie answers the API's way
        "application/json, text/html;q=0.9",
    ],
)
def test_api_clients_get_the_same_problem_bytes_as_before(
    client: TestClient, accept: str | None
) -> None:
    headers = {"Accept": accept} if accept is not None else {}
    expected = problem(404, "not_found", "Not Found")
    for path in ("/recrods", "/v1/no-such-thing"):
        answer = client.get(path, headers=headers)
        assert answer.status_code == 404
        assert answer.headers["content-type"] == MEDIA_TYPE
        assert answer.content == expected.body


@pytest.mark.parametrize("path", ["/v1/nothing", "/oauth/nothing", "/.well-known/nothing"])
def test_api_paths_answer_problem_json_even_to_a_browser(client: TestClient, path: str) -> None:
    answer = client.get(path, headers={"Accept": BROWSER})
    assert answer.status_code == 404
    assert answer.headers["content-type"] == MEDIA_TYPE
    assert answer.json()["code"] == "not_found"


@pytest.mark.parametrize("accept", ["text/html", "text/*", "application/json;q=0.5, text/html"])
def test_html_preferred_to_json_is_a_page(client: TestClient, accept: str) -> None:
    assert _is_page(client.get("/recrods", headers={"Accept": accept}))


def test_a_wrong_method_is_a_page_for_a_browser_and_a_problem_for_the_api(
    client: TestClient,
) -> None:
    page = client.delete("/records", headers={"Accept": BROWSER})
    assert page.status_code == 405 and _is_page(page)
    assert "このアドレスはこの方法では使えません" in page.text
    assert page.headers["allow"] == client.delete("/records").headers["allow"] == "GET"
    english = client.delete("/records?lang=en", headers={"Accept": BROWSER})
    assert "This address cannot be used that way" in english.text

    expected = problem(405, "method_not_allowed", "Method Not Allowed")
    for path, headers in (("/records", {}), ("/v1/me/records", {"Accept": BROWSER})):
        answer = client.delete(path, headers=headers)
        assert answer.status_code == 405
        assert answer.headers["content-type"] == MEDIA_TYPE
        assert answer.content == expected.body


def test_a_failure_inside_the_bank_is_a_plain_page_without_a_traceback(
    client: TestClient, quiet: TestClient, bank: Bank, monkeypatch: pytest.MonkeyPatch
) -> None:
    email = web.sign_up(quiet, bank)
    web.log_in(client, email)

    def broken(*_args: object) -> None:
        raise RuntimeError(SECRET)

    monkeypatch.setattr("infobank.services.benefits.statement_page", broken)
    page = quiet.get("/benefits", headers={"Accept": BROWSER})

    assert page.status_code == 500 and _is_page(page)
    assert 'data-code="internal_error">問題が発生しました<' in page.text
    assert "しばらくしてからもう一度お試しください" in page.text
    assert 'data-testid="main-menu"' in page.text  # still their layout, with the menu
    for leaked in (SECRET, "Traceback", "RuntimeError", "benefits.py"):
        assert leaked not in page.text
    english = quiet.get("/benefits?lang=en", headers={"Accept": BROWSER})
    assert english.status_code == 500 and "Something went wrong" in english.text
    assert SECRET not in english.text
    with pytest.raises(RuntimeError):  # the server still sees the error, for its log
        client.get("/benefits", headers={"Accept": BROWSER})


def test_a_failure_under_the_api_is_a_problem_without_a_traceback(
    quiet: TestClient, bank: Bank, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = api.sign_up(quiet)

    def broken(*_args: object) -> None:
        raise RuntimeError(SECRET)

    monkeypatch.setattr("infobank.entrypoints.api.me.benefits.statement_page", broken)
    for accept in ("application/json", BROWSER):
        answer = quiet.get("/v1/me/benefits", headers={**person.headers, "Accept": accept})
        assert answer.status_code == 500
        assert answer.headers["content-type"] == MEDIA_TYPE
        body = answer.json()
        assert body["code"] == "internal_error" and body["status"] == 500
        assert SECRET not in json.dumps(body) and "Traceback" not in answer.text


def test_the_failure_page_is_shown_even_when_the_session_cannot_be_read(
    quiet: TestClient, bank: Bank, monkeypatch: pytest.MonkeyPatch
) -> None:
    web.sign_up(quiet, bank)

    def unreadable(*_args: object) -> None:
        raise RuntimeError(SECRET)

    monkeypatch.setattr(sessions, "resume", unreadable)
    page = quiet.get("/benefits", headers={"Accept": BROWSER})
    assert page.status_code == 500 and _is_page(page)
    assert "問題が発生しました" in page.text and SECRET not in page.text
    assert 'data-testid="main-menu"' not in page.text  # shown without the session
