"""``infobank serve --workers N`` runs N API processes on one port, sharing one database."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

import httpx

from tests.e2e.test_cli import FAST_HASHING, _executable, env  # noqa: F401  (the fixture)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _children(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in found.read_text().split()] if found.exists() else []


def test_serve_with_two_workers_runs_two_api_processes_that_answer(
    env: dict[str, str],  # noqa: F811
    tmp_path: Path,
) -> None:
    port = _free_port()
    server = subprocess.Popen(
        [_executable(), "serve", "--port", str(port), "--workers", "2", "--no-worker"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        answered, processes = [], []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and (len(answered) < 20 or len(processes) < 2):
            try:
                answered.append(httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2))
            except httpx.TransportError:
                time.sleep(0.2)
            processes = _children(server.pid)
        assert len(answered) >= 20 and all(r.status_code == 200 for r in answered)
        assert len([p for p in processes if p != server.pid]) >= 2
        created = httpx.post(
            f"http://127.0.0.1:{port}/v1/persons",
            json={"email": "x"},
            timeout=5,
        )
        assert created.status_code == 422  # a process validates and answers, nothing stored
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert server.returncode == 0
