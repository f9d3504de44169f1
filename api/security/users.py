"""Users, roles and API tokens, kept in ``$DUTYGRAPH_HOME/users.json`` (mode 600).

Passwords are hashed with argon2id (argon2-cffi defaults). API tokens are random 32-byte
secrets shown once; only their SHA-256 is stored, with a label, the creation time and an
expiry (``DUTYGRAPH_TOKEN_DAYS``, default 90 days); each can be revoked on its own. The
file is written atomically under an exclusive lock, so two ``dutygraph users`` commands
never lose each other's change.

What ends access at once: disabling a user ends their browser sessions (and refuses their
tokens while disabled); a password change ends their sessions and revokes their tokens
(a new password usually follows a suspected compromise; ``keep_tokens`` keeps them for
unattended jobs); :meth:`UserStore.revoke_token` ends one token.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path

import orjson
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel, Field, model_validator

from api.security.state import SecurityState
from graph.errors import DutyGraphError
from graph.messages import Message
from graph.private import open_private, private_dir, write_private

_hasher = PasswordHasher()
#: A fixed hash to verify against when the user does not exist, so that the time a failed
#: login takes does not tell whether the user name exists.
_DUMMY_HASH = _hasher.hash("dutygraph-dummy-password")


class Role(StrEnum):
    inspector = "inspector"  # read within scope; issue and verify 督办, verify replies
    analyst = "analyst"  # read, analytics and exports within scope
    unit_officer = "unit_officer"  # read within scope; record fulfilment, reply (writes)
    admin = "admin"  # everything: load data, manage users, read the audit


class UserError(DutyGraphError):
    """A user command that cannot be carried out (unknown user, weak password, ...)."""


#: Days a new API token is valid unless told otherwise (``DUTYGRAPH_TOKEN_DAYS``); also
#: the validity of tokens issued before tokens had expiries, counted from their creation.
DEFAULT_TOKEN_DAYS = 90


class ApiToken(BaseModel):
    id: str
    sha256: str
    label: str = ""
    created: str
    #: UTC time (ISO 8601) after which the token is refused.
    expires: str = ""

    @model_validator(mode="after")
    def _expiry(self) -> ApiToken:
        if not self.expires:  # a token from before expiries: DEFAULT_TOKEN_DAYS from creation
            created = dt.datetime.fromisoformat(self.created)
            self.expires = _iso(created + dt.timedelta(days=DEFAULT_TOKEN_DAYS))
        return self

    def expired(self, now: dt.datetime | None = None) -> bool:
        return (now or dt.datetime.now(dt.UTC)) >= dt.datetime.fromisoformat(self.expires)


class User(BaseModel):
    username: str
    role: Role
    #: Unit ids whose subtrees this user may see; ``["*"]`` means every unit.
    scopes: list[str] = Field(default_factory=list)
    password_hash: str
    disabled: bool = False
    created: str
    tokens: list[ApiToken] = Field(default_factory=list)
    #: The unit the account acts for when it issues or verifies (a discipline body or
    #: committee); unset: the units of its scope.
    unit: str | None = None
    #: The person the account belongs to (the default replier to what is sent to them).
    person: str | None = None

    @property
    def sees_everything(self) -> bool:
        return "*" in self.scopes

    def can(self, action: str) -> bool:
        """Whether the role allows ``action`` (read, analytics, export, write, supervise,
        admin)."""
        allowed = {
            Role.inspector: {"read", "supervise"},
            Role.analyst: {"read", "analytics", "export"},
            Role.unit_officer: {"read", "write"},
            Role.admin: {"read", "analytics", "export", "write", "supervise", "admin", "load"},
        }
        return action in allowed[self.role]


class UserFile(BaseModel):
    version: int = 1
    users: dict[str, User] = Field(default_factory=dict)


MIN_PASSWORD = 10
_USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise UserError(Message("users.short_password", min=MIN_PASSWORD))
    return _hasher.hash(password)


def generate_password() -> str:
    return secrets.token_urlsafe(15)


class UserStore:
    """The user file of one DutyGraph home."""

    def __init__(self, home: Path) -> None:
        self.home = private_dir(home)
        self.path = home / "users.json"
        self._parsed: tuple[tuple[int, int, int], UserFile] | None = None
        self._state: SecurityState | None = None

    @property
    def state(self) -> SecurityState:
        """The home's sessions and token use (opened on first use)."""
        if self._state is None:
            self._state = SecurityState(self.home)
        return self._state

    # -- file handling ----------------------------------------------------------------
    def _read(self) -> UserFile:
        """The user file as it is now: shared, read-only (``_edit`` parses its own copy).

        Every request asks (a disabled user is out at once); parsing is only redone when
        the file changed: it is replaced atomically, so a change means a new inode.
        """
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return UserFile()
        stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
        cached = self._parsed
        if cached is not None and cached[0] == stamp:
            return cached[1]
        data = self._parse()
        self._parsed = (stamp, data)
        return data

    def _parse(self) -> UserFile:
        if not self.path.exists():
            return UserFile()
        return UserFile.model_validate(orjson.loads(self.path.read_bytes()))

    @contextlib.contextmanager
    def _edit(self) -> Iterator[UserFile]:
        lock = self.path.with_name(".users.lock")
        with os.fdopen(open_private(lock, os.O_RDWR), "r+") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                data = self._parse()  # a private copy to change
                yield data
                doc = data.model_dump(mode="json")
                write_private(self.path, orjson.dumps(doc, option=orjson.OPT_INDENT_2),
                              sync=True)
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    # -- queries ----------------------------------------------------------------------
    def all(self) -> list[User]:
        return sorted(self._read().users.values(), key=lambda u: u.username)

    def get(self, username: str) -> User | None:
        return self._read().users.get(username)

    # -- commands ---------------------------------------------------------------------
    def add(self, username: str, role: Role, password: str, scopes: list[str], *,
            unit: str | None = None, person: str | None = None) -> User:
        if not _USERNAME.fullmatch(username):
            raise UserError(Message("users.bad_name", name=username))
        if role != Role.admin and not scopes:
            raise UserError(Message("users.needs_scope"))
        user = User(
            username=username, role=role, scopes=scopes or ["*"],
            password_hash=hash_password(password), created=_now(), unit=unit, person=person,
        )
        with self._edit() as data:
            if username in data.users:
                raise UserError(Message("users.exists", name=username))
            data.users[username] = user
        return user

    def set_acting(self, username: str, *, unit: str | None, person: str | None) -> User:
        """Set the unit an account acts for and the person it belongs to (``""`` clears)."""
        with self._edit() as data:
            user = self._existing(data, username)
            if unit is not None:
                user.unit = unit or None
            if person is not None:
                user.person = person or None
        return user

    def set_scope(self, username: str, scopes: list[str]) -> User:
        with self._edit() as data:
            user = self._existing(data, username)
            user.scopes = scopes
        return user

    def set_disabled(self, username: str, disabled: bool) -> User:
        """Disable (and sign out everywhere) or enable a user."""
        with self._edit() as data:
            user = self._existing(data, username)
            user.disabled = disabled
        if disabled:
            self.state.end_sessions(username)
        return user

    def set_password(self, username: str, password: str, *, keep_tokens: bool = False
                     ) -> tuple[User, int]:
        """A new password; ends every session of the user and, unless ``keep_tokens``,
        revokes their API tokens. Returns the user and the number of tokens revoked."""
        digest = hash_password(password)
        with self._edit() as data:
            user = self._existing(data, username)
            user.password_hash = digest
            revoked = [] if keep_tokens else [t.id for t in user.tokens]
            if not keep_tokens:
                user.tokens = []
        self.state.end_sessions(username)
        self.state.forget_tokens(revoked)
        return user, len(revoked)

    def sign_out_everywhere(self, username: str) -> int:
        """End every browser session of the user; how many there were."""
        with self._edit() as data:
            self._existing(data, username)
        return self.state.end_sessions(username)

    def issue_token(self, username: str, label: str = "", days: float | None = None) -> str:
        """A new API token (``dg_<id>_<secret>``) valid ``days`` (default
        :data:`DEFAULT_TOKEN_DAYS`), shown once; only its hash is kept."""
        days = DEFAULT_TOKEN_DAYS if days is None else days
        if not 0 < days <= 3650:
            raise UserError(Message("users.bad_token_days", days=days, max=3650))
        token_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
        now = dt.datetime.now(dt.UTC)
        with self._edit() as data:
            user = self._existing(data, username)
            user.tokens.append(ApiToken(
                id=token_id, sha256=_sha(secret), label=label[:100], created=_iso(now),
                expires=_iso(now + dt.timedelta(days=days))))
        return f"dg_{token_id}_{secret}"

    def revoke_token(self, username: str, token_id: str) -> ApiToken:
        """Revoke one API token of the user (it is refused from the next request on)."""
        with self._edit() as data:
            user = self._existing(data, username)
            found = next((t for t in user.tokens if t.id == token_id), None)
            if found is None:
                raise UserError(Message("users.no_such_token", name=username, token=token_id))
            user.tokens = [t for t in user.tokens if t.id != token_id]
        self.state.forget_tokens([token_id])
        return found

    def tokens(self, username: str) -> list[tuple[ApiToken, float | None]]:
        """The user's tokens with their last use (epoch seconds, None: never used)."""
        user = self.get(username)
        if user is None:
            raise UserError(Message("users.no_such_user", name=username))
        used = self.state.token_last_used(t.id for t in user.tokens)
        return [(t, used.get(t.id)) for t in user.tokens]

    @staticmethod
    def _existing(data: UserFile, username: str) -> User:
        try:
            return data.users[username]
        except KeyError:
            raise UserError(Message("users.no_such_user", name=username)) from None

    # -- authentication ---------------------------------------------------------------
    def authenticate(self, username: str, password: str) -> User | None:
        """The user for a correct password of an enabled account, else None."""
        user = self.get(username)
        try:
            _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
        except (VerificationError, InvalidHashError):
            return None
        if user is None or user.disabled:
            return None
        return user

    def authenticate_token(self, token: str) -> User | None:
        """The user of a valid, unexpired token of an enabled account, else None."""
        token_id = token_id_of(token)
        if token_id is None:
            return None
        digest = _sha(token.split("_", 2)[2])
        now = dt.datetime.now(dt.UTC)
        for user in self._read().users.values():
            for t in user.tokens:
                if t.id == token_id and hmac.compare_digest(t.sha256, digest):
                    return None if user.disabled or t.expired(now) else user
        return None


def token_id_of(token: str) -> str | None:
    """The id part of ``dg_<id>_<secret>`` (None when the token is not of that form)."""
    prefix, _, rest = token.partition("_")
    token_id, _, secret = rest.partition("_")
    if prefix != "dg" or not token_id or not secret:
        return None
    return token_id


def _sha(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _now() -> str:
    return _iso(dt.datetime.now(dt.UTC))
