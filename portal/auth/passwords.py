"""The rules a staff password must meet, and the list of common passwords it is checked against."""

import re
from functools import cache

from flask_babel import gettext as _

MIN_LENGTH = 12
# Spaces and punctuation people put between words ('password-1234'), ignored when looking a password up.
_SEPARATORS = re.compile(r"[\s\-_.!,;:]+")


@cache
def common_passwords() -> frozenset[str]:
    """The 30,000 most common passwords in leaked password sets, from the zxcvbn package's 'passwords'
    frequency list: kept up by a maintained package instead of a list copied into this repository."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def is_common(password: str) -> bool:
    lowered = password.lower()
    return lowered in common_passwords() or _SEPARATORS.sub("", lowered) in common_passwords()


def password_problem(password: str, email: str) -> str | None:
    """What is wrong with a new password, as a GOV.UK error message, or None when it may be used: at least
    12 characters, not a common password, and not containing the name part of the email address."""
    if len(password) < MIN_LENGTH:
        return _("Password must be %(count)s characters or more", count=MIN_LENGTH)
    if is_common(password):
        return _("Password is too easy to guess. Choose a password that is not a common one")
    name = email.strip().lower().split("@", 1)[0]
    if len(name) >= 3 and name in password.lower():
        return _("Password must not contain your email address")
    return None
