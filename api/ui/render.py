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

from api.i18n import LANG_COOKIE, Lang, Translator, page_lang, translate, translations
from graph.errors import (
    AmbiguousId,
    DutyGraphError,
    InvalidArgument,
    NotFound,
    SchemaError,
    StoreUnavailable,
)
from graph.messages import Message
from graph.schema import SCHEMA, split_uid
from graph.store.base import GraphStore

log = logging.getLogger(__name__)

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
STATIC_UI = "/static/ui"
_PAGE_PREFIX = {"unit": "/units/", "person": "/people/", "issue": "/issues/", "case": "/cases/"}

P = ParamSpec("P")


@functools.cache
def environment(lang: Lang) -> jinja2.Environment:
    """The template environment of one language (built once, on first use).

    Templates take their texts from the message catalogues through ``jinja2.ext.i18n``:
    ``_(code, name=value)`` and ``ngettext(code, code, n)`` ("new style": the parameters
    are escaped and always formatted in). One environment per language keeps the
    request's language out of shared state; ``punct`` holds the language's punctuation.
    """
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(node_url=node_url, graph_url=graph_url, static=static_url,
                       punct=punctuation(lang))
    return env


def punctuation(lang: Lang) -> dict[str, str]:
    """The language's colon, parentheses and separators, for the templates.

    >>> punctuation("zh")["colon"], punctuation("en")["colon"]
    ('：', ': ')
    """
    return {
        "colon": translate("punct.colon", lang),
        "open_paren": translate("punct.open_paren", lang),
        "close_paren": translate("punct.close_paren", lang),
        "list_sep": translate("punct.list_sep", lang),
        "group_sep": translate("punct.group_sep", lang),
    }


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
    """The language of a page request (``?lang=``, the cookie, else Chinese)."""
    return page_lang(request)


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
    body = environment(lang).get_template(template).render(ctx)
    response = HTMLResponse(body, status_code=status)
    if request.query_params.get("lang") == lang:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax",
                            httponly=True)
    if status >= 400:
        # Error pages must not be cached (the database may be back in a minute).
        response.headers["Cache-Control"] = "no-store"
    return response


def error_page(request: Request, exc: DutyGraphError) -> HTMLResponse:
    """The page for a domain error in the page's language: 404, 503 (with a retry hint),
    409 (an id chooser), 400, 403."""
    lang = request_lang(request)
    if isinstance(exc, NotFound):
        return _error(request, 404, "not_found", translate("ui.not_found_title", lang),
                      translate(exc.message, lang))
    if isinstance(exc, StoreUnavailable):
        response = _error(request, 503, "unavailable", translate("ui.unavailable_title", lang),
                          translate("ui.unavailable_body", lang))
        response.headers["Retry-After"] = "10"
        return response
    if isinstance(exc, AmbiguousId):
        return _error(request, 409, "ambiguous", translate("ui.ambiguous_title", lang),
                      translate("ui.ambiguous_body", lang, id=exc.node_id), choices=exc.uids)
    if isinstance(exc, InvalidArgument | SchemaError):
        return _error(request, 400, "invalid", translate("ui.invalid_title", lang),
                      translate(exc.message, lang))
    if hasattr(exc, "action"):  # api.security.guard.Forbidden: the role may not do this
        return _error(request, 403, "forbidden", translate("ui.forbidden_title", lang),
                      translate("ui.forbidden_body", lang))
    log.exception("page failed", exc_info=exc)
    return _error(request, 500, "other", translate("ui.error", lang),
                  translate(exc.message, lang))


def is_page(request: Request) -> bool:
    """Whether the request was routed to one of the inspectors' pages (api/ui)."""
    route = request.scope.get("route")
    module = getattr(getattr(route, "endpoint", None), "__module__", "")
    return module.startswith("api.ui")


def invalid_request_page(request: Request, problems: list[tuple[str, Message]]) -> HTMLResponse:
    """The 400 page for parameters FastAPI refused before the page ran (a too long query,
    a missing or out-of-range parameter): each (field, reason) in the page's language."""
    lang = request_lang(request)
    message = translate("punct.group_sep", lang).join(
        translate(Message("error.invalid_argument", field=field, reason=reason), lang)
        for field, reason in problems)
    return _error(request, 400, "invalid", translate("ui.invalid_title", lang), message)


def not_found_page(request: Request) -> HTMLResponse:
    lang = request_lang(request)
    return _error(request, 404, "not_found", translate("ui.not_found_title", lang),
                  translate("ui.page_not_found", lang))


def _error(request: Request, status: int, error: str, title: str, message: str,
           **context: Any) -> HTMLResponse:
    return render(request, "error.html", status=status, title=title, error=error,
                  message=message, **context)


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
