"""Server-rendered pages (Jinja2 + htmx): the person's side and the staff console.

``install_pages(app, bank)`` mounts them beside the API: message catalogues, templates, the
static files and the routers. Japanese by default; ``?lang=en`` or the switch for English.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from infobank.bootstrap import Bank
from infobank.entrypoints.web import (
    account_pages,
    auth_pages,
    incident_pages,
    inquiry_pages,
    mynaportal_pages,
    person_pages,
    staff_pages,
    usage_pages,
)
from infobank.entrypoints.web.i18n import load_translations
from infobank.entrypoints.web.templating import Pages

__all__ = ["install_pages"]


def install_pages(app: FastAPI, bank: Bank) -> None:
    ctx = bank.context
    app.state.pages = Pages(load_translations(), ctx.catalogue, ctx.purposes, ctx.guideline_version)
    app.state.csrf_key = bank.keys.derive("web-csrf")
    app.mount("/static", StaticFiles(packages=[("infobank", "static")]), name="static")
    for module in (
        auth_pages,
        person_pages,
        account_pages,
        mynaportal_pages,
        inquiry_pages,
        staff_pages,
        usage_pages,
        incident_pages,
    ):
        app.include_router(module.router, include_in_schema=False)
