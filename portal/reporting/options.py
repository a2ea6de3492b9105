"""The options residents choose from in the reporting journey, with the words they see."""

from flask_babel import lazy_gettext as _l

from portal.models import Consent, HateStrand, IncidentType

REPORTER_ROLES = [
    ("victim", _l("It happened to me")),
    ("witness", _l("I saw or heard it happen to someone else")),
    ("on_behalf", _l("It happened to someone I know, and I am reporting it for them")),
    (
        "organisation",
        _l(
            "I work or volunteer for an organisation someone told about it (a third-party "
            "reporting centre, such as a charity, school or place of worship)"
        ),
    ),
]

STRANDS = [
    (HateStrand.RACE, _l("Race, ethnicity or nationality (including Gypsy, Roma and Traveller)")),
    (HateStrand.RELIGION, _l("Religion or belief")),
    (HateStrand.SEXUAL_ORIENTATION, _l("Sexual orientation")),
    (HateStrand.DISABILITY, _l("Disability (including learning disability and mental health)")),
    (HateStrand.TRANSGENDER, _l("Transgender identity")),
    (HateStrand.SEX_OR_GENDER, _l("Sex or gender")),
    (HateStrand.AGE, _l("Age")),
    (HateStrand.ALTERNATIVE_SUBCULTURE, _l("Alternative subculture (for example goth, emo or punk)")),
    (HateStrand.OTHER, _l("Something else")),
    (HateStrand.NOT_SURE, _l("I'm not sure")),
]

INCIDENT_TYPES = [
    (IncidentType.VERBAL, _l("Verbal abuse or threats")),
    (IncidentType.PHYSICAL, _l("Physical attack")),
    (IncidentType.PROPERTY_DAMAGE, _l("Damage to property")),
    (IncidentType.GRAFFITI, _l("Graffiti or offensive symbols")),
    (IncidentType.ONLINE, _l("Online abuse")),
    (IncidentType.HARASSMENT, _l("Harassment over a period of time")),
    (IncidentType.WRITTEN, _l("Letters, leaflets or other written material")),
    (IncidentType.OTHER, _l("Something else")),
]

TIMES_OF_DAY = [
    ("morning", _l("Morning (6am to midday)")),
    ("afternoon", _l("Afternoon (midday to 6pm)")),
    ("evening", _l("Evening (6pm to midnight)")),
    ("night", _l("Night (midnight to 6am)")),
    ("not_sure", _l("I'm not sure")),
]

YES_NO = [("yes", _l("Yes")), ("no", _l("No"))]
YES_NO_NOT_SURE = [("yes", _l("Yes")), ("no", _l("No")), ("not_sure", _l("I'm not sure"))]
YES_NO_PREFER_NOT = [("yes", _l("Yes")), ("no", _l("No")), ("prefer_not", _l("Prefer not to say"))]

PLACE_TYPES = [
    ("home", _l("At or near home")),
    ("street", _l("In the street or a park")),
    ("public_transport", _l("On public transport or at a bus or train station")),
    ("shop_or_pub", _l("In a shop, pub, restaurant or other business")),
    ("school_or_college", _l("At school, college or university")),
    ("workplace", _l("At work")),
    ("place_of_worship", _l("At or near a place of worship")),
    ("online", _l("Online, on social media or by message")),
    ("other", _l("Somewhere else")),
]

CONSENTS = [
    (Consent.POLICE, _l("Pass it to the police so they can investigate")),
    (Consent.VICTIM_SUPPORT, _l("Be contacted by the Victim and Witness Hub for support")),
    (Consent.COUNCIL_HOUSING, _l("Get advice from the council or a housing provider")),
    (Consent.JUST_RECORD, _l("Just record it, so that it is counted")),
]

VICTIM_AGE_GROUPS = [
    ("under_18", _l("Under 18")),
    ("18_to_64", _l("18 to 64")),
    ("65_and_over", _l("65 or over")),
    ("not_sure", _l("I'm not sure")),
]

CONTACT_CHOICES = [("yes", _l("Yes")), ("no", _l("No, I want to stay anonymous"))]
CONTACT_WAYS = [("email", _l("Email")), ("phone", _l("Phone call")), ("text", _l("Text message"))]

AGE_GROUPS = [
    ("under_18", _l("Under 18")),
    ("18_to_24", _l("18 to 24")),
    ("25_to_44", _l("25 to 44")),
    ("45_to_64", _l("45 to 64")),
    ("65_and_over", _l("65 or over")),
    ("prefer_not", _l("Prefer not to say")),
]
SEXES = [("female", _l("Female")), ("male", _l("Male")), ("prefer_not", _l("Prefer not to say"))]
ETHNIC_GROUPS = [
    ("asian", _l("Asian or Asian British")),
    ("black", _l("Black, Black British, Caribbean or African")),
    ("mixed", _l("Mixed or multiple ethnic groups")),
    ("white", _l("White (including Gypsy, Irish Traveller and Roma)")),
    ("other", _l("Other ethnic group (including Arab)")),
    ("prefer_not", _l("Prefer not to say")),
]
RELIGIONS = [
    ("none", _l("No religion")),
    ("buddhist", _l("Buddhist")),
    ("christian", _l("Christian")),
    ("hindu", _l("Hindu")),
    ("jewish", _l("Jewish")),
    ("muslim", _l("Muslim")),
    ("sikh", _l("Sikh")),
    ("other", _l("Another religion")),
    ("prefer_not", _l("Prefer not to say")),
]
SEXUAL_ORIENTATIONS = [
    ("straight", _l("Straight or heterosexual")),
    ("gay_or_lesbian", _l("Gay or lesbian")),
    ("bisexual", _l("Bisexual")),
    ("other", _l("Another sexual orientation")),
    ("prefer_not", _l("Prefer not to say")),
]
