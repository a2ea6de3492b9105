"""The options residents and staff choose from in volunteering, with the words they see."""

from flask_babel import lazy_gettext as _l

from portal.models import SchemeStatus, VolunteerOutcome

DAYS = [
    ("monday", _l("Monday")),
    ("tuesday", _l("Tuesday")),
    ("wednesday", _l("Wednesday")),
    ("thursday", _l("Thursday")),
    ("friday", _l("Friday")),
    ("saturday", _l("Saturday")),
    ("sunday", _l("Sunday")),
]

TIMES = [
    ("morning", _l("Mornings")),
    ("afternoon", _l("Afternoons")),
    ("evening", _l("Evenings")),
]

HOW_HEARD = [
    ("friend_or_family", _l("From a friend or family member")),
    ("school_or_college", _l("At school, college or university")),
    ("social_media", _l("On social media")),
    ("website", _l("On a website")),
    ("event_or_leaflet", _l("At an event, or from a poster or leaflet")),
    ("police_or_council", _l("From the police or the council")),
    ("other", _l("Somewhere else")),
]

STATUS_LABELS = {
    SchemeStatus.OPEN: _l("Open"),
    SchemeStatus.WAITING_LIST: _l("Waiting list"),
    SchemeStatus.CLOSED: _l("Closed"),
}

STATUS_CLASSES = {
    SchemeStatus.OPEN: "govuk-tag--green",
    SchemeStatus.WAITING_LIST: "govuk-tag--yellow",
    SchemeStatus.CLOSED: "govuk-tag--grey",
}

OUTCOME_LABELS = {
    VolunteerOutcome.ACCEPTED: _l("Accepted"),
    VolunteerOutcome.WAITING_LIST: _l("On the waiting list"),
    VolunteerOutcome.NOT_PROGRESSED: _l("Not progressed"),
    VolunteerOutcome.WITHDRAWN: _l("Withdrawn"),
}
