"""Rendering the inspectors' pages: the Jinja2 environment, the language of a request,
links to nodes, and the helpful error pages (unknown id, database down, bad input).

Templates never contain inline scripts or ``style`` attributes, so the pages keep working
under a strict Content-Security-Policy; data the scripts need travels in ``data-``
attributes or in ``<script type="application/json">`` blocks (not executed).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, ParamSpec
from urllib.parse import quote, urlencode

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from api.security.scoped import scoped_context
from api.ui.i18n import LANG_COOKIE, Lang, Translator, pick_lang
from graph.errors import (
    AmbiguousId,
    DutyGraphError,
    InvalidArgument,
    NotFound,
    SchemaError,
    StoreUnavailable,
)
from graph.schema import SCHEMA, split_uid
from graph.store.base import GraphStore

log = logging.getLogger(__name__)

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
STATIC_UI = "/static/ui"
_PAGE_PREFIX = {"unit": "/units/", "person": "/people/", "issue": "/issues/", "case": "/cases/"}

P = ParamSpec("P")


@functools.lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The template environment (built once, on first use)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(node_url=node_url, graph_url=graph_url, static=static_url)
    return env


def static_url(path: str) -> str:
    return f"{STATIC_UI}/{path}"


def ref_uid(ref: Any) -> str:
    """The uid of a node reference: a uid string, a mapping or a model with ``uid``."""
    if isinstance(ref, str):
        return ref
    if isinstance(ref, Mapping):
        return str(ref["uid"])
    return str(ref.uid)


def node_url(ref: Any) -> str:
    """The page of a node, given its uid or a result's node reference.

    >>> node_url("unit:JD"), node_url({"uid": "duty:D 1"})
    ('/units/JD', '/nodes/duty%3AD%201')
    """
    uid = ref_uid(ref)
    prefix, _, node_id = uid.partition(":")
    page = _PAGE_PREFIX.get(prefix)
    if page:
        return page + quote(node_id, safe="")
    return "/nodes/" + quote(uid, safe="")


def graph_url(ref: Any, **params: Any) -> str:
    return "/graph?" + urlencode({"node": ref_uid(ref), **params})


def request_lang(request: Request) -> Lang:
    return pick_lang(request.query_params.get("lang"), request.cookies.get(LANG_COOKIE))


def switch_url(request: Request, lang: Lang) -> str:
    """The current page in the other language (the choice is then kept in a cookie)."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    params.append(("lang", lang))
    return request.url.path + "?" + urlencode(params)


def render(
    request: Request, template: str, *, status: int = 200, title: str = "", **context: Any
) -> HTMLResponse:
    """A page in the request's language; remembers an explicit ``?lang=`` in a cookie."""
    lang = request_lang(request)
    t = Translator(lang)
    # The signed-in user (None when logins are off): analytics are shown only to roles
    # that may see them.
    user = getattr(request.state, "user", None)
    ctx = {
        "request": request,
        "user": user,
        "can_analytics": user is None or bool(user.can("analytics")),
        "lang": lang,
        "t": t,
        "title": title,
        "switch_url": switch_url(request, t.other),
        "query": request.query_params.get("q", ""),
        "schema": SCHEMA,
        **context,
    }
    # Lists lose the items about nodes outside the user's unit scope (api/security).
    ctx = scoped_context(request, ctx)
    body = environment().get_template(template).render(ctx)
    response = HTMLResponse(body, status_code=status)
    if request.query_params.get("lang") == lang:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax",
                            httponly=True)
    if status >= 400:
        # Error pages must not be cached (the database may be back in a minute).
        response.headers["Cache-Control"] = "no-store"
    return response


def error_page(request: Request, exc: DutyGraphError) -> HTMLResponse:
    """The page for a domain error: 404, 503 (with a retry hint), 400 or an id chooser."""
    t = Translator(request_lang(request))
    if isinstance(exc, NotFound):
        kind = _kind_name(exc.kind, t)
        return render(request, "error.html", status=404, title=t("not_found_title"),
                      error="not_found", message=t("not_found_body", id=exc.node_id, kind=kind))
    if isinstance(exc, StoreUnavailable):
        response = render(request, "error.html", status=503, title=t("unavailable_title"),
                          error="unavailable", message=t("unavailable_body"))
        response.headers["Retry-After"] = "10"
        return response
    if isinstance(exc, AmbiguousId):
        return render(request, "error.html", status=409, title=t("ambiguous_title"),
                      error="ambiguous", message=t("ambiguous_body", id=exc.node_id),
                      choices=exc.uids)
    if isinstance(exc, InvalidArgument):
        return render(request, "error.html", status=400, title=t("invalid_title"),
                      error="invalid", message=t("invalid_body", field=exc.field,
                                                 reason=exc.reason))
    if isinstance(exc, SchemaError):
        return render(request, "error.html", status=400, title=t("invalid_title"),
                      error="invalid", message=str(exc))
    if hasattr(exc, "action"):  # api.security.guard.Forbidden: the role may not do this
        return render(request, "error.html", status=403, title=t("forbidden_title"),
                      error="forbidden", message=t("forbidden_body"))
    log.exception("page failed", exc_info=exc)
    return render(request, "error.html", status=500, title=t("error"), error="other",
                  message=str(exc))


def not_found_page(request: Request) -> HTMLResponse:
    t = Translator(request_lang(request))
    return render(request, "error.html", status=404, title=t("not_found_title"),
                  error="not_found", message=t("page_not_found"))


def _kind_name(kind: str, t: Translator) -> str:
    try:
        return t.kind(SCHEMA.node(kind).label)
    except DutyGraphError:
        try:
            return t.kind(SCHEMA.node_by_prefix(kind).label)
        except DutyGraphError:
            return kind if t.lang == "en" else "记录"


def page(func: Callable[P, Response]) -> Callable[P, Response]:
    """Turn DutyGraph errors raised while building a page into the matching error page.

    The handler must take ``request: Request`` as a keyword argument (FastAPI passes it).
    """

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Response:
        try:
            return func(*args, **kwargs)
        except DutyGraphError as exc:
            request = kwargs.get("request")
            assert isinstance(request, Request)
            return error_page(request, exc)

    return wrapper


def uid_label(uid: str) -> str | None:
    """The node label of a uid, or None when it is not one."""
    try:
        return split_uid(uid)[0]
    except DutyGraphError:
        return None


def get_store(request: Request) -> GraphStore:
    """The application's store (opened in the app's lifespan by :mod:`api.app`).

    Raises StoreUnavailable, shown as the 503 page, when there is none.
    """
    from api.deps import holder_of

    return holder_of(request).get()
