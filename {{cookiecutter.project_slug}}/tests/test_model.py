"""The delay model, on small synthetic flights built in each test (no database)."""

from typing import TypedDict

import numpy as np
import pandas as pd
import pytest

from {{ cookiecutter.package_name }}.data.queries import TRAINING_COLUMNS
from {{ cookiecutter.package_name }}.model import delay


class Flight(TypedDict):
    """``delay.predict``'s keyword arguments, less the departure delay."""

    carrier: str
    origin: str
    month: int
    hour: int
    distance: float


FLIGHT: Flight = {"carrier": "UA", "origin": "EWR", "month": 7, "hour": 18, "distance": 1400.0}


def synthetic_flights(rows: int = 600, seed: int = 7) -> pd.DataFrame:
    """Flights whose arrival delay is the departure delay, 5 minutes made up, and noise."""
    rng = np.random.default_rng(seed)
    dep_delay = rng.exponential(20, rows) - 5
    return pd.DataFrame(
        {
            "carrier": rng.choice(["UA", "AA", "DL", "B6"], rows),
            "origin": rng.choice(["EWR", "JFK", "LGA"], rows),
            "month": rng.integers(1, 13, rows),
            "hour": rng.integers(5, 24, rows),
            "distance": rng.uniform(100, 2500, rows),
            "dep_delay": dep_delay,
            "arr_delay": dep_delay - 5 + rng.normal(0, 3, rows),
        }
    )


@pytest.fixture(scope="module")
def model() -> delay.DelayModel:
    return delay.train(synthetic_flights())


def test_the_model_learns_from_the_training_columns():
    assert set(TRAINING_COLUMNS) == {*delay.FEATURES, delay.TARGET}


def test_train_scores_on_held_out_flights(model):
    assert model.trained_rows + model.tested_rows == 600
    assert model.tested_rows == pytest.approx(600 * delay.TEST_FRACTION, abs=1)
    assert 0 < model.mae_minutes < 5  # the noise has a standard deviation of 3 minutes


def test_training_is_repeatable(model):
    assert delay.train(synthetic_flights()).mae_minutes == model.mae_minutes


def test_predict_returns_minutes(model):
    minutes = delay.predict(model, **FLIGHT, dep_delay=30)
    assert isinstance(minutes, float)
    assert minutes == pytest.approx(25, abs=3)


def test_more_delay_in_more_delay_out(model):
    predicted = [delay.predict(model, **FLIGHT, dep_delay=d) for d in (-10, 0, 30, 90, 180)]
    assert predicted == sorted(predicted)
    assert predicted[-1] - predicted[0] > 150


def test_unknown_labels_still_predict(model):
    known = delay.predict(model, **FLIGHT, dep_delay=60)
    unseen: Flight = {**FLIGHT, "carrier": "ZZ", "origin": "BOS", "hour": 2}
    assert delay.predict(model, **unseen, dep_delay=60) == pytest.approx(known, abs=10)


def test_labels_of_any_numeric_type_encode_alike(model):
    # Off the declared type on purpose: a month read from a float column is a float.
    month_as_float: Flight = {**FLIGHT, "month": 7.0}  # type: ignore[typeddict-item]
    as_float = delay.predict(model, **month_as_float, dep_delay=30)
    assert as_float == delay.predict(model, **FLIGHT, dep_delay=30)


def test_incomplete_rows_are_left_out():
    flights = synthetic_flights()
    flights.loc[:99, "dep_delay"] = np.nan
    trained = delay.train(flights)
    assert trained.trained_rows + trained.tested_rows == 500


def test_missing_columns_are_named():
    with pytest.raises(ValueError, match=r"lacks the column\(s\) dep_delay, arr_delay"):
        delay.train(synthetic_flights().drop(columns=["dep_delay", "arr_delay"]))


def test_too_few_flights_are_refused():
    with pytest.raises(ValueError, match=rf"at least {delay.MIN_ROWS} flights .+, got 99"):
        delay.train(synthetic_flights(rows=99))
    empty = synthetic_flights().assign(arr_delay=np.nan)
    with pytest.raises(ValueError, match="got 0"):
        delay.train(empty)


@pytest.mark.parametrize(("month", "hour"), [(0, 12), (13, 12), (6, -1), (6, 24)])
def test_predict_refuses_impossible_times(model, month, hour):
    with pytest.raises(ValueError, match="must be"):
        delay.predict(model, **{**FLIGHT, "month": month, "hour": hour}, dep_delay=0)
