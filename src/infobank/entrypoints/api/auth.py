"""Tokens: OAuth2 client credentials for businesses, password log-in for persons."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form
from pydantic import BaseModel, Field

from infobank.domain.errors import InvalidInput
from infobank.entrypoints.api.bodies import Input
from infobank.entrypoints.api.deps import ClientAddress, ContextDep
from infobank.services import identity

router = APIRouter(tags=["auth"])


class LoginRequest(Input):
    email: str = Field(min_length=1, max_length=320)
    password: str = Field(min_length=1, max_length=1024)


class TokenPublic(BaseModel):
    access_token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int


@router.post("/oauth/token")
def client_token(
    ctx: ContextDep,
    address: ClientAddress,
    grant_type: Annotated[str, Form()],
    client_id: Annotated[str, Form(max_length=128)],
    client_secret: Annotated[str, Form(max_length=256)],
) -> TokenPublic:
    """OAuth 2.0 client credentials grant for sources and recipients."""
    if grant_type != "client_credentials":
        raise InvalidInput("grant_type must be client_credentials", code="unsupported_grant_type")
    issued = identity.token_for_client(ctx, client_id, client_secret, address)
    return TokenPublic(access_token=issued.token, expires_in=issued.expires_in)


@router.post("/v1/auth/login")
def person_login(ctx: ContextDep, address: ClientAddress, body: LoginRequest) -> TokenPublic:
    """Log a person in; the token expires after ``expires_in`` seconds."""
    issued = identity.log_in_person(ctx, body.email, body.password, address)
    return TokenPublic(access_token=issued.token, expires_in=issued.expires_in)
