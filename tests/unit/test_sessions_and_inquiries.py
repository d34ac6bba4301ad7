"""Web sessions end on time; inquiries move only along their life cycle."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from infobank.domain.errors import Conflict
from infobank.domain.identity import Principal, PrincipalKind
from infobank.domain.inquiries import inquiry_status_after
from infobank.domain.sessions import WebSession

AT = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
IDLE = timedelta(minutes=30)


def _session(**changes: object) -> WebSession:
    values: dict[str, object] = {
        "token_hash": "h",
        "principal": Principal(PrincipalKind.PERSON, "p"),
        "csrf_token": "c",
        "created_at": AT,
        "expires_at": AT + timedelta(hours=8),
        "last_seen_at": AT,
    }
    values.update(changes)
    return WebSession(**values)  # type: ignore[arg-type]


def test_a_session_is_usable_until_idle_expired_or_revoked() -> None:
    assert _session().usable_at(AT + IDLE - timedelta(seconds=1), IDLE)
    assert not _session().usable_at(AT + IDLE, IDLE)
    late = _session(last_seen_at=AT + timedelta(hours=7, minutes=59))
    assert not late.usable_at(AT + timedelta(hours=8), IDLE)
    assert not _session(revoked_at=AT).usable_at(AT, IDLE)


@pytest.mark.parametrize(
    ("status", "action", "after"),
    [
        ("open", "answer", "answered"),
        ("answered", "follow_up", "open"),
        ("answered", "answer", "answered"),
        ("open", "close", "closed"),
        ("answered", "close", "closed"),
    ],
)
def test_inquiries_follow_their_life_cycle(status: str, action: str, after: str) -> None:
    assert inquiry_status_after(status, action) == after


@pytest.mark.parametrize("action", ["answer", "follow_up", "close"])
def test_a_closed_inquiry_takes_nothing_more(action: str) -> None:
    with pytest.raises(Conflict):
        inquiry_status_after("closed", action)
