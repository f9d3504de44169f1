"""The message catalogues against the code: every code the code and the templates use is in
both catalogues and translated, nothing else is there, both languages take the same
parameters, and the committed ``.mo`` files are the compiles of the ``.po`` sources."""

from __future__ import annotations

import gettext
import io
import re
import subprocess
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from api.i18n import LANGS, LOCALE_DIR, translations

REPO = Path(__file__).resolve().parents[3]
PLACEHOLDER = re.compile(r"%\((\w+)\)([sd])")


def _key(message: Message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


@pytest.fixture(scope="module")
def used(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """The codes the code and the templates use, extracted as ``scripts/i18n`` does."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    run = subprocess.run([str(REPO / "scripts/i18n"), "extract", str(pot)], cwd=REPO,
                         capture_output=True, text=True, timeout=300,
                         env={"PATH": "/usr/bin:/bin", "PYBABEL": str(REPO / ".venv/bin/pybabel")})
    assert run.returncode == 0, run.stderr
    # A code hidden in an f-string is invisible to the extractor: pybabel warns.
    assert "warning" not in run.stderr, run.stderr
    with open(pot, "rb") as fh:
        return read_po(fh)


def _catalogue(lang: str) -> Catalog:
    with open(LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po", "rb") as fh:
        return read_po(fh, locale=lang)


@pytest.mark.parametrize("lang", LANGS)
def test_every_code_used_is_translated_and_nothing_else_is_kept(used: Catalog, lang: str
                                                                ) -> None:
    catalogue = _catalogue(lang)
    codes = {_key(m): m for m in used if m.id}
    entries = {_key(m): m for m in catalogue if m.id}
    assert len(codes) > 300  # the extraction found the code's texts
    assert sorted(set(codes) - set(entries)) == [], "codes missing from the catalogue"
    assert sorted(set(entries) - set(codes)) == [], "entries nothing uses any more"
    for code, entry in entries.items():
        assert not entry.fuzzy, code
        forms = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        assert all(forms), f"{code} is not translated into {lang}"
        # A plural in the code is a plural entry (msgid_plural) in the catalogue, and back.
        assert isinstance(entry.id, tuple) == isinstance(codes[code].id, tuple), code
        nplurals = 1 if lang == "zh" else 2
        assert len(forms) == (nplurals if isinstance(entry.id, tuple) else 1), code


def test_both_languages_take_the_same_parameters_and_format() -> None:
    zh, en = _catalogue("zh"), _catalogue("en")
    for entry in zh:
        if not entry.id:
            continue
        other = en[_key(entry)]
        forms = [*_forms(entry), *_forms(other)]
        names = [set(PLACEHOLDER.findall(f)) for f in forms]
        if isinstance(entry.id, tuple):  # plurals: every form shows the count
            assert all(("num", "d") in n for n in names), (_key(entry), forms)
        assert all(n == names[0] for n in names), (_key(entry), forms)
        params = {name: (7 if kind == "d" else "x") for name, kind in names[0]}
        for form in forms:
            form % params  # no stray "%": a literal percent sign is written %%


def _forms(entry: Message) -> list[str]:
    return list(entry.string) if isinstance(entry.string, tuple) else [entry.string]


@pytest.mark.parametrize("lang", LANGS)
def test_the_committed_mo_is_the_compile_of_the_po(lang: str) -> None:
    """Edit a .po, run ``scripts/i18n compile``, commit both: otherwise this fails."""
    fresh = io.BytesIO()
    write_mo(fresh, _catalogue(lang))
    fresh.seek(0)
    compiled = gettext.GNUTranslations(fresh)
    assert translations(lang)._catalog == compiled._catalog  # type: ignore[attr-defined]
    assert compiled.plural(1) == translations(lang).plural(1)  # type: ignore[attr-defined]
    assert compiled.plural(2) == translations(lang).plural(2)  # type: ignore[attr-defined]
