"""A delay model: a flight's arrival delay in minutes, from what is known once it has left.

A linear model over the carrier, origin, month and scheduled hour (one-hot) and the distance
and departure delay. ``train`` holds out a fifth of the flights and scores the model on them,
so the app can say how far off a prediction usually is. No Streamlit here: the resource
layer decides when to train and how long to keep the model.
"""

from dataclasses import dataclass

import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_absolute_error
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder

CODES = ("carrier", "origin")
"""Airline and New York airport codes, one-hot encoded."""

PERIODS = ("month", "hour")
"""Month 1..12 and scheduled hour 0..23, one-hot encoded too: delays rise and fall with the
season and through the day, not in a straight line."""

NUMBERS = ("distance", "dep_delay")
"""Distance in miles and departure delay in minutes, used as they are."""

FEATURES = CODES + PERIODS + NUMBERS
TARGET = "arr_delay"
"""Arrival delay in minutes; negative is early."""

MIN_ROWS = 100
"""Fewest complete flights ``train`` accepts: with fewer, the held-out score means little."""

TEST_FRACTION = 0.2
RANDOM_STATE = 2013  # the same split on every run, so the reported error is the same too


@dataclass(frozen=True)
class DelayModel:
    """A fitted pipeline and how well it did on flights it never saw.

    ``pipeline`` takes a frame with the ``FEATURES`` columns and returns minutes; sessions
    share one model, so only ever call its ``predict``. ``trained_rows`` flights fitted it;
    ``mae_minutes`` is its mean absolute error on the ``tested_rows`` held-out flights.
    """

    pipeline: Pipeline
    mae_minutes: float
    trained_rows: int
    tested_rows: int


def pipeline() -> Pipeline:
    """An unfitted pipeline: ``FEATURES`` -> one-hot labels and raw numbers -> minutes."""
    features = ColumnTransformer(
        [
            (
                "labels",
                # a value never seen in training encodes as none of the known ones
                OneHotEncoder(handle_unknown="ignore", sparse_output=False),
                [*CODES, *PERIODS],
            ),
            ("numbers", "passthrough", list(NUMBERS)),
        ]
    )
    # Linear, because the arrival delay is mostly the departure delay plus a shift: on 50,000
    # flights gradient-boosted trees scored within 0.2 minutes of this at ten times the fit
    # time, and their OpenMP threads stall when the server's other sessions busy a core.
    return Pipeline([("features", features), ("regression", Ridge(alpha=1.0))])


def _complete(flights: pd.DataFrame) -> pd.DataFrame:
    """The feature and target columns of the rows with every value set, typed as labels.

    Raises:
        ValueError: a column is missing, or fewer than ``MIN_ROWS`` rows are complete.
    """
    missing = [name for name in (*FEATURES, TARGET) if name not in flights.columns]
    if missing:
        raise ValueError(f"flights lacks the column(s) {', '.join(missing)}")
    complete = flights[[*FEATURES, TARGET]].dropna()
    if len(complete) < MIN_ROWS:
        raise ValueError(
            f"training needs at least {MIN_ROWS} flights with every column set, got {len(complete)}"
        )
    return _as_labels(complete)


def _as_labels(frame: pd.DataFrame) -> pd.DataFrame:
    # One type per label column, so that month 7 from a form, from the database (int64) and
    # from a float column all encode as the same label.
    return frame.astype({**dict.fromkeys(CODES, str), **dict.fromkeys(PERIODS, int)})


def train(flights: pd.DataFrame) -> DelayModel:
    """Fit a delay model on ``flights`` and score it on a held-out fifth of them.

    ``flights`` has one row per flight and the columns of ``queries.TRAINING_COLUMNS`` (any
    others are ignored): carrier and origin codes, month (1..12), scheduled hour (0..23),
    distance (miles), departure and arrival delay (minutes). Rows with a missing value are
    left out. The returned model is fitted on the other four fifths.

    Raises:
        ValueError: a column is missing, or fewer than ``MIN_ROWS`` rows are complete.
    """
    complete = _complete(flights)
    fit_rows, test_rows = train_test_split(
        complete, test_size=TEST_FRACTION, random_state=RANDOM_STATE
    )
    fitted = pipeline().fit(fit_rows[list(FEATURES)], fit_rows[TARGET])
    predicted = fitted.predict(test_rows[list(FEATURES)])
    return DelayModel(
        pipeline=fitted,
        mae_minutes=float(mean_absolute_error(test_rows[TARGET], predicted)),
        trained_rows=len(fit_rows),
        tested_rows=len(test_rows),
    )


def predict(
    model: DelayModel,
    *,
    carrier: str,
    origin: str,
    month: int,
    hour: int,
    distance: float,
    dep_delay: float,
) -> float:
    """The predicted arrival delay of one flight, in minutes (negative: early).

    ``distance`` is in miles and ``dep_delay`` in minutes. A carrier, origin, month or hour
    the model never saw is allowed: it adds nothing, and the other features decide.

    Raises:
        ValueError: ``month`` is not 1..12 or ``hour`` is not 0..23.
    """
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1..12, got {month}")
    if not 0 <= hour <= 23:
        raise ValueError(f"hour must be 0..23, got {hour}")
    flight = pd.DataFrame(
        {
            "carrier": [carrier],
            "origin": [origin],
            "month": [month],
            "hour": [hour],
            "distance": [distance],
            "dep_delay": [dep_delay],
        }
    )
    return float(model.pipeline.predict(_as_labels(flight))[0])
