"""The Train job and the model versions it saves: the job's function in-process, Predict on
the newest version, and the Train button through AppTest (no worker runs here, so its job
stays queued)."""

from collections.abc import Iterator

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from {{ cookiecutter.package_name }}.data import queries
from {{ cookiecutter.package_name }}.jobs import queue
from {{ cookiecutter.package_name }}.model import training, versions
from {{ cookiecutter.package_name }}.model.delay import train
from {{ cookiecutter.package_name }}.resources.database import database
from {{ cookiecutter.package_name }}.resources.model import newest_version

from .conftest import ENTRYPOINT, SIGNED_IN


@pytest.fixture
def flights() -> pd.DataFrame:
    """2,000 arrived flights of the database, spread over the year."""
    with database().connect() as con:
        return queries.training_flights(con, 2_000)


@pytest.fixture
def empty_store() -> Iterator[None]:
    """No job and no model version, before and after the test."""
    queue.broker()[0].flush()
    newest_version.clear()
    yield
    queue.broker()[0].flush()
    newest_version.clear()


def test_the_train_job_saves_a_new_version_each_time(
    flights: pd.DataFrame, empty_store: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(training, "read_table", lambda table: flights)  # not the whole year
    fitted = train(flights).trained_rows  # four fifths: the rest scores it
    steps: list[str] = []
    result = training.train_full_year(lambda fraction, step: steps.append(step))
    assert result.startswith(f"Version 1: fitted on {fitted:,} flights, off by ")
    assert steps == [
        "Reading the 2013 flights",
        f"Fitting on {len(flights):,} flights",
        "Saving the new version",
    ]
    training.train_full_year(lambda fraction, step: None)
    newest = versions.latest()
    assert newest is not None and newest.number == 2 and newest.trained_rows == fitted
    assert versions.load(2).mae_minutes == newest.mae_minutes


def test_only_the_newest_versions_are_kept(flights: pd.DataFrame, empty_store: None) -> None:
    model = train(flights)
    for _ in range(versions.KEPT + 1):
        versions.save(model)
    with pytest.raises(KeyError):
        versions.load(1)
    versions.load(2)


def _app() -> AppTest:
    at = AppTest.from_file(ENTRYPOINT, default_timeout=120)
    at.user = SIGNED_IN
    at.switch_page("app_pages/predict.py").run()
    assert not at.exception
    return at


def test_predict_uses_the_newest_saved_version(flights: pd.DataFrame, empty_store: None) -> None:
    model = train(flights)
    versions.save(model)
    at = _app()
    at.button(key="predict_submit").click().run()
    assert not at.exception
    caption = next(c.value for c in at.main.caption if c.value.startswith("Model version"))
    assert caption.startswith("Model version 1, trained ")
    assert f"Fitted on {model.trained_rows:,} flights" in caption


def test_the_train_button_starts_one_job_and_shows_it(empty_store: None) -> None:
    at = _app()
    train_button = next(button for button in at.button if "Train" in button.label)
    train_button.click().run()
    assert not at.exception
    next(button for button in at.button if "Train" in button.label).click().run()
    (job,) = queue.recent()  # a double click, one job
    assert job.name == "train"
    assert job.user == {% if cookiecutter.auth == "oidc" %}SIGNED_IN["email"]{% else %}""  # without sign-in, nobody is told apart{% endif %}
    assert any(":gray-badge[Queued]" in text.value for text in at.markdown)
