"""The insights are worked out at most every INSIGHTS_CACHE_SECONDS: a second view within that time shows the
figures as first worked out (and says when), each language keeps its own, a Redis shared by every process can
hold them, and a cache that is down is skipped rather than failing the page."""

import os

import pytest
import redis

from portal.insights import cache
from tests.conftest import make_referral
from tests.insights.test_pages import cells_of, report
from tests.quality import IN_CI

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


def reports_shown(html: str) -> int:
    """The dashboard's headline: how many hate incident reports in the period."""
    return int(cells_of(html, "Reports received")[0])


@pytest.fixture
def cached(app, monkeypatch):
    monkeypatch.setitem(app.config, "INSIGHTS_CACHE_SECONDS", 300)
    store = app.extensions["insights_cache"]
    store.clear()
    yield store
    store.clear()


def test_a_second_view_shows_the_figures_first_worked_out_and_says_when(signed_in, demo_config, cached):
    make_referral()
    first = signed_in.get("/staff/insights").get_data(as_text=True)
    assert reports_shown(first) == 1
    assert "Figures worked out at" in first and "at most every 5 minutes" in first
    make_referral()
    assert reports_shown(signed_in.get("/staff/insights").get_data(as_text=True)) == 1
    cached.clear()  # as when the five minutes are up
    assert reports_shown(signed_in.get("/staff/insights").get_data(as_text=True)) == 2


def test_without_the_cache_every_view_works_the_figures_out(signed_in, demo_config):
    make_referral()
    assert reports_shown(signed_in.get("/staff/insights").get_data(as_text=True)) == 1
    make_referral()
    assert reports_shown(signed_in.get("/staff/insights").get_data(as_text=True)) == 2


def test_each_language_keeps_its_own_published_figures(client, demo_config, cached):
    from portal.forms import local_today
    from portal.insights.periods import Period, last_whole_quarter

    with client.application.test_request_context():
        quarter = Period.quarter(*last_whole_quarter(local_today()))
    report("race", on=quarter.start)
    month = f"{quarter.start:%B}"  # the first month of the quarter, as a row of the tables
    assert month in client.get("/figures").get_data(as_text=True)
    client.get("/language?to=pl&next=/figures")
    polish = client.get("/figures").get_data(as_text=True)
    assert '<html lang="pl"' in polish and month not in polish


def test_a_cache_that_is_down_is_skipped(app, signed_in, demo_config, cached, monkeypatch, caplog):
    from cachelib import RedisCache

    nowhere = RedisCache(host=redis.from_url("redis://127.0.0.1:1/0", socket_timeout=1))
    monkeypatch.setitem(app.extensions, "insights_cache", nowhere)
    make_referral()
    response = signed_in.get("/staff/insights")
    assert response.status_code == 200 and reports_shown(response.get_data(as_text=True)) == 1
    assert "insights cache unavailable" in caplog.text


def test_figures_kept_in_redis_are_the_same_figures(app, demo_config, monkeypatch):
    """What a worker puts in Redis another reads back whole (the dashboard holds lazy strings, periods and
    charts, all pickled)."""
    try:
        redis.from_url(REDIS_URL, socket_timeout=1).ping()
    except redis.RedisError:
        if IN_CI:
            raise
        pytest.skip(f"no Redis at {REDIS_URL}")
    from portal.forms import local_today
    from portal.insights.periods import Period
    from portal.insights.service import dashboard_for

    monkeypatch.setitem(app.config, "INSIGHTS_CACHE_SECONDS", 60)
    monkeypatch.setitem(app.config, "CACHE_REDIS_URL", REDIS_URL)
    monkeypatch.setitem(app.extensions, "insights_cache", None)
    cache.init_app(app)
    make_referral()
    with app.test_request_context():
        period = Period.last_months(12, local_today())
        app.extensions["insights_cache"].delete(f"dashboard/{period.start}/{period.end}/en")
        worked = dashboard_for(period)
        kept = dashboard_for(period)
    assert kept is not worked and kept.worked_out_at == worked.worked_out_at
    assert [chart.slug for section in kept.sections for chart in section.charts] == [
        chart.slug for section in worked.sections for chart in section.charts
    ]
    app.extensions["insights_cache"].delete(f"dashboard/{period.start}/{period.end}/en")


def test_when_the_kept_figures_run_out_one_view_works_them_out_and_the_others_wait(app, cached):
    """Two views at once in a cold cache (threads here; processes sharing Redis in production): the figures are
    worked out once, and both views show them."""
    import threading
    import time

    from flask_babel import force_locale

    calls, shown = [], []

    def work():
        calls.append(threading.get_ident())
        time.sleep(0.5)
        return "the figures"

    def view():
        with app.test_request_context(), force_locale("en"):
            shown.append(cache.worked_out("dashboard/slow", work))

    views = [threading.Thread(target=view) for _ in range(3)]
    for started in views:
        started.start()
    for started in views:
        started.join(timeout=10)
    assert shown == ["the figures"] * 3 and len(calls) == 1
    assert not cached.has("dashboard/slow/en/working")  # nothing left to make the next views wait


def test_a_view_does_not_wait_for_a_view_that_failed(app, cached, monkeypatch):
    monkeypatch.setattr(cache, "WAIT_STEP_SECONDS", 0.01)
    with app.test_request_context():
        cached.add("dashboard/stuck/en/working", 1, timeout=1)  # another view started, then stopped with no result
        cached.delete("dashboard/stuck/en/working")
        assert cache.worked_out("dashboard/stuck", lambda: "worked out here") == "worked out here"
        with pytest.raises(ZeroDivisionError):
            cache.worked_out("dashboard/failing", lambda: 1 / 0)
        assert not cached.has("dashboard/failing/en/working")


def test_each_chart_is_drawn_once_while_its_figures_are_kept(signed_in, demo_config, cached, monkeypatch):
    from markupsafe import Markup

    from portal.insights import routes

    drawn = []
    monkeypatch.setattr(
        routes,
        "render_svg",
        lambda chart: drawn.append(chart.slug) or Markup(f"<svg>{chart.slug}</svg>"),  # noqa: S704
    )
    routes._drawn.cache_clear()
    make_referral()
    first = signed_in.get("/staff/insights").get_data(as_text=True)
    charts = len(drawn)
    assert charts > 3 and f"<svg>{drawn[0]}</svg>" in first
    second = signed_in.get("/staff/insights").get_data(as_text=True)
    assert len(drawn) == charts and f"<svg>{drawn[-1]}</svg>" in second  # drawn before, not again
    routes._drawn.cache_clear()
