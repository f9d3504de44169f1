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
from api.ui import links
from api.ui.names import AmbiguousName
from graph.errors import (
    AmbiguousId,
    DutyGraphError,
    InvalidArgument,
    NotFound,
    Refused,
    SchemaError,
    StateConflict,
    StoreUnavailable,
)
from graph.history.model import ChangeHeader
from graph.messages import N_, Message
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
    env.globals.update(static=static_url, punct=punctuation(lang), level_name=level_namer(lang),
                       form_name=form_namer(lang))
    links.install(env)  # node_url, graph_url, page_url: keep the page's as-of date
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


def level_namer(lang: Lang) -> Callable[[Any], str]:
    """The name of a unit level in the language: 市级 for level 0, then the tiers of the
    chain (市 → 区 → 委办局/街镇/企业 → 村居/二三级公司), a number beyond them.

    >>> level_namer("zh")(0), level_namer("en")(1)
    ('市级', 'district level')
    """
    names = {0: translate("ui.level_0", lang), 1: translate("ui.level_1", lang),
             2: translate("ui.level_2", lang), 3: translate("ui.level_3", lang)}

    def name(level: Any) -> str:
        if level is None or level == "":
            return ""
        return names.get(level) or translate("ui.level_n", lang, n=level)

    return name


def form_namer(lang: Lang) -> Callable[[Any], str]:
    """The name of one of the four forms (四种形态) of supervision and discipline.

    >>> form_namer("zh")(2), form_namer("en")("2"), form_namer("zh")(None)
    ('第二种形态', 'second form', '')
    """
    names = {1: translate("ui.form_1", lang), 2: translate("ui.form_2", lang),
             3: translate("ui.form_3", lang), 4: translate("ui.form_4", lang)}

    def name(form: Any) -> str:
        if form is None or form == "":
            return ""
        try:
            return names.get(int(form)) or translate("ui.form_n", lang, n=form)
        except (TypeError, ValueError):
            return str(form)

    return name


#: Names of the pages' input fields in error messages (a field without one keeps its name).
FIELD_NAMES = {
    "as_of": N_("field.as_of"), "unit": N_("field.unit"), "node": N_("field.node"),
    "to": N_("field.to"), "from": N_("field.from"), "q": N_("field.q"),
    "kind": N_("field.kind"), "depth": N_("field.depth"), "limit": N_("field.limit"),
    "layout": N_("field.layout"), "table": N_("field.table"), "person": N_("field.person"),
    "issue": N_("field.issue"), "case": N_("field.case"), "deducted": N_("field.deducted"),
    "severity": N_("field.severity"),
}


def field_name(field: str, lang: Lang) -> str:
    """A parameter's name as the page calls it (``as_of`` → 截至日期 / as-of date)."""
    code = FIELD_NAMES.get(field)
    return translate(code, lang) if code else field


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
        "latest_change": latest_change(request),
        "can_analytics": user is None or bool(user.can("analytics")),
        "lang": lang,
        "t": t,
        "title": title,
        "switch_url": switch_url(request, t.other),
        "query": request.query_params.get("q", ""),
        "schema": SCHEMA,
        **links.page_context(request),
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


def latest_change(request: Request) -> ChangeHeader | None:
    """The newest change set of the application's store, for the footer of every page
    (None while the store is not open, or cannot be read)."""
    from api.deps import holder_of
    from graph.history.provenance import headers_by_id

    store = holder_of(request).ready()
    if store is None:
        return None
    try:
        headers = headers_by_id(store)
    except DutyGraphError:
        return None
    return headers[max(headers)] if headers else None


def error_page(request: Request, exc: DutyGraphError) -> HTMLResponse:
    """The page for a domain error in the page's language: 404, 503 (with a retry hint),
    409 (an id chooser, or a write the item's state refuses), 400, 403 (a role or unit that
    may not)."""
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
    if isinstance(exc, AmbiguousName):  # a typed name several nodes answer to
        return _error(request, 409, "ambiguous", translate("ui.ambiguous_title", lang),
                      translate(exc.message, lang), choices=[c.uid for c in exc.choices])
    if isinstance(exc, InvalidArgument):
        message = Message("error.invalid_argument", field=field_name(exc.field, lang),
                          reason=exc.reason)
        return _error(request, 400, "invalid", translate("ui.invalid_title", lang),
                      translate(message, lang))
    if isinstance(exc, SchemaError):
        return _error(request, 400, "invalid", translate("ui.invalid_title", lang),
                      translate(exc.message, lang))
    if isinstance(exc, Refused):  # a write this user's unit may not make
        return _error(request, 403, "refused", translate("ui.forbidden_title", lang),
                      translate(exc.message, lang))
    if isinstance(exc, StateConflict):  # a write the item's state refuses
        return _error(request, 409, "state_conflict", translate("ui.conflict_title", lang),
                      translate(exc.message, lang))
    if hasattr(exc, "action"):  # api.security.policy.Forbidden: the role may not do this
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
    # FastAPI's own English text for a check DutyGraph does not name: a generic reason in
    # the page's language instead.
    message = translate("punct.group_sep", lang).join(
        translate(Message("error.invalid_argument", field=field_name(field, lang),
                          reason=reason if reason.code != "error.text"
                          else Message("ui.reason_invalid")), lang)
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

    holder = holder_of(request)
    store = holder.get()
    if holder.refresh_due():  # what other processes wrote, within a second
        holder.refresh()
    return store
