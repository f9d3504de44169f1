"""Login, logout and the admin pages (users, "who viewed this record, and when").

Forms are parsed from the urlencoded body directly (no multipart dependency). Every form
carries the session's CSRF token in a hidden field, checked on POST.
"""

from __future__ import annotations

import asyncio
import secrets
from typing import Annotated, Any
from urllib.parse import parse_qsl

import anyio.to_thread
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from api import errors
from api.i18n import ntranslate, page_lang, translate
from api.security.audit import AuditEntry
from api.security.context import current_user, security_of
from api.security.policy import ADMIN, PUBLIC
from api.security.session import COOKIE, CSRF_FIELD, Session, new_csrf
from api.security.users import User
from graph.messages import Message

router = APIRouter(include_in_schema=False)
# Admin-only, left out of the public OpenAPI document (see docs/security.md).
api_router = APIRouter(prefix="/api/audit", tags=["audit"], include_in_schema=False)

MAX_FORM = 4096


def safe_next(value: str | None) -> str:
    """A local path to go to after login; anything else (other sites, schemes) → ``/``."""
    if (not value or not value.startswith("/") or value.startswith(("//", "/\\"))
            or any(c in value for c in "\r\n\t\\")):
        return "/"
    return value


def _session(request: Request) -> Session:
    session = getattr(request.state, "session", None)
    if isinstance(session, Session):
        return session
    return Session(sid=None, csrf=new_csrf())


def set_session(request: Request, response: Response, session: Session) -> None:
    sec = security_of(request)
    secure = sec.settings.secure_cookies or request.url.scheme == "https"
    response.set_cookie(COOKIE, sec.codec.dumps(session), httponly=True, samesite="lax",
                        secure=secure, path="/", max_age=int(sec.codec.max_age))


def _page(request: Request, template: str, *, status: int = 200, title: Message,
          **ctx: Any) -> HTMLResponse:
    """A login or admin page in the page's language."""
    from api.ui.render import render

    return render(request, template, status=status, title=translate(title, page_lang(request)),
                  **ctx)


async def _form(request: Request) -> dict[str, str]:
    body = await request.body()
    if len(body) > MAX_FORM:
        return {}
    return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))


async def form_csrf_ok(request: Request) -> tuple[bool, dict[str, str]]:
    """Whether a posted form carries the session's CSRF token (and the form's fields).

    For the forms the security middleware leaves to their routes (``FORM_POSTS``). Only a
    request authenticated by the session cookie (which a browser sends by itself) needs
    the token; a bearer token is no ambient credential.
    """
    form = await _form(request)
    if getattr(request.state, "auth_via", "session") != "session":
        return True, form
    session = getattr(request.state, "session", None)
    ok = isinstance(session, Session) and secrets.compare_digest(
        form.get(CSRF_FIELD, ""), session.csrf)
    return ok, form


def page_csrf(request: Request) -> str:
    """The CSRF token a page's form posts (the session's)."""
    return _session(request).csrf


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.get("/login", response_class=HTMLResponse, dependencies=[PUBLIC])
def login_page(request: Request, next: Annotated[str, Query(max_length=2000)] = "/"
               ) -> Response:
    session = _session(request)
    response = _page(request, "login.html", title=Message("auth.login"), csrf=session.csrf,
                     next=safe_next(next), error="", username="")
    set_session(request, response, session)
    return response


