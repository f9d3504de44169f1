"""Which language a request wants.

Pages: ``?lang=`` (then remembered in a cookie), else the cookie, else Chinese — the
inspectors' pages are Chinese first whatever the browser says. The JSON API: ``?lang=``,
the pages' cookie, then the ``Accept-Language`` header, then Chinese.
"""

from __future__ import annotations

from starlette.requests import Request

from api.i18n.catalogues import DEFAULT_LANG, Lang

#: Cookie that remembers the language chosen on the pages, for a year.
LANG_COOKIE = "dg_lang"


def pick_lang(query_lang: str | None, cookie_lang: str | None) -> Lang:
    """The language of a page: ``?lang=`` first, then the cookie, then Chinese.

    >>> pick_lang("en", None), pick_lang(None, "en"), pick_lang("fr", None)
    ('en', 'en', 'zh')
    """
    for candidate in (query_lang, cookie_lang):
        if candidate == "en":
            return "en"
        if candidate == "zh":
            return "zh"
    return DEFAULT_LANG


def accepted_lang(header: str | None) -> Lang | None:
    """The preferred of Chinese and English in an ``Accept-Language`` header, if either.

    >>> accepted_lang("en-GB,en;q=0.9,zh-CN;q=0.8"), accepted_lang("zh-CN,zh;q=0.9")
    ('en', 'zh')
    >>> accepted_lang("fr, en;q=0.5"), accepted_lang("de"), accepted_lang(None)
    ('en', None, None)
    >>> accepted_lang("en;q=0.2, zh;q=0.8")
    'zh'
    """
    best: tuple[float, int, Lang] | None = None
    for position, part in enumerate((header or "").split(",")):
        tag, _, rest = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        if primary not in ("zh", "en"):
            continue
        quality = 1.0
        for param in rest.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality <= 0:
            continue
        lang: Lang = "en" if primary == "en" else "zh"
        if best is None or (quality, -position) > best[:2]:
            best = (quality, -position, lang)
    return best[2] if best else None


def page_lang(request: Request) -> Lang:
    """The language of a page request."""
    return pick_lang(request.query_params.get("lang"), request.cookies.get(LANG_COOKIE))


def api_lang(request: Request) -> Lang:
    """The language of a JSON answer (its error messages)."""
    return json_lang(request.query_params.get("lang"), request.cookies.get(LANG_COOKIE),
                     request.headers.get("accept-language"))


def json_lang(query_lang: str | None, cookie_lang: str | None,
              accept_language: str | None) -> Lang:
    """``?lang=``, then the pages' cookie, then ``Accept-Language``, then Chinese.

    >>> json_lang(None, None, "en-US,en;q=0.9"), json_lang(None, "zh", "en")
    ('en', 'zh')
    """
    for candidate in (query_lang, cookie_lang):
        if candidate in ("zh", "en"):
            return "en" if candidate == "en" else "zh"
    return accepted_lang(accept_language) or DEFAULT_LANG
