"""Server-rendered pages (Jinja2 + htmx): the person's side and the staff console.

``install_pages(app, bank)`` mounts them beside the API: message catalogues, templates, the
static files, the routers, and error pages for browsers where the API answers problem+json.
Japanese by default; ``?lang=en`` or the switch for English. The pages are in ``auth``
(signing up, in and out), ``person`` and ``staff``, a module for each concept.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from infobank.bootstrap import Bank
from infobank.entrypoints.web import auth
from infobank.entrypoints.web.errors import install_error_pages
from infobank.entrypoints.web.i18n import load_translations
from infobank.entrypoints.web.person import (
    account,
    benefits,
    consents,
    dashboard,
    delegation,
    mynaportal,
    notifications,
    records,
    transfers,
)
from infobank.entrypoints.web.person import inquiries as person_inquiries
from infobank.entrypoints.web.person import offers as person_offers
from infobank.entrypoints.web.staff import businesses, home, incidents, reviews, usage
from infobank.entrypoints.web.staff import inquiries as staff_inquiries
from infobank.entrypoints.web.staff import offers as staff_offers
from infobank.entrypoints.web.templating import Pages

__all__ = ["install_pages"]


def install_pages(app: FastAPI, bank: Bank) -> None:
    ctx = bank.context
    app.state.pages = Pages(
        load_translations(), ctx.catalogue, ctx.purposes, ctx.guideline_version, bank.prefectures
    )
    app.state.csrf_key = bank.keys.derive("web-csrf")
    app.mount("/static", StaticFiles(packages=[("infobank", "static")]), name="static")
    for module in (
        auth,
        # the person's pages
        dashboard,
        person_offers,
        consents,
        records,
        delegation,
        benefits,
        notifications,
        account,
        transfers,
        mynaportal,
        person_inquiries,
        # the staff console
        home,
        staff_inquiries,
        businesses,
        reviews,
        staff_offers,
        usage,
        incidents,
    ):
        app.include_router(module.router, include_in_schema=False)
    install_error_pages(app)  # after the API's problem handlers, which it wraps
