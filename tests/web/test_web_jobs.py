"""Video uploads and background jobs: type checks at the door, failures reported to the page."""

from __future__ import annotations

import time

from web_helpers import LOCAL, TestClient, csrf

from backcheck.settings import Settings
from backcheck.web import create_app

FAKE_MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00garbage" * 100


def test_a_file_that_is_not_a_video_is_refused(client: TestClient) -> None:
    files = {"video": ("notes.mp4", b"just some text, not a video", "video/mp4")}
    response = client.post(
        "/form/upload",
        files=files,
        data={"csrf_token": csrf(client)},
        headers={"accept": "text/html"},
    )
    assert response.status_code == 400
    assert "not a video backcheck can read" in response.text
    assert "notes.mp4" not in client.get("/form").text


def test_an_unreadable_video_fails_with_a_message_and_can_be_deleted(settings: Settings) -> None:
    with TestClient(create_app(settings), base_url=LOCAL) as c:
        c.get("/")
        files = {"video": ("broken.mp4", FAKE_MP4, "video/mp4")}
        response = c.post(
            "/form/upload", files=files, data={"csrf_token": csrf(c)}, follow_redirects=False
        )
        assert response.status_code == 303
        video_id = response.headers["location"].rsplit("/", 1)[1]
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            job = c.get(f"/api/jobs/{video_id}").json()
            if job["status"] in ("done", "failed"):
                break
            time.sleep(0.5)
        assert job["status"] == "failed"
        assert job["message"]
        page = c.get(f"/form/{video_id}")
        assert job["message"].split(":")[0] in page.text
        folder = next((settings.data_dir / "videos").iterdir())
        c.post(f"/form/{video_id}/delete", data={"csrf_token": csrf(c)})
        assert not folder.exists()
        assert c.get(f"/api/jobs/{video_id}").status_code == 404
