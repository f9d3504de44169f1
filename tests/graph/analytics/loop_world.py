"""The breaks and repaired twins of the working loop's findings (H_DUTY_RED,
V_ORDER_OVERDUE), each an edit of :meth:`World.healthy` (as of 2024-06-30)."""

from __future__ import annotations

from collections.abc import Callable

from tests.graph.analytics.world import World

Edit = Callable[[World], None]


def _quarterly(records: tuple[str, ...]) -> Edit:
    """V's duty: once a quarter (the target the loader parses from the indicator), with
    fulfilment records on those dates."""
    def edit(w: World) -> None:
        w.set_node("duty:DUV", indicator="每季度1次", target_kind="count", target=1,
                   period="quarter")
        for n, day in enumerate(records):
            w.record(f"RECV{n}", "person:v_sec", "unit:V", day, "duty:DUV")
    return edit


def _order(**reply: object) -> Edit:
    """A 督办 of the district commission to the town, due 2024-04-30, replied or not."""
    def edit(w: World) -> None:
        o = w.node("SupervisionOrder", "O1", title="督办镇财务整改", issued_on="2024-03-01",
                   due_on="2024-04-30", **reply)
        w.rel("ORDERED_BY", o, "unit:DJ")
        w.rel("ORDERED_TO", o, "unit:T")
    return edit


LOOP_BREAKS: dict[str, tuple[Edit, Edit]] = {
    "H_DUTY_RED": (_quarterly(()), _quarterly(("2024-02-01", "2024-05-01"))),
    "V_ORDER_OVERDUE": (_order(status="issued"),
                        _order(status="replied", replied_on="2024-04-20", reply="已整改")),
}
