"""Staff sign-in pages: password, second factor, account."""

from portal.auth.routes import account, sign_in, two_factor  # noqa: F401
