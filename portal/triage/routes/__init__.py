"""Staff pages: the queue (queue.py) and a referral with its decisions (referral.py)."""

from portal.triage.routes import queue, referral  # noqa: F401
