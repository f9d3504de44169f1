"""What the rows of every read operation share."""

from __future__ import annotations

from typing import Any

#: A node's stored properties with its ``uid`` (Cypher's ``properties(n)``).
Props = dict[str, Any]
