"""Forged requests (issue 23.2): a page on another site, or on another port of this machine,
cannot make this app act, even after planting the CSRF cookie; a login session ends."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from web_helpers import LOCAL, TestClient, csrf, make_settings

from backcheck.web import create_app, security

REPORT = {"text": "my back is sore after rows"}


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "http://evil.example"},
        {"origin": "http://127.0.0.1:9999"},  # another local port: same site, not same origin
        {"origin": "https://127.0.0.1"},
        {"origin": "null"},
        {"sec-fetch-site": "cross-site"},
        {"sec-fetch-site": "same-site"},
        {"origin": "http://evil.example", "sec-fetch-site": "cross-site"},
        {"origin": "http://127.0.0.1:9999", "sec-fetch-site": "same-site"},
    ],
)
def test_unsafe_request_from_another_origin_is_refused(client: TestClient, headers) -> None:
    form = client.post("/check/text", data={**REPORT, "csrf_token": csrf(client)}, headers=headers)
    assert form.status_code == 403
    assert "another web site" in form.text
    api = client.post("/api/triage", json=REPORT, headers=headers)
    assert api.status_code == 403
    assert "Delete check" not in client.get("/history").text


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"origin": LOCAL},
        {"sec-fetch-site": "same-origin"},
        {"sec-fetch-site": "none"},
        # Chromium's own form posts under Referrer-Policy: no-referrer
        {"origin": "null", "sec-fetch-site": "same-origin"},
    ],
)
def test_unsafe_request_from_this_app_is_accepted(client: TestClient, headers) -> None:
    response = client.post(
        "/check/text",
        data={**REPORT, "csrf_token": csrf(client)},
        headers=headers,
        follow_redirects=False,
    )
    assert response.status_code == 303


def test_a_planted_csrf_cookie_is_not_enough(client: TestClient) -> None:
    """Cookies are not kept apart by port: a page on 127.0.0.1:other can set `bc_csrf`. The
    form token is signed with the server's secret, so knowing the cookie does not help."""
    client.cookies.clear()
    client.cookies.set("bc_csrf", "planted-by-another-port")
    response = client.post("/check/text", data={**REPORT, "csrf_token": "planted-by-another-port"})
    assert response.status_code == 403
    assert csrf(client) != client.cookies["bc_csrf"], "the form token is not the cookie"


def test_the_server_secret_is_private_and_kept(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    first = create_app(settings, start_jobs=False).state.secret
    secret_file = Path(settings.data_dir) / "secret.key"
    assert secret_file.stat().st_mode & 0o777 == 0o600
    assert create_app(settings, start_jobs=False).state.secret == first


def _login(c: TestClient, token: str) -> None:
    response = c.post(
        "/login", data={"token": token, "csrf_token": csrf(c)}, follow_redirects=False
    )
    assert response.status_code == 303
    assert "max-age=" in response.headers["set-cookie"].lower()


def test_login_session_expires(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    token = "correct-horse-battery"
    settings = make_settings(tmp_path, host="0.0.0.0", token=token)
    with TestClient(create_app(settings, start_jobs=False), base_url="http://10.0.0.2") as c:
        c.get("/login")
        _login(c, token)
        cookie = c.cookies["bc_auth"]
        assert token not in cookie and re.fullmatch(r"\d+\.[0-9a-f]{64}", cookie)
        assert c.get("/history", follow_redirects=False).status_code == 200
        later = security.now() + security.SESSION_SECONDS + 1
        monkeypatch.setattr(security, "now", lambda: later)
        expired = c.get("/history", follow_redirects=False)
        assert expired.status_code == 303 and expired.headers["location"] == "/login"


def test_a_session_cookie_cannot_be_forged_or_reused_after_a_new_token(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, host="0.0.0.0", token="correct-horse-battery")
    with TestClient(create_app(settings, start_jobs=False), base_url="http://10.0.0.2") as c:
        c.get("/login")
        _login(c, "correct-horse-battery")
        cookie = c.cookies["bc_auth"]
    issued = cookie.split(".")[0]
    other = make_settings(tmp_path, host="0.0.0.0", token="another-long-token")
    with TestClient(create_app(other, start_jobs=False), base_url="http://10.0.0.2") as c:
        for value in (
            cookie,
            f"{issued}.{'0' * 64}",
            f"{int(issued) + 10**6}.{cookie.split('.')[-1]}",
        ):
            c.cookies.set("bc_auth", value)
            assert c.get("/history", follow_redirects=False).status_code == 303


def test_form_token_is_on_every_form(client: TestClient) -> None:
    page = client.get("/check").text
    assert re.search(r'name="csrf_token" value="[^"]+"', page)
