"""The input tables are derived from the schema and cover all of it."""

from __future__ import annotations

import pytest

from graph.schema import SCHEMA
from loaders.tables import TABLES, norm_header, table_named


def test_every_column_is_a_schema_property_a_reference_or_the_id() -> None:
    for t in TABLES:
        for c in t.columns:
            if c.is_id:
                assert c.name == "id" and t.node is not None, (t.name, c.name)
            elif c.prop is not None:
                owner = SCHEMA.node(t.node) if t.node else SCHEMA.rel(t.rel or "")
                assert owner.prop(c.name) == c.prop, (t.name, c.name)
                # The Chinese header is the property's zh label, from the schema.
                assert c.zh == c.prop.zh
                assert c.required == c.prop.required or (t.derived_title and c.name == "title")
            else:
                assert c.ref is not None
                rel = SCHEMA.rel(c.ref.rel)
                allowed = rel.targets if c.ref.end == "dst" else rel.sources
                assert set(c.ref.labels) <= set(allowed), (t.name, c.name)
                own_end = rel.sources if c.ref.end == "dst" else rel.targets
                if t.node is not None:
                    assert t.node in own_end, (t.name, c.name)
                else:
                    assert c.ref.rel == t.rel


def test_every_node_kind_and_relationship_type_is_produced_by_some_table() -> None:
    labels = {t.node for t in TABLES if t.node}
    types = {t.rel for t in TABLES if t.rel} | {c.ref.rel for t in TABLES for c in t.ref_columns
                                                 if c.ref is not None}
    assert labels == set(SCHEMA.labels)
    assert types == set(SCHEMA.rel_types)


def test_every_required_property_can_be_filled() -> None:
    for t in TABLES:
        if t.node is None:
            continue
        given = {c.name for c in t.value_columns}
        for p in SCHEMA.node(t.node).properties:
            assert p.name in given or (p.name == "title" and t.derived_title), (t.name, p.name)


def test_header_aliases_are_unambiguous_within_a_table() -> None:
    for t in TABLES:
        seen: dict[str, str] = {}
        for c in t.columns:
            for h in {norm_header(x) for x in c.headers}:
                assert seen.setdefault(h, c.name) == c.name, (t.name, h, seen[h], c.name)


def test_design_section_3_chinese_headers() -> None:
    expected = {
        ("units", "parent_id"): "上级单位", ("duties", "holder_id"): "责任主体",
        ("issues", "owner_id"): "领衔人", ("inspections", "covers"): "覆盖单位",
        ("cases", "subject_ids"): "涉案人员", ("accountability", "target_id"): "问责对象",
        ("referrals", "sent_to"): "抄告对象", ("records", "actor_id"): "履责主体",
        ("supervision", "supervisor_id"): "监督单位", ("posts", "start"): "起始日期",
    }
    for (tname, cname), zh in expected.items():
        t = next(t for t in TABLES if t.name == tname)
        assert t.header_lookup[norm_header(zh)].name == cname


@pytest.mark.parametrize(("text", "name"), [
    ("units", "units"), ("单位", "units"), ("责任清单", "duties"), ("问题清单", "issues"),
    ("项目清单", "projects"), ("廉情抄告", "referrals"), ("履责记实", "records"),
    ("监督关系", "supervision"), ("嘉定区问题清单", "issues"), ("2017-units", "units"),
    ("Accountability", "accountability"),
])
def test_table_named(text: str, name: str) -> None:
    t = table_named(text)
    assert t is not None and t.name == name


def test_unknown_table_name() -> None:
    assert table_named("说明") is None
    assert table_named("readme") is None
