"""Result types shared by every query (pydantic, so the API serves them as they are)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from graph.store.base import NodeRecord


class NodeRef(BaseModel):
    """A node as results name it: uid, kind, id and caption (name or title)."""

    model_config = ConfigDict(frozen=True)

    uid: str
    label: str
    id: str
    caption: str

    @classmethod
    def of(cls, node: NodeRecord) -> NodeRef:
        return cls(uid=node.uid, label=node.label, id=node.id, caption=node.caption)
