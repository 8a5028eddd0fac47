"""Security: loopback by default, token beyond it, CSRF, headers, size limits, paths."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner
from web_helpers import LOCAL, csrf, make_settings

from backcheck.cli.main import app as cli
from backcheck.errors import InputError
from backcheck.web import create_app
from backcheck.web.security import check_binding, is_loopback
from backcheck.web.uploads import inside, video_kind


@pytest.mark.parametrize("host", ["127.0.0.1", "127.8.0.1", "::1", "localhost"])
def test_loopback_hosts(host: str) -> None:
    assert is_loopback(host)
    check_binding(host, None)


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "::", "example.org"])
def test_other_hosts_need_a_token(host: str) -> None:
    assert not is_loopback(host)
    with pytest.raises(InputError, match="token"):
        check_binding(host, None)
    with pytest.raises(InputError, match="token"):
        check_binding(host, "short")
    check_binding(host, "a-long-enough-token")


def test_serve_refuses_to_bind_beyond_loopback_without_token(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["serve", "--host", "0.0.0.0", "--data-dir", str(tmp_path)],
        env={"BACKCHECK_TOKEN": ""},
    )
    assert result.exit_code == 2
    assert "token" in result.output


def test_create_app_refuses_beyond_loopback_without_token(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        create_app(make_settings(tmp_path, host="0.0.0.0"))


def test_security_headers(client: TestClient) -> None:
    response = client.get("/check")
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "http://" not in response.text.replace("http://127.0.0.1", "")


def test_foreign_host_name_is_refused(client: TestClient) -> None:
    """DNS rebinding: a page on evil.example resolving to 127.0.0.1 gets nothing."""
    assert client.get("/api/jobs/1", headers={"host": "evil.example"}).status_code == 400


def test_form_without_csrf_token_is_refused(client: TestClient) -> None:
    response = client.post("/check/text", data={"text": "my back hurts"})
    assert response.status_code == 403
    wrong = client.post("/check/text", data={"text": "my back hurts", "csrf_token": "nope"})
    assert wrong.status_code == 403


def test_form_with_csrf_token_is_accepted(client: TestClient) -> None:
    response = client.post(
        "/check/text",
        data={"text": "my back is sore after rows", "csrf_token": csrf(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303


def test_csrf_cookie_is_strict_and_http_only(settings) -> None:
    with TestClient(create_app(settings, start_jobs=False), base_url=LOCAL) as c:
        cookie = c.get("/").headers["set-cookie"]
    assert "bc_csrf=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie


def test_token_is_required_when_set(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, host="0.0.0.0", token="correct-horse-battery")
    with TestClient(create_app(settings, start_jobs=False), base_url="http://10.0.0.2") as c:
        assert c.get("/healthz").status_code == 200
        assert c.post("/api/triage", json={"text": "sore back"}).status_code == 401
        assert c.get("/history", follow_redirects=False).headers["location"] == "/login"
        ok = c.post(
            "/api/triage",
            json={"text": "sore back"},
            headers={"authorization": "Bearer correct-horse-battery"},
        )
        assert ok.status_code == 200
        token = csrf(c)
        bad = c.post("/login", data={"token": "wrong", "csrf_token": token})
        assert bad.status_code == 401
        c.post("/login", data={"token": "correct-horse-battery", "csrf_token": token})
        assert c.get("/history").status_code == 200
        assert "correct-horse-battery" not in c.get("/settings").text


def test_body_larger_than_the_limit_is_refused(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, max_upload_mb=1)
    with TestClient(create_app(settings, start_jobs=False), base_url=LOCAL) as c:
        c.get("/")
        files = {"export": ("big.csv", b"x" * 1_200_000, "text/csv")}
        response = c.post("/log/preview", files=files, data={"csrf_token": csrf(c)})
    assert response.status_code == 413


def test_paths_cannot_leave_the_data_dir(tmp_path: Path) -> None:
    (tmp_path / "videos" / "abc").mkdir(parents=True)
    assert inside(tmp_path, "videos/abc", "video.mp4").parent.name == "abc"
    for parts in (("..", "etc", "passwd"), ("videos/../../x",), ("/etc/passwd",), (".",)):
        with pytest.raises(InputError):
            inside(tmp_path, *parts)


def test_media_route_serves_only_known_names(client: TestClient) -> None:
    assert client.get("/form/1/media/..%2F..%2Fbackcheck.sqlite3").status_code == 404
    assert client.get("/form/1/media/report.json").status_code == 404


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 8, ".mp4"),
        (b"\x00\x00\x00\x14ftypqt  " + b"\x00" * 8, ".mov"),
        (b"\x1a\x45\xdf\xa3" + b"webm" + b"\x00" * 8, ".webm"),
        (b"RIFF\x00\x00\x00\x00AVI LIST", ".avi"),
        (b"<html><script>", None),
        (b"", None),
    ],
)
def test_video_type_is_judged_by_content(head: bytes, kind: str | None) -> None:
    assert video_kind(head) == kind