@router.post("/login", response_class=HTMLResponse, dependencies=[PUBLIC])
async def login(request: Request) -> Response:
    """Check a login form.

    The attempt is counted *before* the password is checked, atomically across threads
    and server processes (:meth:`api.security.state.SecurityState.begin_login`): however
    many guesses arrive at once, at most ``DUTYGRAPH_LOGIN_LIMIT`` per user name and per
    address reach the check within the window; the rest answer 429. Failed and refused
    attempts are audited.
    """
    sec = security_of(request)
    session = _session(request)
    form = await _form(request)
    username = form.get("username", "").strip()[:64]
    nxt = safe_next(form.get("next"))
    ip = _client(request)

    lang = page_lang(request)

    def again(status: int, error: str, headers: dict[str, str] | None = None) -> Response:
        fresh = Session(sid=None, csrf=new_csrf())
        resp = _page(request, "login.html", status=status, title=Message("auth.login"),
                     csrf=fresh.csrf, next=nxt, error=error, username=username)
        resp.headers.update(headers or {})
        set_session(request, resp, fresh)
        return resp

    async def audit(action: str, detail: dict[str, Any]) -> None:
        # The name as typed: the account may not exist (the entry names no record).
        await asyncio.wrap_future(sec.audit.submit(
            username or "-", action, "/login", [], {"ip": ip, **detail}))

    if not secrets.compare_digest(form.get(CSRF_FIELD, ""), session.csrf) or \
            getattr(request.state, "session", None) is None:
        return again(403, translate("auth.csrf", lang))
    keys = (f"user:{username.lower()}", f"ip:{ip}")
    settings = sec.settings
    wait, attempt = await anyio.to_thread.run_sync(
        sec.state.begin_login, keys, settings.login_limit, settings.login_window)
    if attempt is None:
        await audit("login-refused", {"status": 429, "retry_after": wait})
        return again(429, ntranslate("auth.limited", wait, lang), {"Retry-After": str(wait)})
    # argon2 takes tens of milliseconds of CPU: not on the event loop.
    user = await anyio.to_thread.run_sync(sec.users.authenticate, username,
                                          form.get("password", ""))
    if user is None:
        await audit("login-failed", {"status": 401})
        return again(401, translate("auth.bad", lang))
    await anyio.to_thread.run_sync(sec.state.login_succeeded, attempt)
    # A new server-side session (and CSRF token) at login: a planted cookie is worth
    # nothing, and the session the browser had before ends.
    if session.sid is not None:
        await anyio.to_thread.run_sync(sec.state.end_session, session.sid)
    sid = await anyio.to_thread.run_sync(sec.state.create_session, user.username,
                                         sec.codec.max_age, ip)
    response = RedirectResponse(nxt, status_code=303)
    set_session(request, response, Session(sid=sid, csrf=new_csrf()))
    await asyncio.wrap_future(
        sec.audit.submit(user.username, "login", "/login", [], {"ip": ip}))
    return response


@router.get("/logout", response_class=HTMLResponse, dependencies=[PUBLIC])
def logout_page(request: Request) -> Response:
    session = _session(request)
    response = _page(request, "login.html", title=Message("auth.logout"), csrf=session.csrf,
                     next="/", error="", username="", logout=True)
    set_session(request, response, session)
    return response


@router.post("/logout", dependencies=[PUBLIC])
async def logout(request: Request) -> Response:
    """End the session on the server (a saved copy of the cookie is worth nothing after)."""
    form = await _form(request)
    session = _session(request)
    if not secrets.compare_digest(form.get(CSRF_FIELD, ""), session.csrf):
        return errors.error_json(request, 403, "csrf", Message("api.csrf"))
    if session.sid is not None:
        await anyio.to_thread.run_sync(security_of(request).state.end_session, session.sid)
    response = RedirectResponse("/login", status_code=303)
    set_session(request, response, Session(sid=None, csrf=new_csrf()))
    return response


# -- admin ---------------------------------------------------------------------------------
class UserView(BaseModel):
    username: str
    role: str
    scopes: list[str]
    disabled: bool
    created: str
    tokens: int

    @classmethod
    def of(cls, u: User) -> UserView:
        return cls(username=u.username, role=u.role.value, scopes=u.scopes,
                   disabled=u.disabled, created=u.created, tokens=len(u.tokens))


class WhoViewed(BaseModel):
    uid: str
    entries: list[AuditEntry]


def _who_viewed(request: Request, uid: str) -> WhoViewed:
    sec = security_of(request)
    entries = sec.audit.who_viewed(uid) if uid else []
    user = current_user(request)
    if uid and user is not None:
        sec.audit.append(user.username, "audit-view", request.url.path, [uid])
    return WhoViewed(uid=uid, entries=entries)


@router.get("/admin/users", response_class=HTMLResponse, dependencies=[ADMIN])
def users_page(request: Request) -> Response:
    users = [UserView.of(u) for u in security_of(request).users.all()]
    return _page(request, "admin_users.html", title=Message("auth.users"), users=users)


@router.get("/admin/audit", response_class=HTMLResponse, dependencies=[ADMIN])
def audit_page(request: Request, uid: Annotated[str, Query(max_length=200)] = "") -> Response:
    result = _who_viewed(request, uid.strip())
    return _page(request, "admin_audit.html", title=Message("auth.audit"), uid=result.uid,
                 entries=result.entries)


@api_router.get("/who-viewed", response_model=WhoViewed, dependencies=[ADMIN],
                summary="Who viewed a record, and when / 查阅记录 (admin)")
def who_viewed(request: Request, uid: Annotated[str, Query(min_length=1, max_length=200)]
               ) -> WhoViewed:
    return _who_viewed(request, uid.strip())


@api_router.get("/users", response_model=list[UserView], summary="Users (admin) / 用户",
                dependencies=[ADMIN])
def users(request: Request) -> list[UserView]:
    return [UserView.of(u) for u in security_of(request).users.all()]
