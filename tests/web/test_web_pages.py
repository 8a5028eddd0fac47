"""Server-rendered pages through the in-process client: check, questionnaire, result, print,
PDF, log import and symptoms, history with delete and export."""

from __future__ import annotations

import html
import io
import json
import re
import zipfile

from fastapi.testclient import TestClient
from web_helpers import csrf

EMERGENCY = (
    "After deadlifts my back hurts and since this morning I can't feel anything "
    "around my groin and bottom, and I couldn't pee properly."
)
SORE = "Did heavy deadlifts yesterday; today my lower back is tight and sore, nothing in my legs."


def _check(client: TestClient, text: str) -> str:
    response = client.post(
        "/check/text", data={"text": text, "csrf_token": csrf(client)}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    return response.headers["location"]


def test_home_and_main_pages_render(client: TestClient) -> None:
    for path, words in [
        ("/", "Check my back"),
        ("/check", "like you would on a forum"),
        ("/log", "Import a training log"),
        ("/form", "Side-on video"),
        ("/history", "Export everything"),
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert words in response.text, path


def test_emergency_report_puts_emergency_advice_first(client: TestClient) -> None:
    page = client.get(_check(client, EMERGENCY)).text
    main = page[page.index("<main") :]
    assert main.index("Go to an emergency department now.") < main.index("What it most likely is")
    assert 'class="banner level-emergency"' in page
    marks = re.findall(r'<mark class="present"[^>]*>([^<]+)</mark>', page)
    assert marks, "the words the red flags came from are highlighted"
    assert all(html.unescape(m) in EMERGENCY for m in marks)


def test_ordinary_soreness_is_not_an_emergency(client: TestClient) -> None:
    page = client.get(_check(client, SORE)).text
    assert "level-emergency" not in page
    assert "Your plan" in page and "Sources" in page


def test_empty_report_asks_for_words(client: TestClient) -> None:
    response = client.post("/check/text", data={"text": "  ", "csrf_token": csrf(client)})
    assert response.status_code == 400
    assert "Write a few words" in response.text


def _answer(client: TestClient, page: str, answer: str) -> TestClient:
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    fields["answer"] = answer
    fields["action"] = "next"
    return client.post("/check/questions", data=fields, follow_redirects=False)


def test_questionnaire_never_repeats_a_question(client: TestClient) -> None:
    page = client.get("/check/questions").text
    seen = []
    for _ in range(40):
        qid = re.search(r'name="question_id" value="([^"]+)"', page)
        if qid is None:
            break
        assert qid.group(1) not in seen
        seen.append(qid.group(1))
        response = _answer(client, page, "no")
        if response.status_code == 303:
            assert client.get(response.headers["location"]).status_code == 200
            break
        page = response.text
    assert len(seen) >= 2


def test_printable_summary_and_pdf(client: TestClient) -> None:
    location = _check(client, EMERGENCY)
    printable = client.get(f"{location}/print")
    assert "print.css" in printable.text and "emergency department" in printable.text
    pdf = client.get(f"{location}/summary.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-") and b"%%EOF" in pdf.content[-64:]
    assert "attachment" in pdf.headers["content-disposition"]


def test_unknown_check_is_404_page(client: TestClient) -> None:
    response = client.get("/check/999999", headers={"accept": "text/html"})
    assert response.status_code == 404
    assert "does not exist" in response.text


STRONG = (
    "Date;Workout Name;Exercise Name;Set Order;Weight;Weight Unit;Reps;RPE;Distance;"
    "Distance Unit;Seconds;Notes;Workout Notes;Workout Duration\n"
    "2024-01-08 18:00:00;Pull;Deadlift;1;140;kg;5;;;;0;;;1h\n"
    "2024-01-08 18:00:00;Pull;Deadlift;2;not-a-number;kg;5;;;;0;;;1h\n"
    "2024-01-10 18:00:00;Pull;Deadlift;1;150;kg;5;;;;0;;;1h\n"
)


def test_log_import_preview_shows_errors_by_line(client: TestClient) -> None:
    files = {"export": ("strong.csv", STRONG.encode(), "text/csv")}
    preview = client.post("/log/preview", files=files, data={"csrf_token": csrf(client)})
    assert preview.status_code == 200, preview.text
    assert "Problems by line" in preview.text and "line 3" in preview.text
    assert 'action="/log/import"' not in preview.text


def test_log_import_preview_then_import(client: TestClient) -> None:
    clean = "\n".join(line for line in STRONG.splitlines() if "not-a-number" not in line)
    files = {"export": ("strong.csv", clean.encode(), "text/csv")}
    preview = client.post("/log/preview", files=files, data={"csrf_token": csrf(client)})
    assert "Problems by line" not in preview.text
    token = re.search(r'name="token" value="([0-9a-f]{32})"', preview.text).group(1)
    done = client.post("/log/import", data={"token": token, "csrf_token": csrf(client)})
    assert "Imported 2 new sets" in done.text
    again = client.post("/log/import", data={"token": token, "csrf_token": csrf(client)})
    assert again.status_code == 409 and "already in your log" in again.text


def test_symptom_entry_and_delete(client: TestClient) -> None:
    token = csrf(client)
    response = client.post(
        "/log/symptom", data={"intensity": "6", "quality": "tight", "csrf_token": token}
    )
    assert response.status_code == 200 and "6/10 tight" in response.text
    history = client.get("/history").text
    sid = re.search(r'action="/log/symptom/(\d+)/delete"', history).group(1)
    client.post(f"/log/symptom/{sid}/delete", data={"csrf_token": token, "back": "/history"})
    assert f"/log/symptom/{sid}/delete" not in client.get("/history").text


def test_history_delete_and_export(client: TestClient) -> None:
    location = _check(client, SORE)
    check_id = location.rsplit("/", 1)[1]
    client.post("/log/symptom", data={"intensity": "4", "csrf_token": csrf(client)})
    export = client.get("/history/export.zip")
    assert export.status_code == 200
    with zipfile.ZipFile(io.BytesIO(export.content)) as zf:
        names = set(zf.namelist())
        checks = json.loads(zf.read("checks.json"))
    assert {"checks.json", "videos.json"} <= names and any(n.startswith("log/") for n in names)
    assert [c["text"] for c in checks] == [SORE]
    client.post(f"/check/{check_id}/delete", data={"csrf_token": csrf(client)})
    assert client.get(location).status_code == 404
    assert f"/check/{check_id}" not in client.get("/history").text


def test_settings_page_lists_every_setting_and_hides_the_token(client: TestClient) -> None:
    from backcheck.settings import SETTINGS

    page = client.get("/settings").text
    assert all(s.env in page for s in SETTINGS)
    assert "not set" in page


def test_open_questions_continue_from_a_text_check(client: TestClient) -> None:
    """The questionnaire started from a result carries the report and skips what it settled."""
    from backcheck.intake.questionnaire import next_question

    location = _check(client, SORE)
    assert "Answer the open questions" in client.get(location).text
    page = client.get(f"/check/questions?from_check={location.rsplit('/', 1)[1]}").text
    assert f'name="text" value="{html.escape(SORE, quote=True)}"' in page
    expected = next_question({}, SORE)
    assert expected is not None
    assert f'name="question_id" value="{expected.id}"' in page
