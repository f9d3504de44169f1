"""Enough of PDF to check what Chromium printed: the pages in order, their size, and the
text of each (Skia writes Type0 fonts with a ToUnicode map, and each text run as one
``Tj``/``TJ`` inside ``BT``…``ET``: one line per run here).

The lock file has no PDF reader; this reads exactly the subset of PDF that Chromium's Skia
backend produces (uncompressed object headers, Flate streams, one level of page tree).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable

_OBJ = re.compile(rb"(\d+) 0 obj\s*(.*?)endobj", re.S)
_REF = rb"(\d+) 0 R"
_TOKEN = re.compile(rb"/([^\s/\[\]<>()]+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f\s]*)>|\b(ET)\b")


def _objects(data: bytes) -> dict[int, tuple[bytes, bytes | None]]:
    """Object number → (dictionary text, decoded stream or None)."""
    out: dict[int, tuple[bytes, bytes | None]] = {}
    for m in _OBJ.finditer(data):
        body = m.group(2)
        stream = None
        start = re.search(rb"stream\r?\n", body)
        if start:
            head = body[:start.start()]
            raw = body[start.end():body.rindex(b"endstream")]
            stream = zlib.decompress(raw) if b"/FlateDecode" in head else raw
            body = head
        out[int(m.group(1))] = (body, stream)
    return out


def _cmap(stream: bytes) -> dict[bytes, str]:
    """A ToUnicode CMap: glyph code → text."""
    table: dict[bytes, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", stream, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            table[bytes.fromhex(src.decode())] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", stream, re.S):
        for lo, hi, dst in re.findall(
                rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            first, width = int(dst, 16), len(lo) // 2
            for i, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                table[code.to_bytes(width, "big")] = chr(first + i)
    return table


class Pdf:
    """A PDF Chromium wrote: ``pages`` (dictionary texts, in order) and ``text(i)``."""

    def __init__(self, data: bytes) -> None:
        self.objects = _objects(data)
        root = next(k for k, (b, _) in self.objects.items() if re.search(rb"/Type\s*/Catalog", b))
        pages = re.search(rb"/Pages\s+" + _REF, self._body(root))
        assert pages is not None
        self.page_refs: list[int] = []
        self._walk(int(pages.group(1)))
        self._cmaps: dict[int, dict[bytes, str]] = {}

    def _body(self, ref: int) -> bytes:
        return self.objects[ref][0]

    def _walk(self, ref: int) -> None:
        body = self._body(ref)
        if re.search(rb"/Type\s*/Pages", body):
            kids = re.search(rb"/Kids\s*\[(.*?)\]", body, re.S)
            assert kids is not None
            for kid in re.findall(_REF, kids.group(1)):
                self._walk(int(kid))
        else:
            self.page_refs.append(ref)

    def size(self, page: int) -> tuple[float, float]:
        """(width, height) of a page in points (A4: 595 × 842)."""
        box = re.search(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)",
                        self._body(self.page_refs[page]))
        assert box is not None
        x0, y0, x1, y1 = (float(v) for v in box.groups())
        return x1 - x0, y1 - y0

    def _font_map(self, ref: int) -> dict[bytes, str]:
        if ref not in self._cmaps:
            to_unicode = re.search(rb"/ToUnicode\s+" + _REF, self._body(ref))
            stream = self.objects[int(to_unicode.group(1))][1] if to_unicode else None
            self._cmaps[ref] = _cmap(stream or b"")
        return self._cmaps[ref]

    def _fonts(self, page: bytes) -> dict[bytes, int]:
        resources = page
        ref = re.search(rb"/Resources\s+" + _REF, page)
        if ref:
            resources = self._body(int(ref.group(1)))
        inline = re.search(rb"/Font\s*<<(.*?)>>", resources, re.S)
        if inline is None:
            font_ref = re.search(rb"/Font\s+" + _REF, resources)
            inline = re.search(rb"<<(.*?)>>", self._body(int(font_ref.group(1))), re.S) \
                if font_ref else None
        if inline is None:
            return {}
        return {name: int(r) for name, r in re.findall(rb"/(\S+?)\s+" + _REF, inline.group(1))}

    def text(self, page: int) -> str:
        """The page's text, one line per text run (in the order they were drawn)."""
        body = self._body(self.page_refs[page])
        fonts = self._fonts(body)
        contents = re.search(rb"/Contents\s*(\[.*?\]|" + _REF + rb")", body, re.S)
        assert contents is not None
        stream = b"".join(self.objects[int(r)][1] or b""
                          for r in re.findall(_REF, contents.group(1)))
        return _run(stream, fonts, self._font_map)

    @property
    def texts(self) -> list[str]:
        return [self.text(i) for i in range(len(self.page_refs))]


def _run(stream: bytes, fonts: dict[bytes, int],
         font_map: Callable[[int], dict[bytes, str]]) -> str:
    out: list[str] = []
    table: dict[bytes, str] = {}
    width = 2
    for m in _TOKEN.finditer(stream):
        if m.group(1) is not None:
            ref = fonts.get(m.group(1))
            table = font_map(ref) if ref is not None else {}
            width = max((len(k) for k in table), default=1)
        elif m.group(2) is not None:
            raw = bytes.fromhex(re.sub(rb"\s", b"", m.group(2)).decode())
            out.append("".join(table.get(raw[i:i + width], "")
                               for i in range(0, len(raw), width)))
        else:
            out.append("\n")
    return "".join(out)
