"""What the queue page keeps between requests to draw it quickly (its filter form, the words for codes, the SQL for
each mix of filters) never shows anything stale or anyone else's search."""

import re

from flask_babel import force_locale

from portal.extensions import db as _db
from portal.models import Area
from tests.conftest import make_referral


def selected(page: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{name}".*?</select>', page, re.S).group(0)
    return re.findall(r'<option value="([^"]*)" selected', select)


def test_the_filter_form_shows_the_choices_and_filters_as_they_stand(signed_in, demo_config):
    page = signed_in.get("/staff/queue?kind=volunteer&priority=high").get_data(as_text=True)
    assert selected(page, "kind") == ["volunteer"] and selected(page, "priority") == ["high"]
    other = signed_in.get("/staff/queue?kind=hate_incident").get_data(as_text=True)
    assert selected(other, "kind") == ["hate_incident"] and selected(other, "priority") == []

    # An admin adds an area: the same filters, drawn before, now offer it.
    _db.session.add(Area(slug="orton-test", name="Orton Test Area", position=99))
    _db.session.commit()
    again = signed_in.get("/staff/queue?kind=volunteer&priority=high").get_data(as_text=True)
    assert "Orton Test Area" in again and "Orton Test Area" not in page
    assert selected(again, "kind") == ["volunteer"]


def test_the_filters_offer_the_areas_in_use_and_the_schemes_one_applies_to(signed_in, demo_config):
    _db.session.add(Area(slug="retired-test", name="Retired Test Area", position=98, active=False))
    _db.session.commit()
    page = signed_in.get("/staff/queue").get_data(as_text=True)
    areas = re.search(r'<select[^>]*name="area".*?</select>', page, re.S).group(0)
    schemes = re.search(r'<select[^>]*name="scheme".*?</select>', page, re.S).group(0)
    assert "Fletton" in areas and "Retired Test Area" not in areas
    assert "Good Neighbour Scheme" in schemes and "Do-It" not in schemes


def test_a_search_is_shown_only_on_the_page_that_asked_for_it(signed_in, demo_config):
    searched = signed_in.get("/staff/queue?kind=volunteer&q=Jordan+Example").get_data(as_text=True)
    assert re.search(r'<input[^>]*name="q"[^>]*value="Jordan Example"', searched)
    plain = signed_in.get("/staff/queue?kind=volunteer").get_data(as_text=True)
    assert "Jordan Example" not in plain


def test_the_same_mix_of_filters_with_other_values_finds_other_referrals(signed_in, demo_config):
    """The SQL for a mix of filters is built once and kept; each request binds its own values."""
    race = make_referral(hostility={"strands": ["race"]})
    religion = make_referral(hostility={"strands": ["religion"]})
    pattern = r'href="/staff/referrals/(HC-[A-Z0-9]{6})"'
    assert re.findall(pattern, signed_in.get("/staff/queue?strand=race").get_data(as_text=True)) == [race.reference]
    assert re.findall(pattern, signed_in.get("/staff/queue?strand=religion").get_data(as_text=True)) == [
        religion.reference
    ]
    for reference in (race.reference, religion.reference):
        found = signed_in.get(f"/staff/queue?q={reference}").get_data(as_text=True)
        assert re.findall(pattern, found) == [reference]


def test_words_for_codes_are_kept_for_each_language(app):
    from portal.labels import strand_label

    with app.test_request_context("/"):
        assert strand_label("religion") == "Religion or belief"
        with force_locale("pl"):
            assert strand_label("religion") == "Religia lub światopogląd"
        assert strand_label("religion") == "Religion or belief"
        assert strand_label("not-a-strand") == "not-a-strand"


def row_of(page: str, reference: str) -> str:
    return re.search(rf'<tr class="govuk-table__row">\s*<td[^>]*><a[^>]*>{reference}</a>.*?</tr>', page, re.S).group(0)


def test_a_row_drawn_before_is_drawn_again_once_anything_it_shows_changes(
    app, signed_in, demo_config, officer, monkeypatch
):
    """Rows are kept by everything they show: a change of priority or officer, or the deadline passing while nobody
    touched the referral, draws the row afresh; an unchanged row is the HTML kept from before."""
    from datetime import timedelta

    from portal import labels
    from portal.models import Referral
    from portal.models._types import utcnow

    referral = make_referral()
    due = utcnow() + timedelta(hours=1)
    _db.session.execute(_db.update(Referral).where(Referral.id == referral.id).values(triage_due_at=due))
    _db.session.commit()
    first = row_of(signed_in.get("/staff/queue").get_data(as_text=True), referral.reference)
    assert "Normal" in first and "Due " in first and officer.name not in first
    assert any(first in str(html) for html in app.jinja_env.queue_rows.fragments.values())
    assert row_of(signed_in.get("/staff/queue").get_data(as_text=True), referral.reference) == first

    _db.session.execute(
        _db.update(Referral).where(Referral.id == referral.id).values(priority="urgent", assigned_to_id=officer.id)
    )
    _db.session.commit()
    changed = row_of(signed_in.get("/staff/queue").get_data(as_text=True), referral.reference)
    assert "Urgent" in changed and officer.name in changed and "Overdue" not in changed

    later = utcnow() + timedelta(hours=2)  # the deadline passes; nothing about the referral itself changes
    monkeypatch.setattr(labels, "utcnow", lambda: later)
    late = row_of(signed_in.get("/staff/queue").get_data(as_text=True), referral.reference)
    assert "Overdue" in late and officer.name in late


def test_each_row_says_what_it_is_about_and_who_has_it(signed_in, demo_config, officer):
    """A report's strands (in order) and area, a volunteer's scheme, and the officer who has each: looked up for
    the whole page in one query, and none of them taken for another row's."""
    from portal.labels import strand_label
    from portal.models import Referral, VolunteerScheme
    from tests.retention import make_application

    areas = _db.session.execute(_db.select(Area).order_by(Area.id)).scalars().all()
    report = make_referral(
        hostility={"strands": ["religion", "race"]},
        address={"location": "12 Example Road", "area_choice": str(areas[0].id)},
    )
    bare = make_referral(hostility={"strands": ["disability"]})
    application = make_application("good-neighbour-scheme", area_id=areas[1].id)
    scheme = _db.session.execute(_db.select(VolunteerScheme).filter_by(slug="good-neighbour-scheme")).scalar_one()
    _db.session.execute(_db.update(Referral).where(Referral.id == report.id).values(assigned_to_id=officer.id))
    _db.session.commit()

    page = signed_in.get("/staff/queue").get_data(as_text=True)
    about = {
        referral.reference: re.findall(r'<td class="govuk-table__cell">([^<]*)</td>', row_of(page, referral.reference))
        for referral in (report, bare, application)
    }
    race, religion, disability = (strand_label(strand) for strand in ("race", "religion", "disability"))
    assert about[report.reference][1:3] == [f"{race}, {religion}, {areas[0].name}", officer.name]
    assert about[bare.reference][1:3] == [disability, ""]
    assert about[application.reference][1:3] == [scheme.name, ""]
