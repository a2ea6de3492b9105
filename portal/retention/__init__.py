"""Retention: personal data is deleted when the policy says, and an anonymised statistical record is kept."""
