"""The one-question-at-a-time questionnaire: a warning-sign "Yes" escalates at once, the
questions show their progress, and answering "No" throughout asks only what decides the level
(the training questions are offered, not imposed)."""

from __future__ import annotations

import re

import pytest
from web_helpers import TestClient

from backcheck.knowledge.loader import load_knowledge
from backcheck.web.views import LEVEL_ORDER

HIDDEN = r'<input type="hidden" name="([^"]+)" value="([^"]*)"'
FLAGS = sorted(load_knowledge().red_flags.values(), key=lambda f: f.ask_order)


def _answer(client: TestClient, page: str, answer: str, **extra: str):
    fields = dict(re.findall(HIDDEN, page))
    fields.update(answer=answer, action="next", **extra)
    return client.post("/check/questions", data=fields, follow_redirects=False)


def _question_id(page: str) -> str | None:
    found = re.search(r'name="question_id" value="([^"]+)"', page)
    return found.group(1) if found else None


def _level(client: TestClient, location: str) -> str:
    found = re.search(r'class="banner level-([a-z_]+)"', client.get(location).text)
    assert found, "the result page shows its banner"
    return found.group(1)


@pytest.mark.parametrize("flag", FLAGS, ids=[f.id for f in FLAGS])
def test_a_warning_sign_yes_shows_its_advice_at_once(client: TestClient, flag) -> None:
    """Issue 23.1: "Yes" to numbness between the legs moved on to question 2 with no alert."""
    page = client.get("/check/questions").text
    for _ in range(len(FLAGS)):
        qid = _question_id(page)
        assert qid is not None
        if qid == flag.id:
            break
        page = _answer(client, page, "no").text
    response = _answer(client, page, "yes")
    assert response.status_code == 303, "a warning-sign yes goes straight to the advice"
    level = _level(client, response.headers["location"])
    assert LEVEL_ORDER.index(level) >= LEVEL_ORDER.index(flag.min_level)


def test_saddle_numbness_yes_is_an_emergency_at_question_one(client: TestClient) -> None:
    page = client.get("/check/questions").text
    assert _question_id(page) == "saddle_anaesthesia"
    response = _answer(client, page, "yes")
    assert response.status_code == 303
    assert _level(client, response.headers["location"]) == "emergency"


def test_not_sure_about_a_warning_sign_keeps_asking(client: TestClient) -> None:
    page = client.get("/check/questions").text
    response = _answer(client, page, "unsure")
    assert response.status_code == 200
    assert _question_id(response.text) not in (None, "saddle_anaesthesia")


def _progress(page: str) -> tuple[int, int]:
    found = re.search(r"Question (\d+) of (\d+)", page)
    assert found, "each question says how far along it is"
    return int(found.group(1)), int(found.group(2))


def test_no_to_everything_asks_fewer_questions_and_shows_progress(client: TestClient) -> None:
    page = client.get("/check/questions").text
    asked: list[str] = []
    totals: list[int] = []
    while (qid := _question_id(page)) is not None:
        number, total = _progress(page)
        assert number == len(asked) + 1
        assert number <= total
        asked.append(qid)
        totals.append(total)
        response = _answer(client, page, "no")
        assert response.status_code == 200
        page = response.text
        assert len(asked) < 40
    assert totals == sorted(totals, reverse=True), "the total never grows"
    assert totals[-1] == len(asked)
    assert {f.id for f in FLAGS} <= set(asked), "every warning sign is still asked"
    assert len(asked) <= 25, f"asked {len(asked)} questions before the result"
    assert "below_knee" not in asked, "no leg follow-up once the legs are clear"
    assert "Answer 13 questions about your training" in page
    done = client.post(
        "/check/questions",
        data={**dict(re.findall(HIDDEN, page)), "action": "finish"},
        follow_redirects=False,
    )
    assert done.status_code == 303


def test_training_questions_when_asked_for(client: TestClient) -> None:
    page = client.get("/check/questions").text
    while _question_id(page) is not None:
        page = _answer(client, page, "no").text
    fields = dict(re.findall(HIDDEN, page))
    response = client.post("/check/questions", data={**fields, "training": "1", "action": "next"})
    factor = _question_id(response.text)
    assert factor in load_knowledge().factors
    number, total = _progress(response.text)
    assert total - number + 1 == len(load_knowledge().factors)


def test_leg_follow_up_is_asked_when_the_pain_goes_down_the_leg(client: TestClient) -> None:
    page = client.get("/check/questions").text
    asked = []
    while (qid := _question_id(page)) is not None:
        asked.append(qid)
        page = _answer(client, page, "yes" if qid == "leg_radiation" else "no").text
    assert "below_knee" in asked
