"""The Get help page and the directory's service functions."""

from portal.extensions import db as _db
from portal.models import SignpostCategory, SignpostService
from portal.seed import SIGNPOST_SERVICES, seed_demo
from portal.signposting.service import ServiceAnswers, active_services, create_service, group_services


def service(slug: str) -> SignpostService:
    return _db.session.execute(_db.select(SignpostService).filter_by(slug=slug)).scalar_one()


def test_get_help_lists_the_seeded_services_emergency_first(client, demo_config):
    page = client.get("/get-help").get_data(as_text=True)
    for _slug, name, who_it_helps, _contact, _categories in SIGNPOST_SERVICES:
        assert name in page
        assert who_it_helps in page
    assert "If you are in danger now, call 999" in page  # the warning stays, above everything
    assert page.index("If you are in danger now, call 999") < page.index("Emergency services")
    assert page.index("Emergency services") < page.index("Victim and Witness Hub") < page.index("Aspire")
    assert "18001 101" in page and "01632 960100" in page


def test_get_help_shows_web_addresses_as_text_not_links(client, demo_config):
    page = client.get("/get-help").get_data(as_text=True)
    assert "www.report-it.org.uk" in page
    assert 'href="http' not in page and 'href="www.' not in page


def test_get_help_hides_inactive_services(client, demo_config):
    service("aspire").active = False
    _db.session.commit()
    page = client.get("/get-help").get_data(as_text=True)
    assert "Aspire" not in page
    assert "Victim and Witness Hub" in page


def test_get_help_still_gives_the_emergency_numbers_with_no_services(client, db):
    page = client.get("/get-help").get_data(as_text=True)
    assert "call 999" in page and "101" in page


def test_get_help_escapes_what_admins_wrote(client, db):
    create_service(
        ServiceAnswers(
            name="<script>alert('name')</script>",
            who_it_helps="<b>bold</b> claims",
            how_to_contact='<a href="https://evil.example">click</a>\nPhone 01632 960999',
            categories=[SignpostCategory.GENERAL],
        )
    )
    _db.session.commit()
    page = client.get("/get-help").get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert "<b>bold</b>" not in page
    assert 'href="https://evil.example"' not in page
    assert 'Phone <span dir="ltr">01632 960999</span>' in page


def test_active_services_filters_by_kind_of_help(db, demo_config):
    slugs = {s.slug for s in active_services(categories=["domestic_abuse", SignpostCategory.SUBSTANCE_MISUSE])}
    assert slugs == {"specialist-abuse-services", "aspire"}
    assert active_services(categories=[]) == []
    assert len(active_services()) == len(SIGNPOST_SERVICES)
    service("aspire").active = False
    _db.session.commit()
    assert [s.slug for s in active_services(categories=["substance_misuse"])] == []


def test_active_services_come_in_the_order_admins_set(db, demo_config):
    service("aspire").position = 1
    _db.session.commit()
    assert active_services()[0].slug == "aspire"


def test_group_services_puts_each_service_once_under_its_first_group(db, demo_config):
    groups = group_services(active_services())
    assert groups[0][0].key == "emergency"
    assert [s.slug for s in groups[0][1]] == ["emergency"]
    listed = [s.slug for _group, services in groups for s in services]
    assert sorted(listed) == sorted(slug for slug, *_rest in SIGNPOST_SERVICES)


def test_seed_adds_missing_services_only_and_keeps_admin_edits(db):
    first = seed_demo(with_staff=False)
    _db.session.commit()
    assert first["services"] == len(SIGNPOST_SERVICES)
    service("aspire").who_it_helps = "Changed by an admin"
    _db.session.delete(service("true-vision"))
    _db.session.commit()
    second = seed_demo(with_staff=False)
    _db.session.commit()
    assert second["services"] == 1
    assert service("aspire").who_it_helps == "Changed by an admin"
    assert seed_demo(with_staff=False)["services"] == 0
    count = _db.session.execute(_db.select(_db.func.count(SignpostService.id))).scalar_one()
    assert count == len(SIGNPOST_SERVICES)
