"""The JSON API: triage by text and by answers, validated against the triage contract."""

from __future__ import annotations

import jsonschema
import pytest
from fastapi.testclient import TestClient

EMERGENCY = (
    "Since this morning I can't feel anything around my groin and bottom when I wipe, "
    "and I couldn't pee properly. My lower back hurts after deadlifts."
)
SORE = "My lower back is a bit sore the day after heavy deadlifts, no pain down my legs."


def _valid(result: dict, schema: dict) -> dict:
    jsonschema.validate(result, schema)
    return result


def test_healthz_answers_200_when_ready(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.parametrize("text", [EMERGENCY, SORE, "it hurts", "Deadlift. Back. Ouch!!!"])
def test_triage_text_follows_the_contract(
    client: TestClient, triage_schema: dict, text: str
) -> None:
    response = client.post("/api/triage", json={"text": text})
    assert response.status_code == 200, response.text
    _valid(response.json(), triage_schema)


def test_triage_text_emergency_is_emergency(client: TestClient, triage_schema: dict) -> None:
    result = _valid(client.post("/api/triage", json={"text": EMERGENCY}).json(), triage_schema)
    assert result["level"] == "emergency"
    assert "saddle_anaesthesia" in result["red_flags"]


def test_triage_answers_follow_the_contract(client: TestClient, triage_schema: dict) -> None:
    from backcheck.intake.questionnaire import next_question

    first = next_question({}, None)
    assert first is not None and first.is_red_flag
    yes = _valid(
        client.post("/api/triage", json={"answers": {first.id: "yes"}}).json(), triage_schema
    )
    no = _valid(
        client.post("/api/triage", json={"answers": {first.id: "no"}}).json(), triage_schema
    )
    order = ["normal", "self_care", "soon", "urgent", "emergency"]
    assert order.index(yes["level"]) > order.index(no["level"])


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"text": ""},
        {"text": "   "},
        {"answers": {}},
        {"text": "x", "extra": 1},
        {"answers": {"q": "maybe"}},
        {"text": "x" * 20_001},
    ],
)
def test_triage_rejects_bad_requests_with_422(client: TestClient, body: dict) -> None:
    assert client.post("/api/triage", json=body).status_code == 422


def test_triage_rejects_non_json(client: TestClient) -> None:
    response = client.post(
        "/api/triage",
        content=b"text=hi",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 422


def test_openapi_describes_the_triage_api(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "post" in spec["paths"]["/api/triage"]
    assert "/healthz" in spec["paths"]
    assert not any(p.startswith("/check") for p in spec["paths"])


def test_unknown_job_is_404(client: TestClient) -> None:
    assert client.get("/api/jobs/12345").status_code == 404
