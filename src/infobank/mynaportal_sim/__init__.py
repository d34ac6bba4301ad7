"""A SIMULATOR of the Mynaportal self-information API (マイナポータル 自己情報取得API).

It stands in for the government service during development, tests and demos: a synthetic
population with simulated My Number cards and J-LIS certificates, OAuth 2.0 with PKCE and a card
step, and the IF001-style request/result exchange. It is a separate ASGI app (``infobank
mynaportal-sim``); nothing in it is real, and the bank talks to it only over HTTP.
"""

from __future__ import annotations

from infobank.mynaportal_sim.app import ITEM_KINDS, SimOptions, SimState, create_sim_app

__all__ = ["ITEM_KINDS", "SimOptions", "SimState", "create_sim_app"]
