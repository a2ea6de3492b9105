"""Rate limits stored in Redis (RATELIMIT_STORAGE_URI) are shared by every process of the portal: two app
instances, each in its own Python process as two gunicorn workers would be, count against one allowance.

Needs Redis at REDIS_URL (default redis://127.0.0.1:6379/0). Without it this is skipped, except under CI=true.
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis

from tests.quality import IN_CI

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
ROOT = Path(__file__).resolve().parent.parent
EMERGENCY_GATE_LIMIT = 30  # per minute: portal/reporting/routes.py

# One app instance: posts through the emergency gate as a resident would, and prints the status codes.
INSTANCE = """
import json, re, sys
from config import TestConfig
from portal import create_app

class RedisConfig(TestConfig):
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    RATELIMIT_STORAGE_URI = sys.argv[1]
    RATELIMIT_KEY_PREFIX = sys.argv[2]

client = create_app(RedisConfig).test_client()
token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/report-hate-incident/").get_data(as_text=True))
codes = [
    client.post("/report-hate-incident/", data={"csrf_token": token.group(1), "in_danger": "no"}).status_code
    for _ in range(int(sys.argv[3]))
]
print(json.dumps(codes))
"""


@pytest.fixture
def redis_store():
    connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        if IN_CI:
            pytest.fail(f"CI=true and Redis is not reachable at {REDIS_URL}")
        pytest.skip(f"Redis not reachable at {REDIS_URL}: start redis-server (or set REDIS_URL) to run this test")
    prefix = f"portal-test-{uuid.uuid4().hex}"
    yield connection, prefix
    for key in connection.scan_iter(f"*{prefix}*"):
        connection.delete(key)


def run_instance(prefix: str, posts: int) -> list[int]:
    env = {key: value for key, value in os.environ.items() if key != "TEST_DATABASE_URL"}
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", INSTANCE, REDIS_URL, prefix, str(posts)],
        cwd=ROOT,
        env=env | {"PORTAL_ENV": "test"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_two_app_instances_share_one_allowance_in_redis(redis_store):
    connection, prefix = redis_store
    first = run_instance(prefix, EMERGENCY_GATE_LIMIT)
    assert first == [302] * EMERGENCY_GATE_LIMIT
    assert any(True for _ in connection.scan_iter(f"*{prefix}*")), "the counts are not in Redis"
    second = run_instance(prefix, 2)
    assert second == [429, 429], "the second instance did not see the first one's requests"
