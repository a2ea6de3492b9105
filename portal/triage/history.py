"""A referral's history as its page shows it. Every view is an event (the audit log keeps them all), but a
referral opened hundreds of times would bury its decisions under "Viewed" lines: on the page, an officer's run of
views with nothing else between them is one entry."""

from collections.abc import Iterable
from dataclasses import dataclass

from portal.models import EventType, ReferralEvent


@dataclass(frozen=True)
class HistoryEntry:
    """One line of the history: an event, or an officer's run of views from `first` to `last`."""

    first: ReferralEvent
    last: ReferralEvent
    views: int = 1

    @property
    def is_run_of_views(self) -> bool:
        return self.views > 1


def history_entries(events: Iterable[ReferralEvent]) -> list[HistoryEntry]:
    """A referral's events in time order as its history's entries, in the same order: each event on its own,
    except that views by one officer with no other event between them are one entry. Partners' views (recorded
    with the partner's name, no officer) stay one entry each, as they are."""
    entries: list[HistoryEntry] = []
    for event in events:
        previous = entries[-1] if entries else None
        viewer = _officer_viewing(event)
        if previous is not None and viewer is not None and viewer == _officer_viewing(previous.last):
            entries[-1] = HistoryEntry(first=previous.first, last=event, views=previous.views + 1)
        else:
            entries.append(HistoryEntry(first=event, last=event))
    return entries


def _officer_viewing(event: ReferralEvent) -> int | None:
    """The officer who opened the referral, for a view; None for anything else."""
    if event.type != EventType.VIEWED:
        return None
    return event.actor_id
