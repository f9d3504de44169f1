"""The security middleware: who is asking, security headers, the scope check and auditing.

One pure-ASGI layer (inside the gzip layer, so it sees plain bodies):

1. a fresh CSP nonce per request (``request.state.csp_nonce``) and the security headers on
   every response;
2. the user, from ``Authorization: Bearer dg_...`` (an unexpired, unrevoked token; its last
   use is recorded) or the signed session cookie, whose session id must name a live row of
   the server-side session table (logout, a password change, disabling and
   ``users signout`` delete rows: the cookie stops working at once); the user is read from
   the user file every time; no user on a non-public path → 401 JSON for the API, a
   redirect to ``/login?next=...`` for pages;
3. CSRF: a state-changing request authenticated by the cookie must carry the session's
   token: the ``X-CSRF-Token`` header, or, for a form (urlencoded or multipart, read once
   up to the evidence size limit, then handed on unchanged), its ``csrf_token`` field;
   the login/logout forms and the admin's undo check their hidden field themselves
   (:data:`FORM_POSTS`, :data:`FORM_POST_PREFIX`);
4. for a scoped user, every JSON answer and page is checked to name no node outside the
   scope (:mod:`api.security.check`; the queries apply the scope, this is the second line
   of defence): a failure is logged and answered 500, never silently rewritten;
5. successful reads that carried records about people and their cases (every kind but
   units: people, duties, issues, projects, inspections, cases, accountability decisions,
   referrals, records), searches and exports are appended to the audit log with the ids
   the response carried; 403 and 404 answers to a user are appended too (with the path
   asked for), so probing for ids leaves a trace.

Authenticated answers are ``Cache-Control: private, no-store``, and nothing in the headers
says whether an answer came from the response cache (that would tell a user what another
one looked at).
"""

from __future__ import annotations

import asyncio
import io
import re
import secrets
import zipfile
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode

import anyio.to_thread
import orjson
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.types import Message as AsgiMessage

from api.errors import error_payload
from api.i18n import LANG_COOKIE, Lang, json_lang
from api.security.check import ScopeLeak, check
from api.security.context import DEV_USER, Security, scope_of_user
from api.security.session import COOKIE, CSRF_FIELD, CSRF_HEADER
from api.security.users import User, token_id_of
from graph.errors import StoreUnavailable
from graph.messages import Message
from graph.schema import SCHEMA

PUBLIC_EXACT = {"/health", "/login", "/logout", "/favicon.ico"}
#: POSTs of server-rendered forms, which carry the CSRF token in a hidden field that their
#: routes check (:func:`api.security.routes.form_csrf_ok`), not in a header.
FORM_POSTS = ("/login", "/logout")
FORM_POST_PREFIX = ("/admin/history/",)
PUBLIC_PREFIX = ("/static/",)
#: Answer 401 JSON (not a redirect) under these prefixes: programs, not people, ask them.
API_PREFIX = ("/api/", "/openapi.json", "/fragments/")
#: Record kinds whose ids are audited: every kind that belongs to units (people and what
#: is about them: duties, issues, projects, inspections, cases, decisions, referrals,
#: records); units themselves are the organisation chart, not personal or case data.
AUDITED_KINDS = tuple(k.prefix for k in SCHEMA.nodes if k.scope.anchors)
_KINDS_RE = "|".join(AUDITED_KINDS)
_UID_RE = re.compile(rf"\b({_KINDS_RE}):([A-Za-z0-9_.\-]+)")
#: A whole JSON string that is a uid: ids in any script (escapes included), not only ASCII.
_QUOTED_RE = re.compile(rf'"((?:{_KINDS_RE}):(?:[^"\\\s]|\\.)+)"')
_PAGE_RE = re.compile(r'href="/(people|issues|cases|nodes)/([^"?#/]+)')
_ENCODED_COLON = re.compile(r"%3[Aa]")
_PAGE_KIND = {"people": "person", "issues": "issue", "cases": "case"}
#: Answers to a signed-in user that are audited as refusals (probing leaves a trace).
_REFUSED = (403, 404)
_SEARCH = ("/api/search", "/search")
_DETAIL = ("/api/people/", "/api/issues/", "/api/cases/", "/people/", "/issues/", "/cases/",
           "/nodes/")
