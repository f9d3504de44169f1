"""Settings, read once from the environment (Neo4j's own variable names) or a `.env` file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_home() -> Path:
    # Per-user data directory, XDG style, so a plain `pip install` works anywhere.
    import os

    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "dutygraph"


class Settings(BaseSettings):
    """Everything configurable. Without ``NEO4J_URI`` the embedded store is used."""

    # populate_by_name stays off: with it, pydantic-settings also reads each field's own
    # name from the environment, and the shell's HOME would become ``home``.
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=False)

    neo4j_uri: str | None = Field(default=None, alias="NEO4J_URI")
    neo4j_username: str = Field(default="neo4j", alias="NEO4J_USERNAME")
    neo4j_password: SecretStr = Field(default=SecretStr(""), alias="NEO4J_PASSWORD")
    neo4j_database: str = Field(default="neo4j", alias="NEO4J_DATABASE")
    home: Path = Field(default_factory=_default_home, alias="DUTYGRAPH_HOME")
    batch_size: int = Field(default=5000, ge=1, le=100_000, alias="DUTYGRAPH_BATCH_SIZE")
    #: Seconds a Neo4j query may run before it is cancelled.
    query_timeout: float = Field(default=30.0, gt=0, alias="DUTYGRAPH_QUERY_TIMEOUT")
    #: Accountability categories that also discharge a trace-back link of another category
    #: (graph/accountability.py), as a JSON object; empty: each link only by its own.
    category_equivalences: dict[str, list[str]] = Field(
        default_factory=dict, alias="DUTYGRAPH_CATEGORY_EQUIVALENCES")
    # -- security (api/security) -----------------------------------------------------------
    #: ``on`` (default): every page and API call needs a login or a token. ``off`` only for
    #: local development on a single-user machine: everyone is an admin seeing everything.
    auth: Literal["on", "off"] = Field(default="on", alias="DUTYGRAPH_AUTH")
    #: Key signing the session cookie; default: generated once into $DUTYGRAPH_HOME/secret.key.
    secret_key: SecretStr | None = Field(default=None, alias="DUTYGRAPH_SECRET_KEY")
    #: Mark cookies Secure even when the request looks like plain HTTP (behind a TLS proxy).
    secure_cookies: bool = Field(default=False, alias="DUTYGRAPH_SECURE_COOKIES")
    #: Hours a browser session stays valid after login.
    session_hours: float = Field(default=8.0, gt=0, le=24 * 30, alias="DUTYGRAPH_SESSION_HOURS")
    #: Days a new API token is valid (``dutygraph users token NAME --days N`` to differ).
    token_days: int = Field(default=90, ge=1, le=3650, alias="DUTYGRAPH_TOKEN_DAYS")
    #: Login attempts per user name and per client address within the window, across all
    #: server processes; further attempts answer 429 until the oldest leave the window.
    login_limit: int = Field(default=5, ge=1, le=1000, alias="DUTYGRAPH_LOGIN_LIMIT")
    login_window: float = Field(default=300.0, gt=0, le=86_400, alias="DUTYGRAPH_LOGIN_WINDOW")
    #: Key of the audit chain's HMAC; default: generated once into $DUTYGRAPH_HOME/audit.key.
    #: Keep it outside the home (readable by the service account only) to make a rewrite
    #: of the log need more than access to the home (docs/security.md).
    audit_key_file: Path | None = Field(default=None, alias="DUTYGRAPH_AUDIT_KEY_FILE")
    # -- API -------------------------------------------------------------------------------
    #: Reuse read-query answers until the data changes (api/cache.py); ``off`` recomputes
    #: every answer (the benchmark compares both).
    api_cache: Literal["on", "off"] = Field(default="on", alias="DUTYGRAPH_API_CACHE")
    #: Write each server process's cache hit/miss counters to
    #: ``$DUTYGRAPH_HOME/cache-stats/<pid>.json`` (the benchmark reads them; clients are
    #: never told whether their answer was reused).
    api_cache_stats: bool = Field(default=False, alias="DUTYGRAPH_API_CACHE_STATS")
    # -- loading ---------------------------------------------------------------------------
    #: Largest uncompressed part of an XLSX workbook, in MiB (sheet XML, shared strings,
    #: ...), checked before parsing; the shared strings are held in memory while a sheet
    #: is read, so this bounds the memory and time a crafted workbook can take.
    xlsx_max_part_mb: float = Field(default=256.0, gt=0, alias="DUTYGRAPH_XLSX_MAX_PART_MB")

    # -- the working loop (graph/loop) -------------------------------------------------------
    #: A deadline (referral, 督办, issue, project, a duty's date) this many days away or
    #: nearer, with the work not done, is yellow (graph/loop/status.py).
    warn_days: int = Field(default=30, ge=0, le=366, alias="DUTYGRAPH_WARN_DAYS")
    #: A count per period not yet reached is yellow once this share of the period has gone
    #: (0.5: from 1 July for a yearly count).
    warn_share: float = Field(default=0.5, ge=0, le=1, alias="DUTYGRAPH_WARN_SHARE")
    #: Largest evidence file a fulfilment record may carry, in MiB (graph/evidence.py).
    evidence_max_mb: float = Field(default=20.0, gt=0, le=1024, alias="DUTYGRAPH_EVIDENCE_MAX_MB")
    # -- reminders (dutygraph remind): e-mail only when a server is given ------------------
    smtp_host: str | None = Field(default=None, alias="DUTYGRAPH_SMTP_HOST")
    smtp_port: int = Field(default=587, ge=1, le=65535, alias="DUTYGRAPH_SMTP_PORT")
    smtp_username: str | None = Field(default=None, alias="DUTYGRAPH_SMTP_USERNAME")
    smtp_password: SecretStr | None = Field(default=None, alias="DUTYGRAPH_SMTP_PASSWORD")
    #: ``starttls`` (default), ``ssl`` (SMTPS) or ``none`` (a relay on the same host only).
    smtp_security: Literal["starttls", "ssl", "none"] = Field(
        default="starttls", alias="DUTYGRAPH_SMTP_SECURITY")
    smtp_from: str | None = Field(default=None, alias="DUTYGRAPH_SMTP_FROM")

    @property
    def backend(self) -> str:
        return "neo4j" if self.neo4j_uri else "embedded"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
