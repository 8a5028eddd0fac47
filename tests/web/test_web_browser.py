"""End to end in a real browser: Debian's Chromium driven by Playwright against `backcheck
serve`. Each main page is saved under docs/screenshots/ to be looked at."""

from __future__ import annotations

import io
import json
import os
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from web_helpers import ROOT, chromium_path

from backcheck.log import synth

SHOTS = ROOT / "docs" / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
EMERGENCY = (
    "Pulled heavy deadlifts yesterday. Since this morning I can't feel anything around "
    "my groin and bottom when I wipe, and I couldn't pee properly. Back is very painful."
)
SORE = (
    "Did 5x5 deadlifts at 160 kg yesterday, a jump of 20 kg from last week. Today my lower "
    "back is tight and sore on both sides, worse bending over, nothing down my legs."
)
BAD_EXPORT = (
    "Date;Workout Name;Exercise Name;Set Order;Weight;Weight Unit;Reps;RPE;Distance;"
    "Distance Unit;Seconds;Notes;Workout Notes;Workout Duration\n"
    "2024-01-08 18:00:00;Pull;Deadlift;1;140;kg;5;;;;0;;;1h\n"
    "2024-01-08 18:00:00;Pull;Deadlift;2;heavy;kg;5;;;;0;;;1h\n"
    "2024-01-10 18:00:00;Pull;Barbell Row;1;80;kg;8;;;;0;;;1h\n"
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    path = chromium_path()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    context = browser.new_context(
        base_url=server, viewport={"width": 1100, "height": 900}, accept_downloads=True
    )
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    pg.on("dialog", lambda dialog: dialog.accept())
    yield pg
    context.close()


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_triage_by_text_emergency(page: Page) -> None:
    page.goto("/")
    shot(page, "home")
    page.get_by_role("link", name="Check my back").first.click()
    page.get_by_label("Describe what happened").fill(EMERGENCY)
    shot(page, "check")
    page.get_by_role("button", name="Check my back").click()
    banner = page.locator("section.banner")
    expect(banner).to_contain_text("Go to an emergency department now.")
    expect(page.locator("mark.present").first).to_be_visible()
    shot(page, "result-emergency")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "result-emergency-phone")
    page.set_viewport_size({"width": 1100, "height": 900})
    page.get_by_role("link", name="Printable summary").click()
    expect(page.locator("h1")).to_contain_text("summary")
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    shot(page, "summary-print")
    page.emulate_media(media="screen")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")


def test_triage_by_text_soreness(page: Page) -> None:
    page.goto("/check")
    page.get_by_label("Describe what happened").fill(SORE)
    page.get_by_role("button", name="Check my back").click()
    expect(page.locator("section.banner")).not_to_have_class("banner level-emergency")
    expect(page.get_by_role("heading", name="Your plan")).to_be_visible()
    shot(page, "result-soreness")


def test_questionnaire_keyboard_only(page: Page) -> None:
    """One question at a time, warning signs first, with progress; answered with the keyboard
    alone. "No" throughout asks the warning signs and symptoms, then offers the training ones."""
    page.goto("/check/questions")
    expect(page.locator(".step")).to_contain_text("warning sign")
    expect(page.locator(".step")).to_contain_text("Question 1 of ")
    shot(page, "questionnaire")
    asked = 0
    while page.locator('input[name="answer"]').count():
        assert asked < 30, "'No' to everything asks fewer than 30 questions"
        page.locator('input[name="answer"][value="no"]').focus()
        page.keyboard.press("Space")
        page.locator('button[value="next"]').focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        asked += 1
    expect(page.get_by_role("button", name="questions about your training")).to_be_visible()
    page.get_by_role("button", name="Show my result").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("section.banner")).to_be_visible()
    expect(page.locator("section.banner")).not_to_have_class("banner level-emergency")
    shot(page, "result-questionnaire")


