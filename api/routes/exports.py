"""Downloads of the graph views: GraphML (yEd, Cytoscape), GEXF (Gephi, with colours) and
CSV (nodes and edges, zipped; cells escaped against formula injection, UTF-8 with BOM so
Excel on Chinese Windows reads it). Every node and edge carries its provenance
(:data:`graph.history.provenance.EXPORT_COLUMNS`: the change set that last wrote it, its
kind, by whom and when, and the source rows ``file › sheet › row (#change)``), read in one
round trip for the whole view."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Mapping
from typing import Annotated, Any

import networkx as nx
from fastapi import APIRouter, Depends
from fastapi.responses import Response

from api.deps import StoreDep
from api.errors import QUERY_ERRORS
from api.routes.subgraphs import csv_tables, fact_keys, neighbourhood_dep, path_dep, to_networkx
from api.security.policy import EXPORT
from graph.history.facts import FactKey
from graph.history.provenance import Provenance, provenance_of
from graph.queries.subgraph import Subgraph

router = APIRouter(prefix="/api/graph", tags=["exports"])

GRAPHML = "application/graphml+xml"
GEXF = "application/gexf+xml"
ZIP = "application/zip"


def _filename(stem: str) -> str:
    # Only safe characters in the header; uids contain ':' which some systems reject.
    return re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("_") or "graph"


def _download(content: bytes, media_type: str, filename: str) -> Response:
    return Response(content, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


Sources = Mapping[FactKey, Provenance]


def graphml_bytes(sub: Subgraph, prov: Sources) -> bytes:
    return "\n".join(nx.generate_graphml(to_networkx(sub, provenance=prov))).encode("utf-8")


def gexf_bytes(sub: Subgraph, prov: Sources) -> bytes:
    return "\n".join(nx.generate_gexf(to_networkx(sub, viz=True, provenance=prov))
                     ).encode("utf-8")


def _csv(header: list[str], rows: list[list[Any]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def csv_zip_bytes(sub: Subgraph, prov: Sources) -> bytes:
    nhead, nrows, ehead, erows = csv_tables(sub, prov)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("nodes.csv", _csv(nhead, nrows))
        z.writestr("edges.csv", _csv(ehead, erows))
    return out.getvalue()


FORMATS: dict[str, tuple[Callable[[Subgraph, Sources], bytes], str, str]] = {
    "graphml": (graphml_bytes, GRAPHML, "GraphML (yEd, Cytoscape, NetworkX)"),
    "gexf": (gexf_bytes, GEXF, "GEXF 1.2 with colours and shapes (Gephi)"),
    "csv.zip": (csv_zip_bytes, ZIP, "zip of nodes.csv and edges.csv (UTF-8 with BOM)"),
}

NeighbourhoodSub = Annotated[Subgraph, Depends(neighbourhood_dep)]
PathSub = Annotated[Subgraph, Depends(path_dep)]


def _register(ext: str) -> None:
    make, media, what = FORMATS[ext]
    # Path routes first: `/path.graphml` must not be read as a neighbourhood of "path".
    content = {media: {"schema": {"type": "string", "format": "binary"}}}

    @router.get(
        f"/path.{ext}",
        summary=f"Shortest paths as {ext} / 最短路径导出",
        description=f"The view of `/api/graph/path` as {what}.",
        response_class=Response,
        responses={200: {"content": content, "description": what}, **QUERY_ERRORS},
        operation_id=f"path_{ext.replace('.', '_')}",
        dependencies=[EXPORT],
    )
    def path_file(sub: PathSub, store: StoreDep) -> Response:
        return _download(make(sub, provenance_of(store, fact_keys(sub))), media,
                         _filename(f"path-{'-'.join(sub.roots)}") + f".{ext}")

    @router.get(
        f"/neighbourhood/{{uid}}.{ext}",
        summary=f"Neighbourhood as {ext} / 邻域导出",
        description=f"The view of `/api/graph/neighbourhood/{{uid}}` as {what}; same parameters.",
        response_class=Response,
        responses={200: {"content": content, "description": what}, **QUERY_ERRORS},
        operation_id=f"neighbourhood_{ext.replace('.', '_')}",
        dependencies=[EXPORT],
    )
    def neighbourhood_file(sub: NeighbourhoodSub, store: StoreDep) -> Response:
        return _download(make(sub, provenance_of(store, fact_keys(sub))), media,
                         _filename(f"neighbourhood-{sub.roots[0]}") + f".{ext}")


for _ext in FORMATS:
    _register(_ext)
