"""A small OpenID Connect provider for sign-in tests, served on a free loopback port.

It signs in one preconfigured person without asking: ``/authorize`` redirects straight
back with a code, ``/token`` exchanges the code (checking the client's secret, the
redirect URI and the PKCE verifier) for an RS256-signed ID token carrying the person's
claims and the nonce, and ``/jwks`` publishes the public key. No network is used::

    with serve_identity_provider({"email": "ayse@example.com", "roles": ["finance"]}) as idp:
        idp.metadata_url  # the ``server_metadata_url`` of Streamlit's ``[auth]`` section
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import uvicorn
from joserfc import jwt
from joserfc.jwk import RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from lib.sandbox.server import bind_socket

CLIENT_ID = "stockdesk-test"
CLIENT_SECRET = "test-client-secret-0123456789"
_START_TIMEOUT_S = 15.0


@dataclass
class _Grant:
    """What ``/authorize`` remembered about one code, for ``/token`` to check."""

    redirect_uri: str
    nonce: str | None
    code_challenge: str | None


@dataclass
class IdentityProvider:
    """The provider's state: its issuer URL, signing key, the person it signs in, open codes."""

    issuer: str
    claims: Mapping[str, Any]
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, parameters={"kid": "k1"}))
    grants: dict[str, _Grant] = field(default_factory=dict)

    @property
    def metadata_url(self) -> str:
        """The discovery document's URL (Streamlit's ``server_metadata_url``)."""
        return f"{self.issuer}/.well-known/openid-configuration"

    def metadata(self, request: Request) -> JSONResponse:
        """The discovery document."""
        return JSONResponse(
            {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "jwks_uri": f"{self.issuer}/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic"],
            }
        )

    def authorize(self, request: Request) -> Response:
        """Sign the preconfigured person in at once and send the browser back with a code."""
        query = request.query_params
        if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
            return JSONResponse({"error": "unauthorized_client"}, status_code=400)
        code = secrets.token_urlsafe(16)
        self.grants[code] = _Grant(
            redirect_uri=query["redirect_uri"],
            nonce=query.get("nonce"),
            code_challenge=query.get("code_challenge"),
        )
        back = {"code": code, "state": query.get("state", "")}
        return RedirectResponse(f"{query['redirect_uri']}?{urlencode(back)}", status_code=302)

    async def token(self, request: Request) -> JSONResponse:
        """Exchange a code for an access token and a signed ID token."""
        form = await request.form()
        expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if request.headers.get("authorization") != f"Basic {expected}":
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        grant = self.grants.pop(str(form.get("code")), None)
        if grant is None or form.get("redirect_uri") != grant.redirect_uri:
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        if grant.code_challenge is not None:
            digest = hashlib.sha256(str(form.get("code_verifier", "")).encode()).digest()
            if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != grant.code_challenge:
                return JSONResponse({"error": "invalid_grant"}, status_code=400)
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            **({"nonce": grant.nonce} if grant.nonce else {}),
            **self.claims,
        }
        id_token = jwt.encode({"alg": "RS256", "kid": self.key.kid}, claims, self.key)
        return JSONResponse(
            {
                "access_token": secrets.token_urlsafe(16),
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": id_token,
            }
        )

    def jwks(self, request: Request) -> JSONResponse:
        """The public signing key."""
        return JSONResponse({"keys": [self.key.as_dict(private=False)]})

    def app(self) -> Starlette:
        """The provider as an ASGI app."""
        return Starlette(
            routes=[
                Route("/.well-known/openid-configuration", self.metadata),
                Route("/authorize", self.authorize),
                Route("/token", self.token, methods=["POST"]),
                Route("/jwks", self.jwks),
            ]
        )


@contextmanager
def serve_identity_provider(claims: Mapping[str, Any]) -> Iterator[IdentityProvider]:
    """Serve a provider that signs in the person with ``claims`` (``sub`` defaults to 'user-1')."""
    sock = bind_socket("127.0.0.1", 0)
    host, port = sock.getsockname()[:2]
    provider = IdentityProvider(issuer=f"http://{host}:{port}", claims={"sub": "user-1", **claims})
    server = uvicorn.Server(
        uvicorn.Config(provider.app(), log_level="warning", lifespan="off", access_log=False)
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + _START_TIMEOUT_S
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test identity provider did not start")
            time.sleep(0.01)
        yield provider
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
