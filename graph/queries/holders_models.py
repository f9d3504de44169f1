"""Result types of the unit queries: the four holders of a unit (as of a date) and the
overview of what lies below a unit. Shared by the Neo4j and the embedded implementation,
so that both return exactly the same value for the same graph."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from graph.history.provenance import Provenance
from graph.queries.models import NodeRef
from graph.texts import Explained


class DutyItem(BaseModel):
    """One duty item (责任清单/任务清单/制度清单 entry) with the fields inspectors filter on."""

    model_config = ConfigDict(frozen=True)

    duty: NodeRef
    responsibility: str
    list: str | None = None
    aspect: str | None = None
    indicator: str | None = None
    year: int | None = None


class UnitRef(BaseModel):
    """A unit with its kind and level (0 = city)."""

    model_config = ConfigDict(frozen=True)

    unit: NodeRef
    kind: str | None = None
    level: int | None = None


class Post(BaseModel):
    """A tenure: a person's role in a unit (SERVES_IN) between ``start`` and ``end``."""

    model_config = ConfigDict(frozen=True)

    unit: NodeRef
    role: str
    start: str | None = None
    end: str | None = None
    active: bool = True


class Portfolio(BaseModel):
    """What a leader has in charge (IN_CHARGE_OF, 分管): a unit, the portfolio, the tenure."""

    model_config = ConfigDict(frozen=True)

    unit: NodeRef
    portfolio: str | None = None
    start: str | None = None
    end: str | None = None
    active: bool = True


class Committee(BaseModel):
    """The unit as a Party organisation, holder of the primary responsibility (主体责任).

    ``duties`` are all duties the unit itself holds (HOLDS), whatever their responsibility:
    units often keep their secretary's and members' items on the organisation's lists.
    """

    unit: NodeRef
    duties: list[DutyItem]


class Secretary(BaseModel):
    """The secretary at the date (第一责任人) and the first-responsibility duties held."""

    person: NodeRef
    post: Post
    portfolios: list[Portfolio]
    duties: list[DutyItem]


class TeamMember(BaseModel):
    """A member of the leading team (一岗双责): posts in the unit, portfolios, dual duties."""

    person: NodeRef
    posts: list[Post]
    portfolios: list[Portfolio]
    duties: list[DutyItem]


class Supervisor(BaseModel):
    """A discipline body supervising the unit (监督责任), with mode and supervisory duties."""

    unit: NodeRef
    mode: str | None = None
    duties: list[DutyItem]


class Vacancy(Explained):
    """A holder the four responsibilities expect but the graph does not show at the date.

    Codes: ``no_secretary``, ``multiple_secretaries``, ``no_supervisor``,
    ``no_primary_duties``, ``no_first_duties``, ``no_team_members``; ``message`` says it
    (``vacancy.<code>``), rendered into ``zh``/``en``.
    """

    model_config = ConfigDict(frozen=True)

    code: str


class Count(BaseModel):
    """One row of a breakdown (a code and how many)."""

    model_config = ConfigDict(frozen=True)

    key: str
    count: int


class UnitHolders(BaseModel):
    """Who holds which of the four responsibilities in one unit as of a date.

    ``duty_counts_by_*`` count the distinct duties of the whole panel (committee,
    secretaries, team members and supervising bodies), each duty once. ``ancestors`` is
    filled only when asked for (``up=True``): the same panel for every unit above, nearest
    first, each without ancestors of its own.
    """

    unit: UnitRef
    as_of: str
    #: Where the subject comes from: its change set and source rows (:mod:`graph.history`).
    provenance: Provenance | None = None
    #: A unit above the asking user's scope, seen in outline: its name and holders, no
    #: duties and no vacancies (the user does not see enough of it to judge them).
    outline: bool = False
    committee: Committee
    secretaries: list[Secretary]
    team: list[TeamMember]
    supervisors: list[Supervisor]
    vacancies: list[Vacancy]
    duty_counts_by_responsibility: list[Count]
    duty_counts_by_list: list[Count]
    duty_counts_by_aspect: list[Count]
    ancestors: list[UnitHolders] = []

    @property
    def secretary(self) -> Secretary | None:
        """The secretary when there is exactly one (else None: vacant or contested)."""
        return self.secretaries[0] if len(self.secretaries) == 1 else None

    def all_duties(self) -> list[DutyItem]:
        """Every distinct duty of the panel, by duty uid."""
        seen: dict[str, DutyItem] = {}
        groups = [self.committee.duties, *(s.duties for s in self.secretaries),
                  *(m.duties for m in self.team), *(s.duties for s in self.supervisors)]
        for group in groups:
            for d in group:
                seen.setdefault(d.duty.uid, d)
        return [seen[k] for k in sorted(seen)]


class LevelCount(BaseModel):
    model_config = ConfigDict(frozen=True)

    level: int | None
    count: int


class LevelKindCount(BaseModel):
    model_config = ConfigDict(frozen=True)

    level: int | None
    kind: str | None
    count: int


class UnitOverview(BaseModel):
    """What lies below a unit: every descendant (transitively SUBORDINATE_TO it) counted by
    kind, by level and by both, and the direct children."""

    unit: UnitRef
    descendants: int
    by_kind: list[Count]
    by_level: list[LevelCount]
    by_level_kind: list[LevelKindCount]
    children: list[UnitRef]
