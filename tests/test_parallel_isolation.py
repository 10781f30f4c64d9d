"""The parallel test run (pytest-xdist, ./run test): each worker process has its own Redis."""

from tests.settings import xdist_worker_redis_url


def test_worker_0_keeps_the_configured_database():
    assert xdist_worker_redis_url("redis://127.0.0.1:6379/6", 0) == "redis://127.0.0.1:6379/6"


def test_other_workers_take_databases_no_one_else_tests_in():
    url = "redis://127.0.0.1:6379/6"

    assert xdist_worker_redis_url(url, 1) == "redis://127.0.0.1:6379/14"
    assert xdist_worker_redis_url(url, 2) == "redis://127.0.0.1:6379/15"
    assert xdist_worker_redis_url("redis://127.0.0.1:6379/15", 1) == "redis://127.0.0.1:6379/7"
    assert xdist_worker_redis_url("redis://127.0.0.1:6379", 1) == "redis://127.0.0.1:6379/8"
