"""Records and personal fields are stored only encrypted, under a per-person data key wrapped by
the master key; destroying that key erases the person's data (crypto-shredding, SPEC §9)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import make_url

from infobank.adapters.crypto.envelope import DecryptionFailed
from infobank.bootstrap import Bank
from infobank.domain.errors import Gone
from infobank.services import records
from tests.support import api

MARKER = "ZEBRA-marker-7f3a91-健診メモ"
EMAIL = "kumiko.uniquename@example.jp"
DISPLAY_NAME = "鈴木 久美子Quixotic"


def _stored_bytes(bank: Bank) -> bytes:
    """Everything the database holds that an attacker with the storage could read."""
    url = make_url(bank.settings.database_url)
    if url.get_backend_name() == "sqlite":
        assert url.database is not None
        path = Path(url.database)
        return b"".join(
            Path(f"{path}{suffix}").read_bytes()
            for suffix in ("", "-wal")
            if Path(f"{path}{suffix}").exists()
        )
    with bank.engine.connect() as conn:
        blobs = [
            *conn.execute(text("SELECT payload FROM records")).scalars(),
            *conn.execute(text("SELECT email_enc FROM persons")).scalars(),
            *conn.execute(text("SELECT display_name_enc FROM persons")).scalars(),
        ]
        # Every other column too, as PostgreSQL renders the whole row.
        rows = [
            *conn.execute(text("SELECT t::text FROM records t")).scalars(),
            *conn.execute(text("SELECT t::text FROM persons t")).scalars(),
        ]
    return b"".join(bytes(b) for b in blobs) + "".join(rows).encode()


def _entrust(client: TestClient) -> tuple[api.Party, str]:
    person = api.sign_up(client, email=EMAIL, display_name=DISPLAY_NAME)
    created = client.post(
        "/v1/me/records",
        json={"category": "health.checkup", "data": {"note": MARKER, "systolic_bp": 128}},
        headers=person.headers,
    )
    assert created.status_code == 201, created.text
    return person, str(created.json()["id"])


def test_a_records_payload_and_the_persons_email_and_name_are_not_stored_in_clear(
    client: TestClient, bank: Bank
) -> None:
    person, record_id = _entrust(client)
    got = client.get(f"/v1/me/records/{record_id}", headers=person.headers)
    assert got.json()["data"]["note"] == MARKER  # the bank itself can still read it

    stored = _stored_bytes(bank)
    assert stored  # the check looked at something
    for secret in (MARKER, "ZEBRA-marker-7f3a91", EMAIL, DISPLAY_NAME, "Quixotic"):
        for encoding in ("utf-8", "utf-16-le"):
            assert secret.encode(encoding) not in stored, (secret, encoding)


def test_after_the_data_key_is_destroyed_records_cannot_be_read(
    client: TestClient, bank: Bank
) -> None:
    person, record_id = _entrust(client)
    with bank.context.uow() as uow:
        uow.persons.destroy_key(person.id)
        uow.commit()

    with pytest.raises(Gone) as erased:
        records.get_record(bank.context, person.id, record_id)
    assert erased.value.code == "data_erased"
    with pytest.raises(Gone):
        records.list_records(bank.context, person.id)

    answer = client.get(f"/v1/me/records/{record_id}", headers=person.headers)
    assert answer.status_code == 410
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["code"] == "data_erased"
    assert client.get("/v1/me/records", headers=person.headers).status_code == 410
    assert client.get("/v1/me", headers=person.headers).status_code == 410
    # The ciphertext is still in the table (as in any backup) but nothing can open it.
    with bank.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM records")).scalar_one() == 1


def test_a_ciphertext_copied_onto_another_row_does_not_decrypt(
    client: TestClient, bank: Bank
) -> None:
    person, first = _entrust(client)
    second = client.post(
        "/v1/me/records",
        json={"category": "health.checkup", "data": {"note": "second"}},
        headers=person.headers,
    ).json()["id"]
    other = api.sign_up(client)
    theirs = client.post(
        "/v1/me/records",
        json={"category": "health.checkup", "data": {"note": "theirs"}},
        headers=other.headers,
    ).json()["id"]

    with bank.engine.begin() as conn:
        payload = conn.execute(
            text("SELECT payload FROM records WHERE id = :id"), {"id": first}
        ).scalar_one()
        conn.execute(
            text("UPDATE records SET payload = :p WHERE id IN (:a, :b)"),
            {"p": payload, "a": second, "b": theirs},
        )

    assert records.get_record(bank.context, person.id, first).data["note"] == MARKER
    with pytest.raises(DecryptionFailed):
        records.get_record(bank.context, person.id, second)  # same person, other row
    with pytest.raises(DecryptionFailed):
        records.get_record(bank.context, other.id, theirs)  # other person's key and row


def test_the_key_folder_is_private_to_the_bank(bank: Bank) -> None:
    home = bank.settings.home
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    for name in ("master.key", "signing.jwk"):
        assert stat.S_IMODE((home / name).stat().st_mode) == 0o600, name
