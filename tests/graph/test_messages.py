"""Messages as values (graph/messages.py) and the domain's errors that carry them."""

from __future__ import annotations

import pickle

import pytest

from graph import messages
from graph.errors import AmbiguousId, DutyGraphError, InvalidArgument, NotFound, StoreError
from graph.messages import Bilingual, Message, plain, plural


def test_without_catalogues_a_message_reads_as_its_code_and_parameters(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """graph/ reads no catalogue: before api.i18n installs one, str() is still informative."""
    monkeypatch.setattr(messages, "_renderer", None)
    assert str(NotFound("Unit", "X")) == "error.not_found(kind='单位 / unit', id='X')"
    assert str(StoreError("disk full")) == "disk full"
    assert plain(plural("ui.duties_n", 2)) == "ui.duties_n(num=2)"


def test_errors_keep_their_message_and_fields_across_processes() -> None:
    """Analytics workers send errors back pickled: code, parameters and fields survive."""
    errors: list[DutyGraphError] = [
        NotFound("Person", "P1"), AmbiguousId("X1", ["unit:X1", "person:X1"]),
        InvalidArgument("as_of", Message("reason.no_such_date", value="2017-02-30")),
        StoreError("disk full"),
    ]
    for exc in errors:
        back = pickle.loads(pickle.dumps(exc))
        assert type(back) is type(exc) and back.message == exc.message
        assert back.args == exc.args and str(back) == str(exc)
    assert InvalidArgument("f", "r").reason == Message("error.text", text="r")
    assert NotFound("unit", "X").message.params["kind"] == Bilingual("单位", "unit")
