"""Every page is in the registry the browser checks visit (tests/browser/pages.py), and every link on
the site leads to a page that works. A page nobody registered is caught here, or by the crawl."""

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from werkzeug.exceptions import NotFound

from tests.browser.pages import NOT_PAGES, PAGE_STATES
from tests.conftest import make_referral, sign_in

REGISTERED = {state.endpoint for state in PAGE_STATES}


def test_every_endpoint_has_a_page_state(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - NOT_PAGES
    assert endpoints - REGISTERED == set(), "add a PageState for each of these to tests/browser/pages.py"
    assert REGISTERED - endpoints == set(), "these page states name endpoints that do not exist"


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)


def crawl(client, start: str, limit: int = 200) -> dict[str, str]:
    """Follow same-origin links from `start`; returns {path: endpoint} for every page reached."""
    adapter = client.application.url_map.bind("localhost")
    seen, queue, found = {start}, deque([start]), {}
    while queue and len(found) < limit:
        path = queue.popleft()
        response = client.get(path, follow_redirects=True)  # e.g. sign-in, when signed in, goes to the queue
        assert response.status_code == 200, f"{path} answered {response.status_code}"
        found[path] = adapter.match(path)[0]
        if response.mimetype != "text/html":
            continue
        parser = _Links()
        parser.feed(response.get_data(as_text=True))
        for href in parser.links:
            url = urlsplit(urljoin(path, href))
            if url.scheme or url.netloc or not url.path.startswith("/") or url.path in seen:
                continue  # another site (none are expected), or seen already
            if url.path.startswith("/static/"):
                continue
            try:
                endpoint = adapter.match(url.path)[0]
            except NotFound:
                raise AssertionError(f"{path} links to {url.path}, which does not exist") from None
            if endpoint in NOT_PAGES:
                continue  # e.g. Exit this page, which leaves the site
            seen.add(url.path)
            queue.append(url.path)
    return found


def test_crawl_from_home_finds_only_registered_pages(client, demo_config):
    found = crawl(client, "/")
    assert {"main.home", "reporting.emergency", "main.get_help", "auth.sign_in"} <= set(found.values())
    assert set(found.values()) - REGISTERED == set()


def test_crawl_of_the_staff_pages_finds_only_registered_pages(client, demo_config, officer):
    make_referral()
    sign_in(client)
    found = crawl(client, "/staff/queue")
    assert {"triage.queue", "triage.referral"} <= set(found.values())
    assert set(found.values()) - REGISTERED == set()
