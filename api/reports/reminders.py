"""Reminders of the working loop: one digest per recipient of the red and yellow items
they must act on next (the holder of a duty, the recipient of a referral or 督办 awaiting a
reply, the issuing body of one awaiting verification, an issue's owner, a project's
leader), written as text files and, only when an SMTP server and addresses are configured,
sent by e-mail."""

from __future__ import annotations

import re
import smtplib
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from api.i18n import Lang, translate
from api.reports.warnings import COLOUR_TEXT, TYPE_TEXT, rule_text
from graph.messages import Message
from graph.queries.models import NodeRef
from graph.queries.warnings import WarningItem, WarningList
from graph.settings import Settings


@dataclass(frozen=True)
class Digest:
    """The items one recipient must act on, and the digest's text."""

    recipient: NodeRef
    items: tuple[WarningItem, ...]
    text: str

    @property
    def filename(self) -> str:
        """A file name for the recipient (its uid, made safe for any file system)."""
        return re.sub(r"[^A-Za-z0-9._-]+", "_", self.recipient.uid) + ".txt"


def digests(result: WarningList, lang: Lang) -> list[Digest]:
    """One digest per recipient of the list's items (items without one are left out), the
    recipients in the order of their most urgent item."""
    groups: dict[str, list[WarningItem]] = {}
    who: dict[str, NodeRef] = {}
    for item in result.items:
        if item.holder is None:
            continue
        groups.setdefault(item.holder.uid, []).append(item)
        who[item.holder.uid] = item.holder
    out = []
    for uid, items in groups.items():
        head = translate(Message("remind.head", name=who[uid].caption, date=result.as_of,
                                 red=sum(i.colour == "red" for i in items),
                                 yellow=sum(i.colour == "yellow" for i in items)), lang)
        lines = [head, ""]
        for i in items:
            lines.append(f"[{translate(COLOUR_TEXT[i.colour], lang)}] "
                         f"{translate(TYPE_TEXT[i.type], lang)} · {i.node.caption} "
                         f"({i.node.uid}) · {rule_text(i, lang)}")
        out.append(Digest(who[uid], tuple(items), "\n".join(lines) + "\n"))
    return out


def write(found: Sequence[Digest], folder: Path) -> list[Path]:
    """Each digest as ``folder/<recipient>.txt`` (UTF-8); the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for d in found:
        path = folder / d.filename
        path.write_text(d.text, encoding="utf-8")
        paths.append(path)
    return paths


def send(found: Sequence[Digest], addresses: Mapping[str, str], settings: Settings,
         lang: Lang) -> list[str]:
    """E-mail each digest whose recipient has an address (by uid) through the configured
    SMTP server; the uids sent to. Nothing is sent without ``DUTYGRAPH_SMTP_HOST`` and
    ``DUTYGRAPH_SMTP_FROM``."""
    if not settings.smtp_host or not settings.smtp_from:
        return []
    due = [d for d in found if addresses.get(d.recipient.uid)]
    if not due:
        return []
    context = ssl.create_default_context()
    smtp: smtplib.SMTP
    if settings.smtp_security == "ssl":
        smtp = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, context=context,
                                timeout=30)
    else:
        smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30)
    sent = []
    with smtp:
        if settings.smtp_security == "starttls":
            smtp.starttls(context=context)
        if settings.smtp_username and settings.smtp_password:
            smtp.login(settings.smtp_username, settings.smtp_password.get_secret_value())
        for d in due:
            mail = EmailMessage()
            mail["From"] = settings.smtp_from
            mail["To"] = addresses[d.recipient.uid]
            mail["Subject"] = translate(Message("remind.subject", name=d.recipient.caption,
                                                n=len(d.items)), lang)
            mail.set_content(d.text)
            smtp.send_message(mail)
            sent.append(d.recipient.uid)
    return sent