_NOT_AUDITED = ("/api/graph/legend", "/api/analytics/codes", "/api/audit", "/admin",
                "/docs", "/redoc", "/openapi.json")


def csp(nonce: str) -> str:
    return ("default-src 'self'; "
            f"script-src 'self' 'nonce-{nonce}'; "
            # vis-network and Swagger UI set element styles from script; no external origin.
            "style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; font-src 'self'; connect-src 'self'; "
            # ReDoc builds its search worker from a blob: URL it creates itself.
            "worker-src 'self' blob:; "
            "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def is_public(path: str) -> bool:
    return path in PUBLIC_EXACT or path.startswith(PUBLIC_PREFIX)


def audit_action(path: str) -> str | None:
    """search, export, read (detail pages) or None (audited only when records were shown)."""
    if path.startswith(_NOT_AUDITED):
        return "skip"
    if path in _SEARCH or path.startswith("/search/"):
        return "search"
    if path.endswith((".graphml", ".gexf", ".csv.zip", ".csv", ".xlsx")) \
            or path.startswith("/export/"):
        return "export"
    if path.startswith(_DETAIL):
        return "read"
    return None


def audited_ids(body: bytes, content_type: str) -> list[str]:
    """The uids of the audited kinds (:data:`AUDITED_KINDS`) a response carried, in order.

    JSON strings are read whole (any id), pages by the records they link to, and any text
    (CSV, HTML, percent-encoded links) by the plain ``kind:id`` form.
    """
    texts: list[str] = []
    # Zipped CSV and Excel workbooks (the pages' table downloads): every part is read.
    if content_type.startswith(("application/zip", "application/vnd.openxmlformats")):
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as z:
                texts = [z.read(n).decode("utf-8", "replace") for n in z.namelist()]
        except zipfile.BadZipFile:
            texts = []
    else:
        texts = [body.decode("utf-8", "replace")]
    found: dict[str, None] = {}
    for text in texts:
        for quoted in _QUOTED_RE.findall(text):
            try:
                found[str(orjson.loads(f'"{quoted}"'))] = None
            except orjson.JSONDecodeError:  # a quote inside HTML text, not JSON
                continue
        if "href=" in text:  # pages link to the records they show
            for kind, node_id in _PAGE_RE.findall(text):
                ref = unquote(node_id)
                if kind != "nodes":
                    found[f"{_PAGE_KIND[kind]}:{ref}"] = None
                elif ref.partition(":")[0] in AUDITED_KINDS:
                    found[ref] = None
        # Percent-decoding a whole body is slow (milliseconds for a 30 kB answer, on the
        # event loop): only when a uid may be encoded in it (``person%3AP1``).
        if _ENCODED_COLON.search(text):
            text = unquote(text)
        for kind, node_id in _UID_RE.findall(text):
            found[f"{kind}:{node_id}"] = None
    return list(found)


class SecurityMiddleware:
    def __init__(self, app: ASGIApp, security: Security, fastapi_app: Any) -> None:
        self.app = app
        self.sec = security
        self.fastapi_app = fastapi_app

    # -- who is asking ---------------------------------------------------------------
    def _user(self, scope: Scope) -> tuple[User | None, str, bool, str | None]:
        """(user, how: token|session|none, bad_token, token id)."""
        if not self.sec.enabled:
            return DEV_USER, "none", False, None
        headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                   for k, v in scope.get("headers", [])}
        auth = headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            token = auth[7:].strip()
            user = self.sec.users.authenticate_token(token)
            return user, "token", user is None, token_id_of(token) if user else None
        session = self.sec.codec.loads(_cookie(headers.get("cookie", ""), COOKIE))
        scope.setdefault("state", {})["session"] = session
        if session and session.sid:
            # The server-side row decides: an ended session is no session, whatever the
            # cookie says (a read of the shared WAL database: it never waits for writers).
            session.username = self.sec.state.session_user(session.sid)
            user = self.sec.users.get(session.username) if session.username else None
            if user is not None and not user.disabled:
                return user, "session", False, None
        return None, "none", False, None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        nonce = secrets.token_urlsafe(16)
        state = scope.setdefault("state", {})
        state["csp_nonce"] = nonce
        path: str = scope["path"]
        user, how, bad_token, token_id = self._user(scope)
        state["user"] = user
        state["auth_via"] = how
        if token_id is not None and self.sec.state.token_use_due(token_id):
            await anyio.to_thread.run_sync(self.sec.state.record_token_use, token_id)
        extra = [(b"content-security-policy", csp(nonce).encode()),
                 (b"x-content-type-options", b"nosniff"),
                 (b"referrer-policy", b"no-referrer"),
                 (b"x-frame-options", b"DENY"),
                 (b"cross-origin-opener-policy", b"same-origin")]
        if user is not None and not is_public(path):
            # Never stored by a browser or a shared proxy: the answer is this user's.
            extra.append((b"cache-control", b"private, no-store"))

        async def send_plain(status: int, body: bytes, ctype: bytes,
                             headers: list[tuple[bytes, bytes]] | None = None) -> None:
            await send({"type": "http.response.start", "status": status,
                        "headers": [(b"content-type", ctype),
                                    (b"content-length", str(len(body)).encode()),
                                    *extra, *(headers or [])]})
            await send({"type": "http.response.body", "body": body})

        if bad_token or (user is None and not is_public(path)):
            if bad_token or path.startswith(API_PREFIX):
                body = orjson.dumps(error_payload(
                    "unauthenticated", Message("api.unauthenticated"), _lang(scope)))
                await send_plain(401, body, b"application/json",
                                 [(b"www-authenticate", b'Bearer realm="dutygraph"')])
            else:
                target = path + ("?" + scope["query_string"].decode("latin-1")
                                 if scope.get("query_string") else "")
                location = "/login?" + urlencode({"next": target})
                await send_plain(303, b"", b"text/plain; charset=utf-8",
                                 [(b"location", location.encode("latin-1"))])
            return
        if (how == "session" and scope["method"] not in ("GET", "HEAD", "OPTIONS")
                and path not in FORM_POSTS and not path.startswith(FORM_POST_PREFIX)):
            headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                       for k, v in scope.get("headers", [])}
            session = state.get("session")
            sent = headers.get(CSRF_HEADER, "")
            if not sent and _is_form(headers):
                # A plain HTML form (no script needed) carries the token as a field: read
                # the body once, check it, and hand the same bytes on to the route.
                form_body = await _read_body(receive, self._form_limit())
                if form_body is None:
                    payload = orjson.dumps(error_payload(
                        "too_large", Message("api.body_too_large",
                                             max=self._form_limit() // (1024 * 1024)),
                        _lang(scope)))
                    await send_plain(413, payload, b"application/json")
                    return
                sent = await _form_token(scope, form_body)
                receive = _replay(form_body)
            if not session or not secrets.compare_digest(sent, session.csrf):
                body = orjson.dumps(error_payload("csrf", Message("api.csrf"), _lang(scope)))
                await send_plain(403, body, b"application/json")
                return

        scoped = user is not None and not user.sees_everything
        audited = user is not None and user is not DEV_USER
        action = audit_action(path) if audited else "skip"
        if action == "skip" and not scoped:
            refused = self._audit_refused if audited and not is_public(path) else None
            await self.app(scope, receive, _with_headers(send, extra, scope, user, refused))
            return
        await self._buffered(scope, receive, send, extra, user, action, scoped)

    def _form_limit(self) -> int:
        """Bytes a form may carry: an evidence file at its size limit, and the fields."""
        return int(self.sec.settings.evidence_max_mb * 1024 * 1024) + FORM_FIELDS_BYTES

    async def _audit_refused(self, scope: Scope, user: User, status: int) -> None:
        """Append a 403/404 answer to a user (no record was shown: no ids; the path says
        what was asked for), before the answer leaves."""
        query = scope.get("query_string", b"").decode("latin-1")
        await asyncio.wrap_future(self.sec.audit.submit(
            user.username, "refused", _route_of(scope), [],
            {"status": status, "path": scope["path"][:500], "query": query[:500]}))

    async def _buffered(self, scope: Scope, receive: Receive, send: Send,
                        extra: list[tuple[bytes, bytes]], user: User | None,
                        action: str | None, scoped: bool) -> None:
        start: AsgiMessage = {}
        chunks: list[bytes] = []

        async def capture(message: AsgiMessage) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, capture)
        body = b"".join(chunks)
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        ctype = next((v.decode("latin-1") for k, v in headers if k.lower() == b"content-type"),
                     "")
        status = int(start.get("status", 500))
        if (scoped and user is not None and status == 200
                and ctype.startswith(("application/json", "text/html"))):
            try:
                # The second line of defence (api/security/check.py); its store reads are
                # blocking driver calls: off the event loop.
                await anyio.to_thread.run_sync(self._check, body, ctype, user)
            except StoreUnavailable:
                # The scope cannot be checked: show nothing rather than everything.
                status, body = 503, orjson.dumps(error_payload(
                    "unavailable", Message("api.unavailable_retry"), _lang(scope)))
                headers = [(k, v) for k, v in headers if k.lower() != b"content-type"]
                headers += [(b"content-type", b"application/json"), (b"retry-after", b"10")]
            except ScopeLeak:
                # A query let through what the user may not see: say nothing of it.
                status, body = 500, orjson.dumps(error_payload(
                    "internal", Message("api.internal"), _lang(scope)))
                headers = [(k, v) for k, v in headers if k.lower() != b"content-type"]
                headers += [(b"content-type", b"application/json")]
        if (user is not None and user is not DEV_USER and status in _REFUSED
                and not is_public(scope["path"])):
            await self._audit_refused(scope, user, status)
        if user is not None and status == 200 and action != "skip" and scope["method"] == "GET":
            ids = audited_ids(body, ctype)
            if action is not None or ids:
                query = scope.get("query_string", b"").decode("latin-1")
                # Group commit (api/security/audit.py): the response waits until its entry
                # is on disk, without holding up the event loop or the other requests.
                await asyncio.wrap_future(self.sec.audit.submit(
                    user.username, action or "read", _route_of(scope), ids,
                    {"path": scope["path"], "query": query[:500]}))
        await send({"type": "http.response.start", "status": status,
                    "headers": [*headers, (b"content-length", str(len(body)).encode()),
                                *extra]})
        await send({"type": "http.response.body", "body": body})

    def _check(self, body: bytes, ctype: str, user: User) -> None:
        store = self.fastapi_app.state.store_holder.get()
        check(store, scope_of_user(store, user), body, ctype)