def test_questionnaire_emergency_path(page: Page) -> None:
    """Issue 23.1: "Yes" to numbness between the legs shows the emergency advice at once,
    not question 2."""
    page.goto("/check/questions")
    expect(page.locator("#qtext")).to_contain_text("between your legs")
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Next").click()
    expect(page.locator("section.banner")).to_have_class("banner level-emergency")
    expect(page.locator("section.banner")).to_contain_text("Go to an emergency department now.")
    expect(page.locator("#qtext")).to_have_count(0)


def test_questionnaire_urgent_warning_sign_escalates_at_once(page: Page) -> None:
    page.goto("/check/questions")
    while "fever" not in (page.locator("#qtext").text_content() or ""):
        page.get_by_label("No", exact=True).check()
        page.get_by_role("button", name="Next").click()
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Next").click()
    expect(page.locator("section.banner")).to_have_class("banner level-urgent")


FORGED = "Forged by a page on another port"


@pytest.fixture
def other_port_page(server: str) -> Iterator[str]:
    """A page on another 127.0.0.1 port that plants the CSRF cookie (cookies are not kept
    apart by port) and submits a check to backcheck with the planted value."""
    html = (
        f'<form method="post" action="{server}/check/text">'
        f'<input name="text" value="{FORGED}"><input name="csrf_token" value="planted">'
        "</form><script>document.forms[0].submit()</script>"
    ).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the http.server name)
            self.send_response(200)
            self.send_header("content-type", "text/html")
            self.send_header("set-cookie", "bc_csrf=planted; Path=/; SameSite=Strict")
            self.end_headers()
            self.wfile.write(html)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def test_a_page_on_another_port_cannot_submit_a_check(page: Page, other_port_page: str) -> None:
    """Issue 23.2: the planted cookie and the forged form are both refused."""
    page.goto("/history")
    with page.expect_response(lambda r: r.url.endswith("/check/text")) as answer:
        page.goto(other_port_page)
    assert answer.value.status == 403
    expect(page.locator("body")).to_contain_text("another web site")
    page.goto("/history")
    expect(page.locator("body")).not_to_contain_text(FORGED)
    page.goto("/check")
    page.get_by_label("Describe what happened").fill("My back is stiff after rows.")
    page.get_by_role("button", name="Check my back").click()
    expect(page.locator("section.banner")).to_be_visible()  # the app's own form still works


def test_log_import_with_error_and_symptom(page: Page) -> None:
    page.goto("/log")
    page.get_by_label("Export file").set_input_files(
        files=[{"name": "strong.csv", "mimeType": "text/csv", "buffer": BAD_EXPORT.encode()}]
    )
    page.get_by_role("button", name="Preview the import").click()
    expect(page.get_by_text("Problems by line")).to_be_visible()
    expect(page.locator("ul.errors li").first).to_contain_text("3")
    shot(page, "log-import-errors")
    fixed = BAD_EXPORT.replace(";heavy;", ";150;")
    page.get_by_label("Export file").set_input_files(
        files=[{"name": "strong.csv", "mimeType": "text/csv", "buffer": fixed.encode()}]
    )
    page.get_by_role("button", name="Preview the import").click()
    expect(page.get_by_role("region", name="Import preview")).to_contain_text("3 sets readable")
    shot(page, "log-import-preview")
    page.get_by_role("button", name="Import 3 new sets").click()
    expect(page.get_by_text("Imported 3 new sets")).to_be_visible()
    history = synth.history(weeks=26, seed=3)
    page.get_by_label("Export file").set_input_files(
        files=[
            {"name": "strong-history.csv", "mimeType": "text/csv", "buffer": history.csv.encode()}
        ]
    )
    page.get_by_role("button", name="Preview the import").click()
    page.get_by_role("button", name="new sets").click()
    for when in history.symptoms:
        page.get_by_text("More detail").click()
        page.get_by_label("When").fill(when.strftime("%Y-%m-%dT%H:%M"))
        page.get_by_label("5", exact=True).check()
        page.get_by_role("button", name="Save symptom").click()
    expect(page.locator("[data-chart=spinal_load] svg rect").first).to_be_visible()
    expect(page.get_by_role("heading", name="What precedes my symptoms")).to_be_visible()
    page.locator("[data-chart=spinal_load] svg rect").nth(3).focus()
    expect(page.locator("#chart-tip")).to_contain_text("spinal load")
    page.get_by_label("7", exact=True).check()
    page.get_by_label("cramp").check()
    page.get_by_role("button", name="Save symptom").click()
    expect(page.get_by_text("7/10 cramp")).to_be_visible()
    shot(page, "log")


