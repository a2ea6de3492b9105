"""Who can join: ages on the day of sending, at the edges of a 13th and an 18th birthday and for 29 February
birthdays; a kind page with other schemes for anyone too young or too old; and the duplicate rule."""

from datetime import date, timedelta

import pytest

from portal.extensions import db as _db
from portal.models import ReportDraft
from portal.volunteering.journey import age_on
from portal.volunteering.service import birthday
from tests.conftest import submit_form
from tests.volunteering import (
    VOLUNTEER,
    applications,
    born,
    referral_count,
    send_application,
    sign_up_answers,
    walk_sign_up,
)

CADETS = "volunteer-police-cadets"  # 13 to 17, so from the 13th birthday to the day before the 18th


@pytest.fixture
def today(monkeypatch):
    """Fix the day ages are counted on (the partnership's 'today', Europe/London)."""

    def set_today(day: date) -> None:
        monkeypatch.setattr("portal.volunteering.service.local_today", lambda: day)
        monkeypatch.setattr("portal.volunteering.routes.local_today", lambda: day)

    return set_today


# Rule chosen for 29 February birthdays: in a year that is not a leap year the birthday is 1 March (as the
# law of England and Wales counts it), so on 28 February they are still the younger age.
@pytest.mark.parametrize(
    ("born_on", "on", "age"),
    [
        (date(2013, 11, 25), date(2026, 11, 24), 12),  # the day before a 13th birthday
        (date(2013, 11, 24), date(2026, 11, 24), 13),  # on it
        (date(2008, 11, 25), date(2026, 11, 24), 17),  # the day before an 18th birthday
        (date(2008, 11, 24), date(2026, 11, 24), 18),  # on it
        (date(2012, 2, 29), date(2025, 2, 28), 12),  # 29 February, 13th birthday in a year that is not leap
        (date(2012, 2, 29), date(2025, 3, 1), 13),
        (date(2008, 2, 29), date(2026, 2, 28), 17),  # 29 February, 18th birthday in a year that is not leap
        (date(2008, 2, 29), date(2026, 3, 1), 18),
        (date(2008, 2, 29), date(2024, 2, 29), 16),  # in a leap year, on the day itself
        (date(2008, 2, 29), date(2024, 2, 28), 15),
    ],
)
def test_age_on_a_day(born_on, on, age):
    assert age_on(born_on, on) == age


def test_a_29_february_birthday_falls_on_1_march_in_other_years():
    assert birthday(date(2012, 2, 29), 13) == date(2025, 3, 1)
    assert birthday(date(2012, 2, 29), 12) == date(2024, 2, 29)


@pytest.mark.parametrize(
    ("born_on", "on", "eligible"),
    [
        (date(2013, 11, 25), date(2026, 11, 24), False),
        (date(2013, 11, 24), date(2026, 11, 24), True),
        (date(2008, 11, 25), date(2026, 11, 24), True),
        (date(2008, 11, 24), date(2026, 11, 24), False),
        (date(2012, 2, 29), date(2025, 2, 28), False),
        (date(2012, 2, 29), date(2025, 3, 1), True),
        (date(2008, 2, 29), date(2026, 2, 28), True),
        (date(2008, 2, 29), date(2026, 3, 1), False),
    ],
    ids=[
        "day-before-13th",
        "13th-birthday",
        "day-before-18th",
        "18th-birthday",
        "29-feb-28-feb-before-13",
        "29-feb-1-mar-13",
        "29-feb-28-feb-still-17",
        "29-feb-1-mar-18",
    ],
)
def test_cadet_eligibility_at_the_birthday_edges(client, demo_config, today, born_on, on, eligible):
    today(on)
    answers = sign_up_answers(date_of_birth=born(born_on.day, born_on.month, born_on.year))
    _visited, where = walk_sign_up(client, CADETS, answers)
    if not eligible:
        assert where.endswith(f"{VOLUNTEER}/{CADETS}/not-eligible")
        assert client.get(f"{VOLUNTEER}/{CADETS}/check-answers").headers["Location"].endswith("/not-eligible")
        assert referral_count() == 0
        return
    assert where.endswith("/check-answers")
    submit_form(client, where, {})
    [application] = applications()
    assert application.age_at_application == age_on(born_on, on)
    assert application.carer_consent  # every cadet who can join is under 18 and needs a carer's consent


def test_too_young_is_told_when_they_can_apply_and_what_they_can_join_now(client, demo_config, today):
    today(date(2025, 2, 28))
    walk_sign_up(client, CADETS, sign_up_answers(date_of_birth=born(29, 2, 2012)))
    page = client.get(f"{VOLUNTEER}/{CADETS}/not-eligible").get_data(as_text=True)
    assert "You cannot join Volunteer Police Cadets yet" in page
    assert "You can apply from 1 March 2025" in page
    assert f'href="{VOLUNTEER}/do-it/"' in page  # never a dead end
    assert f'href="{VOLUNTEER}/{CADETS}/date-of-birth?change=1"' in page


