"""Worked-out figures, kept for a few minutes: the insights read the whole history, so a morning of officers
opening the dashboard (or residents opening the published figures) should work them out once every
INSIGHTS_CACHE_SECONDS, not once a view. Each process keeps its own (cachelib's SimpleCache) unless
CACHE_REDIS_URL is set, when every process and machine shares one Redis. A cache that fails is skipped: the
figures are worked out instead."""

import logging
import time
from collections.abc import Callable
from typing import TypeVar

import redis
from cachelib import RedisCache, SimpleCache
from flask import Flask, current_app
from flask_babel import get_locale

log = logging.getLogger(__name__)
T = TypeVar("T")
# How long one view may take to work the figures out before others stop waiting for it (a region's cold build
# takes about 17 s on PostgreSQL); how often a waiting view looks for its result.
WORKING_LIMIT_SECONDS = 60
WAIT_STEP_SECONDS = 0.2


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
    return _work_out_once(store, key, work, seconds)


def _work_out_once(store, key: str, work: Callable[[], T], seconds: int) -> T:
    """Work the figures out and keep them. When the kept figures run out in the middle of a busy morning, the
    first view to notice works them out and the others (in any process sharing the Redis cache) wait for its
    result, rather than every one reading the whole history at once and each taking several times longer."""
    working = f"{key}/working"
    try:
        first = store.add(working, 1, timeout=WORKING_LIMIT_SECONDS)
        if not first:
            waited = _wait_for(store, key, working)
            if waited is not None:
                return waited
    except redis.RedisError:
        log.warning("insights cache unavailable; working the figures out", exc_info=True)
        return work()
    try:
        value = work()
        store.set(key, value, timeout=seconds)
    except redis.RedisError:
        log.warning("insights cache unavailable; figures not kept", exc_info=True)
    finally:
        try:
            store.delete(working)
        except redis.RedisError:
            pass
    return value


def _wait_for(store, key: str, working: str):
    """The figures another view is working out, once it has kept them; None if it stopped without (it failed, or
    took longer than WORKING_LIMIT_SECONDS), when this view works them out itself."""
    deadline = time.monotonic() + WORKING_LIMIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(WAIT_STEP_SECONDS)
        kept = store.get(key)
        if kept is not None:
            return kept
        if not store.has(working):  # it stopped: kept them just now (or failed, when this view works them out)
            return store.get(key)
    return None
