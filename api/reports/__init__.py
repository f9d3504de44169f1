"""Rendered reports (JSON, CSV, self-contained HTML) over the analysis models of
:mod:`graph.analytics`. Rendering and files live here; graph/ knows nothing of them."""
