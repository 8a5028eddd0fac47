"""Smaller fixes from a real browser (issue 23.5): host names, error bodies, favicon, messages,
headings and focus."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from web_helpers import TestClient, csrf, make_settings

from backcheck.web.jobs import analyse_in_child

NOT_A_VIDEO = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"g" * 800


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1:8765@evil.example",
        "evil.example#@127.0.0.1",
        "127.0.0.1:notaport",
        "127.0.0.1:8765:80",
        "localhost.evil.example",
        "127.0.0.1 evil.example",
        "",
    ],
)
def test_host_names_that_only_start_like_loopback_are_refused(
    client: TestClient, host: str
) -> None:
    assert client.get("/check", headers={"host": host}).status_code == 400


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.1:8765", "localhost:8000", "[::1]:8000"])
def test_loopback_host_names_are_served(client: TestClient, host: str) -> None:
    assert client.get("/check", headers={"host": host}).status_code == 200


def test_422_bodies_match_the_openapi_description(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    schema = {"$ref": "#/components/schemas/HTTPValidationError", "components": spec["components"]}
    for response in (
        client.get("/api/jobs/not-a-number"),
        client.post("/api/triage", json={"text": 5}),
        client.post("/api/triage", content=b"{", headers={"content-type": "application/json"}),
    ):
        assert response.status_code == 422
        jsonschema.validate(response.json(), schema)


def test_there_is_a_favicon(client: TestClient) -> None:
    link = re.search(r'<link rel="icon" href="([^"]+)"', client.get("/").text)
    assert link, "every page names its icon"
    for path in (link.group(1), "/favicon.ico"):
        response = client.get(path)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("image/")


def test_a_failed_video_message_shows_no_internal_path(tmp_path: Path) -> None:
    folder = tmp_path / "videos" / "abc"
    folder.mkdir(parents=True)
    (folder / "video.mp4").write_bytes(NOT_A_VIDEO)
    analyse_in_child(str(folder / "video.mp4"), str(folder), make_settings(tmp_path))
    message = json.loads((folder / "error.json").read_text())["message"]
    assert str(tmp_path) not in message and "/" not in message, message
    assert message[0].isupper() and "readable video" in message


def test_result_pages_have_one_h1(client: TestClient) -> None:
    done = client.post(
        "/check/text",
        data={"text": "my back is sore after rows", "csrf_token": csrf(client)},
        follow_redirects=False,
    )
    location = done.headers["location"]
    for path in (location, f"{location}/print"):
        assert len(re.findall(r"<h1[ >]", client.get(path).text)) == 1, path


def test_scrolling_tables_can_take_focus(client: TestClient) -> None:
    """A table that scrolls sideways must be reachable by keyboard (axe: scrollable-region)."""
    page = client.get("/settings").text
    wraps = re.findall(r'<div class="table-wrap"[^>]*>', page)
    assert wraps
    for tag in wraps:
        assert 'tabindex="0"' in tag and 'role="region"' in tag and "aria-label" in tag


EMERGENCY = (
    "Pulled heavy deadlifts yesterday. Since this morning I can't feel anything around "
    "my groin and bottom when I wipe, and I couldn't pee properly. Back is very painful."
)


def test_likelihood_bars_of_serious_kinds_are_not_green(client: TestClient) -> None:
    """A <meter> with no optimum is drawn green whatever its value: suspected cauda equina at
    90% looked like good news. Serious kinds mark a high value as the bad end."""
    from backcheck.web.views import name_of

    done = client.post(
        "/check/text", data={"text": EMERGENCY, "csrf_token": csrf(client)}, follow_redirects=False
    )
    page = client.get(done.headers["location"]).text
    meters = {
        label: attrs
        for attrs, label in re.findall(
            r'<meter ([^>]*aria-label="Likelihood of ([^"]+)"[^>]*)>', page
        )
    }
    serious = meters[name_of("cauda_equina")]
    assert 'optimum="0"' in serious and 'high="0.5"' in serious
    assert 'optimum="0"' not in meters[name_of("training_soreness")]


SORE = (
    "Did 5x5 deadlifts at 160 kg yesterday, a jump of 20 kg from last week. Today my lower "
    "back is tight and sore on both sides, worse bending over, nothing down my legs."
)


def test_soreness_result_keeps_unasked_warning_signs_folded_and_no_leg_follow_up(
    client: TestClient,
) -> None:
    done = client.post(
        "/check/text", data={"text": SORE, "csrf_token": csrf(client)}, follow_redirects=False
    )
    page = client.get(done.headers["location"]).text
    assert "below the knee" not in page, "no leg follow-up after 'nothing down my legs'"
    unknown = page.split('<h2 id="q-title">', 1)[1].split("</section>", 1)[0]
    folded = re.search(r"<details><summary>(\d+) warning signs you did not mention", unknown)
    assert folded, "the unasked warning signs are one folded list, not 13 open questions"
    before_fold = unknown.split("<details>", 1)[0]
    assert "Warning sign:" not in before_fold
