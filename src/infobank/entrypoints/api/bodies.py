"""Request and response bodies every audience uses: the strict bases request bodies derive
from, and ``Created`` (the id of what a request made)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["Created", "Input", "VerbatimInput"]


class Input(BaseModel):
    """A request body: unknown fields are refused, strings lose surrounding whitespace."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class VerbatimInput(BaseModel):
    """A request body whose strings are kept exactly as sent; unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")


class Created(BaseModel):
    id: str
