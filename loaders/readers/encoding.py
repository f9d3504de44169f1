"""Detecting a text file's encoding: strict UTF-8 (with or without BOM) first, then GB18030
(a superset of GBK/GB2312, what Chinese Windows Excel writes), then charset-normalizer.

Detection reads the whole file in chunks through incremental *strict* decoders, so a file
that is ASCII for its first megabyte and GBK afterwards is still detected correctly, without
holding the decoded text in memory.

GB18030 decodes almost any byte sequence, so a file where someone pasted UTF-8 rows into a
GBK export (or the reverse) would "decode" as GB18030 with the UTF-8 rows turned into
mojibake. :func:`mixed_lines` finds such files so the loader can refuse them by line.
"""

from __future__ import annotations

import codecs
from pathlib import Path

_CHUNK = 1 << 20


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _is_utf8_chinese(line: bytes) -> bool:
    """A line that is strict UTF-8 with Chinese in it, and nothing a GB line could fake.

    GB18030 bytes that happen to be valid UTF-8 decode to scattered non-CJK code points; a
    real UTF-8 Chinese line decodes to CJK ideographs and CJK/full-width punctuation only.
    """
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    wide = [c for c in text if ord(c) > 0x7F and c != "\ufeff"]
    cjk = sum(1 for c in wide if "\u4e00" <= c <= "\u9fff")
    punct = sum(1 for c in wide if "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef")
    return cjk >= 2 and cjk + punct == len(wide)


def mixed_lines(path: Path) -> tuple[int, int] | None:
    """``(utf8_line, other_line)``: the first line that is UTF-8 Chinese and the first
    non-ASCII line that is not UTF-8, when a file has both; None when it is consistent.

    Lines are physical lines, numbered from 1.
    """
    utf8 = other = 0
    with open(path, "rb") as fh:
        for n, line in enumerate(fh, start=1):
            if line.isascii():
                continue
            if _is_utf8_chinese(line):
                utf8 = utf8 or n
            else:
                try:
                    line.decode("utf-8")
                except UnicodeDecodeError:
                    other = other or n
            if utf8 and other:
                return utf8, other
    return None


def detect_encoding(path: Path) -> str | None:
    """A Python codec name that decodes ``path`` strictly, or None if none is found."""
    with open(path, "rb") as fh:
        head = fh.read(4)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not head.startswith(
        codecs.BOM_UTF32_LE
    ):
        # Excel's "Unicode text" export: UTF-16 with a BOM (tab-separated).
        return "utf-16" if _decodes(path, "utf-16") else None
    if _decodes(path, "utf-8"):
        return "utf-8-sig"  # strips a BOM when there is one
    if _decodes(path, "gb18030"):
        return "gb18030"
    from charset_normalizer import from_path

    best = from_path(path).best()
    if best is None or best.encoding is None:
        return None
    return str(best.encoding) if _decodes(path, str(best.encoding)) else None
