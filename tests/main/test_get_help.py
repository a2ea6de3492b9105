"""The Get help page in a right-to-left language: phone numbers, email and web addresses are marked left to right
(so an Urdu reader sees 01632 960100, not 960100 01632), and what admins wrote is still escaped."""

from portal.helpers import in_reading_order


def test_numbers_and_addresses_are_marked_left_to_right_and_the_rest_escaped():
    marked = in_reading_order('Call 01632 960100 or <b onclick="x">18001 101</b>, email a-b@example.org.')
    assert str(marked) == (
        'Call <span dir="ltr">01632 960100</span> or &lt;b onclick=&#34;x&#34;&gt;<span dir="ltr">18001 101</span>'
        '&lt;/b&gt;, email <span dir="ltr">a-b@example.org</span>.'
    )
    assert str(in_reading_order("Report online at www.report-it.org.uk")).endswith(
        '<span dir="ltr">www.report-it.org.uk</span>'
    )
    assert str(in_reading_order("Call 999, any time")) == "Call 999, any time"  # one group: nothing to keep in order


def test_the_urdu_get_help_page_keeps_phone_numbers_in_order(client, demo_config):
    client.get("/language?to=ur&next=/")
    html = client.get("/get-help").get_data(as_text=True)
    assert '<span dir="ltr">01632 960100</span>' in html and '<span dir="ltr">18001 101</span>' in html
    assert '<span dir="ltr">victim-hub@example.org</span>' in html
