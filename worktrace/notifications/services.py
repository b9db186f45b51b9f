"""The one notification service every app calls: ``notify(...)``.

It writes, in the caller's transaction, one inbox row per recipient (skipping a recipient this event already
reached: ``dedup_key``) and one delivery row per outside channel (e-mail, SMS); after commit it queues the
sender (``tasks.deliveries_task``). Because the rows are written with the event itself — a confirmed case, an
applied roster — an event that rolls back notifies nobody, and one that commits cannot lose its notifications
even if no worker is running: the periodic sweep sends what is due.

Recipients are accounts (``users``: resolved by the caller from roles and scopes through
``accounts.access.users_holding``) or people (``people``: a queryset, inserted with one INSERT … SELECT so a
broadcast to a province's workers is one statement). Every call is written to the audit log: the kind, the
event, which accounts and how many people, and by which channels.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from worktrace.accounts.models import User
from worktrace.audit.models import Action
from worktrace.audit.services import audit_record
from worktrace.notifications.models import Broadcast, Channel, Delivery, Kind, Notification
from worktrace.registry.models import Person

# Which outside channels each kind goes by (when the recipient has an address and the channel is configured).
# The inbox is always used; SMS for accounts only where it is urgent, for people whenever it is asked for.
USER_CHANNELS: dict[str, frozenset[Channel]] = {
    Kind.CASES_CONFIRMED: frozenset({Channel.EMAIL, Channel.SMS}),
    Kind.CASES_BY_COMPANY: frozenset({Channel.EMAIL}),
    Kind.POSITIVE_TEST: frozenset({Channel.EMAIL, Channel.SMS}),
    Kind.BROADCAST: frozenset({Channel.EMAIL}),
    Kind.ROSTER_STALE: frozenset({Channel.EMAIL}),
    Kind.ROSTER_DIGEST: frozenset({Channel.EMAIL}),
}
# The audit entry lists people one by one up to this many; a larger audience (a broadcast to a province) is
# recorded by its count and its broadcast, whose inbox rows name every person.
AUDIT_PEOPLE_LISTED = 10_000


@dataclass(frozen=True)
class Sent:
    """What one ``notify`` call wrote: new inbox rows (accounts, people) and deliveries."""

    users: int = 0
    people: int = 0
    deliveries: int = 0


def channels_enabled() -> frozenset[Channel]:
    enabled = set()
    if settings.NOTIFY_EMAIL:
        enabled.add(Channel.EMAIL)
    if settings.SMS_GATEWAY_URL:
        enabled.add(Channel.SMS)
    return frozenset(enabled)


def notify(
    *,
    kind: Kind,
    dedup_key: str,
    params: dict[str, Any] | None = None,
    link: str = "",
    users: Iterable[User] = (),
    people: QuerySet[Person] | None = None,
    people_sms: bool = False,
    broadcast: Broadcast | None = None,
    by: Any = None,
    about: Any = None,
) -> Sent:
    """Notify each recipient once per ``dedup_key``; returns what was new. Call it inside the event's transaction.

    ``params`` fill the kind's template (kinds.py) and must hold only what every recipient may see.
    ``people_sms``: also text the people (workers) who have a phone, if an SMS gateway is configured.
    ``about``: the object the audit entry names (the investigation, the broadcast, ...).
    """
    params = params or {}
    enabled = channels_enabled()
    now = timezone.now()
    with transaction.atomic():
        user_ids = _notify_users(kind, dedup_key, params, link, list(users), broadcast, now)
        people_count = 0
        if people is not None:
            people_count = _notify_people(kind, dedup_key, params, link, people, broadcast, now)
        deliveries = _deliveries_for_users(kind, dedup_key, user_ids, enabled, now)
        if people_sms and Channel.SMS in enabled and people_count:
            deliveries += _deliveries_for_people(dedup_key, now)
        person_ids: list[int] = []
        if people is not None and people_count <= AUDIT_PEOPLE_LISTED:
            reached = Notification.objects.filter(dedup_key=dedup_key, person__isnull=False)
            person_ids = sorted(reached.values_list("person_id", flat=True))
        if user_ids or people_count:
            audit_record(
                action=Action.NOTIFY,
                user=by,
                obj=about,
                object_type="" if about is not None else "notification",
                object_repr="" if about is not None else dedup_key,
                detail={
                    "kind": str(kind),
                    "dedup_key": dedup_key,
                    "users": sorted(user_ids),
                    "people": person_ids if people_count <= AUDIT_PEOPLE_LISTED else people_count,
                    "channels": ["inbox", *sorted({str(c) for c in enabled if c in USER_CHANNELS[kind]})],
                    "deliveries": deliveries,
                    **({"broadcast": broadcast.pk} if broadcast is not None else {}),
                },
            )
        if deliveries:
            transaction.on_commit(_enqueue_sender)
    return Sent(users=len(user_ids), people=people_count, deliveries=deliveries)


def _enqueue_sender() -> None:
    from worktrace.notifications.tasks import deliveries_task

    deliveries_task()


def _notify_users(
    kind: Kind,
    dedup_key: str,
    params: dict[str, Any],
    link: str,
    users: list[User],
    broadcast: Broadcast | None,
    now: Any,
) -> list[int]:
    """Inbox rows for the accounts this event has not reached yet; returns their ids."""
    wanted = {u.pk for u in users}
    if not wanted:
        return []
    already = set(
        Notification.objects.filter(dedup_key=dedup_key, user_id__in=wanted).values_list("user_id", flat=True)
    )
    new = sorted(wanted - already)
    Notification.objects.bulk_create(
        [
            Notification(
                kind=kind,
                dedup_key=dedup_key,
                user_id=pk,
                params=params,
                link=link,
                broadcast=broadcast,
                created_at=now,
            )
            for pk in new
        ],
        ignore_conflicts=True,  # a concurrent trigger of the same event: the constraint keeps one row
    )
    return new


def _notify_people(
    kind: Kind,
    dedup_key: str,
    params: dict[str, Any],
    link: str,
    people: QuerySet[Person],
    broadcast: Broadcast | None,
    now: Any,
) -> int:
    """Inbox rows for every person of ``people`` not yet reached, in one INSERT … SELECT; returns how many."""
    table = Notification._meta.db_table
    person_sql, person_params = people.order_by().values("pk").query.sql_with_params()
    json_value = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    sql = (
        f"INSERT INTO {table} (kind, dedup_key, person_id, params, link, broadcast_id, created_at) "
        f"SELECT %s, %s, p.id, {json_value}, %s, %s, %s FROM {Person._meta.db_table} p WHERE p.id IN ({person_sql}) "
        "ON CONFLICT DO NOTHING"
    )
    values = [str(kind), dedup_key, json.dumps(params), link, broadcast.pk if broadcast else None, now]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, *person_params])
        return max(cursor.rowcount, 0)


def _deliveries_for_users(
    kind: Kind, dedup_key: str, user_ids: list[int], enabled: frozenset[Channel], now: Any
) -> int:
    channels = USER_CHANNELS[kind] & enabled
    if not user_ids or not channels:
        return 0
    rows = []
    fresh = Notification.objects.filter(dedup_key=dedup_key, user_id__in=user_ids).select_related("user")
    for notification in fresh:
        user = notification.user
        assert user is not None  # the rows just written for these accounts
        addresses = {Channel.EMAIL: user.email, Channel.SMS: user.phone}
        for channel in sorted(channels):
            if addresses[channel]:
                rows.append(
                    Delivery(notification=notification, channel=channel, address=addresses[channel], created_at=now)
                )
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _deliveries_for_people(dedup_key: str, now: Any) -> int:
    """An SMS delivery for each person this event reached who has a phone, in one INSERT … SELECT."""
    delivery = Delivery._meta.db_table
    notification = Notification._meta.db_table
    person = Person._meta.db_table
    new_key = "gen_random_uuid()" if connection.vendor == "postgresql" else "lower(hex(randomblob(16)))"
    sql = (
        f"INSERT INTO {delivery} (notification_id, channel, address, key, state, attempts, next_attempt_at, "
        "worker, last_error, created_at) "
        f"SELECT n.id, %s, p.phone, {new_key}, 'pending', 0, %s, '', '', %s "
        f"FROM {notification} n JOIN {person} p ON p.id = n.person_id "
        f"WHERE n.dedup_key = %s AND p.phone <> '' ON CONFLICT DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [str(Channel.SMS), now, now, dedup_key])
        return max(cursor.rowcount, 0)


def notification_mark_read(*, notifications: QuerySet[Notification]) -> int:
    """Mark as read (the caller passes the user's own inbox, from ``Access.notifications``); returns how many."""
    return notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
