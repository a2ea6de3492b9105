"""Deny by default: every route, as a signed-out visitor, a triage officer and an admin, against a table.

A new route fails test_every_route_is_in_the_table until someone decides who may use it.
"""

PUBLIC, STAFF, ADMIN = "public", "staff", "admin"
ACCESS = {
    "static": PUBLIC,
    "main.home": PUBLIC,
    "main.get_help": PUBLIC,
    "main.privacy": PUBLIC,
    "main.accessibility": PUBLIC,
    "main.contact": PUBLIC,
    "main.healthz": PUBLIC,
    "reporting.emergency": PUBLIC,
    "reporting.call_999": PUBLIC,
    "reporting.start": PUBLIC,
    "reporting.new_report": PUBLIC,
    "reporting.exit_page": PUBLIC,
    "reporting.step": PUBLIC,
    "reporting.check_answers": PUBLIC,
    "reporting.confirmation": PUBLIC,
    "volunteering.schemes": PUBLIC,
    "volunteering.scheme": PUBLIC,
    "volunteering.start_sign_up": PUBLIC,
    "volunteering.step": PUBLIC,
    "volunteering.check_answers": PUBLIC,
    "volunteering.confirmation": PUBLIC,
    "volunteering.not_eligible": PUBLIC,
    "volunteering.already_applied": PUBLIC,
    "auth.sign_in": PUBLIC,
    "auth.sign_out": STAFF,
    # The second step of signing in: only half-signed-in (after the password) shows them; anyone else is sent
    # to sign in, and a signed-in member of staff to the queue. So, as far as access goes, staff pages.
    "auth.security_code": STAFF,
    "auth.recovery_code": STAFF,
    "auth.set_up_two_factor": STAFF,
    "auth.recovery_codes_saved": STAFF,
    "auth.change_password": STAFF,
    "auth.confirm_password": STAFF,
    "session.keep_alive": STAFF,
    "triage.queue": STAFF,
    "insights.dashboard": STAFF,
    "main.choose_language": PUBLIC,
    "admin.translations": ADMIN,
    "admin.content_translations": ADMIN,
    "admin.translate_content": ADMIN,
    "insights.chart_data": STAFF,
    "insights.board_report": STAFF,
    "insights.figures": PUBLIC,
    "insights.figures_data": PUBLIC,
    "triage.referral": STAFF,
    "triage.decide": STAFF,
    "triage.export": ADMIN,
    "admin.signpost_services": ADMIN,
    "admin.new_signpost_service": ADMIN,
    "admin.edit_signpost_service": ADMIN,
    "admin.volunteer_schemes": ADMIN,
    "admin.new_volunteer_scheme": ADMIN,
    "admin.edit_volunteer_scheme": ADMIN,
    "admin.response_templates": ADMIN,
    "admin.new_response_template": ADMIN,
    "admin.edit_response_template": ADMIN,
    "admin.partners": ADMIN,
    "admin.new_partner": ADMIN,
    "admin.edit_partner": ADMIN,
    "admin.add_address": ADMIN,
    "admin.resend_address_link": ADMIN,
    "admin.remove_address": ADMIN,
    "admin.routing_rules": ADMIN,
    "admin.new_routing_rule": ADMIN,
    "admin.edit_routing_rule": ADMIN,
    "admin.delete_routing_rule": ADMIN,
    "admin.audit_log": ADMIN,
    "admin.export_audit_log_csv": ADMIN,
    "admin.subject_requests": ADMIN,
    "admin.subject_request": ADMIN,
    "admin.export_subject_request": ADMIN,
    "admin.erase_subject_request": ADMIN,
    "partner.confirm_address": PUBLIC,
    # The partner's link: no account, but the signed token in the URL is the key (a bad one is a 404).
    "partner.referral": PUBLIC,
    "partner.acknowledge": PUBLIC,
    "partner.hand_back": PUBLIC,
    "partner.outcome": PUBLIC,
    "partner.new_link": PUBLIC,
}


def test_every_route_is_in_the_table(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - ACCESS.keys() == set(), "decide who may use these routes, and add them to ACCESS"
    assert ACCESS.keys() - endpoints == set(), "these routes no longer exist"


# Each role against every route and method, and CSRF on every POST: tests/test_authorization.py.


def test_an_id_too_big_for_the_database_is_a_404(admin_client, demo_config):
    for path in (
        "/staff/admin/response-templates/",
        "/staff/admin/signposting/",
        "/staff/admin/schemes/",
        "/staff/admin/partners/",
        "/staff/admin/routing-rules/",
    ):
        assert admin_client.get(path + "9" * 20).status_code == 404
