"""Reads of the register that views and commands share: filters, the roster of a person, co-members."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from django.db import connection
from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Upper
from django.db.models.query import ModelIterable
from django.utils import timezone
from django.utils.translation import gettext_lazy

from worktrace.registry.models import Employment, GroupKind, Membership, Person, PersonDeclaration, TestResult
from worktrace.text import digits, fold


def people_search(people: QuerySet[Person], query: str, *, identifier_fragments: bool) -> QuerySet[Person]:
    """Filter and rank by name (diacritics and case optional, words in any order, parts of words), worker code,
    citizen ID (whole or last digits) or phone. Best matches first: exact ID or code, then numbers ending in the
    digits; for names the whole name, a name starting with the query, a word of the name starting with it, the
    query inside a word, and last names holding every word in another order. Ties by folded name, then id.

    ``identifier_fragments`` (``Access.may_search_identifier_fragments``) allows the last digits of a citizen ID
    or phone; without it only the whole number matches. A user who sees identifiers masked to their last digits
    could otherwise recover them by prepending digits to the visible suffix and watching who stays in the results.

    The result is a query set of every match (``count()``, iteration and pagination see all of them), but a slice
    of it is read tier by tier (see ``_TieredSearch``): the first page of a common fragment such as "thi huong"
    (~31,000 of 1,000,000 people) comes from the name btree index in name order instead of ranking every match.

    On PostgreSQL the LIKE conditions use the trigram indexes of tracing/migrations/0002.
    """
    query = query.strip()
    if not query:
        return people
    folded = fold(query)
    number = digits(query)
    numeric = bool(number) and number == query.replace(" ", "").replace(".", "")
    # Worker codes are looked up first (one indexed query) so that the final OR holds plain id lists, which
    # PostgreSQL combines with the trigram indexes (a sub-select inside the OR made it scan the table).
    code_people = list(
        Employment.objects.annotate(code_upper=Upper("worker_code"))
        .filter(code_upper=query.upper())
        .values_list("person_id", flat=True)[:200]
    )
    condition = Q(pk__in=code_people)
    rank = [When(pk__in=code_people, then=Value(0))] if code_people else []
    tiers: list[_Tier] = []
    if numeric and not identifier_fragments:
        condition |= Q(national_id=number) | Q(phone=number)
        rank += [When(national_id=number, then=Value(0)), When(phone=number, then=Value(1))]
    elif numeric and len(number) >= 3:
        condition |= Q(national_id__endswith=number) | Q(phone__endswith=number)
        rank += [
            When(national_id=number, then=Value(0)),
            When(phone=number, then=Value(1)),
            When(Q(national_id__endswith=number) | Q(phone__endswith=number), then=Value(1)),
        ]
    elif not numeric:
        by_name = Q()
        for word in folded.split():
            by_name &= Q(name_folded__contains=word)
        condition |= by_name
        prefix = Q(name_folded__startswith=folded) & Q(name_folded__gte=folded)
        if _ordered_by_code_point():
            prefix &= Q(name_folded__lt=folded + _LAST_CHARACTER)
        word_prefix = Q(name_folded__contains=" " + folded)
        inside = Q(name_folded__contains=folded)
        rank += [
            When(name_folded=folded, then=Value(2)),
            When(name_folded__startswith=folded, then=Value(3)),
            When(word_prefix, then=Value(4)),
            When(inside, then=Value(5)),
        ]
        # Disjoint tiers in the order of the rank; inside each, the order of the full query (rank, name, id).
        # An exact name sorts first among the names it starts, so exact and prefix are one tier in name order.
        # (A worker code is not a common name fragment: its query ranks every match in one query.)
        tiers = (
            []
            if code_people or not folded
            else [
                _Tier(prefix, ranked=False),
                _Tier(
                    word_prefix & ~Q(name_folded__startswith=folded),
                    ranked=False,
                    after_a_find=_Tier(~Q(name_folded__startswith=folded), ranked=True),
                ),
                # The rest (the query inside a word, every word in another order) is usually small; ranked.
                _Tier(~Q(name_folded__startswith=folded) & ~word_prefix, ranked=True),
            ]
        )
    result = (
        people.filter(condition)
        .annotate(search_rank=Case(*rank, default=Value(6), output_field=IntegerField()))
        .order_by("search_rank", "name_folded", "id")
    )
    if not tiers:
        return result
    tiered = result._chain()  # type: ignore[attr-defined]
    tiered.__class__ = _tiered_class(type(result))
    tiered._search_tiers = tiers  # type: ignore[attr-defined]
    tiered._search_base = people  # type: ignore[attr-defined]
    return tiered


# Above every character: ``name >= q AND name < q + _LAST_CHARACTER`` is "name starts with q" wherever strings
# compare by code point (SQLite's BINARY, PostgreSQL's C collations), which lets a btree serve it in name order.
_LAST_CHARACTER = chr(0x10FFFF)


def _ordered_by_code_point() -> bool:
    if connection.vendor == "sqlite":
        return True
    if connection.vendor != "postgresql":
        return False
    collation = getattr(connection, "_worktrace_collation", None)
    if collation is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT datcollate FROM pg_database WHERE datname = current_database()")
            row = cursor.fetchone()
        collation = row[0] if row else ""
        connection._worktrace_collation = collation  # type: ignore[attr-defined]
    return collation.replace("-", "").lower() in {"c", "posix", "c.utf8"}


@dataclass(frozen=True)
class _Tier:
    condition: Q
    # Ordered by (search_rank, name, id) among every match, else by (name, id) among the people searched: the
    # condition must then imply the search's, and a btree walk in name order can serve it.
    ranked: bool
    # Read instead of this tier and every later one when an earlier tier found someone: a query that is the start
    # of some names (a whole name) rarely matches many more; ranking them in one query beats one per tier.
    after_a_find: _Tier | None = None


class _TieredSearch(QuerySet[Person]):
    """The result of ``people_search`` for a name: a slice is read tier by tier, each tier only as far as the
    slice needs, then the rows are fetched in one query (with the caller's select/prefetch_related). Anything
    else (count, iteration, filters) is the ordinary query of every match in the same order."""

    _search_tiers: list[_Tier] | None = None
    _search_base: QuerySet[Person] | None = None  # the people searched, without the search's own condition

    def _clone(self):  # type: ignore[no-untyped-def]
        clone = super()._clone()  # type: ignore[misc]
        clone._search_tiers = self._search_tiers
        clone._search_base = self._search_base
        return clone

    def _filter_or_exclude(self, negate, args, kwargs):  # type: ignore[no-untyped-def]
        # A filter added after the search is not in _search_base: slices then read the ordinary query.
        clone = super()._filter_or_exclude(negate, args, kwargs)  # type: ignore[misc]
        clone._search_tiers = None
        return clone

    def order_by(self, *field_names):  # type: ignore[no-untyped-def]
        clone = super().order_by(*field_names)
        clone._search_tiers = None
        return clone

    def reverse(self):  # type: ignore[no-untyped-def]
        clone = super().reverse()
        clone._search_tiers = None
        return clone

    def __getitem__(self, k):  # type: ignore[no-untyped-def]
        if (
            not self._search_tiers
            or self._iterable_class is not ModelIterable
            or self._result_cache is not None
            or not isinstance(k, slice)
            or k.step is not None
            or self.query.is_sliced
            or (k.start is not None and k.start < 0)
            or (k.stop is not None and k.stop < 0)
        ):
            return super().__getitem__(k)
        start = k.start or 0
        stop = k.stop
        if stop is not None and stop <= start:
            return []
        ids: list[int] = []
        skip = start  # rows of the slice's start not yet passed in earlier tiers
        found = False  # by an earlier tier
        for tier in self._search_tiers:
            wanted = None if stop is None else stop - start - len(ids)
            if wanted == 0:
                break
            last = found and tier.after_a_find is not None
            if last and tier.after_a_find is not None:
                tier = tier.after_a_find
            if tier.ranked:
                part = self.filter(tier.condition).order_by("search_rank", "name_folded", "id")
            else:
                # The condition alone (it implies the search's): with the per-word LIKEs beside it PostgreSQL
                # underestimates the matches and ranks them all instead of walking the name index in order.
                assert self._search_base is not None
                part = self._search_base.filter(tier.condition).order_by("name_folded", "id")
            pks = part.values_list("pk", flat=True)
            got = list(pks[skip:] if wanted is None else pks[skip : skip + wanted])
            if got:
                ids += got
                skip = 0
                found = True
            elif skip:
                counted = pks.count()
                skip = max(0, skip - counted)
                found = found or counted > 0
            if last:
                break
        if not ids:
            return []
        rows = self.filter(pk__in=ids).order_by()
        by_id = {row.pk: row for row in rows}
        return [by_id[pk] for pk in ids if pk in by_id]


@cache
def _tiered_class(base: type[QuerySet[Person]]) -> type[_TieredSearch]:
    if issubclass(base, _TieredSearch):
        return base
    return type(f"Tiered{base.__name__}", (_TieredSearch, base), {})


def people_with_current_jobs(people: QuerySet[Person], on: dt.date | None = None) -> QuerySet[Person]:
    """Attach current jobs and current workshop/team memberships without one query per row."""
    now = timezone.now()
    jobs = Employment.objects.current(on).select_related("company")
    places = (
        Membership.objects.current(now)
        .filter(group__kind__in=[GroupKind.WORKSHOP, GroupKind.TEAM])
        .select_related("group")
    )
    return people.prefetch_related(
        Prefetch("employments", queryset=jobs, to_attr="current_jobs"),
        Prefetch("memberships", queryset=places, to_attr="current_places"),
    )


@dataclass
class PlaceRow:
    membership: Membership


def person_places(person: Person, declared_by: set[int] | None = None) -> dict[str, list[PlaceRow]]:
    """The person's current groups by kind (only those these companies declared, when given).

    Who else is in them: tracing.selectors.person_related.
    """
    now = timezone.now()
    own = person.memberships.current(now).select_related("group", "group__parent", "employment__company")
    if declared_by is not None:
        own = own.filter(declared_by_id__in=declared_by)
    result: dict[str, list[PlaceRow]] = defaultdict(list)
    for membership in own:
        result[membership.group.kind].append(PlaceRow(membership))
    return dict(result)


def person_history(person: Person, declared_by: set[int] | None = None) -> QuerySet[Membership]:
    """Every membership, ended ones included, newest first: where did this person live and work.

    With ``declared_by``, only the memberships those companies declared (what a company may see).
    """
    history = person.memberships.select_related("group", "group__parent").order_by("-start", "-id")
    return history if declared_by is None else history.filter(declared_by_id__in=declared_by)


M_OFFICIAL = gettext_lazy("cơ quan y tế")
M_OTHER_SOURCE = gettext_lazy("nguồn khác")
SOURCE_FIELDS = {
    "phone": ("phone",),
    "address": ("home_province_id", "permanent_address"),
    "vaccine": ("vaccine_doses", "last_dose_on", "vaccine_name"),
}


@dataclass
class DeclaredAbout:
    """What a viewer may see of a person's jobs, memberships and tests (see Access.declarations_visible)."""

    jobs: QuerySet[Employment]
    tests: QuerySet[TestResult]
    history: QuerySet[Membership]
    groups: set[int] | None  # groups of the memberships shown; None: all
    declarations: QuerySet[PersonDeclaration]


def person_sources(person: Person, declared_by: set[int] | None) -> dict[str, str]:
    """Who declared each registered value shown on the profile (phone, address, vaccination).

    The most recent declaration holding the registered value names the source: the health department for an
    official's, the company when the viewer may see that company's declarations, else "another source" (a
    company is not told which other employer declared a value).
    """
    declarations = list(person.declarations.select_related("company"))
    sources: dict[str, str] = {}
    for name, fields in SOURCE_FIELDS.items():
        value = tuple(getattr(person, f) for f in fields)
        for declaration in declarations:
            if not any(value) or tuple(getattr(declaration, f) for f in fields) != value:
                continue
            if declaration.company is None:
                sources[name] = str(M_OFFICIAL)
            elif declared_by is None or declaration.company_id in declared_by:
                sources[name] = declaration.company.name
            else:
                sources[name] = str(M_OTHER_SOURCE)
            break
    return sources


def declared_about(person: Person, declared_by: set[int] | None) -> DeclaredAbout:
    """The person's jobs, tests and memberships, only those these companies declared when given (issue 7 §1)."""
    jobs = person.employments.select_related("company", "company__zone").order_by("-start_date")
    tests = person.tests.select_related("declared_by")
    declarations = person.declarations.select_related("company", "home_province")
    if declared_by is None:
        return DeclaredAbout(jobs, tests, person_history(person), None, declarations)
    groups = set(person.memberships.filter(declared_by_id__in=declared_by).values_list("group_id", flat=True))
    return DeclaredAbout(
        jobs.filter(company_id__in=declared_by),
        tests.filter(declared_by_id__in=declared_by),
        person_history(person, declared_by),
        groups,
        declarations.filter(company_id__in=declared_by),
    )