def test_history_delete_and_export(page: Page) -> None:
    page.goto("/check")
    page.get_by_label("Describe what happened").fill("My back is stiff after rows.")
    page.get_by_role("button", name="Check my back").click()
    expect(page.locator("section.banner")).to_be_visible()  # stored before history is opened
    page.goto("/history")
    shot(page, "history")
    rows = page.locator("section[aria-labelledby=h-checks] tbody tr")
    before = rows.count()
    with page.expect_download() as download:
        page.get_by_role("link", name="Export everything").click()
    with zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes())) as zf:
        checks = json.loads(zf.read("checks.json"))
    assert any(c["text"] == "My back is stiff after rows." for c in checks)
    rows.first.get_by_role("button", name="Delete").click()
    expect(rows).to_have_count(before - 1)


PHONE = {"width": 390, "height": 844}
FITS = "() => document.documentElement.scrollWidth <= window.innerWidth"


@pytest.mark.parametrize("width", [390, 320])
def test_history_on_a_phone_shows_whole_delete_buttons(page: Page, width: int) -> None:
    """Issue 23.5: on a phone the Delete buttons were cut off at the table's edge."""
    page.goto("/check")
    page.get_by_label("Describe what happened").fill(
        "Lower back tight after deficit-deadlifts/good-mornings/pendlay-rows/RDLs-supersets "
        "yesterday, sore on both sides."
    )
    page.get_by_role("button", name="Check my back").click()
    expect(page.locator("section.banner")).to_be_visible()
    page.goto("/log")
    page.get_by_label("5", exact=True).check()
    page.get_by_label("cramp").check()
    page.get_by_role("button", name="Save symptom").click()
    page.set_viewport_size({**PHONE, "width": width})
    page.goto("/history")
    shot(page, f"history-phone-{width}")
    assert page.evaluate(FITS), "the page does not scroll sideways"
    buttons = page.locator("table.rows button")
    assert buttons.count() >= 1
    for i in range(buttons.count()):
        box = buttons.nth(i).bounding_box()
        wrap = buttons.nth(i).locator("xpath=ancestor::div[contains(@class,'table-wrap')]")
        outer = wrap.bounding_box()
        assert box is not None and outer is not None
        assert box["x"] >= outer["x"] and box["x"] + box["width"] <= outer["x"] + outer["width"]
        assert box["x"] + box["width"] <= width


NICE = (1, 2, 2.5, 5)


def _is_nice_step(step: float) -> bool:
    while step >= 10:
        step /= 10
    while step < 1:
        step *= 10
    return any(abs(step - n) < 1e-6 for n in NICE)


def _tick_value(label: str) -> float:
    return float(label[:-1]) * 1000 if label.endswith("k") else float(label)


