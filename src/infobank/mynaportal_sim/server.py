"""Run the simulator with uvicorn: in the foreground (``infobank mynaportal-sim``) or in a
background thread beside the bank (``infobank demo`` and the end-to-end tests)."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass

import uvicorn
from fastapi import FastAPI

from infobank.mynaportal_sim.app import SimOptions, SimState, create_sim_app

__all__ = ["RunningSim", "free_port", "start_in_thread"]


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


@dataclass
class RunningSim:
    url: str
    app: FastAPI
    server: uvicorn.Server
    thread: threading.Thread

    @property
    def state(self) -> SimState:
        state: SimState = self.app.state.sim
        return state

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def start_in_thread(options: SimOptions, host: str, port: int, timeout_s: float = 10) -> RunningSim:
    """Start serving and return once the socket accepts connections."""
    app = create_sim_app(options)
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="mynaportal-sim", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout_s
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError(f"the Mynaportal simulator did not start on {host}:{port}")
        time.sleep(0.02)
    return RunningSim(f"http://{host}:{port}", app, server, thread)
