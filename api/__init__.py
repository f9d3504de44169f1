"""DutyGraph's front doors: the FastAPI app, the inspectors' pages and the CLI."""
