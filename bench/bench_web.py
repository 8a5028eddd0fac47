"""Web app under load: requests per second and p95 latency of the triage API and of a result
page, 20 concurrent clients for 20 s each, against `backcheck serve` on loopback while videos
are being analysed in the background.

The load comes from wrk (C, one thread; `make bench` installs it), not from Python in this
process: a Python client needs about as much CPU per request as the server, and on 2 cores it
would take the CPU the server is being measured on. Its own CPU share is reported. Every triage
request carries a different report (see web_load.lua).

Everything is bounded: the server gets 120 s to start, each load phase stops at its deadline,
and the server is stopped at the end whatever happened. Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

CLIENTS = 20
SECONDS = 20.0
TARGET_P95_MS = 150.0
CACHE = Path.home() / ".cache" / "backcheck-test"
LUA = Path(__file__).with_name("web_load.lua")
REPORTS = (
    "Did heavy deadlifts yesterday and today my lower back is tight and sore.",
    "Sharp pain in my lower back on the last rep of rows, worse bending, nothing in my legs.",
    "My erectors cramp up during good mornings and the pump goes away after a few minutes.",
    "Back has been aching for six weeks, comes and goes, no numbness, no fever.",
    "Pain goes down the back of my left leg below the knee after squats, with tingling.",
    "Lower back stiff every morning after reverse hypers, eases once I warm up.",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_server(data_dir: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**os.environ, "BACKCHECK_DATA_DIR": str(data_dir), "BACKCHECK_PORT": str(port)}
    for name in ("BACKCHECK_DB_URL", "BACKCHECK_HOST", "BACKCHECK_TOKEN"):
        env.pop(name, None)
    exe = str(Path(sys.executable).with_name("backcheck"))
    proc = subprocess.Popen(
        [exe, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return proc, url
        except httpx.TransportError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("backcheck serve did not become ready within 120 s")


def _make_clip(folder: Path) -> Path:
    from backcheck.formcheck.videogen import (
        cut_out,
        demo_clip,
        make_deadlift_video,
        source_frame,
    )

    sprite = cut_out(source_frame(demo_clip(CACHE)))
    path = folder / "bench-deadlift.mp4"
    make_deadlift_video(path, sprite, reps=5, width=854, height=480, fps=30.0)
    return path


def _prepare(client: httpx.Client, clip: Path | None) -> tuple[str, list[int]]:
    """A stored check for the page phase; queue the clip a few times so analysis keeps running."""
    client.get("/")
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/check").text).group(1)
    made = client.post("/check/text", data={"text": REPORTS[0], "csrf_token": token})
    page = made.headers["location"]
    jobs = []
    for _ in range(4 if clip else 0):
        with clip.open("rb") as fh:
            res = client.post(
                "/form/upload",
                data={"csrf_token": token},
                files={"video": (clip.name, fh, "video/mp4")},
            )
        jobs.append(int(res.headers["location"].rsplit("/", 1)[1]))
    return page, jobs


def _load(url: str, request: str, page: str) -> dict[str, float]:
    """wrk's summary (requests, seconds, not_200, socket_errors, p50/p95/max ms) for CLIENTS
    connections looping for SECONDS, plus the share of one core wrk itself used."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError("wrk not found: `make bench` installs it (apt-get install wrk)")
    script = ["POST", "/api/triage", *REPORTS] if request == "api" else ["GET", page]
    command = [wrk, "-t1", f"-c{CLIENTS}", f"-d{SECONDS:.0f}s", "--timeout", "10s"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(
        [*command, "-s", str(LUA), url, "--", *script],
        capture_output=True, text=True, timeout=SECONDS + 30, check=True,
    )  # fmt: skip
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    summary = json.loads(proc.stdout.strip().splitlines()[-1])
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    summary["client_cpu"] = cpu / summary["seconds"]
    return summary


def _videos(client: httpx.Client, jobs: list[int]) -> tuple[bool, float]:
    """(is a video being analysed, how many videos' worth of analysis is done so far)."""
    states = [client.get(f"/api/jobs/{j}").json() for j in jobs]
    busy = any(s["status"] in ("queued", "running") for s in states)
    return busy, sum(1.0 if s["status"] == "done" else s["progress"] for s in states)


def _rows(
    name: str, kind: str, result: dict[str, float], note: str, analysed: float
) -> list[tuple[str, str, str]]:
    target = f"<= {TARGET_P95_MS:.0f} ms" if kind == "api" else "-"
    errors = int(result["not_200"] + result["socket_errors"])
    p50 = result["p50_ms"]
    return [
        (
            f"{name}: requests/s ({CLIENTS} clients, {SECONDS:.0f} s, {note})",
            f"{result['requests'] / result['seconds']:.1f}",
            "-",
        ),
        (f"{name}: p95 latency (p50 {p50:.0f} ms)", f"{result['p95_ms']:.0f} ms", target),
        (f"{name}: errors (not 200 or no answer)", f"{errors} of {int(result['requests'])}", "0"),
        (f"{name}: load generator's CPU (wrk)", f"{result['client_cpu']:.0%} of a core", "-"),
        (f"{name}: video analysed meanwhile (clips)", f"{analysed:.2f}", "-"),
    ]


def run() -> list[tuple[str, str, str]]:
    rows = [("load average (1 min) before the run", f"{os.getloadavg()[0]:.2f}", "-")]
    with tempfile.TemporaryDirectory() as tmp:
        try:
            clip = _make_clip(Path(tmp))
        except Exception as exc:  # noqa: BLE001 - measure without video load, and say so
            print(f"bench_web: no clip ({exc}); measuring without a video job", file=sys.stderr)
            clip = None
        proc, url = _start_server(Path(tmp) / "data")
        try:
            with httpx.Client(base_url=url, timeout=30) as client:
                page, jobs = _prepare(client, clip)
                for name, kind in (("triage API", "api"), ("result page", "page")):
                    busy_before, done_before = _videos(client, jobs)
                    result = _load(url, kind, page)
                    busy, done = _videos(client, jobs)
                    busy = busy_before and busy
                    note = "video analysing throughout" if busy else "no video job running"
                    rows += _rows(name, kind, result, note, done - done_before)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
    return rows


if __name__ == "__main__":
    for row in run():
        print(" | ".join(row))
