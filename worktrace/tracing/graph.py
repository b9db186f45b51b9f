"""The contact network of a trace, drawn so that a depth-2 trace stays readable (docs/tracing.md, "Graph").

Each person is placed in their team (named with its company) when the trace shows it, otherwise in the group
where they met the person who reached them: a bus (all its trips), a room. Groups are cytoscape compound nodes
("boxes"). F0 and the F1s are drawn one by one; everyone else (F2 and further, people to monitor) is gathered
per group and level into one node, "+37 F2", that the page opens on a click (``static/tracing/graph.js``). Edges
join people; the page draws them to boxes and gathered nodes, once per relation kind, with the number of people
each stands for.

The builder reads the trace document (``trace_document(..., with_ids=True)``, as kept in a ``TraceRecord``) and
the groups it names; nothing else.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy

from worktrace.registry.models import Group, GroupKind
from worktrace.tracing.params import level_label

MONITOR = "monitor"  # the level key of wide contacts of F0 ("Theo dõi")

# Node colours by level; edge colours by relation kind. The legend and graph.js read both from here.
LEVEL_COLOURS = {"F0": "#b71c1c", "F1": "#e65100", "F2": "#f9a825", "F3": "#7cb342", MONITOR: "#90a4ae"}
DEEPER_COLOUR = "#26a69a"  # F4, F5
KIND_COLOURS = {
    GroupKind.TEAM: "#d32f2f",
    GroupKind.ROOM: "#7b1fa2",
    GroupKind.HOUSEHOLD: "#c2185b",
    GroupKind.VEHICLE: "#1976d2",
    GroupKind.TRIP: "#0288d1",
    GroupKind.LOCATION: "#f57c00",
    GroupKind.WORKSHOP: "#9e9e9e",
    GroupKind.BOARDING_HOUSE: "#8d6e63",
}

# Which of a person's reasons places them, when several reached them at their level: the smallest group first.
KIND_ORDER = [
    GroupKind.TEAM,
    GroupKind.ROOM,
    GroupKind.HOUSEHOLD,
    GroupKind.VEHICLE,
    GroupKind.TRIP,
    GroupKind.LOCATION,
    GroupKind.WORKSHOP,
    GroupKind.BOARDING_HOUSE,
]

BUNDLE_LABEL = gettext_lazy("+%(n)d %(level)s")
NO_GROUP = gettext_lazy("Nhóm không còn trong sổ")


@dataclass(frozen=True)
class Place:
    """A compound node: a company, team, workshop, bus, room, boarding house, location or household."""

    id: str
    label: str
    kind: str
    parent: str | None = None


def level_key(level: int, close: bool) -> str:
    return f"F{level}" if close else MONITOR


def level_colour(key: str) -> str:
    return LEVEL_COLOURS.get(key, DEEPER_COLOUR)


def places_for(group_ids: Iterable[int]) -> dict[int, list[Place]]:
    """For each group a reason names, the compound nodes that hold a person placed by it, outermost first.

    A trip is drawn as its bus (one box for all its departures). A company's team, workshop, bus or location is
    named with the company on a first line: a box per company around its teams made one box the size of the
    whole graph on the demo's big traces, and kept the satellites of its people far outside it. A room is named
    with its boarding house ("Phòng 3 – Nhà trọ Bà Tư").
    """
    chains: dict[int, list[Place]] = {}
    groups = Group.objects.filter(pk__in=set(group_ids)).select_related("parent", "company", "parent__company")
    for group in groups:
        shown = group.parent if group.kind == GroupKind.TRIP and group.parent else group
        label = f"{shown.company.name}\n{shown}" if shown.company else str(shown)
        chains[group.pk] = [Place(f"g{shown.pk}", label, shown.kind)]
    return chains


def trace_graph(document: dict) -> dict[str, Any]:
    """The graph of a kept trace document, reading the groups it names."""
    group_ids = {r["group_id"] for c in document["contacts"] for r in c["relations"] if r.get("group_id")}
    return graph_data(document, places_for(group_ids))


def _primary(contact: dict, levels: dict[int, int]) -> dict | None:
    """The reason that places a person: one through someone a level above them, of the smallest kind of group."""
    reasons = [r for r in contact["relations"] if r.get("via_id") in levels]
    above = [r for r in reasons if levels[r["via_id"]] == contact["level"] - 1] or reasons
    rank = {kind: i for i, kind in enumerate(KIND_ORDER)}
    return min(above, key=lambda r: rank.get(r["kind"], len(rank)), default=None)


def graph_data(document: dict, places: dict[int, list[Place]]) -> dict[str, Any]:
    """Compound nodes, people, gathered nodes and edges of a trace document (ids as in the document).

    ``people``: every person listed, with ``parent`` (the compound node holding them) and ``bundle`` (the gathered
    node standing for them until opened; None for F0, the F1s, and anyone alone at their level in their group).
    ``edges``: ``[source, target, kind]`` between people, once per pair and kind.
    """
    index = document["index"]
    contacts = document["contacts"]
    levels = {index["id"]: 0} | {c["id"]: c["level"] for c in contacts}
    used: dict[str, Place] = {}

    def place_of(reason: dict | None) -> str | None:
        if reason is None:
            return None
        chain = places.get(reason.get("group_id") or 0)
        if chain is None:  # a group removed since the trace: its name as the document kept it
            chain = [Place(f"r{reason.get('group_id')}", reason.get("group") or str(NO_GROUP), reason["kind"])]
        for place in chain:
            used[place.id] = place
        return chain[-1].id

    # Everyone sits in their own team when the trace shows it (a team contact of theirs, or through them);
    # otherwise where they met the person who reached them (a bus, a room).
    teams: dict[int, dict] = {}
    for contact in contacts:
        for relation in contact["relations"]:
            if relation["kind"] == GroupKind.TEAM:
                teams.setdefault(contact["id"], relation)
                if relation.get("via_id") is not None:
                    teams.setdefault(relation["via_id"], relation)
    people = [
        {"id": str(index["id"]), "label": index["name"], "level": "F0", "parent": place_of(teams.get(index["id"]))}
    ]
    for contact in contacts:
        people.append(
            {
                "id": str(contact["id"]),
                "label": contact["name"],
                "level": level_key(contact["level"], contact["close"]),
                "parent": place_of(teams.get(contact["id"]) or _primary(contact, levels)),
            }
        )

    gathered = Counter((p["parent"], p["level"]) for p in people if p["level"] not in ("F0", "F1"))
    bundles: dict[tuple[str | None, str], dict[str, Any]] = {}
    for (parent, level), count in gathered.items():
        if count < 2:
            continue
        label = level_label(int(level[1:]), True) if level != MONITOR else level_label(1, False)
        bundles[(parent, level)] = {
            "id": f"b{parent or ''}-{level}",
            "parent": parent,
            "level": level,
            "count": count,
            "label": BUNDLE_LABEL % {"n": count, "level": label},
        }
    for person in people:
        bundle = bundles.get((person["parent"], person["level"]))
        person["bundle"] = bundle["id"] if bundle and person["level"] not in ("F0", "F1") else None

    edges: list[list[str]] = []
    seen: set[tuple[int, int, str]] = set()
    for contact in contacts:
        for relation in contact["relations"]:
            source = relation.get("via_id")
            key = (source, contact["id"], relation["kind"])
            if source not in levels or key in seen:
                continue  # reached through someone outside the viewer's scope (trace_document's ``visible``)
            seen.add(key)
            edges.append([str(source), str(contact["id"]), relation["kind"]])

    return {
        "groups": [{"id": p.id, "label": p.label, "kind": p.kind, "parent": p.parent} for p in used.values()],
        "people": people,
        "bundles": list(bundles.values()),
        "edges": edges,
        "colours": {"levels": LEVEL_COLOURS, "deeper": DEEPER_COLOUR, "kinds": dict(KIND_COLOURS)},
    }


def graph_legend(depth: int) -> dict[str, list[tuple[str, str]]]:
    """What the legend under the graph names: node colours by level (as deep as the trace went), edge colours."""
    levels = [(level_label(n, True), level_colour(f"F{n}")) for n in range(depth + 1)]
    levels.append((level_label(1, False), LEVEL_COLOURS[MONITOR]))
    return {
        "levels": levels,
        "kinds": [(str(GroupKind(kind).label), colour) for kind, colour in KIND_COLOURS.items()],
    }
