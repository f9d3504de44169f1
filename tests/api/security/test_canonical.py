"""Ids are canonical at the edge: whitespace around an id never tells an out-of-scope id
from a missing one, and never stops an in-scope id from resolving (issue #15, point 2)."""

from __future__ import annotations

import pytest

from tests.api.security.conftest import SecApp
from tests.api.security.test_scope import normalise

#: (url template, an out-of-scope ref, its missing twin, an in-scope ref)
CASES = [
    ("/api/people/{}", "P-MH-01", "P-ZZ-01", "P-JD-01"),
    ("/api/units/{}/holders", "MH", "ZZ", "JD"),
    ("/api/cases/{}/trace", "C-MH-01", "C-ZZ-01", "C-JD-100"),
    ("/api/graph/path?from=unit:JD&to={}", "unit:MH", "unit:ZZ", "unit:JD-JW"),
    ("/api/loops?unit={}", "MH", "ZZ", "JD"),
    ("/people/{}", "P-MH-01", "P-ZZ-01", "P-JD-01"),
    ("/units/{}", "MH", "ZZ", "JD"),
]
#: How people (and attackers) pad an id: trailing and leading space, tab, full-width space.
PADDINGS = [("", "%20"), ("", "%09"), ("%20", ""), ("", "%E3%80%80"), ("%20%09", "%20")]


@pytest.mark.parametrize("template,hidden,missing,mine", CASES)
def test_padding_reveals_nothing(sec: SecApp, template: str, hidden: str, missing: str,
                                 mine: str) -> None:
    client = sec.client("jd-inspector")
    for before, after in PADDINGS:
        a = client.get(template.format(before + hidden + after))
        b = client.get(template.format(before + missing + after))
        assert a.status_code == b.status_code == 404, (template, before, after, a.status_code)
        assert normalise(a.text, hidden) == normalise(b.text, hidden), (template, before, after)
        ok = client.get(template.format(before + mine + after))
        assert ok.status_code == 200, (template, before, after, ok.text[:200])
