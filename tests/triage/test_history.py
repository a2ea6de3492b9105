"""The referral page's history: an officer's run of views is one entry, and every view is still recorded."""

import re
from datetime import UTC, datetime, timedelta

from portal.models import EventType, ReferralEvent
from portal.triage.history import history_entries
from tests.conftest import make_referral
from tests.triage.test_routes import decide, fresh

START = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def events(*steps: tuple[str, int | None]) -> list[ReferralEvent]:
    """Events a minute apart, each (type, id of the officer who did it)."""
    return [
        ReferralEvent(
            type=kind, actor_id=officer, actor_label=f"Officer {officer}", created_at=START + timedelta(minutes=at)
        )
        for at, (kind, officer) in enumerate(steps)
    ]


def shape(entries) -> list[tuple[str, int]]:
    return [(entry.last.type, entry.views) for entry in entries]


def test_a_run_of_views_by_one_officer_is_one_entry_from_its_first_view_to_its_last():
    history = events((EventType.CREATED, None), *[(EventType.VIEWED, 1)] * 3)
    [created, views] = history_entries(history)
    assert (created.first, created.last, created.views) == (history[0], history[0], 1)
    assert (views.first, views.last, views.views) == (history[1], history[3], 3)
    assert views.is_run_of_views and not created.is_run_of_views


def test_another_event_between_views_splits_the_run():
    history = events((EventType.VIEWED, 1), (EventType.VIEWED, 1), (EventType.NOTE, 1), (EventType.VIEWED, 1))
    assert shape(history_entries(history)) == [(EventType.VIEWED, 2), (EventType.NOTE, 1), (EventType.VIEWED, 1)]


def test_another_officers_view_splits_the_run():
    history = events((EventType.VIEWED, 1), (EventType.VIEWED, 2), (EventType.VIEWED, 2), (EventType.VIEWED, 1))
    entries = history_entries(history)
    assert shape(entries) == [(EventType.VIEWED, 1), (EventType.VIEWED, 2), (EventType.VIEWED, 1)]
    assert [entry.last.actor_id for entry in entries] == [1, 2, 1]


def test_a_single_view_and_every_other_event_stay_as_they_are():
    history = events((EventType.CREATED, None), (EventType.VIEWED, 1), (EventType.CLAIMED, 1), (EventType.NOTE, 1))
    entries = history_entries(history)
    assert [(entry.first, entry.last, entry.views) for entry in entries] == [(event, event, 1) for event in history]
    assert history_entries([]) == []


def test_partners_views_are_not_put_together():
    history = events((EventType.VIEWED, None), (EventType.VIEWED, None))
    assert shape(history_entries(history)) == [(EventType.VIEWED, 1), (EventType.VIEWED, 1)]


def history_items(page: str) -> list[str]:
    """The text of each entry of the page's history, newest first, with its white space closed up."""
    column = page.split('<ol class="govuk-list portal-timeline">', 1)[1].split("</ol>", 1)[0]
    items = re.findall(r'<li class="portal-timeline__item">(.*?)</li>', column, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items]


def test_the_page_shows_a_run_of_views_once_and_keeps_every_view(signed_in, demo_config, officer):
    referral = make_referral()
    page = f"/staff/referrals/{referral.reference}"
    for _ in range(3):
        signed_in.get(page)
    decide(signed_in, referral, "note", {"text": "Rang the reporter back."}, follow=False)  # opens it a 4th time
    shown = signed_in.get(page).get_data(as_text=True)

    newest, note, run, created = history_items(shown)
    assert newest.startswith("Viewed ") and "times" not in newest and newest.endswith("· Olu Officer")
    assert note.startswith("Note ") and "Rang the reporter back." in note
    assert re.fullmatch(r"Viewed 4 times Last viewed .+ · Olu Officer First viewed .+", run), run
    assert created.startswith("Received ")
    assert shown.count("Viewed 4 times") == 1

    views = [event for event in fresh(referral).events if event.type == EventType.VIEWED]
    assert len(views) == 5 and {event.actor_id for event in views} == {officer.id}
