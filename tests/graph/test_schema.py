"""The schema is consistent with itself, and every Cypher in the code names only what it declares.

The second half is the label/type whitelist test: every Python file under ``graph/``,
``loaders/`` and ``api/`` is parsed, every string that reads as Cypher is scanned for labels
(``(x:Label)``, ``WHERE x:Label``) and relationship types (``[:TYPE]``, ``[r:A|B]``), and
each must be declared in :data:`graph.schema.SCHEMA` (plus ``Entity``). Interpolated parts
of f-strings -- which must come from ``cypher_label()``/``cypher_type()`` -- are opaque to
the scanner; literal names are not. A self-test proves the scanner catches a bad name.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from graph.errors import SchemaError
from graph.schema import (
    ENTITY_LABEL,
    META_LABEL,
    SCHEMA,
    _norm,
    cypher_label,
    cypher_type,
    split_uid,
    uid_of,
)

REPO = Path(__file__).resolve().parents[2]
SCANNED = ("graph", "loaders", "api")
#: Names the projections and stores use themselves; a schema property may not take them.
RESERVED = {"id", "uid", "key", "label", "type"}


# -- schema self-consistency ------------------------------------------------------------
def test_names_are_unique() -> None:
    for names in (
        [n.label for n in SCHEMA.nodes],
        [n.prefix for n in SCHEMA.nodes],
        [r.type for r in SCHEMA.relationships],
        [e.name for e in SCHEMA.enums],
    ):
        assert len(names) == len(set(names)), names
    assert ENTITY_LABEL not in SCHEMA.labels
    assert not set(SCHEMA.labels) & set(SCHEMA.rel_types)


def test_identifiers_are_safe_in_cypher() -> None:
    for name in (*SCHEMA.labels, *SCHEMA.rel_types):
        assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name), name
    for owner, prop in SCHEMA.iter_properties():
        assert re.fullmatch(r"[a-z][a-z0-9_]*", prop.name), (owner, prop.name)


def test_properties_are_well_formed() -> None:
    for owner, prop in SCHEMA.iter_properties():
        assert prop.name not in RESERVED, (owner, prop.name)
        if prop.type == "enum":
            assert prop.enum is not None, (owner, prop.name)
            SCHEMA.enum(prop.enum)  # raises if the enum does not exist
        else:
            assert prop.enum is None, (owner, prop.name)
        if prop.minimum is not None and prop.maximum is not None:
            assert prop.minimum <= prop.maximum
        assert prop.zh and prop.en
    for node in SCHEMA.nodes:
        names = node.prop_names
        assert len(names) == len(set(names)), node.label
    for rel in SCHEMA.relationships:
        assert len(rel.prop_names) == len(set(rel.prop_names)), rel.type


def test_every_enum_is_used_and_unambiguous() -> None:
    used = {p.enum for _, p in SCHEMA.iter_properties() if p.enum}
    assert used == {e.name for e in SCHEMA.enums}
    for enum in SCHEMA.enums:
        assert len(enum.codes) == len(set(enum.codes)), enum.name
        seen: dict[str, str] = {}
        for v in enum.values:
            assert v.zh and v.en
            for text in (v.code, v.zh, v.en, *v.aliases):
                assert seen.setdefault(_norm(text), v.code) == v.code, (enum.name, text)
                assert enum.parse(text) == v.code
            assert enum.label(v.code, "zh") == v.zh and enum.label(v.code, "en") == v.en
        assert enum.parse("no such value") is None


def test_relationship_endpoints_and_keys_exist() -> None:
    for rel in SCHEMA.relationships:
        assert rel.sources and rel.targets, rel.type
        for label in (*rel.sources, *rel.targets):
            assert label in SCHEMA.labels, (rel.type, label)
        for k in rel.key:
            assert k in rel.prop_names, (rel.type, k)
        assert rel.axis in ("vertical", "horizontal", "evidence")
        SCHEMA.check_endpoints(rel.type, rel.sources[0], rel.targets[0])
    with pytest.raises(SchemaError):
        SCHEMA.check_endpoints("HOLDS", "Duty", "Unit")


def test_every_node_kind_has_a_required_searchable_caption() -> None:
    for node in SCHEMA.nodes:
        caption = node.prop(node.caption)
        assert caption.required and caption.searchable, node.label
        assert caption.type == "str"
        assert node.zh and node.en and node.color.startswith("#")


@pytest.mark.parametrize("node_id", ["JD", "P001", "嘉定-1", "a:b", "x y"])
def test_uids_round_trip(node_id: str) -> None:
    for label in SCHEMA.labels:
        uid = uid_of(label, node_id)
        assert uid == f"{label.lower()}:{node_id}"
        assert split_uid(uid) == (label, node_id)
        assert split_uid(uid.upper().split(":", 1)[0] + ":" + node_id) == (label, node_id)


@pytest.mark.parametrize("bad", ["JD", "unit:", ":JD", "planet:EARTH", ""])
def test_malformed_uids_are_rejected(bad: str) -> None:
    with pytest.raises(SchemaError):
        split_uid(bad)


def test_cypher_names_come_from_the_whitelist() -> None:
    assert cypher_label("Unit") == "`Unit`"
    assert cypher_type("SERVES_IN") == "`SERVES_IN`"
    for bad in ("Planet", "Unit`) DETACH DELETE (n", "unit"):
        with pytest.raises(SchemaError):
            cypher_label(bad)
    with pytest.raises(SchemaError):
        cypher_type("LIKES")


# -- the Cypher scanner -----------------------------------------------------------------
HOLE = "\x00"  # an interpolated f-string part; never part of a name
_CLAUSE = re.compile(
    r"\b(MATCH|MERGE|CREATE|UNWIND|CALL|RETURN|DETACH\s+DELETE|OPTIONAL\s+MATCH|FOREACH)\b"
)
_NAME = r"(?:`[^`]+`|[A-Za-z_][A-Za-z0-9_]*)"
# A label or type expression: names joined by | & : (each maybe negated with !, or %).
_EXPR = rf"(?:!?\s*(?:{_NAME}|%)(?:\s*[|&:]\s*!?\s*(?:{_NAME}|%))*)"
_NODE = re.compile(rf"\(\s*{_NAME}?\s*:\s*({_EXPR})")
_REL = re.compile(rf"\[\s*{_NAME}?\s*:\s*({_EXPR})")
# `x:Name` as a predicate or in SET/REMOVE (written without spaces around the colon).
_PREDICATE = re.compile(rf"(?:^|[\s(,])[A-Za-z_][A-Za-z0-9_]*:({_EXPR})")
_MAP_KEY = re.compile(rf"([{{,])\s*{_NAME}\s*:")
_STRING = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_COMMENT = re.compile(r"//[^\n]*")
_TOKEN = re.compile(_NAME)


@dataclass(frozen=True)
class Found:
    labels: frozenset[str]
    types: frozenset[str]
    either: frozenset[str]  # from `x:Name` predicates: a label, or (Neo4j 5) a type

    def undeclared(self) -> set[str]:
        labels = {*SCHEMA.labels, ENTITY_LABEL, META_LABEL}
        types = set(SCHEMA.rel_types)
        return (self.labels - labels) | (self.types - types) | (self.either - labels - types)


def looks_like_cypher(text: str) -> bool:
    return bool(_CLAUSE.search(text)) and ("(" in text or "[" in text)


def _names(expr: str) -> set[str]:
    return {t.strip("`") for t in _TOKEN.findall(expr)}


def scan_cypher(text: str) -> Found:
    """Labels, relationship types and ambiguous names written literally in ``text``."""
    text = _COMMENT.sub(" ", _STRING.sub("''", text))
    text = _MAP_KEY.sub(r"\1 ", text)  # `{id: row.id}` has no label
    labels = {n for m in _NODE.finditer(text) for n in _names(m.group(1))}
    types = {n for m in _REL.finditer(text) for n in _names(m.group(1))}
    either = {n for m in _PREDICATE.finditer(text) for n in _names(m.group(1))}
    return Found(frozenset(labels), frozenset(types), frozenset(either - labels - types))


def strings_in(source: str) -> Iterator[tuple[int, str]]:
    """(line, text) of every string literal and f-string of a module, docstrings excepted."""
    tree = ast.parse(source)
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skip.add(id(first.value))
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            parts = []
            for v in node.values:
                if isinstance(v, ast.Constant) and isinstance(v.value, str):
                    parts.append(v.value)
                    skip.add(id(v))
                else:
                    parts.append(HOLE)
            yield node.lineno, "".join(parts)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            yield node.lineno, node.value


def cypher_in(path: Path) -> Iterator[tuple[int, str, Found]]:
    for line, text in strings_in(path.read_text(encoding="utf-8")):
        if looks_like_cypher(text):
            yield line, text, scan_cypher(text)


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ("MATCH (n:Planet {id: $id}) RETURN n", {"Planet"}),
        ("MATCH (u:Unit)<-[:LIKES]-(p:Person) RETURN p", {"LIKES"}),
        ("MATCH (u:Unit)-[r:SERVES_IN|OWNS*1..2]->(x) RETURN x", {"OWNS"}),
        ("MATCH (n:Entity) WHERE n:Martian RETURN n", {"Martian"}),
        ("MATCH (n:Unit:`Secret Base`) RETURN n", {"Secret Base"}),
        ("MATCH (n:Unit|Alien) RETURN n", {"Alien"}),
        ("MERGE (n:Unit {id: row.id}) SET n:Ghost", {"Ghost"}),
        ("CREATE INDEX x IF NOT EXISTS FOR ()-[r:KNOWS]-() ON (r.since)", {"KNOWS"}),
        ("MATCH (a) RETURN COUNT { (a)-[:SERVES_IN]->(:Tower) } AS n", {"Tower"}),
        (f"MATCH (n:{HOLE} {{uid: $uid}})-[:NOPE]->(m) RETURN m", {"NOPE"}),
    ],
)
def test_scanner_catches_undeclared_names(text: str, bad: set[str]) -> None:
    assert looks_like_cypher(text)
    assert scan_cypher(text).undeclared() == bad


@pytest.mark.parametrize(
    "text",
    [
        "MATCH (n:Unit {id: $id, kind:$kind}) RETURN n {.name, level: n.level}",
        "MATCH (p:Person)-[r:SERVES_IN|IN_CHARGE_OF]->(u:Unit) WHERE p.name = 'x:Y' RETURN u",
        f"UNWIND $rows AS row MERGE (n:{HOLE} {{id: row.id}}) SET n:{HOLE}, n += row.props",
        "CREATE FULLTEXT INDEX f IF NOT EXISTS FOR (n:Unit|Person) ON EACH [n.name] "
        "OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}}",
        "MATCH (n:Entity) // a comment naming (x:Nothing)\nRETURN split(n.uid, ':')[0] AS p",
        "MATCH (a:Entity)-[r]->(b) RETURN [(a)-[:HOLDS]->(d:Duty) | d.title] AS duties",
    ],
)
def test_scanner_accepts_declared_names(text: str) -> None:
    assert scan_cypher(text).undeclared() == set()


def test_scanner_reads_python_sources() -> None:
    source = '''
def f(label):
    """MATCH (n:NotCypherJustADocstring) RETURN n"""
    q = f"MATCH (n:{label}) RETURN n"
    return "MATCH (n:Unit) " "-[:BELONGS]->(m:Unit) RETURN m"
'''
    found = [(line, scan_cypher(text).undeclared()) for line, text in strings_in(source)
             if looks_like_cypher(text)]
    assert sorted(found, key=lambda t: t[0]) == [(4, set()), (5, {"BELONGS"})]


def python_files() -> list[Path]:
    return sorted(p for d in SCANNED for p in (REPO / d).rglob("*.py")
                  if ".venv" not in p.parts)


def test_every_cypher_in_the_code_names_only_declared_labels_and_types() -> None:
    problems = []
    scanned = 0
    for path in python_files():
        for line, text, found in cypher_in(path):
            scanned += 1
            bad = found.undeclared()
            if bad:
                problems.append(f"{path.relative_to(REPO)}:{line}: {sorted(bad)} in {text[:120]!r}")
    assert not problems, "Cypher naming labels/types the schema does not declare:\n" + "\n".join(
        problems)
    # The scan really ran over the code's queries (the Neo4j store alone has a dozen).
    assert scanned >= 10


# -- per-kind rules: every kind declares each, and each is consistent --------------------
def _ends(rel_type: str, direction: str) -> tuple[str, ...]:
    rel = SCHEMA.rel(rel_type)
    return rel.targets if direction == "out" else rel.sources


def test_every_kind_belongs_to_the_unit_tree() -> None:
    """Each kind's scope anchors are relationships of that kind, and following them always
    ends at units, with no cycle: otherwise a scoped user could never see the kind."""
    for kind in SCHEMA.nodes:
        if kind.label == "Unit":
            assert kind.scope.anchors == ()
            continue
        assert kind.scope.anchors, f"{kind.label} declares no scope anchors"
        for rel_type, direction in kind.scope.anchors:
            rel = SCHEMA.rel(rel_type)
            own = rel.sources if direction == "out" else rel.targets
            assert kind.label in own, (kind.label, rel_type, direction)

    def reaches_units(label: str, seen: frozenset[str]) -> bool:
        if label == "Unit":
            return True
        if label in seen:
            return False
        kind = SCHEMA.node(label)
        return all(any(reaches_units(end, seen | {label}) for end in _ends(t, d))
                   for t, d in kind.scope.anchors) and bool(kind.scope.anchors)

    for kind in SCHEMA.nodes:
        assert reaches_units(kind.label, frozenset()), kind.label


def test_outline_above_the_scope_only_for_kinds_anchored_to_units() -> None:
    for kind in SCHEMA.nodes:
        if kind.scope.above == "outline" and kind.label != "Unit":
            assert any("Unit" in _ends(t, d) for t, d in kind.scope.anchors), kind.label


def test_every_kind_has_a_context_and_a_view_rank() -> None:
    ranks = [k.view_rank for k in SCHEMA.nodes]
    assert sorted(ranks) == list(range(len(SCHEMA.nodes)))  # a total order, no ties
    for kind in SCHEMA.nodes:
        rel_type, direction = kind.context
        rel = SCHEMA.rel(rel_type)
        own = rel.sources if direction == "out" else rel.targets
        assert kind.label in own, (kind.label, kind.context)


def test_display_name_falls_back_to_the_id() -> None:
    for kind in SCHEMA.nodes:
        assert kind.display({kind.caption: "名"}, "X-1") == "名"
        assert kind.display({}, "X-1") == "X-1"
        assert kind.display({kind.caption: None}, "X-1") == "X-1"
