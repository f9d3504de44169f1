"""The DutyGraph schema v1, declared once.

Every node kind, relationship kind, property and enum of the graph lives here as data.
Everything else is derived from it and checked against it by tests: Neo4j constraints and
indexes, the label/type whitelist used to build Cypher, loader validation and header
aliases, API models, NetworkX attribute names and UI legends.

Identity: every node has a string ``id`` unique within its label. Across the graph a node is
named by its *uid*, ``"<prefix>:<id>"`` where the prefix is the lower-cased label (``unit:JD``,
``person:P001``) -- the same form the input format uses to disambiguate ids.

Dates are stored as ISO-8601 strings (``YYYY-MM-DD``) in both stores, so that comparisons
and as-of filters behave identically in Cypher and in Python.

>>> SCHEMA.node("Unit").caption
'name'
>>> SCHEMA.enum("responsibility").parse("一岗双责")
'dual'
>>> uid_of("Unit", "JD"), split_uid("unit:JD")
('unit:JD', ('Unit', 'JD'))
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

from graph.errors import SchemaError
from graph.messages import Message

PropType = Literal["str", "text", "int", "number", "date", "enum"]
Lang = Literal["zh", "en"]

#: The label every node carries besides its own, holding the graph-wide ``uid``.
ENTITY_LABEL = "Entity"
#: Label of Neo4j's one bookkeeping node, which holds the data version that loads renew
#: (``Neo4jStore.data_version``, for the API's response cache). Not an entity: it has no
#: ``Entity`` label, so no count, query or export sees it.
META_LABEL = "DutyGraphMeta"
#: Roles of a unit's leading team, the secretary first (``staff`` are not leaders).
LEADER_ROLES = ("secretary", "deputy_secretary", "member", "discipline_secretary", "head")
#: Name of the full-text index over captions (Neo4j, ``cjk`` analyzer).
FULLTEXT_INDEX = "entity_names"


@dataclass(frozen=True)
class EnumValue:
    """One allowed value: the code stored in the graph and the labels people write."""

    code: str
    zh: str
    en: str
    aliases: tuple[str, ...] = ()

    def label(self, lang: Lang = "zh") -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class EnumType:
    name: str
    values: tuple[EnumValue, ...]

    @cached_property
    def codes(self) -> tuple[str, ...]:
        return tuple(v.code for v in self.values)

    @cached_property
    def _lookup(self) -> dict[str, str]:
        table: dict[str, str] = {}
        for v in self.values:
            for text in (v.code, v.zh, v.en, *v.aliases):
                table[_norm(text)] = v.code
        return table

    def parse(self, text: str) -> str | None:
        """The code for ``text`` (a code, Chinese or English label or alias), else None."""
        return self._lookup.get(_norm(text))

    def value(self, code: str) -> EnumValue:
        for v in self.values:
            if v.code == code:
                return v
        raise SchemaError(Message("schema.bad_enum_value", value=code, enum=self.name))

    def label(self, code: str, lang: Lang = "zh") -> str:
        return self.value(code).label(lang)


def _norm(text: str) -> str:
    # Full-width brackets and spaces are common in Chinese spreadsheets.
    return (
        text.strip()
        .lower()
        .replace("（", "(")
        .replace("）", ")")
        .replace("\u3000", "")
        .replace(" ", "")
        .replace('"', "")
        .replace("“", "")
        .replace("”", "")
    )


@dataclass(frozen=True)
class Property:
    name: str
    type: PropType
    zh: str
    en: str
    enum: str | None = None
    required: bool = False
    #: Included in the full-text search index (names and titles).
    searchable: bool = False
    minimum: int | None = None
    maximum: int | None = None


Direction = Literal["out", "in"]
#: What a user scoped to unit subtrees sees of a node of this kind that lies *above* their
#: subtrees (the chain up to the city): ``outline`` -- its name, and it as a holder in the
#: chain -- or ``hidden``. Nodes inside the subtrees are seen whole; others not at all.
Above = Literal["outline", "hidden"]


@dataclass(frozen=True)
class ScopeRule:
    """How a node kind belongs to the unit tree, for users scoped to unit subtrees.

    A unit is in scope when it lies in one of the user's subtrees. Any other node is in
    scope when one of its ``anchors`` -- a relationship type and its direction seen from
    the node -- leads to a node in scope (a Project through the Issue it addresses, which
    needs the Unit it was found in). Anchors are followed transitively and must end at
    units (a test checks every chain does).
    """

    anchors: tuple[tuple[str, Direction], ...]
    above: Above = "hidden"


@dataclass(frozen=True)
class NodeKind:
    """One node kind and every per-kind rule the rest of the code reads.

    Adding a kind means declaring these here (a test fails when one is missing or
    inconsistent), a loader table and sample rows; nothing else names kinds one by one.
    """

    label: str
    zh: str
    en: str
    #: The property shown as the node's name (``name`` or ``title``).
    caption: str
    properties: tuple[Property, ...]
    color: str
    shape: str
    #: Which units a node of this kind belongs to (who may see it).
    scope: ScopeRule
    #: The relationship (type, direction) whose other end tells equal names apart in
    #: search results and suggestions (the unit a person serves in).
    context: tuple[str, Direction]
    #: Rank in graph views: when a capped level must choose, lower ranks are taken first
    #: (the structure of responsibility before its evidence).
    view_rank: int

    @property
    def prefix(self) -> str:
        return self.label.lower()

    def prop(self, name: str) -> Property:
        for p in self.properties:
            if p.name == name:
                return p
        raise SchemaError(Message("schema.no_property", owner=self.label, name=name))

    @property
    def prop_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.properties)

    def display(self, props: Mapping[str, Any], node_id: str) -> str:
        """The name people read for a node: its caption, else its id.

        >>> SCHEMA.node("Case").display({"title": ""}, "C-1")
        'C-1'
        """
        value = props.get(self.caption)
        return str(value) if value not in (None, "") else node_id


@dataclass(frozen=True)
class RelKind:
    type: str
    zh: str
    en: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    properties: tuple[Property, ...] = ()
    #: Properties that tell parallel relationships between the same two nodes apart
    #: (a person may hold two posts in one unit over time). Their values form the
    #: relationship's ``key``; writes are idempotent by (type, source, target, key).
    key: tuple[str, ...] = ()
    #: Coordination axis, for analytics and styling: vertical, horizontal or evidence.
    axis: Literal["vertical", "horizontal", "evidence"] = "evidence"
    color: str = "#888888"
    dashes: bool = False

    def prop(self, name: str) -> Property:
        for p in self.properties:
            if p.name == name:
                return p
        raise SchemaError(Message("schema.no_property", owner=self.type, name=name))

    @property
    def prop_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.properties)


@dataclass(frozen=True)
class Schema:
    version: int
    enums: tuple[EnumType, ...]
    nodes: tuple[NodeKind, ...]
    relationships: tuple[RelKind, ...]
    _by_label: dict[str, NodeKind] = field(init=False, repr=False, compare=False)
    _by_prefix: dict[str, NodeKind] = field(init=False, repr=False, compare=False)
    _by_type: dict[str, RelKind] = field(init=False, repr=False, compare=False)
    _by_enum: dict[str, EnumType] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_label", {n.label: n for n in self.nodes})
        object.__setattr__(self, "_by_prefix", {n.prefix: n for n in self.nodes})
        object.__setattr__(self, "_by_type", {r.type: r for r in self.relationships})
        object.__setattr__(self, "_by_enum", {e.name: e for e in self.enums})

    # -- lookups that double as the whitelist ---------------------------------------
    def node(self, label: str) -> NodeKind:
        try:
            return self._by_label[label]
        except KeyError:
            raise SchemaError(Message("schema.unknown_label", label=label)) from None

    def rel(self, rel_type: str) -> RelKind:
        try:
            return self._by_type[rel_type]
        except KeyError:
            raise SchemaError(Message("schema.unknown_rel_type", type=rel_type)) from None

    def enum(self, name: str) -> EnumType:
        try:
            return self._by_enum[name]
        except KeyError:
            raise SchemaError(Message("schema.unknown_enum", enum=name)) from None

    def node_by_prefix(self, prefix: str) -> NodeKind:
        try:
            return self._by_prefix[prefix.lower()]
        except KeyError:
            raise SchemaError(Message("schema.unknown_prefix", prefix=prefix)) from None

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(self._by_label)

    @property
    def rel_types(self) -> tuple[str, ...]:
        return tuple(self._by_type)

    def iter_properties(self) -> Iterator[tuple[str, Property]]:
        """(owner, property) for every node and relationship property."""
        for n in self.nodes:
            for p in n.properties:
                yield n.label, p
        for r in self.relationships:
            for p in r.properties:
                yield r.type, p

    def check_endpoints(self, rel_type: str, source_label: str, target_label: str) -> None:
        rel = self.rel(rel_type)
        if source_label not in rel.sources or target_label not in rel.targets:
            raise SchemaError(Message(
                "schema.bad_endpoints", type=rel_type, source=source_label, target=target_label,
                sources="|".join(rel.sources), targets="|".join(rel.targets)))


# -- uids -------------------------------------------------------------------------------
def uid_of(label: str, node_id: str) -> str:
    """The graph-wide name of a node: ``unit:JD``."""
    return f"{SCHEMA.node(label).prefix}:{node_id}"


def split_uid(uid: str) -> tuple[str, str]:
    """(label, id) of a uid; raises SchemaError for a malformed uid or unknown kind."""
    prefix, sep, node_id = uid.partition(":")
    if not sep or not node_id:
        raise SchemaError(Message("schema.not_a_uid", uid=uid))
    return SCHEMA.node_by_prefix(prefix).label, node_id


def cypher_label(label: str) -> str:
    """A label checked against the whitelist, safe to place in Cypher text."""
    return f"`{SCHEMA.node(label).label}`"


def cypher_type(rel_type: str) -> str:
    """A relationship type checked against the whitelist, safe to place in Cypher text."""
    return f"`{SCHEMA.rel(rel_type).type}`"


# -- declarations -----------------------------------------------------------------------
def _e(name: str, *values: tuple[str, str, str] | tuple[str, str, str, tuple[str, ...]]) -> EnumType:
    return EnumType(name, tuple(EnumValue(*v) for v in values))


def P(  # reads as a declaration
    name: str,
    type_: PropType,
    zh: str,
    en: str,
    *,
    enum: str | None = None,
    required: bool = False,
    searchable: bool = False,
    minimum: int | None = None,
    maximum: int | None = None,
) -> Property:
    return Property(name, type_, zh, en, enum, required, searchable, minimum, maximum)


ENUMS = (
    _e(
        "responsibility",
        ("primary", "主体责任", "primary responsibility",
         ("党委主体责任", "党委(党组)主体责任", "党组主体责任", "主体")),
        ("supervisory", "监督责任", "supervisory responsibility",
         ("纪委监督责任", "纪委监委监督责任", "监督")),
        ("first", "第一责任人责任", "first responsibility",
         ("第一责任", "党委书记第一责任人责任", "书记第一责任人责任", "第一责任人")),
        ("dual", "一岗双责", "one post, dual responsibilities",
         ("班子成员一岗双责", "班子成员“一岗双责”", "dual responsibility")),
    ),
    _e(
        "unit_kind",
        ("party_committee", "党委（党组）", "Party committee", ("党委", "党组", "党工委", "区委", "市委")),
        ("discipline_body", "纪检监察机构", "discipline body",
         ("纪委监委", "纪委", "纪检监察组", "派驻纪检监察组", "纪检组")),
        ("department", "委办局", "department", ("部门", "委办局党组织", "机关")),
        ("enterprise", "企业", "enterprise", ("国有企业", "国企", "区属企业", "二三级公司")),
        ("institution", "事业单位", "public institution", ("学校", "医院")),
        ("street_town", "街镇", "street or town", ("街道", "镇", "街镇党组织")),
        ("village_community", "村居", "village or community", ("村", "居委", "村居委", "居民区")),
        ("economic_zone", "经济小区", "economic zone", ("经济小区党组织",)),
        ("other", "其他", "other"),
    ),
    _e(
        "duty_list",
        ("responsibility", "责任清单", "responsibility list", ("责任",)),
        ("task", "任务清单", "task list", ("任务",)),
        ("institution", "制度清单", "institution list", ("制度",)),
    ),
    _e(
        "issue_source",
        ("tour", "巡视", "tour inspection"),
        ("inspection", "巡察", "inspection"),
        ("special_check", "专项检查", "special check"),
        ("referral", "廉情抄告", "integrity referral", ("抄告",)),
        ("case", "案件", "case", ("案件查办",)),
        ("petition", "信访", "petition", ("信访举报",)),
        ("audit", "审计", "audit"),
        ("self_check", "自查", "self check", ("自查自纠",)),
    ),
    _e("severity", ("high", "严重", "high", ("高",)), ("medium", "一般", "medium", ("中", "较重")),
       ("low", "轻微", "low", ("低",))),
    _e(
        "issue_status",
        ("open", "待整改", "open", ("未整改", "未开始")),
        ("rectifying", "整改中", "rectifying", ("正在整改",)),
        ("rectified", "已整改", "rectified", ("整改完成",)),
        ("closed", "已销号", "closed", ("销号",)),
        ("overdue", "逾期", "overdue", ("逾期未整改",)),
    ),
    _e(
        "project_status",
        ("planned", "未开始", "planned", ("计划中",)),
        ("in_progress", "推进中", "in progress", ("进行中", "实施中")),
        ("done", "已完成", "done", ("完成",)),
        ("overdue", "逾期", "overdue", ("逾期未完成",)),
    ),
    _e(
        "inspection_kind",
        ("tour", "巡视", "tour inspection"),
        ("inspection", "巡察", "inspection"),
        ("special_check", "专项检查", "special check"),
        ("stationed_review", "派驻监督", "stationed supervision", ("派驻检查",)),
        ("duty_review", "履责检查", "duty review", ("述责述廉", "责任制检查", "考核")),
        ("supervision", "监察", "supervision (监察)", ("监察检查", "监察监督")),
    ),
    _e(
        "accountability_category",
        ("overall_leadership", "全面领导责任", "overall leadership responsibility"),
        ("primary_leadership", "主要领导责任", "primary leadership responsibility"),
        ("important_leadership", "重要领导责任", "important leadership responsibility"),
        ("direct", "直接责任", "direct responsibility"),
        ("supervisory", "监督责任", "supervisory responsibility"),
    ),
    _e(
        "accountability_measure",
        ("check", "检查", "written self-criticism", ("责令检查",)),
        ("circulate", "通报", "circulated criticism", ("通报批评",)),
        ("reorganize", "改组", "reorganisation"),
        ("admonish", "诫勉", "admonishment", ("诫勉谈话",)),
        ("organizational", "组织调整", "organisational adjustment",
         ("组织处理", "停职检查", "调整职务", "责令辞职", "免职", "降职")),
        ("disciplinary", "纪律处分", "disciplinary sanction",
         ("处分", "党纪处分", "政务处分", "警告", "严重警告", "撤销党内职务", "留党察看",
          "开除党籍")),
    ),
    _e("referral_status", ("open", "待回告", "awaiting reply"), ("replied", "已回告", "replied"),
       ("overdue", "逾期未回告", "overdue", ("逾期",)),
       ("verified", "已核实办结", "verified and closed", ("已核实", "办结", "已办结")),
       ("returned", "已退回重办", "sent back", ("退回", "退回重办", "已退回"))),
    # 督办: issued -> replied -> verified, or re-opened (sent back) and replied again.
    _e("order_status", ("issued", "已下达", "issued", ("待回复", "督办中")),
       ("replied", "已回复", "replied", ("已回告",)),
       ("verified", "已核实办结", "verified and closed", ("已核实", "办结", "已办结")),
       ("reopened", "已退回重办", "re-opened", ("退回", "退回重办", "重新督办"))),
    # A duty's measurable target (graph/loop/indicators.py parses the written forms).
    _e("indicator_kind", ("count", "次数", "count per period", ("频次", "次数要求")),
       ("rate", "比率", "rate", ("比例", "完成率", "整改率")),
       ("deadline", "时限", "deadline", ("完成时限", "期限"))),
    _e("indicator_period", ("year", "年", "year", ("每年", "年度", "全年")),
       ("half", "半年", "half year", ("每半年", "半年度")),
       ("quarter", "季度", "quarter", ("每季度", "季")),
       ("month", "月", "month", ("每月", "月度"))),
    _e("record_kind", ("fulfilment", "履责记实", "fulfilment record", ("履责",)),
       ("failure", "失责记实", "failure record", ("失责",))),
    _e(
        "record_action",
        ("talk", "约谈", "talk", ("谈话", "提醒谈话", "廉政谈话")),
        ("reminder", "提醒", "reminder", ("函询",)),
        ("check", "检查", "check", ("督查",)),
        ("report", "述责述廉", "duty report", ("报告", "述职")),
        ("meeting", "会议", "meeting", ("专题会议", "研究部署")),
        ("lecture", "讲党课", "lecture", ("党课", "授课")),
        ("other", "其他", "other"),
    ),
    _e("link_review",
       ("not_applicable", "经倒查不予追究", "judged not applicable on review",
        ("不适用", "不予追究", "经倒查不适用", "经倒查无责任", "无监督责任", "已倒查不予追究"))),
    _e(
        "assessment_method",
        ("onsite_check", "实地检查", "on-site check", ("实地考核", "现场检查")),
        ("onsite_report", "现场述职", "on-site report", ("现场述职评议", "述职评议")),
        ("written_report", "书面述职", "written report", ("书面报告",)),
        ("democratic", "民主测评", "democratic appraisal",
         ("干部群众评议", "基层干部群众评议", "干部评议")),
        ("superior", "上级评议", "evaluation by superiors", ("上级党组织评议", "上级评价")),
        ("mass", "群众评议", "evaluation by the masses", ("群众评价", "职工群众评议")),
    ),
    _e(
        "assessment_grade",
        ("excellent", "优秀", "excellent", ("好",)),
        ("good", "良好", "good", ("较好",)),
        ("fair", "一般", "fair", ("合格", "基本称职")),
        ("poor", "较差", "poor", ("差", "不合格", "不称职")),
    ),
    _e(
        "result_use",
        ("appointment", "任免", "appointment or removal", ("干部任免", "选拔任用")),
        ("pay", "薪酬", "pay", ("绩效薪酬", "薪酬挂钩")),
        ("reward", "奖惩", "reward or sanction", ("奖励", "惩处", "评先评优")),
        ("talk", "约谈", "talk", ("约谈提醒", "诫勉谈话提醒")),
        ("none", "未运用", "not used", ("无", "未使用")),
    ),
    _e(
        "risk_layer",
        ("decision", "决策层", "decision layer", ("决策",)),
        ("management", "管理层", "management layer", ("管理",)),
        ("operation", "操作层", "operation layer", ("操作", "执行层")),
    ),
    _e("risk_level", ("high", "高", "high", ("一级", "高风险")),
       ("medium", "中", "medium", ("二级", "中风险")), ("low", "低", "low", ("三级", "低风险"))),
    _e(
        "control_frequency",
        ("each_time", "每次", "each time", ("逐项", "每笔", "事前")),
        ("monthly", "每月", "monthly", ("月度",)),
        ("quarterly", "每季度", "quarterly", ("季度", "按季度")),
        ("half_yearly", "每半年", "half-yearly", ("半年",)),
        ("yearly", "每年", "yearly", ("年度", "每年度")),
    ),
    _e("control_status", ("active", "运行中", "active", ("有效", "在用", "执行中")),
       ("suspended", "暂停", "suspended", ("停用",)), ("retired", "已废止", "retired", ("废止",))),
    _e(
        "decision_kind",
        ("major_decision", "重大决策", "major decision", ("重大事项决策", "重大事项")),
        ("appointment", "重要人事任免", "important appointment or removal",
         ("重要干部任免", "人事任免")),
        ("major_project", "重大项目安排", "major project", ("重大项目", "项目安排")),
        ("large_fund", "大额资金使用", "large use of funds", ("大额度资金使用", "大额资金")),
    ),
    _e("decision_mode",
       ("collective", "集体决策", "collective decision",
        ("是", "集体研究", "党委会集体研究", "党委会前置研究", "党组会集体研究", "collective")),
       ("individual", "未经集体决策", "not decided collectively",
        ("否", "个人决定", "个人审批", "未上会"))),
    _e("supervision_mode", ("same_level", "同级监督", "same level", ("同级",)),
       ("stationed", "派驻监督", "stationed", ("派驻",))),
    _e(
        "post_role",
        ("secretary", "书记", "secretary", ("党委书记", "党组书记", "一把手")),
        ("deputy_secretary", "副书记", "deputy secretary", ("党委副书记",)),
        ("member", "班子成员", "team member", ("委员", "党委委员", "成员")),
        ("discipline_secretary", "纪委书记", "discipline secretary", ("纪检组长", "纪委书记(纪检组长)")),
        ("head", "行政负责人", "head", ("主任", "局长", "总经理", "院长", "校长")),
        ("staff", "工作人员", "staff"),
    ),
)

_NAME = P("name", "str", "名称", "name", required=True, searchable=True)
_TITLE = P("title", "str", "标题", "title", required=True, searchable=True)

NODES = (
    NodeKind("Unit", "单位", "unit", "name", (
        _NAME,
        P("kind", "enum", "类型", "kind", enum="unit_kind", required=True),
        P("level", "int", "层级", "level", required=True, minimum=0, maximum=9),
        P("code", "str", "机构代码", "organisation code"),
    ), color="#c0392b", shape="box",
       scope=ScopeRule((), above="outline"),
       context=("SUBORDINATE_TO", "out"), view_rank=0),
    NodeKind("Person", "人员", "person", "name", (
        P("name", "str", "姓名", "name", required=True, searchable=True),
        P("title", "str", "职务", "job title", searchable=True),
    ), color="#2471a3", shape="ellipse",
       scope=ScopeRule((("SERVES_IN", "out"), ("IN_CHARGE_OF", "out")), above="outline"),
       context=("SERVES_IN", "out"), view_rank=1),
    NodeKind("Duty", "责任", "duty", "title", (
        P("title", "str", "内容", "content", required=True, searchable=True),
        P("responsibility", "enum", "责任类型", "responsibility", enum="responsibility", required=True),
        P("list", "enum", "清单", "list", enum="duty_list"),
        P("aspect", "str", "方面", "aspect"),
        P("indicator", "text", "量化指标", "indicator"),
        P("year", "int", "年度", "year", minimum=1949, maximum=2100),
        # The indicator as a measurable target (parsed from ``indicator`` when not given).
        P("target_kind", "enum", "指标类型", "target kind", enum="indicator_kind"),
        P("target", "int", "目标值", "target", minimum=0, maximum=100_000),
        P("period", "enum", "考核周期", "period", enum="indicator_period"),
        P("due_on", "date", "完成时限", "due on"),
        # Record actions that count toward the target (codes of record_action, ";"
        # between them); unset: any fulfilment record against the duty counts.
        P("counted_actions", "str", "计入事项", "counted actions"),
    ), color="#d68910", shape="diamond",
       scope=ScopeRule((("HOLDS", "in"),)),
       context=("HOLDS", "in"), view_rank=2),
    NodeKind("Issue", "问题", "issue", "title", (
        P("title", "str", "问题", "issue", required=True, searchable=True),
        P("source", "enum", "来源", "source", enum="issue_source"),
        P("category", "str", "类别", "category"),
        P("severity", "enum", "严重程度", "severity", enum="severity"),
        P("found_on", "date", "发现日期", "found on"),
        P("deadline", "date", "整改时限", "deadline"),
        P("status", "enum", "状态", "status", enum="issue_status"),
        P("rectified_on", "date", "整改完成日期", "rectified on"),
    ), color="#8e44ad", shape="triangle",
       scope=ScopeRule((("FOUND_IN", "out"),)),
       context=("FOUND_IN", "out"), view_rank=3),
    NodeKind("Project", "项目", "project", "title", (
        P("title", "str", "项目", "project", required=True, searchable=True),
        P("goal", "text", "目标", "goal"),
        P("measures", "text", "举措", "measures"),
        P("deadline", "date", "完成时限", "deadline"),
        P("status", "enum", "状态", "status", enum="project_status"),
        P("completed_on", "date", "完成日期", "completed on"),
    ), color="#17a589", shape="square",
       scope=ScopeRule((("ADDRESSES", "out"), ("FOLLOWS_CASE", "out"))),
       context=("ADDRESSES", "out"), view_rank=7),
    NodeKind("Inspection", "检查", "inspection", "name", (
        _NAME,
        P("kind", "enum", "类型", "kind", enum="inspection_kind", required=True),
        P("round", "str", "轮次", "round"),
        P("started_on", "date", "开始日期", "started on"),
        P("ended_on", "date", "结束日期", "ended on"),
        # What the inspection looks at (政治巡察: 四责协同 and 一岗双责, a special topic).
        P("focus", "str", "检查重点", "focus"),
    ), color="#5d6d7e", shape="hexagon",
       scope=ScopeRule((("COVERS", "out"), ("CONDUCTED_BY", "out"))),
       context=("CONDUCTED_BY", "out"), view_rank=8),
    NodeKind("Case", "案件", "case", "title", (
        P("title", "str", "案件", "case", required=True, searchable=True),
        P("category", "str", "违纪类型", "violation type"),
        P("occurred_on", "date", "发生日期", "occurred on"),
        P("opened_on", "date", "立案日期", "opened on"),
        P("closed_on", "date", "结案日期", "closed on"),
        # 倒查 of the supervising discipline body ended without holding it accountable
        # (its supervision was judged not at fault): the trace and the analytics then do
        # not count its link as never traced. Unset: no such judgement is recorded.
        P("supervision_review", "enum", "监督责任倒查", "supervisory review", enum="link_review"),
    ), color="#1c2833", shape="star",
       scope=ScopeRule((("OCCURRED_IN", "out"),)),
       context=("OCCURRED_IN", "out"), view_rank=4),
    NodeKind("Accountability", "问责", "accountability", "title", (
        P("title", "str", "问责事项", "accountability", required=True, searchable=True),
        P("category", "enum", "责任类型", "category", enum="accountability_category", required=True),
        P("measure", "enum", "问责方式", "measure", enum="accountability_measure", required=True),
        P("form", "int", "形态", "form", minimum=1, maximum=4),
        P("decided_on", "date", "决定日期", "decided on", required=True),
    ), color="#e74c3c", shape="dot",
       scope=ScopeRule((("FOR_CASE", "out"), ("TARGETS", "out"))),
       context=("TARGETS", "out"), view_rank=5),
    NodeKind("Referral", "廉情抄告", "integrity referral", "title", (
        P("title", "str", "抄告事项", "referral", required=True, searchable=True),
        P("issued_on", "date", "抄告日期", "issued on", required=True),
        P("due_on", "date", "回告期限", "reply due on"),
        P("replied_on", "date", "回告日期", "replied on"),
        P("status", "enum", "状态", "status", enum="referral_status"),
        P("reply", "text", "回告内容", "reply"),
        P("verified_on", "date", "核实日期", "verified on"),
        P("verification", "text", "核实意见", "verification"),
        P("returned_on", "date", "退回日期", "sent back on"),
    ), color="#f1c40f", shape="dot",
       scope=ScopeRule((("ABOUT", "out"), ("SENT_TO", "out"), ("ISSUED_BY", "out"))),
       context=("SENT_TO", "out"), view_rank=6),
    NodeKind("Record", "履责记实", "duty record", "title", (
        P("title", "str", "记实", "record", required=True, searchable=True),
        P("kind", "enum", "记实类型", "kind", enum="record_kind", required=True),
        P("action", "enum", "事项", "action", enum="record_action"),
        P("on", "date", "日期", "date"),
        P("summary", "text", "摘要", "summary"),
        # An evidence file kept beside the graph (graph/evidence.py), named by its SHA-256.
        P("evidence", "str", "佐证材料", "evidence file"),
        P("evidence_sha256", "str", "佐证材料校验值", "evidence SHA-256"),
    ), color="#7f8c8d", shape="dot",
       scope=ScopeRule((("BY", "out"), ("CONCERNS", "out"))),
       context=("BY", "out"), view_rank=9),
    # 考核评议: a round (the superior's yearly 述职检查测评, 上港's 目标责任制考核) and its
    # results, one per assessed unit or person and method, with scores per indicator
    # (SCORES: the duty items whose quantified indicators were assessed).
    NodeKind("Assessment", "考核评议", "assessment", "name", (
        _NAME,
        P("year", "int", "年度", "year", minimum=1949, maximum=2100),
        P("period_start", "date", "考核期起", "period from"),
        P("period_end", "date", "考核期止", "period to"),
        P("scheme", "text", "考核方案", "scheme"),
    ), color="#6c3483", shape="box",
       scope=ScopeRule((("ORGANISED_BY", "out"), ("RESULT_OF", "in"))),
       context=("ORGANISED_BY", "out"), view_rank=10),
    NodeKind("AssessmentResult", "考核结果", "assessment result", "title", (
        P("title", "str", "结果名称", "result", required=True, searchable=True),
        P("method", "enum", "考核方式", "method", enum="assessment_method", required=True),
        P("assessed_on", "date", "考核日期", "assessed on", required=True),
        P("score", "number", "总分", "overall score", minimum=0, maximum=1000),
        P("grade", "enum", "等次", "grade", enum="assessment_grade"),
        P("use", "enum", "结果运用", "use of the result", enum="result_use"),
        P("comment", "text", "评语", "comment"),
    ), color="#a569bd", shape="dot",
       scope=ScopeRule((("ASSESSES", "out"),)),
       context=("ASSESSES", "out"), view_rank=11),
    # 廉政风险防控: a risk point in a unit's decision, management or operation layer (上港's
    # three-level network) and the control measures against it.
    NodeKind("RiskPoint", "廉政风险点", "integrity risk point", "title", (
        P("title", "str", "风险点", "risk point", required=True, searchable=True),
        P("layer", "enum", "层级", "layer", enum="risk_layer", required=True),
        P("post", "str", "岗位或流程", "post or process"),
        P("level", "enum", "风险等级", "risk level", enum="risk_level"),
        P("identified_on", "date", "识别日期", "identified on"),
    ), color="#ca6f1e", shape="triangleDown",
       scope=ScopeRule((("RISK_IN", "out"),)),
       context=("RISK_IN", "out"), view_rank=12),
    NodeKind("Control", "防控措施", "control measure", "title", (
        P("title", "str", "防控措施", "control measure", required=True, searchable=True),
        P("frequency", "enum", "检查频次", "frequency", enum="control_frequency"),
        P("status", "enum", "状态", "status", enum="control_status"),
        P("established_on", "date", "建立日期", "established on"),
        P("last_checked", "date", "最近检查日期", "last checked"),
    ), color="#e59866", shape="dot",
       scope=ScopeRule((("CONTROLS", "out"),)),
       context=("CONTROLS", "out"), view_rank=13),
    # 三重一大: a decision of a unit's leading body, its amount in yuan and whether the body
    # took it collectively (党委会/党组会; 上港: 前置研究 for projects above 10万元).
    NodeKind("Decision", "三重一大事项", "major decision (三重一大)", "title", (
        P("title", "str", "决策事项", "decision", required=True, searchable=True),
        P("kind", "enum", "事项类别", "kind", enum="decision_kind", required=True),
        P("amount", "number", "金额（元）", "amount (yuan)", minimum=0),
        P("decided_on", "date", "决策日期", "decided on"),
        P("meeting", "str", "决策会议", "meeting"),
        P("mode", "enum", "集体决策", "collective", enum="decision_mode"),
    ), color="#1f618d", shape="square",
       scope=ScopeRule((("TAKEN_BY", "out"),)),
       context=("TAKEN_BY", "out"), view_rank=14),
    # 督办: a supervision order of a discipline body or a Party committee to a unit or a
    # person about an open loop (an issue, referral, duty or project, or a finding about
    # one), with a deadline, the reply and its verification.
    NodeKind("SupervisionOrder", "督办", "supervision order", "title", (
        P("title", "str", "督办事项", "subject", required=True, searchable=True),
        P("issued_on", "date", "督办日期", "issued on", required=True),
        P("due_on", "date", "办理时限", "due on"),
        P("status", "enum", "状态", "status", enum="order_status"),
        P("finding", "str", "关联发现", "finding code"),
        P("request", "text", "督办要求", "request"),
        P("reply", "text", "回复内容", "reply"),
        P("replied_on", "date", "回复日期", "replied on"),
        P("verification", "text", "核实意见", "verification"),
        P("verified_on", "date", "核实日期", "verified on"),
        P("reopened_on", "date", "退回日期", "re-opened on"),
    ), color="#e67e22", shape="dot",
       scope=ScopeRule((("ORDERED_TO", "out"), ("ORDERED_BY", "out"))),
       context=("ORDERED_TO", "out"), view_rank=15),
)

_START = P("start", "date", "起始日期", "start")
_END = P("end", "date", "终止日期", "end")
_UP = ("Unit", "Person")

RELATIONSHIPS = (
    RelKind("SUBORDINATE_TO", "隶属", "subordinate to", ("Unit",), ("Unit",),
            axis="vertical", color="#c0392b"),
    RelKind("SUPERVISES", "监督", "supervises", ("Unit",), ("Unit",),
            (P("mode", "enum", "方式", "mode", enum="supervision_mode"),),
            axis="horizontal", color="#e67e22"),
    RelKind("SERVES_IN", "任职", "serves in", ("Person",), ("Unit",),
            (P("role", "enum", "角色", "role", enum="post_role", required=True), _START, _END),
            key=("role", "start"), axis="horizontal", color="#2471a3"),
    RelKind("IN_CHARGE_OF", "分管", "in charge of", ("Person",), ("Unit",),
            (P("portfolio", "str", "分管领域", "portfolio"), _START, _END),
            key=("portfolio", "start"), axis="horizontal", color="#5dade2"),
    RelKind("HOLDS", "承担", "holds", _UP, ("Duty",), axis="horizontal", color="#d68910"),
    RelKind("CASCADES_TO", "分解至", "cascades to", ("Duty",), ("Duty",),
            axis="vertical", color="#b9770e"),
    RelKind("FOUND_IN", "存在于", "found in", ("Issue",), ("Unit",), color="#8e44ad"),
    RelKind("FOUND", "发现", "found", ("Inspection",), ("Issue",), color="#5d6d7e"),
    RelKind("COVERS", "覆盖", "covers", ("Inspection",), ("Unit",), axis="vertical",
            color="#5d6d7e", dashes=True),
    RelKind("CONDUCTED_BY", "组织实施", "conducted by", ("Inspection",), ("Unit",), color="#5d6d7e"),
    RelKind("ASSIGNED_TO", "领衔", "assigned to", ("Issue",), ("Person",), color="#8e44ad"),
    RelKind("BREACHES", "未履行", "breaches", ("Issue",), ("Duty",), color="#e74c3c", dashes=True),
    RelKind("ADDRESSES", "针对", "addresses", ("Project",), ("Issue",), color="#17a589"),
    RelKind("LED_BY", "牵头", "led by", ("Project",), ("Person",), color="#17a589"),
    RelKind("OCCURRED_IN", "发生于", "occurred in", ("Case",), ("Unit",), color="#1c2833"),
    RelKind("INVOLVES", "涉及", "involves", ("Case",), ("Person",), color="#1c2833"),
    RelKind("ORIGINATED_FROM", "线索来源", "originated from", ("Case",), ("Issue",), color="#1c2833"),
    RelKind("NAMES_RESPONSIBLE", "认定直接责任人", "names as directly responsible", ("Case",),
            ("Person",), color="#1c2833", dashes=True),
    RelKind("FOLLOWS_CASE", "案后治理", "follows case", ("Issue", "Project"), ("Case",),
            color="#17a589", dashes=True),
    RelKind("FOR_CASE", "针对案件", "for case", ("Accountability",), ("Case",), color="#e74c3c"),
    RelKind("TARGETS", "问责对象", "targets", ("Accountability",), _UP, color="#e74c3c"),
    RelKind("DECIDED_BY", "决定单位", "decided by", ("Accountability",), ("Unit",), color="#e74c3c"),
    RelKind("ISSUED_BY", "抄告单位", "issued by", ("Referral",), ("Unit",), axis="vertical",
            color="#f1c40f"),
    RelKind("SENT_TO", "抄告对象", "sent to", ("Referral",), ("Person",), axis="vertical",
            color="#f1c40f"),
    RelKind("ABOUT", "涉及问题", "about", ("Referral",), ("Issue",), color="#f1c40f"),
    RelKind("BY", "履责主体", "by", ("Record",), _UP, axis="horizontal", color="#7f8c8d"),
    RelKind("FULFILS", "履行", "fulfils", ("Record",), ("Duty",), color="#7f8c8d"),
    RelKind("CONCERNS", "对象", "concerns", ("Record",), _UP, axis="horizontal", color="#7f8c8d",
            dashes=True),
    RelKind("DERIVED_FROM", "源自问题", "derived from", ("Duty",), ("Issue",), color="#b9770e",
            dashes=True),
    RelKind("ORGANISED_BY", "组织单位", "organised by", ("Assessment",), ("Unit",),
            axis="vertical", color="#6c3483"),
    RelKind("RESULT_OF", "所属考核", "result of", ("AssessmentResult",), ("Assessment",),
            color="#a569bd"),
    RelKind("ASSESSES", "考核对象", "assesses", ("AssessmentResult",), _UP, axis="vertical",
            color="#a569bd"),
    RelKind("ASSESSED_BY", "评议主体", "assessed by", ("AssessmentResult",), _UP,
            color="#a569bd", dashes=True),
    RelKind("SCORES", "指标得分", "scores", ("AssessmentResult",), ("Duty",),
            (P("score", "number", "得分", "score", minimum=0),), color="#a569bd", dashes=True),
    RelKind("RISK_IN", "所在单位", "risk in", ("RiskPoint",), ("Unit",), color="#ca6f1e"),
    RelKind("CONTROLS", "防控", "controls", ("Control",), ("RiskPoint",), color="#e59866"),
    RelKind("OWNED_BY", "责任人", "owned by", ("Control",), _UP, axis="horizontal",
            color="#e59866"),
    RelKind("TAKEN_BY", "决策单位", "taken by", ("Decision",), ("Unit",), color="#1f618d"),
    RelKind("ABOUT_DECISION", "涉及决策", "about decision", ("Issue",), ("Decision",),
            color="#1f618d", dashes=True),
    RelKind("REPLIED_BY", "回复人", "replied by", ("Referral", "SupervisionOrder"), ("Person",),
            axis="vertical", color="#f1c40f", dashes=True),
    RelKind("ORDERED_BY", "督办单位", "ordered by", ("SupervisionOrder",), ("Unit",),
            axis="vertical", color="#e67e22"),
    RelKind("ORDERED_TO", "督办对象", "ordered to", ("SupervisionOrder",), _UP,
            axis="vertical", color="#e67e22"),
    RelKind("FOLLOWS_UP", "督办事项", "follows up", ("SupervisionOrder",),
            ("Issue", "Referral", "Duty", "Project"), color="#e67e22", dashes=True),
)

SCHEMA = Schema(version=1, enums=ENUMS, nodes=NODES, relationships=RELATIONSHIPS)
