"""Links that keep the page's context, and what every page shows about it.

The as-of date an inspector chose travels with every link of a page (a unit, a person, the
graph, the dashboards, the search box), so following the chain or a person keeps the date
the page was looked at; every page and every printout shows that date, who printed it and
when. Templates call the context-aware ``node_url`` / ``graph_url`` / ``page_url`` (jinja
globals registered by :func:`install`); Python code uses :func:`api.ui.render.node_url`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

import jinja2
from fastapi import Request

from graph.dates import parse_date, today
from graph.errors import InvalidArgument

#: The query parameter that carries the date through the links.
AS_OF = "as_of"


def link_as_of(request: Request) -> str | None:
    """The page's valid ``as_of`` date, or None (absent or malformed: the page itself
    reports a malformed one)."""
    raw = request.query_params.get(AS_OF, "")
    try:
        return parse_date(raw.strip()) if len(raw) <= 10 else None
    except InvalidArgument:
        return None


def with_params(url: str, params: Mapping[str, Any]) -> str:
    """``url`` with ``params`` appended (empty values left out).

    >>> with_params("/units/JD", {"as_of": "2018-06-30", "x": ""})
    '/units/JD?as_of=2018-06-30'
    >>> with_params("/graph?node=unit%3AJD", {"as_of": "2018-06-30"})
    '/graph?node=unit%3AJD&as_of=2018-06-30'
    """
    extra = [(k, str(v)) for k, v in params.items() if v not in (None, "")]
    if not extra:
        return url
    return url + ("&" if "?" in url else "?") + urlencode(extra)


def page_context(request: Request) -> dict[str, Any]:
    """What the layout of every page needs about its context: the as-of date shown (the
    chosen one or today), the link without it, who prints and when."""
    chosen = link_as_of(request)
    user = getattr(request.state, "user", None)
    params = [(k, v) for k, v in request.query_params.multi_items() if k != AS_OF]
    return {
        "link_as_of": chosen,
        "page_as_of": chosen or today(),
        "clear_as_of_url": request.url.path + (f"?{urlencode(params)}" if params else ""),
        "printed_by": user.username if user is not None else "",
        "printed_at": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "can_export": user is None or bool(user.can("export")),
    }


def install(env: jinja2.Environment) -> None:
    """Register the context-aware link helpers in a template environment."""
    from api.ui.render import graph_url, node_url

    @jinja2.pass_context
    def ctx_node_url(ctx: jinja2.runtime.Context, ref: Any, **params: Any) -> str:
        return with_params(node_url(ref), {AS_OF: ctx.get("link_as_of"), **params})

    @jinja2.pass_context
    def ctx_graph_url(ctx: jinja2.runtime.Context, ref: Any, **params: Any) -> str:
        return with_params(graph_url(ref), {AS_OF: ctx.get("link_as_of"), **params})

    @jinja2.pass_context
    def ctx_page_url(ctx: jinja2.runtime.Context, path: str, **params: Any) -> str:
        return with_params(path, {**params, AS_OF: ctx.get("link_as_of")})

    env.globals.update(node_url=ctx_node_url, graph_url=ctx_graph_url, page_url=ctx_page_url)
