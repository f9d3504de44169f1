"""Users, roles and API tokens, kept in ``$DUTYGRAPH_HOME/users.json``.

Passwords are hashed with argon2id (argon2-cffi defaults). API tokens are random 32-byte
secrets shown once; only their SHA-256 is stored. The file is written atomically under an
exclusive lock, so two ``dutygraph users`` commands never lose each other's change.
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
from pydantic import BaseModel, Field

from graph.errors import DutyGraphError
from graph.messages import Message

_hasher = PasswordHasher()
#: A fixed hash to verify against when the user does not exist, so that the time a failed
#: login takes does not tell whether the user name exists.
_DUMMY_HASH = _hasher.hash("dutygraph-dummy-password")


class Role(StrEnum):
    inspector = "inspector"  # read within scope
    analyst = "analyst"  # read, analytics and exports within scope
    admin = "admin"  # everything: load data, manage users, read the audit


class UserError(DutyGraphError):
    """A user command that cannot be carried out (unknown user, weak password, ...)."""


class ApiToken(BaseModel):
    id: str
    sha256: str
    label: str = ""
    created: str


class User(BaseModel):
    username: str
    role: Role
    #: Unit ids whose subtrees this user may see; ``["*"]`` means every unit.
    scopes: list[str] = Field(default_factory=list)
    password_hash: str
    disabled: bool = False
    created: str
    tokens: list[ApiToken] = Field(default_factory=list)

    @property
    def sees_everything(self) -> bool:
        return "*" in self.scopes

    def can(self, action: str) -> bool:
        """Whether the role allows ``action`` (read, analytics, export, admin)."""
        allowed = {
            Role.inspector: {"read"},
            Role.analyst: {"read", "analytics", "export"},
            Role.admin: {"read", "analytics", "export", "admin", "load"},
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
        self.path = home / "users.json"
        home.mkdir(parents=True, exist_ok=True)
        self._parsed: tuple[tuple[int, int, int], UserFile] | None = None

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
        with open(lock, "a+") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                data = self._parse()  # a private copy to change
                yield data
                tmp = self.path.with_name(f".users.{os.getpid()}.tmp")
                with open(tmp, "wb") as out:
                    doc = data.model_dump(mode="json")
                    out.write(orjson.dumps(doc, option=orjson.OPT_INDENT_2))
                    out.flush()
                    os.fsync(out.fileno())
                os.chmod(tmp, 0o600)
                os.replace(tmp, self.path)
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    # -- queries ----------------------------------------------------------------------
    def all(self) -> list[User]:
        return sorted(self._read().users.values(), key=lambda u: u.username)

    def get(self, username: str) -> User | None:
        return self._read().users.get(username)

    # -- commands ---------------------------------------------------------------------
    def add(self, username: str, role: Role, password: str, scopes: list[str]) -> User:
        if not _USERNAME.fullmatch(username):
            raise UserError(Message("users.bad_name", name=username))
        if role != Role.admin and not scopes:
            raise UserError(Message("users.needs_scope"))
        user = User(
            username=username, role=role, scopes=scopes or ["*"],
            password_hash=hash_password(password), created=_now(),
        )
        with self._edit() as data:
            if username in data.users:
                raise UserError(Message("users.exists", name=username))
            data.users[username] = user
        return user

    def set_scope(self, username: str, scopes: list[str]) -> User:
        with self._edit() as data:
            user = self._existing(data, username)
            user.scopes = scopes
        return user

    def set_disabled(self, username: str, disabled: bool) -> User:
        with self._edit() as data:
            user = self._existing(data, username)
            user.disabled = disabled
        return user

    def set_password(self, username: str, password: str) -> User:
        with self._edit() as data:
            user = self._existing(data, username)
            user.password_hash = hash_password(password)
        return user

    def issue_token(self, username: str, label: str = "") -> str:
        """A new API token (``dg_<id>_<secret>``), shown once; only its hash is kept."""
        token_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
        with self._edit() as data:
            user = self._existing(data, username)
            user.tokens.append(ApiToken(id=token_id, sha256=_sha(secret), label=label,
                                        created=_now()))
        return f"dg_{token_id}_{secret}"

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
        prefix, _, rest = token.partition("_")
        token_id, _, secret = rest.partition("_")
        if prefix != "dg" or not token_id or not secret:
            return None
        digest = _sha(secret)
        for user in self._read().users.values():
            for t in user.tokens:
                if t.id == token_id and hmac.compare_digest(t.sha256, digest):
                    return None if user.disabled else user
        return None


def _sha(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
