"""Words shown for the kinds of help, and the groups the Get help page shows services in."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from portal.models import SignpostCategory

CATEGORY_LABELS = {
    SignpostCategory.EMERGENCY: _l("Emergencies"),
    SignpostCategory.VICTIM_SUPPORT: _l("Support for victims and witnesses of crime"),
    SignpostCategory.HATE_CRIME: _l("Hate crime and hate incidents"),
    SignpostCategory.DOMESTIC_ABUSE: _l("Domestic abuse"),
    SignpostCategory.SEXUAL_VIOLENCE: _l("Sexual violence"),
    SignpostCategory.SUBSTANCE_MISUSE: _l("Drugs and alcohol"),
    SignpostCategory.MENTAL_HEALTH: _l("Mental health"),
    SignpostCategory.HOUSING: _l("Housing and neighbours"),
    SignpostCategory.GENERAL: _l("Other help"),
}


@dataclass(frozen=True)
class ServiceGroup:
    """A heading on the Get help page and the kinds of help shown under it."""

    key: str
    heading: str
    categories: frozenset[str]


# In the order the Get help page shows them: help in an emergency always comes first.
SERVICE_GROUPS = (
    ServiceGroup("emergency", _l("In an emergency"), frozenset({SignpostCategory.EMERGENCY})),
    ServiceGroup(
        "crime-and-hate",
        _l("Report a crime or a hate incident, and get support"),
        frozenset({SignpostCategory.HATE_CRIME, SignpostCategory.VICTIM_SUPPORT}),
    ),
    ServiceGroup(
        "abuse",
        _l("Domestic abuse and sexual violence"),
        frozenset({SignpostCategory.DOMESTIC_ABUSE, SignpostCategory.SEXUAL_VIOLENCE}),
    ),
    ServiceGroup(
        "health",
        _l("Drugs, alcohol and mental health"),
        frozenset({SignpostCategory.SUBSTANCE_MISUSE, SignpostCategory.MENTAL_HEALTH}),
    ),
    ServiceGroup("housing", _l("Housing and neighbours"), frozenset({SignpostCategory.HOUSING})),
    ServiceGroup("general", _l("Other help"), frozenset({SignpostCategory.GENERAL})),
)


def category_label(category: str) -> str:
    return str(CATEGORY_LABELS.get(category, category))