def test_too_old_is_offered_the_schemes_for_adults(client, demo_config, today):
    today(date(2026, 11, 24))
    walk_sign_up(client, CADETS, sign_up_answers(date_of_birth=born(24, 11, 2008)))
    page = client.get(f"{VOLUNTEER}/{CADETS}/not-eligible").get_data(as_text=True)
    assert "Volunteer Police Cadets is for younger volunteers" in page and "People aged 13 to 17" in page
    for slug in ("police-support-volunteers", "good-neighbour-scheme", "neighbourhood-watch", "do-it"):
        assert f'href="{VOLUNTEER}/{slug}/"' in page
    assert f'href="{VOLUNTEER}/{CADETS}/"' not in page.split("Ways you can volunteer now")[1]
    assert "You can apply from" not in page


def test_eligibility_is_decided_again_on_the_day_of_sending(client, demo_config, today):
    today(date(2026, 11, 23))  # the day before the 18th birthday: still a cadet
    _visited, where = walk_sign_up(client, CADETS, sign_up_answers(date_of_birth=born(24, 11, 2008)))
    assert where.endswith("/check-answers")
    page = client.get(where).get_data(as_text=True)
    today(date(2026, 11, 24))  # sent on the birthday
    token = page.split('name="csrf_token"')[1].split('value="')[1].split('"')[0]
    response = client.post(where, data={"csrf_token": token})
    assert response.headers["Location"].endswith("/not-eligible")
    assert referral_count() == 0


def test_not_eligible_page_without_a_sign_up_goes_to_the_scheme(client, demo_config):
    assert client.get(f"{VOLUNTEER}/{CADETS}/not-eligible").headers["Location"].endswith(f"/{CADETS}/")


# --- Duplicates: the same person (email, or name and date of birth), the same scheme, within 30 days ---


def test_same_email_within_30_days_is_told_the_earlier_reference(app, demo_config):
    first, second = app.test_client(), app.test_client()
    send_application(first, "good-neighbour-scheme")
    [earlier] = applications()
    answers = sign_up_answers(name={"full_name": "A. Okafor"}, contact={"email": "AMARA@example.org"})
    response = send_application(second, "good-neighbour-scheme", answers)
    assert response.headers["Location"].endswith(f"{VOLUNTEER}/good-neighbour-scheme/already-applied")
    page = second.get(response.headers["Location"]).get_data(as_text=True)
    assert "You have already applied to Good Neighbour Scheme" in page and earlier.referral.reference in page
    assert referral_count() == 1
    assert _db.session.execute(_db.select(ReportDraft).filter_by(referral_id=None)).scalar_one()  # answers kept


def test_same_name_and_date_of_birth_with_another_email_is_a_duplicate(app, demo_config):
    send_application(app.test_client(), "good-neighbour-scheme")
    answers = sign_up_answers(name={"full_name": "  amara   OKAFOR "}, contact={"phone": "01632 960 999"})
    response = send_application(app.test_client(), "good-neighbour-scheme", answers)
    assert response.headers["Location"].endswith("/already-applied")
    assert referral_count() == 1


def test_same_name_with_another_date_of_birth_is_someone_else(app, demo_config):
    send_application(app.test_client(), "good-neighbour-scheme")
    answers = sign_up_answers(date_of_birth=born(15, 6, 1990), contact={"email": "another.amara@example.org"})
    assert (
        send_application(app.test_client(), "good-neighbour-scheme", answers)
        .headers["Location"]
        .endswith("/confirmation")
    )
    assert referral_count() == 2


def test_the_same_person_may_apply_to_another_scheme(app, demo_config):
    send_application(app.test_client(), "good-neighbour-scheme")
    assert send_application(app.test_client(), "neighbourhood-watch").headers["Location"].endswith("/confirmation")
    assert referral_count() == 2


def test_after_30_days_or_a_withdrawal_they_may_apply_again(app, demo_config):
    send_application(app.test_client(), "good-neighbour-scheme")
    [earlier] = applications()
    earlier.referral.created_at -= timedelta(days=30, minutes=1)
    _db.session.commit()
    assert send_application(app.test_client(), "good-neighbour-scheme").headers["Location"].endswith("/confirmation")
    latest = max(applications(), key=lambda application: application.referral_id)
    latest.outcome = "withdrawn"
    _db.session.commit()
    assert send_application(app.test_client(), "good-neighbour-scheme").headers["Location"].endswith("/confirmation")
    assert referral_count() == 3


def test_already_applied_page_needs_a_refused_sign_up(client, demo_config):
    response = client.get(f"{VOLUNTEER}/good-neighbour-scheme/already-applied")
    assert response.headers["Location"].endswith("/good-neighbour-scheme/")
