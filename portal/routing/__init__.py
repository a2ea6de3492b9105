"""Routing referrals to partner agencies and delivering the emails reliably (outbox + worker)."""
