"""Confirming a partner's email address from the link sent to it. (Being built.)"""
