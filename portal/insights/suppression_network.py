"""The network behind small-number suppression (see `suppression`): every number is an edge carrying its value
as a flow from one line of the table to another, and every line's equation says that what flows in flows out.

A reader who sees some numbers can only tell a hidden one for certain when no other flow fits what is published,
and any other flow differs from the true one by moving one unit round a cycle of hidden numbers, each staying
within what the reader knows of it (1 to threshold - 1 for "fewer than 5", 0 or more for "hidden"). So a hidden
number is safe exactly when such a cycle runs through it; where none does, the cheapest cycle is made by hiding
more numbers (Cox's network method for cell suppression).
"""

import heapq
import itertools
from collections import defaultdict, deque
from dataclasses import dataclass
from enum import StrEnum

UNBOUNDED = float("inf")


class Suppressed(StrEnum):
    PRIMARY = "primary"
    SECONDARY = "secondary"


@dataclass(frozen=True)
class Member:
    """A number as the equations see it: `value` flows from the line `tail` to the line `head`. A number that is
    never published (how far a row goes beyond its total) is always hidden and needs no protecting itself."""

    value: int
    is_total: bool
    tail: tuple
    head: tuple
    never_published: bool = False


def edge(value: int, is_total: bool, sign: int, row_node: tuple, column_node: tuple, **kwargs) -> Member:
    """A number in the table's terms: on a row line and a column line, where each line sums (sign × value) to 0."""
    tail, head = (row_node, column_node) if sign > 0 else (column_node, row_node)
    return Member(value, is_total, tail, head, **kwargs)


def suppress(
    members: list[Member],
    threshold: int,
    fixed: dict[int, Suppressed | None],
    already: dict[int, Suppressed] | None = None,
) -> dict[int, Suppressed]:
    """Which members to hide, and why. `fixed` members keep the status given (None: published), whatever it
    costs elsewhere; members `already` hidden start hidden; numbers never published are hidden from the start."""
    hidden = {
        index: Suppressed.PRIMARY
        for index, member in enumerate(members)
        if index not in fixed and 1 <= member.value < threshold
    }
    hidden |= already or {}
    hidden |= {index: kind for index, kind in fixed.items() if kind}
    hidden |= {index: Suppressed.SECONDARY for index, member in enumerate(members) if member.never_published}
    beyond_help = set()
    while True:
        exposed = next((i for i in exposed_members(members, hidden, threshold) if i not in beyond_help), None)
        if exposed is None:
            return hidden
        cycle = _cheapest_cycle(members, hidden, threshold, exposed, unhideable=set(fixed))
        if cycle is None and hidden[exposed] == Suppressed.PRIMARY and exposed not in fixed:
            # Hiding more cannot help when "fewer than 5" itself gives it away (a column of four of them
            # under a total of fewer than 5 must be all 1s). "Hidden" says less: it could be 0.
            hidden[exposed] = Suppressed.SECONDARY
        elif cycle is None:
            beyond_help.add(exposed)
        for index in cycle or ():
            hidden[index] = Suppressed.SECONDARY


def _bounds(index, hidden, threshold) -> tuple[float, float]:
    """What a reader knows of a hidden number: 1 to threshold - 1 if "fewer than", otherwise 0 or more."""
    return (1, threshold - 1) if hidden.get(index) == Suppressed.PRIMARY else (0, UNBOUNDED)


def _arcs(members, index, hidden, threshold):
    """The moves a hidden number allows, as arcs: tail to head when it can go up by one, head to tail when it
    can go down by one."""
    member = members[index]
    low, high = _bounds(index, hidden, threshold)
    if member.value < high:
        yield member.tail, member.head
    if member.value > low:
        yield member.head, member.tail


def exposed_members(members, hidden, threshold) -> list[int]:
    """The hidden, published numbers a reader could work out: those on no cycle of moves."""
    graph = defaultdict(list)
    for index in sorted(hidden):
        for start, end in _arcs(members, index, hidden, threshold):
            graph[start].append((end, index))
    return [
        index
        for index in sorted(hidden)
        if not members[index].never_published and not _on_cycle(members, graph, index, hidden, threshold)
    ]


def _on_cycle(members, graph, index, hidden, threshold) -> bool:
    for start, end in _arcs(members, index, hidden, threshold):
        seen, queue = {end}, deque([end])
        while queue:
            node = queue.popleft()
            if node == start:
                return True
            for following, via in graph[node]:
                if via != index and following not in seen:
                    seen.add(following)
                    queue.append(following)
    return False


def _cost(member: Member) -> tuple[int, int, int]:
    """Hiding more costs, in order: zeros (publishing them is harmless), then totals, then the values hidden."""
    return (member.value == 0, member.is_total, member.value)


def _cheapest_cycle(members, hidden, threshold, exposed, unhideable) -> list[int] | None:
    """The published numbers to hide so that a cycle of moves runs through the exposed number, cheapest first.
    Numbers whose status is fixed as published are never among them."""
    graph = defaultdict(list)
    as_if_hidden = {index: hidden.get(index, Suppressed.SECONDARY) for index in range(len(members))}
    for index in range(len(members)):
        if index == exposed or (index in unhideable and index not in hidden):
            continue
        cost = (0, 0, 0) if index in hidden else _cost(members[index])
        for start, end in _arcs(members, index, as_if_hidden, threshold):
            graph[start].append((end, index, cost))
    found = [_shortest_path(graph, end, start) for start, end in _arcs(members, exposed, hidden, threshold)]
    found = [path for path in found if path is not None]
    if not found:
        return None
    _, via = min(found)
    return [index for index in via if index not in hidden]


def _shortest_path(graph, source, target):
    """Dijkstra over costs that add up element by element and compare in order."""
    queue = [((0, 0, 0), 0, source, ())]
    settled = set()
    tiebreak = itertools.count(1)
    while queue:
        cost, _order, node, via = heapq.heappop(queue)
        if node == target:
            return cost, via
        if node in settled:
            continue
        settled.add(node)
        for following, index, step in graph[node]:
            if following not in settled:
                total = tuple(a + b for a, b in zip(cost, step, strict=True))
                heapq.heappush(queue, (total, next(tiebreak), following, (*via, index)))
    return None