#: Room for a form's fields besides its evidence file.
FORM_FIELDS_BYTES = 1024 * 1024
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _is_form(headers: dict[str, str]) -> bool:
    return headers.get("content-type", "").split(";")[0].strip().lower() in _FORM_TYPES


async def _read_body(receive: Receive, limit: int) -> bytes | None:
    """The whole request body, or None when it is longer than ``limit`` bytes."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


async def _form_token(scope: Scope, body: bytes) -> str:
    """The ``csrf_token`` field of a form body (urlencoded or multipart), else ``""``."""
    from starlette.requests import Request

    request = Request(scope, _replay(body))
    try:
        form = await request.form(max_files=4, max_fields=200)
    except Exception:  # a malformed body has no token: refused as such
        return ""
    try:
        value = form.get(CSRF_FIELD)
        return value if isinstance(value, str) else ""
    finally:
        await form.close()


def _replay(body: bytes) -> Receive:
    """A ``receive`` that gives ``body`` once, then waits for the client to go away."""
    sent = False

    async def receive() -> AsgiMessage:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    return receive


def _lang(scope: Scope) -> Lang:
    """The language of a JSON answer made here (as :func:`api.i18n.api_lang` decides)."""
    headers = {k.decode("latin-1").lower(): v.decode("latin-1")
               for k, v in scope.get("headers", [])}
    query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
    return json_lang(query.get("lang"), _cookie(headers.get("cookie", ""), LANG_COOKIE),
                     headers.get("accept-language"))


def _route_of(scope: Scope) -> str:
    route = scope.get("route")
    return str(getattr(route, "path", scope["path"]))


def _cookie(header: str, name: str) -> str | None:
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return None


def _with_headers(send: Send, extra: list[tuple[bytes, bytes]], scope: Scope,
                  user: User | None,
                  refused: Callable[[Scope, User, int], Awaitable[None]] | None) -> Send:
    """``send`` with the security headers added; a 403/404 answer is first handed to
    ``refused`` (the audit) when given."""
    async def wrapped(message: AsgiMessage) -> None:
        if message["type"] == "http.response.start":
            status = int(message.get("status", 200))
            if refused is not None and user is not None and status in _REFUSED:
                await refused(scope, user, status)
            message = {**message, "headers": [*message.get("headers", []), *extra]}
        await send(message)
    return wrapped
