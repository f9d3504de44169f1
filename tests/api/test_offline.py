"""Every page the API serves loads nothing from outside the server: the graph views, Swagger
UI and ReDoc. URLs in src/href attributes, in CSS url(...) and @import, and in the script
that boots Swagger UI are collected; each must be relative or same-origin, and each must
answer 200 from the app itself."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from fastapi.testclient import TestClient

BASE = "http://testserver"
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")
_JS_URL = re.compile(r"""(?:url|src|href)\s*[:=]\s*['"]([^'"]+)['"]""")


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href", "action", "poster", "data", "spec-url") and value:
                self.urls.append(value)
            if name == "style" and value:
                self.urls.extend(_css(value))
        self._in = tag

    def handle_data(self, data: str) -> None:
        if self._in == "style":
            self.urls.extend(_css(data))
        elif self._in == "script":
            self.urls.extend(_JS_URL.findall(data))


def _css(text: str) -> list[str]:
    return [a or b for a, b in _CSS_URL.findall(text)]


def references(html: str) -> list[str]:
    parser = _Refs()
    parser.feed(html)
    return [u for u in parser.urls if not u.startswith(("data:", "#", "javascript:"))]


def assert_local(client: TestClient, page: str) -> list[str]:
    """Check one page and every stylesheet it links; return the URLs checked."""
    r = client.get(page)
    assert r.status_code == 200, page
    urls = references(r.text)
    checked = []
    for ref in urls:
        absolute = urljoin(BASE + page, ref)
        parts = urlsplit(absolute)
        assert f"{parts.scheme}://{parts.netloc}" == BASE, f"{page} loads {ref} from outside"
        asset = client.get(absolute)
        assert asset.status_code == 200, f"{page}: {ref} → {asset.status_code}"
        if parts.path.endswith(".css"):
            for inner in _css(asset.text):
                if inner.startswith("data:"):
                    continue
                inner_abs = urlsplit(urljoin(absolute, inner))
                assert f"{inner_abs.scheme}://{inner_abs.netloc}" == BASE, (
                    f"{ref} loads {inner} from outside")
        checked.append(absolute)
    return checked


def test_view_pages_load_nothing_from_outside(client: TestClient) -> None:
    pages = [
        "/views/neighbourhood/unit:SIPG?limit=50",
        "/views/neighbourhood/unit:JD?depth=2&limit=1000",
        "/views/path?from=unit:SIPG&to=unit:SH",
    ]
    for page in pages:
        checked = assert_local(client, page)
        assert any("vis-network.min.js" in u for u in checked), page


def test_docs_pages_load_nothing_from_outside(client: TestClient) -> None:
    swagger = assert_local(client, "/docs")
    assert any(u.endswith("/swagger-ui-bundle.js") for u in swagger)
    assert any(u.endswith("/openapi.json") for u in swagger)
    redoc = assert_local(client, "/redoc")
    assert any(u.endswith("/redoc.standalone.js") for u in redoc)
    html = client.get("/docs").text
    # Swagger UI's validator badge would fetch an image from validator.swagger.io.
    assert '"validatorUrl": null' in html
    assert "fonts.googleapis" not in client.get("/redoc").text


def test_reference_parser_sees_outside_urls() -> None:
    """The checker itself: it must notice every way a page can point outside."""
    html = ('<link href="https://cdn.example/x.css"><script src="//cdn.example/a.js"></script>'
            '<div style="background:url(http://e.example/i.png)"></div>'
            '<style>@import "https://f.example/f.css";</style>'
            '<script>SwaggerUIBundle({url: "https://api.example/openapi.json"})</script>'
            '<img src="data:image/png;base64,AAAA"><a href="#top"></a><a href="/local"></a>')
    refs = references(html)
    outside = [u for u in refs
               if urlsplit(urljoin(BASE + "/", u)).netloc not in ("testserver",)]
    assert len(outside) == 5, refs
    assert "/local" in refs


def test_vendored_bundles_fetch_nothing_from_outside() -> None:
    """The bundles themselves: no image/script source or CSS url() with an absolute URL
    (ReDoc's sidebar logo pointed at cdn.redoc.ly until the vendored copy was edited)."""
    from pathlib import Path

    from api.views.vis import vis_asset_dir

    vendor = Path(__file__).resolve().parents[2] / "api" / "static" / "vendor"
    files = [*vendor.rglob("*.js"), *vendor.rglob("*.css"), *vis_asset_dir().glob("*.js"),
             *vis_asset_dir().glob("*.css")]
    assert len(files) >= 4
    loads = re.compile(r"""(?:\bsrc\s*[:=]\s*|url\(\s*)['"]?(?:https?:)?//[^'")\s]+""")
    for f in files:
        found = loads.findall(f.read_text(encoding="utf-8", errors="replace"))
        assert not found, f"{f.name}: {found[:3]}"
