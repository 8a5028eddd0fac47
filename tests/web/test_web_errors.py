"""Inputs that made the server fail (issue 23.3): each now gets a clear answer, never a 5xx,
and stored data stays whole."""

from __future__ import annotations

import re
import threading
import time
import zipfile
from pathlib import Path

import pytest
from web_helpers import TestClient, csrf, make_settings

from backcheck.web import create_app, routes_history, routes_log

TOKEN = "pässwörd-für-backcheck"  # a token with non-ASCII letters
CLEAN = (
    "Date;Workout Name;Exercise Name;Set Order;Weight;Weight Unit;Reps;RPE;Distance;"
    "Distance Unit;Seconds;Notes;Workout Notes;Workout Duration\n"
    "2024-01-08 18:00:00;Pull;Deadlift;1;140;kg;5;;;;0;;;1h\n"
    "2024-01-10 18:00:00;Pull;Deadlift;1;150;kg;5;;;;0;;;1h\n"
)


@pytest.fixture
def guarded(tmp_path: Path):
    settings = make_settings(tmp_path, host="0.0.0.0", token=TOKEN)
    with TestClient(create_app(settings, start_jobs=False), base_url="http://10.0.0.2") as c:
        c.get("/login")
        yield c


@pytest.mark.parametrize(
    "value", ["Bearer pässwort".encode(), "Bearer \u00ff\u00fe".encode("latin-1"), b"Bearer \xc3"]
)
def test_non_ascii_bearer_token_is_refused_not_a_500(guarded: TestClient, value: bytes) -> None:
    response = guarded.post(
        "/api/triage", json={"text": "sore back"}, headers={"authorization": value}
    )
    assert response.status_code == 401


def test_non_ascii_auth_cookie_is_refused_not_a_500(guarded: TestClient) -> None:
    response = guarded.get(
        "/history",
        headers={"cookie": "bc_auth=1700000000.\u00e9t\u00e9".encode("latin-1")},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/login"


def test_non_ascii_csrf_field_is_refused_not_a_500(guarded: TestClient) -> None:
    response = guarded.post("/login", data={"token": TOKEN, "csrf_token": "tök€n"})
    assert response.status_code == 403


def test_a_non_ascii_token_can_log_in(guarded: TestClient) -> None:
    bad = guarded.post("/login", data={"token": "pässwörd-falsch", "csrf_token": csrf(guarded)})
    assert bad.status_code == 401 and "not right" in bad.text
    ok = guarded.post(
        "/login", data={"token": TOKEN, "csrf_token": csrf(guarded)}, follow_redirects=False
    )
    assert ok.status_code == 303
    assert guarded.get("/history", follow_redirects=False).status_code == 200


def test_a_non_ascii_token_works_as_bearer(guarded: TestClient) -> None:
    header = f"Bearer {TOKEN}".encode()
    response = guarded.post(
        "/api/triage", json={"text": "sore back"}, headers={"authorization": header}
    )
    assert response.status_code == 200


def test_two_exports_in_the_same_second_do_not_share_a_file(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(routes_history, "now_iso", lambda: "2026-12-03 17:00:00")
    state = client.app.state
    first, second = routes_history.build_export(state), routes_history.build_export(state)
    assert first != second
    for path in (first, second):
        with zipfile.ZipFile(path) as zf:
            assert "checks.json" in zf.namelist()
    assert client.get("/history/export.zip").status_code == 200
    disposition = client.get("/history/export.zip").headers["content-disposition"]
    assert "backcheck-export-2026-12-03_170000.zip" in disposition


def _preview_token(client: TestClient) -> str:
    files = {"export": ("strong.csv", CLEAN.encode(), "text/csv")}
    preview = client.post("/log/preview", files=files, data={"csrf_token": csrf(client)})
    return re.search(r'name="token" value="([0-9a-f]{32})"', preview.text).group(1)


def test_confirming_an_import_twice_says_it_is_already_in_the_log(client: TestClient) -> None:
    token = _preview_token(client)
    fields = {"token": token, "csrf_token": csrf(client)}
    assert "Imported 2 new sets" in client.post("/log/import", data=fields).text
    again = client.post("/log/import", data=fields)
    assert again.status_code == 409 and "already in your log" in again.text


def test_two_clients_confirming_the_same_import(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = routes_log.import_file

    def slow(*args, **kwargs):
        time.sleep(0.5)
        return real(*args, **kwargs)

    monkeypatch.setattr(routes_log, "import_file", slow)
    fields = {"token": _preview_token(client), "csrf_token": csrf(client)}
    answers = []

    def confirm() -> None:
        answers.append(client.post("/log/import", data=fields))

    threads = [threading.Thread(target=confirm) for _ in range(2)]
    for t in threads:
        t.start()
        time.sleep(0.1)
    for t in threads:
        t.join()
    assert sorted(a.status_code for a in answers) == [200, 409]
    assert sum("Imported 2 new sets" in a.text for a in answers) == 1
    assert sum("confirmed once already" in a.text for a in answers) == 1


def _symptom(client: TestClient, **fields: str):
    data = {"intensity": "5", "csrf_token": csrf(client), **fields}
    return client.post("/log/symptom", data=data, follow_redirects=False)


@pytest.mark.parametrize("minutes", ["99999999999999999999", str(2**63), "6000000"])
def test_symptom_duration_overflow_is_a_clear_error(client: TestClient, minutes: str) -> None:
    response = _symptom(client, duration_min=minutes)
    assert response.status_code == 400 and "duration" in response.text
    assert client.get("/log").status_code == 200


@pytest.mark.parametrize(
    "when", ["0001-01-01T00:00", "1969-12-31T23:59", "2101-01-01T00:00", "9999-12-31T23:59"]
)
def test_symptom_dates_outside_1970_2100_are_refused(client: TestClient, when: str) -> None:
    response = _symptom(client, occurred_at=when)
    assert response.status_code == 400 and "1970" in response.text
    assert client.get("/log").status_code == 200
    assert client.get("/history").status_code == 200
    for name in ("spinal_load", "ratio", "e1rm"):
        assert client.get(f"/log/chart/{name}.png").status_code < 500


def test_symptom_dates_at_the_edges_are_accepted(client: TestClient) -> None:
    for when in ("1970-01-01T00:00", "2100-12-31T23:59"):
        assert _symptom(client, occurred_at=when).status_code == 303
    assert client.get("/log").status_code == 200
