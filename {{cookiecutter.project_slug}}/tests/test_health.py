"""The health routes that the probes call: liveness never looks at the database, readiness
tells the truth about it, and about the job queue, and leaves its answer in the metrics."""

import asyncio
import time

import pytest
from starlette.requests import Request

from {{ cookiecutter.package_name }} import metrics
from {{ cookiecutter.package_name }}.errors import DatabaseUnavailable
from {{ cookiecutter.package_name }}.health import liveness, readiness
from {{ cookiecutter.package_name }}.jobs import queue
from {{ cookiecutter.package_name }}.resources import database

PROBE = Request({"type": "http", "method": "GET", "path": "/", "headers": []})


@pytest.fixture
def database_down(monkeypatch: pytest.MonkeyPatch) -> None:
    def unreachable(*args: object, **kwargs: object) -> None:
        raise DatabaseUnavailable("The database at db.example:5432 is unreachable.")

    monkeypatch.setattr(database, "_within", unreachable)


def test_liveness_is_200_while_the_database_is_down(database_down):
    response = asyncio.run(liveness(PROBE))
    assert (response.status_code, response.body) == (200, b"ok")


def test_readiness_is_503_with_the_reason_while_the_database_is_down(database_down):
    response = asyncio.run(readiness(PROBE))
    assert response.status_code == 503
    assert response.body == b"The database at db.example:5432 is unreachable."
    assert metrics.REGISTRY.get_sample_value("app_ready") == 0  # as the probe found it


def test_readiness_tells_the_reason_only_to_a_probe_that_asks_directly(database_down):
    headers = [(b"x-forwarded-for", b"203.0.113.7")]
    proxied = Request({"type": "http", "method": "GET", "path": "/", "headers": headers})
    response = asyncio.run(readiness(proxied))
    assert (response.status_code, response.body) == (503, b"not ready")


def test_readiness_is_200_once_the_data_is_there():
    deadline = time.monotonic() + 300  # a first load, on a busy machine
    while (response := asyncio.run(readiness(PROBE))).status_code != 200:
        assert response.status_code == 503, response.body
        assert time.monotonic() < deadline, response.body
        time.sleep(0.5)
    assert response.body == b"ready"
    assert metrics.REGISTRY.get_sample_value("app_ready") == 1


def test_readiness_is_503_while_the_job_queue_is_out_of_reach(monkeypatch: pytest.MonkeyPatch):
    def unreachable(*args: object) -> None:
        raise queue.STORE_ERRORS[0]("the queue's store is gone")

    monkeypatch.setattr(type(queue.broker()[0].storage), "queue_size", unreachable)
    response = asyncio.run(readiness(PROBE))  # after the test above: the data is there
    assert response.status_code == 503
    assert response.body == b"The job queue can't be reached (the queue's store is gone)."
