"""Two-factor authentication: TOTP codes from an authenticator app (RFC 6238, via pyotp), the QR code that
sets the app up (segno, an inline SVG: no script, no outside service), and one-time recovery codes."""

import hmac
import secrets
import time

import pyotp
import segno
from flask import current_app, session
from markupsafe import Markup, escape
from werkzeug.security import check_password_hash, generate_password_hash

from portal.extensions import db, limiter
from portal.models import StaffRecoveryCode, StaffUser
from portal.models._types import utcnow

RECOVERY_CODE_COUNT = 10
# Recovery codes are random (50 bits each), so a light hash is enough, and checking ten stays quick.
RECOVERY_CODE_HASH = "pbkdf2:sha256:20000"
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read from paper
# A code is accepted one 30-second step either side of now (valid_window=1, for clocks a little out).
VALID_WINDOW = 1


def new_totp_secret() -> str:
    return pyotp.random_base32()  # 32 base32 characters: 160 bits, as RFC 4226 recommends


def grouped(text: str, size: int = 4) -> str:
    """'JBSWY3DPEHPK3PXP' → 'JBSW Y3DP EHPK 3PXP', easier to type into an app by hand."""
    return " ".join(text[i : i + size] for i in range(0, len(text), size))


def provisioning_uri(user: StaffUser) -> str:
    return pyotp.TOTP(user.totp_secret).provisioning_uri(
        name=user.email, issuer_name=current_app.config["PARTNERSHIP_NAME"]
    )


def qr_code_svg(uri: str, label: str) -> Markup:
    """The QR code as an SVG element to put straight into the page, named for screen readers."""
    svg = segno.make(uri, error="m").svg_inline(scale=5, border=4, dark="#0b0c0c", light="#ffffff")
    named = f'<svg role="img" aria-label="{escape(label)}" '
    return Markup(svg.replace("<svg ", named, 1))  # noqa: S704 - segno's output for our own URI; the label escaped


def _normalise_code(code: str) -> str:
    return "".join(code.split())


# --- Time-based codes, each usable once ---


def _used_steps_store():
    """Where used time-steps are remembered: the rate limiter's storage (Redis in production, so shared by every
    process), or this session when rate limiting is switched off."""
    return limiter.storage if limiter.enabled else None


def used_code_key(user_id: int, step: int) -> str:
    return f"totp-used/{user_id}/{step}"


def _claim_step(user: StaffUser, step: int) -> bool:
    """True the first time a code of this time-step is used for this account; False for a replay. Using a step
    also spends the earlier ones still in the window, so an older code seen over a shoulder is no use either."""
    keys = [used_code_key(user.id, step - n) for n in range(2 * VALID_WINDOW + 1)]
    expiry = 30 * (2 * VALID_WINDOW + 2)
    store = _used_steps_store()
    if store is None:
        used = set(session.get("totp_used", []))
        if keys[0] in used:
            return False
        session["totp_used"] = sorted(used | set(keys))[-20:]
        return True
    if store.incr(keys[0], expiry) != 1:
        return False
    for key in keys[1:]:
        store.incr(key, expiry)
    return True


def verify_totp(user: StaffUser, code: str, secret: str | None = None) -> bool:
    """Whether `code` is the account's current 6-digit code (or one step either side), not used before."""
    code = _normalise_code(code or "")
    secret = secret or user.totp_secret
    if not secret or len(code) != 6 or not code.isdigit():
        return False
    totp = pyotp.TOTP(secret)
    now = time.time()
    for offset in range(-VALID_WINDOW, VALID_WINDOW + 1):
        if hmac.compare_digest(totp.at(now, counter_offset=offset), code):
            return _claim_step(user, totp.timecode(now) + offset)
    return False


# --- Enrolment and recovery codes ---


def start_enrolment(user: StaffUser) -> None:
    """A secret for an account that has not set up two-factor yet. It is kept (not yet enabled) until the member
    of staff proves their app works, so reloading the page shows the same QR code."""
    if user.mfa_enabled_at is None and not user.totp_secret:
        user.totp_secret = new_totp_secret()
        db.session.flush()


def enable_two_factor(user: StaffUser) -> list[str]:
    """Turn two-factor on and issue fresh recovery codes; returns the codes, to be shown once (only hashes are
    kept)."""
    user.mfa_enabled_at = utcnow()
    return issue_recovery_codes(user)


def reset_two_factor(user: StaffUser) -> None:
    """For a member of staff who lost their authenticator app and their recovery codes: forget the secret and
    the codes and end their sessions. They set two-factor up again at their next sign-in, which still needs
    their password."""
    user.totp_secret = None
    user.mfa_enabled_at = None
    user.recovery_codes.clear()
    user.rotate_session_token()
    db.session.flush()


def issue_recovery_codes(user: StaffUser) -> list[str]:
    """Replace the account's recovery codes with RECOVERY_CODE_COUNT new ones."""
    codes = ["".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10)) for _ in range(RECOVERY_CODE_COUNT)]
    user.recovery_codes.clear()
    for code in codes:
        user.recovery_codes.append(StaffRecoveryCode(code_hash=generate_password_hash(code, RECOVERY_CODE_HASH)))
    db.session.flush()
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def use_recovery_code(user: StaffUser, code: str) -> bool:
    """Whether `code` is one of the account's unused recovery codes; if so it is spent."""
    code = "".join(character for character in (code or "").lower() if character.isalnum())
    if len(code) != 10:
        return False
    for recovery in user.recovery_codes:
        if recovery.used_at is None and check_password_hash(recovery.code_hash, code):
            spent = db.session.execute(
                db.update(StaffRecoveryCode)
                .where(StaffRecoveryCode.id == recovery.id, StaffRecoveryCode.used_at.is_(None))
                .values(used_at=utcnow())
            )
            db.session.refresh(recovery)
            return spent.rowcount == 1  # a second request racing with the same code gets False
    return False


def unused_recovery_codes(user: StaffUser) -> int:
    return sum(1 for recovery in user.recovery_codes if recovery.used_at is None)