def test_log_charts_on_a_phone(page: Page) -> None:
    """Issue 23.5: axes at round values, text readable on a phone, one tab stop per chart."""
    history = synth.history(weeks=16, seed=5)
    page.goto("/log")
    page.get_by_label("Export file").set_input_files(
        files=[{"name": "strong.csv", "mimeType": "text/csv", "buffer": history.csv.encode()}]
    )
    page.get_by_role("button", name="Preview the import").click()
    page.get_by_role("button", name="new sets").click()
    page.set_viewport_size(PHONE)
    page.goto("/log")
    charts = page.locator("[data-chart] svg")
    expect(charts.first).to_be_visible()
    assert page.evaluate(FITS)
    for i in range(charts.count()):
        svg = charts.nth(i)
        assert svg.locator('[tabindex="0"]').count() == 1, "one tab stop per chart"
        labels = svg.locator("g.axes text.y-tick").all_text_contents()
        values = [_tick_value(t) for t in labels]
        steps = {round(b - a, 6) for a, b in zip(values, values[1:], strict=False)}
        assert len(steps) == 1 and _is_nice_step(steps.pop()), labels
        heights = svg.locator("g.axes text").evaluate_all(
            "els => els.map(e => e.getBoundingClientRect().height)"
        )
        assert min(heights) >= 10, f"axis text {min(heights):.1f} px high on a phone"
    first = charts.first.locator('[tabindex="0"]')
    first.focus()
    page.keyboard.press("ArrowRight")
    focused = page.evaluate("() => document.activeElement.getAttribute('tabindex')")
    assert focused == "0", "the arrow keys move the tab stop along the chart"
    shot(page, "log-phone")


def _axe_script() -> Path:
    """axe-core as shipped inside the pinned `axe-playwright-python` wheel (no download)."""
    try:
        import axe_playwright_python
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("axe-playwright-python is missing: make install")
        pytest.skip("axe-playwright-python is not installed (make install)")
    return Path(axe_playwright_python.__file__).with_name("axe.min.js")


def test_every_page_has_no_axe_violations(browser: Browser, server: str) -> None:
    """axe-core on every page, light and error states included (the CSP is bypassed only to
    inject axe itself)."""
    script = _axe_script()
    context = browser.new_context(base_url=server, bypass_csp=True)
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    pg.goto("/check")
    pg.get_by_label("Describe what happened").fill(SORE)
    pg.get_by_role("button", name="Check my back").click()
    expect(pg.locator("section.banner")).to_be_visible()
    result = pg.url.removeprefix(server)
    pages = [
        "/",
        "/check",
        "/check/questions",
        result,
        f"{result}/print",
        "/log",
        "/form",
        "/history",
        "/settings",
        "/login",
        "/check/999999",
    ]
    found = {}
    for path in pages:
        pg.goto(path)
        pg.add_script_tag(path=str(script))
        violations = pg.evaluate(
            "async () => (await axe.run(document)).violations"
            ".map(v => `${v.id}: ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)"
        )
        if violations:
            found[path] = violations
    context.close()
    assert found == {}


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A short generated side-on deadlift clip (two reps, hips rising early)."""
    from backcheck.formcheck.videogen import cut_out, demo_clip, make_deadlift_video, source_frame

    sprite = cut_out(source_frame(demo_clip(Path.home() / ".cache" / "backcheck-test")))
    path = tmp_path_factory.mktemp("clip") / "deadlift.mp4"
    make_deadlift_video(path, sprite, reps=2, width=640, height=360, fps=20.0, hips_rise_early=12.0)
    return path


def test_video_upload_progress_results_and_delete(page: Page, clip: Path) -> None:
    page.goto("/form")
    shot(page, "form")
    page.get_by_label("Side-on video").set_input_files(str(clip))
    page.get_by_role("button", name="Analyse my form").click()
    expect(page.locator("h1")).to_contain_text("deadlift.mp4")
    page.wait_for_function(
        "() => !document.querySelector('progress') || document.querySelector('progress').value > 0",
        timeout=120_000,
    )
    if page.locator("progress").count():
        expect(page.locator("[data-job-message]")).to_contain_text("%")
        shot(page, "form-progress")
    expect(page.get_by_role("heading", name="Rep by rep")).to_be_visible(timeout=240_000)
    expect(page.locator("video")).to_have_count(1)
    expect(page.get_by_role("heading", name="What this changes in your advice")).to_be_visible()
    shot(page, "form-result")
    assert page.request.get(page.locator("video").get_attribute("src")).ok
    page.get_by_role("button", name="Delete this video").click()
    expect(page.locator("h1")).to_have_text("History")
    expect(page.get_by_text("deadlift.mp4")).to_have_count(0)
