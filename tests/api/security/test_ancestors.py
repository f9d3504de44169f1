"""What a scoped user sees of the units above their scope (issue #15, point 3): the chain
up to the city in outline — names and holders — never its duties, and no link to a page
that answers 404."""

from __future__ import annotations

import re

from tests.api.security.conftest import SecApp


def test_ancestors_in_outline_without_duties(sec: SecApp) -> None:
    client = sec.client("jd-inspector")
    body = client.get("/api/units/JD/holders?up=true").json()
    above = {a["unit"]["unit"]["uid"]: a for a in body["ancestors"]}
    assert set(above) == {"unit:SH"}
    sh = above["unit:SH"]
    assert sh["outline"] is True
    assert sh["committee"]["duties"] == [] and sh["vacancies"] == []
    assert sh["secretaries"], "the city's secretary is named in the chain"
    assert all(s["duties"] == [] for s in sh["secretaries"] + sh["team"] + sh["supervisors"])
    assert "D-SH-" not in str(body)
    assert body["outline"] is False and body["committee"]["duties"]  # JD itself: whole
    # The discipline body's chain: SH-JW above it in outline, no supervisory duties.
    jw = client.get("/api/units/JD-JW/holders?up=true").json()
    assert [a["unit"]["unit"]["uid"] for a in jw["ancestors"]] == ["unit:SH-JW"]
    assert "D-SH-" not in str(jw)
    # The city itself is not a page for them.
    assert client.get("/api/units/SH/holders").status_code == 404
    # The admin sees the city's duties (the test is not vacuous).
    admin = sec.client("admin").get("/api/units/JD/holders?up=true").json()
    assert "D-SH-" in str(admin)


def test_unit_page_links_only_to_pages_the_user_may_open(sec: SecApp) -> None:
    client = sec.client("jd-inspector")
    page = client.get("/units/JD-D01")
    assert page.status_code == 200
    assert "上海市委" in page.text  # the chain up to the city is shown...
    links = sorted(set(re.findall(r'href="(/(?:units|people|issues|cases|nodes)/[^"?#]+)',
                                  page.text)))
    assert links and "/units/SH" not in links  # ...without a link to its page
    for link in links:
        assert client.get(link).status_code == 200, link
