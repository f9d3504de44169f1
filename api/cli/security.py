"""``dutygraph users ...`` and ``dutygraph audit ...``: accounts and the audit log."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from api.cli.common import EXIT_USAGE, fail
from api.cli.text import say, say_n
from api.security.audit import AuditLog, read_head
from api.security.users import Role, UserError, UserStore, generate_password
from graph.messages import Message
from graph.settings import Settings, get_settings

users_app = typer.Typer(help="Manage users, roles and unit scopes.", no_args_is_help=True)
audit_app = typer.Typer(help="Read and verify the audit log.", no_args_is_help=True)


def _users() -> UserStore:
    return UserStore(get_settings().home)


@contextlib.contextmanager
def _user_errors() -> Iterator[None]:
    """A refused user command (unknown user, weak password, ...) exits 1 with its reason."""
    try:
        yield
    except UserError as exc:
        raise fail(exc.message) from None


ScopeOpt = Annotated[
    list[str] | None,
    typer.Option("--scope", help="Unit id whose subtree the user may see (repeat; '*' = all)."),
]


@users_app.command("add")
def users_add(
    username: str,
    role: Annotated[Role, typer.Option(
        help="inspector, analyst, unit_officer or admin.")] = Role.inspector,
    scope: ScopeOpt = None,
    password: Annotated[str | None, typer.Option(
        help="Password (10+ characters); omitted: a random one is printed once.")] = None,
    unit: Annotated[str | None, typer.Option(
        help="Unit id the account acts for when it issues or verifies a 督办 (default: its "
             "scope's units).")] = None,
    person: Annotated[str | None, typer.Option(
        help="Person id the account belongs to (the default replier).")] = None,
) -> None:
    """Add a user. Without --password a random password is generated and printed once."""
    pw = password or generate_password()
    with _user_errors():
        user = _users().add(username, role, pw, scope or [], unit=_uid(unit, "unit"),
                            person=_uid(person, "person"))
    typer.echo(say("users.added", name=user.username, role=user.role.value,
                   scope=", ".join(user.scopes)))
    if password is None:
        typer.echo(say("users.password_once", password=pw))


@users_app.command("list")
def users_list(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List users with role, scope and status (never hashes)."""
    rows: list[dict[str, Any]] = [
        {"username": u.username, "role": u.role.value, "scopes": u.scopes,
         "disabled": u.disabled, "tokens": len(u.tokens), "created": u.created}
        for u in _users().all()
    ]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        state = say("auth.disabled") if r["disabled"] else say("auth.active")
        typer.echo(f"{r['username']:<20}{r['role']:<11}{state:<10}{','.join(r['scopes'])}")


@users_app.command("disable")
def users_disable(username: str) -> None:
    """Disable a user: sessions end, logins and tokens stop working at once."""
    with _user_errors():
        _users().set_disabled(username, True)
    typer.echo(say("users.disabled", name=username))


@users_app.command("enable")
def users_enable(username: str) -> None:
    """Enable a disabled user again."""
    with _user_errors():
        _users().set_disabled(username, False)
    typer.echo(say("users.enabled", name=username))


def _uid(value: str | None, prefix: str) -> str | None:
    """A unit or person id as the uid the graph names it by (``MH-JW`` → ``unit:MH-JW``)."""
    if not value:
        return value
    return value if value.startswith(f"{prefix}:") else f"{prefix}:{value}"


@users_app.command("set-acting")
def users_set_acting(
    username: str,
    unit: Annotated[str | None, typer.Option(
        help="Unit id the account acts for ('' clears).")] = None,
    person: Annotated[str | None, typer.Option(
        help="Person id the account belongs to ('' clears).")] = None,
) -> None:
    """Set the unit an account acts for and the person it belongs to."""
    with _user_errors():
        user = _users().set_acting(username, unit=_uid(unit, "unit") if unit else unit,
                                   person=_uid(person, "person") if person else person)
    typer.echo(say("users.acting_set", name=username, unit=user.unit or "-",
                   person=user.person or "-"))


@users_app.command("set-scope")
def users_set_scope(username: str, scope: ScopeOpt = None) -> None:
    """Replace the unit subtrees a user may see."""
    if not scope:
        raise fail(Message("users.needs_scope"), EXIT_USAGE)
    with _user_errors():
        _users().set_scope(username, scope)
    typer.echo(say("users.scope_set", name=username, scope=", ".join(scope)))


@users_app.command("passwd")
def users_passwd(
    username: str,
    keep_tokens: Annotated[bool, typer.Option(
        "--keep-tokens", help="Keep the user's API tokens (default: revoke them).")] = False,
) -> None:
    """Set a new random password, printed once. Ends the user's browser sessions at once
    and revokes their API tokens (unless --keep-tokens)."""
    pw = generate_password()
    with _user_errors():
        _, revoked = _users().set_password(username, pw, keep_tokens=keep_tokens)
    typer.echo(say("users.password_once", password=pw))
    typer.echo(say_n("users.passwd_revoked", revoked))


