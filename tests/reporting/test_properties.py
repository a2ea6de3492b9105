"""Property-based: whatever anyone types into any field of any page, the portal never fails with a server
error, and never loses the answers already saved."""

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wtforms.fields.core import UnboundField

from portal.extensions import db as _db
from portal.extensions import limiter
from portal.models import ReportDraft
from portal.reporting.journey import STEPS
from tests.conftest import JOURNEY, csrf_token, walk_journey

FIELDS = {
    step.slug: [
        name
        for name in dir(step.form)
        if isinstance(getattr(step.form, name), UnboundField) and name not in {"submit", "csrf_token"}
    ]
    for step in STEPS
}

values = st.one_of(
    st.text(max_size=50),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.text(alphabet=string.printable, min_size=1, max_size=20).map(lambda chunk: chunk * (12000 // len(chunk))),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "<script>alert(1)</script>",
            "'; DROP TABLE referral; --",
            "9" * 40,
            "yes",
            "no",
            "other",
            "online",
            "just_record",
            "-1",
            "²",
            "\r\n" * 3000,
            "🙂" * 2000,
        ]
    ),
)


def postings(slug: str):
    return st.fixed_dictionaries({}, optional={name: st.lists(values, max_size=3) for name in FIELDS[slug]})


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(slug=st.sampled_from([step.slug for step in STEPS]), data=st.data())
def test_any_input_on_any_page_is_never_a_server_error_and_loses_nothing(client, demo_config, slug, data):
    posted = data.draw(postings(slug), label="posted")
    limiter.reset()  # the per-client rate limit is not what this test is about
    if not _db.session.execute(_db.select(ReportDraft)).first():
        walk_journey(client)
    before = _db.session.execute(_db.select(ReportDraft)).scalar_one().answers
    page = client.get(f"{JOURNEY}/{slug}")
    token = csrf_token(page.get_data(as_text=True))
    response = client.post(f"{JOURNEY}/{slug}", data={**posted, "csrf_token": token})
    assert response.status_code in (200, 302, 413), response.status_code

    _db.session.expire_all()
    after = _db.session.execute(_db.select(ReportDraft)).scalar_one().answers
    for other_slug, answers in before.items():
        if other_slug != slug:
            assert after.get(other_slug) == answers  # other pages untouched
    if response.status_code != 302:
        assert after.get(slug) == before.get(slug)  # a refused page keeps what was saved before
    check = client.get(f"{JOURNEY}/check-answers")
    assert check.status_code in (200, 302)
