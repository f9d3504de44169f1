"""The embedded store's history: change-set headers and parts under ``$DUTYGRAPH_HOME``.

* ``changes/index.json``: the next id and every header, rewritten atomically under the
  home's file lock (``.lock``) -- ids are unique across processes;
* ``changes/<id>.parts``: the parts of one change set (length-prefixed zlib blobs), written
  by :meth:`graph.store.embedded.EmbeddedStore.flush` under the same lock, just before the
  graph snapshot. A part is computed when its write is applied to memory; when another
  process saved in between, the store re-applies its writes to the newer snapshot and
  computes its parts again (so they always describe what the saved graph went through).

A store without a home keeps all of it in memory.
"""

from __future__ import annotations

import contextlib
import os
import struct
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from graph.history.model import (
    ChangeBody,
    ChangeHeader,
    ChangeKind,
    ChangePart,
    SourceFile,
    SyncSpec,
    merge_counts,
)
from graph.private import open_private, private_dir, write_private
from graph.store.history import now_iso

if TYPE_CHECKING:
    from graph.store.embedded import EmbeddedStore

INDEX = "index.json"
_LEN = struct.Struct(">I")


class EmbeddedHistory:
    """:class:`graph.store.history.History` of an :class:`EmbeddedStore`."""

    def __init__(self, store: EmbeddedStore) -> None:
        self.store = store
        self._index: dict[str, Any] = {"next": 1, "changes": []}
        self._parts: dict[int, list[bytes]] = {}

    @property
    def folder(self) -> Path | None:
        return None if self.store.home is None else self.store.home / "changes"

    # -- the index -------------------------------------------------------------------
    @contextlib.contextmanager
    def _locked(self) -> Iterator[dict[str, Any]]:
        """The index, locked for a change; written back when the block succeeds."""
        folder = self.folder
        if folder is None:
            yield self._index
            return
        with self.store._file_lock():
            doc = self._read()
            yield doc
            private_dir(folder)
            write_private(folder / INDEX, orjson.dumps(doc), sync=True)

    def _read(self) -> dict[str, Any]:
        folder = self.folder
        if folder is None:
            return self._index
        try:
            return dict(orjson.loads((folder / INDEX).read_bytes()))
        except FileNotFoundError:
            return {"next": 1, "changes": []}

    def begin(self, kind: ChangeKind, user: str, *, sources: Sequence[SourceFile] = (),
              reason: str | None = None, undoes: int | None = None,
              sync: SyncSpec | None = None) -> ChangeHeader:
        with self._locked() as doc:
            change = int(doc["next"])
            doc["next"] = change + 1
            header = ChangeHeader(id=change, kind=kind, user=user, at=now_iso(),
                                  sources=list(sources), reason=reason, undoes=undoes,
                                  sync=sync)
            doc["changes"].append(header.model_dump(mode="json"))
        return header

    def _update(self, change: int, **fields: Any) -> ChangeHeader | None:
        with self._locked() as doc:
            for i, item in enumerate(doc["changes"]):
                if item["id"] == change:
                    header = ChangeHeader.model_validate({**item, **fields})
                    doc["changes"][i] = header.model_dump(mode="json")
                    return header
        return None

    def finish(self, change: int, counts: dict[str, dict[str, int]] | None = None
               ) -> ChangeHeader:
        if counts is None:
            counts = merge_counts(p.counts() for p in self.body(change).parts)
        header = self._update(change, status="done", finished_at=now_iso(), counts=counts)
        if header is None:
            raise KeyError(change)
        return header

    def discard(self, change: int) -> None:
        if self.store._parts.get(change) or next(self._saved(change), None) is not None:
            return
        with self._locked() as doc:
            doc["changes"] = [c for c in doc["changes"] if c["id"] != change]

    def set_undone(self, change: int, by: int | None) -> None:
        self._update(change, undone_by=by)

    def headers(self) -> list[ChangeHeader]:
        items = [ChangeHeader.model_validate(c) for c in self._read()["changes"]]
        return sorted(items, key=lambda h: h.id, reverse=True)

    def header(self, change: int) -> ChangeHeader | None:
        return next((h for h in self.headers() if h.id == change), None)

    # -- parts -------------------------------------------------------------------------
    def body(self, change: int) -> ChangeBody:
        blobs = list(self._saved(change))
        blobs += [p.encode() for p in self.store._parts.get(change, [])]
        return ChangeBody([ChangePart.decode(b) for b in blobs])

    def _saved(self, change: int) -> Iterator[bytes]:
        folder = self.folder
        if folder is None:
            yield from self._parts.get(change, [])
            return
        try:
            data = (folder / f"{change}.parts").read_bytes()
        except FileNotFoundError:
            return
        at = 0
        while at + _LEN.size <= len(data):
            (n,) = _LEN.unpack_from(data, at)
            if at + _LEN.size + n > len(data):  # cut short by a crash: ignore the tail
                return
            yield data[at + _LEN.size:at + _LEN.size + n]
            at += _LEN.size + n

    def save_parts(self, pending: dict[int, list[ChangePart]]) -> None:
        """Append pending parts to their files (the caller holds the file lock)."""
        folder = self.folder
        if folder is None:
            for change, parts in pending.items():
                self._parts.setdefault(change, []).extend(p.encode() for p in parts)
            return
        private_dir(folder)
        for change, parts in pending.items():
            blob = b"".join(_LEN.pack(len(b)) + b for b in (p.encode() for p in parts))
            fd = open_private(folder / f"{change}.parts", os.O_WRONLY | os.O_APPEND)
            with os.fdopen(fd, "ab") as fh:
                fh.write(blob)
                fh.flush()
                os.fsync(fh.fileno())

    def clear(self) -> None:
        """Forget every change set (the graph was cleared); ids keep counting."""
        with self._locked() as doc:
            doc["changes"] = []
        self._parts.clear()
        folder = self.folder
        if folder is not None:
            for path in folder.glob("*.parts"):
                with contextlib.suppress(OSError):
                    path.unlink()
