"""The contact network (graph.py): F1s one by one, F2s gathered per place with counts, places as compound nodes,
served as JSON from the officer's own kept result, audited."""

from __future__ import annotations

from django.urls import reverse

from worktrace.audit.models import Action, AuditEntry
from worktrace.tracing.graph import Place, graph_data, graph_legend
from worktrace.tracing.tests.test_trace_views import trace

TEAM = [Place("g10", "Công ty May A\nTổ 1 – Phân xưởng May", "team")]
OTHER_TEAM = [Place("g11", "Công ty May A\nTổ 2 – Phân xưởng May", "team")]
BUS = [Place("g20", "Xe 98B-100.07", "vehicle")]
ROOM = [Place("g30", "Phòng 3 – Nhà trọ Bà Tư", "room")]
PLACES = {10: TEAM, 11: OTHER_TEAM, 21: BUS, 30: ROOM}


def reason(kind: str, group_id: int, via_id: int) -> dict:
    return {"kind": kind, "group": f"nhóm {group_id}", "group_id": group_id, "via_id": via_id}


def contact(pk: int, level: int, *relations: dict, close: bool = True) -> dict:
    return {"id": pk, "name": f"Người {pk}", "level": level, "close": close, "relations": list(relations)}


def document() -> dict:
    """F0 (1) with two teammates F1 (2, 3) and a bus F1 (4); F2: five on the bus through 2 and 3, the team of 4
    (two people), one roommate of 2; one to monitor."""
    contacts = [
        contact(2, 1, reason("team", 10, 1)),
        contact(3, 1, reason("team", 10, 1)),
        contact(4, 1, reason("trip", 21, 1)),
        *(contact(pk, 2, reason("trip", 21, 2), reason("trip", 21, 3)) for pk in range(10, 15)),
        contact(20, 2, reason("team", 11, 4)),
        contact(21, 2, reason("team", 11, 4)),
        contact(30, 2, reason("room", 30, 2)),
        contact(40, 1, reason("workshop", 10, 1), close=False),
    ]
    return {"index": {"id": 1, "name": "Người 1"}, "contacts": contacts}


def people(graph: dict) -> dict[str, dict]:
    return {p["id"]: p for p in graph["people"]}


def test_it_draws_f0_and_every_f1_one_by_one():
    graph = people(graph_data(document(), PLACES))
    assert [pk for pk, p in graph.items() if p["level"] in ("F0", "F1")] == ["1", "2", "3", "4"]
    assert all(graph[pk]["bundle"] is None for pk in ("1", "2", "3", "4"))


def test_it_gathers_f2s_per_place_with_their_count():
    graph = graph_data(document(), PLACES)
    bundles = {b["parent"]: b for b in graph["bundles"]}
    assert bundles["g20"]["count"] == 5 and bundles["g20"]["label"] == "+5 F2"  # the bus
    assert bundles["g11"]["count"] == 2 and bundles["g11"]["label"] == "+2 F2"  # the team of the bus rider
    found = people(graph)
    assert {pk for pk, p in found.items() if p["bundle"] == bundles["g20"]["id"]} == {"10", "11", "12", "13", "14"}
    # Alone at their level in their place: drawn as a person, not as "+1".
    assert found["30"]["bundle"] is None and found["30"]["parent"] == "g30"
    assert found["40"]["bundle"] is None and found["40"]["level"] == "monitor"


def test_it_places_people_in_their_team_else_where_they_met():
    graph = graph_data(document(), PLACES)
    groups = {g["id"]: g for g in graph["groups"]}
    assert groups["g10"] == {
        "id": "g10",
        "label": "Công ty May A\nTổ 1 – Phân xưởng May",
        "kind": "team",
        "parent": None,
    }
    assert groups["g20"]["kind"] == "vehicle" and groups["g30"]["kind"] == "room"
    found = people(graph)
    assert found["1"]["parent"] == "g10"  # F0 in the team its teammates met it in
    assert found["4"]["parent"] == "g11"  # the bus rider in their own team, which their F2 teammates show
    assert found["10"]["parent"] == "g20"  # reached on the bus: in the bus


def test_it_joins_people_once_per_relation_and_skips_those_outside_the_viewers_scope():
    doc = document()
    doc["contacts"][4]["relations"].append(reason("trip", 21, None))  # reached through someone not shown
    doc["contacts"][4]["relations"].append(reason("trip", 21, 2))  # a second trip of the same bus
    edges = graph_data(doc, PLACES)["edges"]
    assert edges.count(["2", "10", "trip"]) == 1
    assert all(source != "None" for source, _target, _kind in edges)


def test_it_names_a_group_gone_since_the_trace_as_the_document_kept_it():
    graph = graph_data(document(), {})
    labels = {g["id"]: g["label"] for g in graph["groups"]}
    assert labels["r21"] == "nhóm 21"


def test_the_legend_names_every_level_of_the_trace_and_every_relation():
    legend = graph_legend(2)
    assert [label for label, _colour in legend["levels"]] == ["F0", "F1", "F2", "Theo dõi"]
    assert len(legend["kinds"]) == 8


def test_it_serves_the_graph_of_the_officers_own_kept_result_audited(client, world):
    record = trace(client, world)
    page = client.get(reverse("trace_result", args=[world.ann.pk]), {"ket_qua": record.key}).content.decode()
    url = reverse("trace_graph", args=[world.ann.pk])
    assert f'data-url="{url}?ket_qua={record.key}"' in page
    assert "/static/vendor/cytoscape-fcose/cytoscape-fcose.js" in page and 'id="graph-legend"' in page
    response = client.get(url, {"ket_qua": record.key})
    assert response.status_code == 200
    names = {p["label"] for p in response.json()["people"]}
    assert {"Lê Minh Châu", "Phạm Thị Dung", "Hoàng Văn Hải"} <= names
    entry = AuditEntry.objects.filter(action=Action.LIST_PEOPLE, detail__what="trace.graph").get()
    assert entry.detail["what"] == "trace.graph" and entry.detail["trace"] == str(record.key)
    assert len(entry.detail["people"]) == len(record.document["contacts"])
    for path in ("cytoscape-fcose/cytoscape-fcose.js", "cose-base/cose-base.js", "layout-base/layout-base.js"):
        assert client.get(f"/static/vendor/{path}").status_code == 200


def test_it_refuses_the_graph_of_another_officers_result(client, world):
    record = trace(client, world)
    url = reverse("trace_graph", args=[world.ann.pk])
    assert client.get(url, {"ket_qua": "not-a-key"}).status_code == 404
    client.force_login(world.admin)
    assert client.get(url, {"ket_qua": record.key}).status_code == 404
    assert client.post(url, {"ket_qua": record.key}).status_code == 405


def test_it_names_a_companys_team_with_the_company_and_draws_a_trip_as_its_bus(world):
    from worktrace.registry.models import Group, GroupKind
    from worktrace.tracing.graph import places_for

    team = Group.objects.filter(kind=GroupKind.TEAM, company__isnull=False).select_related("company").first()
    bus = Group.objects.create(kind=GroupKind.VEHICLE, name="Xe 98B-100.07", code="98B10007")
    trip = Group.objects.create(kind=GroupKind.TRIP, name="02/06 06:30", parent=bus)
    places = places_for([team.pk, trip.pk])
    assert places[team.pk][0].label == f"{team.company.name}\n{team}"
    assert places[trip.pk][0].id == f"g{trip.parent_id}" and places[trip.pk][0].kind == GroupKind.VEHICLE
