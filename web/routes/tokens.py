"""API tokens page (admins): make one (its secret shown once, on the answer to the POST), see each one's last
use, revoke one. Every change is a POST with the CSRF token, audited in the community like other admin actions."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from engagement import api_tokens
from engagement.api_tokens import ROLES
from web.deps import AdminDep, FormDep, Viewer, field, get_web
from web.render import page, see_other

router = APIRouter(prefix="/c/{guild_id}", include_in_schema=False)


async def _page(request: Request, viewer: Viewer, secret: str | None = None, status_code: int = 200) -> Response:
    shared = get_web(request).services.communities.shared
    tokens = await api_tokens.list_tokens(shared, viewer.guild_id)
    return await page(
        request,
        "tokens.html",
        viewer.session,
        viewer,
        status_code,
        tokens=tokens,
        roles=ROLES,
        secret=secret,
        form_id=api_tokens.new_form_id(),
    )


@router.get("/tokens")
async def tokens(request: Request, viewer: AdminDep) -> Response:
    return await _page(request, viewer)


@router.post("/tokens")
async def tokens_create(request: Request, viewer: AdminDep, form: FormDep) -> Response:
    shared = get_web(request).services.communities.shared
    secret = await api_tokens.create_token(
        shared,
        viewer.services.store,
        viewer.guild_id,
        viewer.actor,
        field(form, "name"),
        field(form, "role"),
        form_id=field(form, "form_id") or None,
    )
    # Shown on this answer only (never stored, never in a notice): a reload of the list no longer has it.
    return await _page(request, viewer, secret=secret, status_code=201)


@router.post("/tokens/{token_id}/revoke")
async def tokens_revoke(request: Request, viewer: AdminDep, token_id: str, _: FormDep) -> Response:
    web = get_web(request)
    shared = web.services.communities.shared
    token = await api_tokens.revoke_token(shared, viewer.services.store, viewer.guild_id, viewer.actor, token_id)
    await web.sessions.notify(viewer.session, f"Token “{token.name}” revoked: it is refused from now on.")
    return see_other(f"/c/{viewer.guild_id}/tokens")