@users_app.command("signout")
def users_signout(username: str) -> None:
    """Sign a user out everywhere: every browser session ends at once (tokens stay)."""
    with _user_errors():
        n = _users().sign_out_everywhere(username)
    typer.echo(say_n("users.signed_out", n, name=username))


@users_app.command("token")
def users_token(
    username: str,
    label: Annotated[str, typer.Option(help="What the token is for (shown by `tokens`).")] = "",
    days: Annotated[int | None, typer.Option(
        help="Days the token is valid (default DUTYGRAPH_TOKEN_DAYS, 90).")] = None,
) -> None:
    """Issue an API bearer token for a user, printed once."""
    with _user_errors():
        token = _users().issue_token(username, label,
                                     days if days is not None else get_settings().token_days)
    typer.echo(token)


@users_app.command("tokens")
def users_tokens(username: str,
                 as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List a user's API tokens: id, label, created, expires, last used (never secrets)."""
    with _user_errors():
        tokens = _users().tokens(username)
    now = dt.datetime.now(dt.UTC)
    rows: list[dict[str, Any]] = [
        {"id": t.id, "label": t.label, "created": t.created, "expires": t.expires,
         "expired": t.expired(now),
         "last_used": None if used is None else dt.datetime.fromtimestamp(
             used, dt.UTC).isoformat(timespec="seconds")}
        for t, used in tokens
    ]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        state = say("users.token_expired") if r["expired"] else say("users.token_active")
        typer.echo(say("users.token_row", id=r["id"], state=state, expires=r["expires"],
                       used=r["last_used"] or say("users.token_never"), label=r["label"]))


@users_app.command("revoke")
def users_revoke(username: str, token_id: str) -> None:
    """Revoke one API token of a user (its id from `dutygraph users tokens NAME`)."""
    with _user_errors():
        _users().revoke_token(username, token_id)
    typer.echo(say("users.token_revoked", name=username, token=token_id))


@audit_app.command("verify")
def audit_verify(
    as_json: Annotated[bool, typer.Option("--json")] = False,
    head: Annotated[Path | None, typer.Option(
        "--head", help="A copy of audit.head kept elsewhere: that entry must still be in "
                       "the log, unchanged (catches a log cut short with its head file).",
        exists=True, dir_okay=False)] = None,
) -> None:
    """Check the keyed hash chain: exit 0 when intact, 1 when any entry was edited or
    deleted."""
    saved = None
    if head is not None:
        try:
            saved = read_head(head)
        except (ValueError, OSError) as exc:
            raise fail(Message("audit.bad_head", detail=str(exc)), 2) from None
    result = AuditLog.from_settings(get_settings()).verify(saved)
    if as_json:
        typer.echo(result.model_dump_json(indent=2))
    else:
        if result.ok:
            typer.echo(say_n("audit.verified", result.entries))
        else:
            typer.echo(say_n("audit.tampered", result.entries))
        for p in result.problems:
            typer.echo(f"  {p}")
    if not result.ok:
        raise typer.Exit(1)


@audit_app.command("head")
def audit_head() -> None:
    """Print the log's head (last sequence number and hash): keep copies of it elsewhere
    and check against them with `dutygraph audit verify --head COPY`."""
    log = AuditLog.from_settings(get_settings())
    if not log.head_path.exists():
        typer.echo("0 " + "0" * 64)
        return
    typer.echo(log.head_path.read_text().strip())


@audit_app.command("who-viewed")
def audit_who_viewed(uid: str, limit: Annotated[int, typer.Option()] = 50) -> None:
    """Who viewed a record (e.g. person:P001), newest first."""
    for e in AuditLog.from_settings(get_settings()).who_viewed(uid, limit):
        typer.echo(f"{e.ts}  {e.user:<16}{e.action:<10}{e.route}")


DEMO_ADMIN = "demo-admin"


def ensure_demo_admin(settings: Settings) -> None:
    """For ``dutygraph demo``: create the demo admin with a random password, printed once,
    unless the home already has users (never a fixed default password)."""
    users = UserStore(settings.home)
    if settings.auth == "off" or users.all():
        return
    password = generate_password()
    users.add(DEMO_ADMIN, Role.admin, password, ["*"])
    typer.echo(say("users.demo_admin", name=DEMO_ADMIN, password=password))


def require_users(settings: Settings) -> None:
    """For ``dutygraph serve``: refuse to start with logins on and nobody able to log in."""
    if settings.auth == "off":
        typer.echo(say("users.auth_off"), err=True)
        return
    if not any(not u.disabled for u in UserStore(settings.home).all()):
        raise fail(Message("users.nobody", path=str(settings.home / "users.json")))


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
    app.add_typer(audit_app, name="audit")
