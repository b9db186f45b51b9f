"""people_search reads a slice tier by tier: same rows and order as the full query, later tiers only if needed."""

from __future__ import annotations

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from worktrace.registry.models import Person
from worktrace.registry.selectors import people_search

TIERS = [
    "Thị Hương",  # the whole name
    "Thị Hương Lan",  # starts with the query
    "Nguyễn Thị Hương",  # a word starts with the query
    "Phạm Anthi Hương",  # the query inside a word
    "Hương Thị Mai",  # every word, another order
]


@pytest.fixture
def tiers(db):
    Person.objects.create(full_name="Trần Văn Bình")
    for name in reversed(TIERS):
        Person.objects.create(full_name=name)


def names(people) -> list[str]:
    return [p.full_name for p in people]


def test_exact_then_prefix_then_word_prefix_then_inside_then_any_order(tiers):
    assert names(people_search(Person.objects.all(), "THI huong", identifier_fragments=True)) == TIERS
    assert names(people_search(Person.objects.all(), "thị hương", identifier_fragments=True)[:50]) == TIERS
    assert names(people_search(Person.objects.all(), "thi huong", identifier_fragments=True)[1:3]) == TIERS[1:3]


@pytest.mark.parametrize(
    ("query", "matches"),
    [("thi huong", 18), ("an", 8)],  # "an": no name starts with it, so the word-prefix tier is read by itself
)
def test_slices_and_pages_match_the_full_query(db, query, matches):
    for name in TIERS * 3 + ["Thị Hương An", "Đỗ Thị Hương", "Vũ Thị Hương Giang"]:
        Person.objects.create(full_name=name)
    found = people_search(Person.objects.all(), query, identifier_fragments=True)
    everything = [p.pk for p in found]
    assert len(everything) == found.count() == matches
    for start in range(matches + 2):
        for stop in range(start, matches + 3):
            sliced = people_search(Person.objects.all(), query, identifier_fragments=True)[start:stop]
            assert [p.pk for p in sliced] == everything[start:stop], (start, stop)
        assert [
            p.pk for p in people_search(Person.objects.all(), query, identifier_fragments=True)[start:]
        ] == everything[start:]
    paginator = Paginator(people_search(Person.objects.all(), query, identifier_fragments=True), 4)
    paged = [p.pk for n in paginator.page_range for p in paginator.page(n)]
    assert paged == everything


def test_a_full_first_tier_stops_there(db):
    for i in range(3):
        Person.objects.create(full_name=f"Thị Hương {i}")
    Person.objects.create(full_name="Nguyễn Thị Hương")
    found = people_search(Person.objects.all(), "thi huong", identifier_fragments=True)
    with CaptureQueriesContext(connection) as queries:
        assert names(found[:3]) == ["Thị Hương 0", "Thị Hương 1", "Thị Hương 2"]
    assert len(queries) == 2  # the prefix tier's ids, then the rows


def test_worker_codes_come_first_and_scope_and_prefetch_are_kept(world):
    scoped = people_search(Person.objects.exclude(pk=world.chau.pk), "inh", identifier_fragments=True)
    assert names(scoped[:10]) == ["Trần Văn Bình"]
    code = people_search(Person.objects.all(), "a001", identifier_fragments=True).prefetch_related("employments")
    (person,) = code[:5]
    assert person.full_name == "Nguyễn Thị Ánh"
    assert "employments" in person._prefetched_objects_cache
    assert list(
        people_search(Person.objects.all(), "tran van binh", identifier_fragments=True).values_list(
            "full_name", flat=True
        )[:1]
    ) == ["Trần Văn Bình"]


def test_a_worker_code_query_still_finds_names_holding_it(world):
    Person.objects.create(full_name="A001 Lê")
    found = people_search(Person.objects.all(), "a001", identifier_fragments=True)
    assert names(found) == names(found[:50]) == ["Nguyễn Thị Ánh", "A001 Lê"]
