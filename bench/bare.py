"""The floor of ``bench.http``: a bare FastAPI app with one route returning a ~2 KiB JSON body
shaped like a delivery (``id``, ``consent_id``, ``jwe``). The handler is a plain ``def`` as the
bank's are, so it too runs in the thread pool; uvicorn serves it exactly as ``infobank serve``
serves the bank (``uvicorn.run(app, host=…, port=…, log_level="info")``, one process).

    python -m bench.bare --port N
"""

from __future__ import annotations

import argparse
from typing import Any

import uvicorn
from fastapi import FastAPI

__all__ = ["BODY_BYTES", "create_bare_app"]

BODY_BYTES = 2048
_BODY: dict[str, Any] = {
    "id": "d0a8f5d2-0000-4000-8000-000000000001",
    "consent_id": "c0a8f5d2-0000-4000-8000-000000000001",
    "jwe": "",
}
_BODY["jwe"] = "A" * (BODY_BYTES - len('{"id":"","consent_id":"","jwe":""}') - 72)


def create_bare_app() -> FastAPI:
    app = FastAPI(title="bare")

    @app.get("/bare")
    def bare() -> dict[str, Any]:
        return _BODY

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="serve the bare floor app")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    args = parser.parse_args(argv)
    uvicorn.run(create_bare_app(), host=args.host, port=args.port, log_level="info")


if __name__ == "__main__":
    main()
