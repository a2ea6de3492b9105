"""Worked-out figures, kept for a few minutes: the insights read the whole history, so a morning of officers
opening the dashboard (or residents opening the published figures) should work them out once every
INSIGHTS_CACHE_SECONDS, not once a view. Each process keeps its own (cachelib's SimpleCache) unless
CACHE_REDIS_URL is set, when every process and machine shares one Redis. A cache that fails is skipped: the
figures are worked out instead."""

import logging
from collections.abc import Callable
from typing import TypeVar

import redis
from cachelib import RedisCache, SimpleCache
from flask import Flask, current_app
from flask_babel import get_locale

log = logging.getLogger(__name__)
T = TypeVar("T")


def init_app(app: Flask) -> None:
    url = app.config.get("CACHE_REDIS_URL")
    if url:
        store = RedisCache(host=redis.from_url(url, socket_timeout=1), key_prefix="portal/insights/")
    else:
        store = SimpleCache(threshold=100)
    app.extensions["insights_cache"] = store


def worked_out(key: str, work: Callable[[], T]) -> T:
    """`work()`'s result as worked out in the last INSIGHTS_CACHE_SECONDS for `key` (in the page's language),
    or worked out now."""
    seconds = current_app.config["INSIGHTS_CACHE_SECONDS"]
    if not seconds:
        return work()
    store = current_app.extensions["insights_cache"]
    key = f"{key}/{get_locale()}"
    try:
        kept = store.get(key)
    except redis.RedisError:
        log.warning("insights cache unavailable; working the figures out", exc_info=True)
        return work()
    if kept is not None:
        return kept
    value = work()
    try:
        store.set(key, value, timeout=seconds)
    except redis.RedisError:
        log.warning("insights cache unavailable; figures not kept", exc_info=True)
    return value
