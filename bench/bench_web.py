"""Web app under load: requests per second and p95 latency of the triage API and of a result
page, 20 concurrent clients for 20 s each, against `backcheck serve` on loopback while videos
are being analysed in the background.

Everything is bounded: the server gets 120 s to start, each load phase stops at its deadline,
and the server is stopped at the end whatever happened. Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import asyncio
import os
import random
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
    token = client.cookies["bc_csrf"]
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


async def _load(url: str, request: str, page: str) -> tuple[list[float], int, float]:
    """(latencies in s, errors, elapsed s) for CLIENTS clients looping until the deadline."""
    latencies: list[float] = []
    errors = 0
    deadline = time.monotonic() + SECONDS
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)

    async def client_loop(http: httpx.AsyncClient, rng: random.Random) -> None:
        nonlocal errors
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                if request == "api":
                    text = f"{rng.choice(REPORTS)} ({rng.randint(1, 10_000)})"
                    res = await http.post("/api/triage", json={"text": text})
                else:
                    res = await http.get(page)
                ok = res.status_code == 200
            except httpx.HTTPError:
                ok = False
            latencies.append(time.perf_counter() - started)
            errors += not ok

    start = time.monotonic()
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=10) as http:
        await asyncio.gather(*(client_loop(http, random.Random(i)) for i in range(CLIENTS)))
    return latencies, errors, time.monotonic() - start


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1000 if ordered else 0.0


def _analysing(client: httpx.Client, jobs: list[int]) -> bool:
    return any(client.get(f"/api/jobs/{j}").json()["status"] in ("queued", "running") for j in jobs)


def run() -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = []
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
                    busy_before = bool(jobs) and _analysing(client, jobs)
                    lat, errors, elapsed = asyncio.run(_load(url, kind, page))
                    busy = busy_before and _analysing(client, jobs)
                    note = "video analysing throughout" if busy else "no video job running"
                    target = f"<= {TARGET_P95_MS:.0f} ms" if kind == "api" else "-"
                    rows += [
                        (
                            f"{name}: requests/s ({CLIENTS} clients, {SECONDS:.0f} s, {note})",
                            f"{len(lat) / elapsed:.1f}",
                            "-",
                        ),
                        (f"{name}: p95 latency", f"{_p95(lat):.0f} ms", target),
                        (f"{name}: errors", f"{errors} of {len(lat)}", "0"),
                    ]
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
