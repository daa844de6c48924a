"""The delay model's versions, made by the Train job (``training.py``): each one pickled into
the job queue's store (``jobs/queue.py``), which every process and every replica reads, with
what the app says about it. The newest ``KEPT`` stay; Predict uses the newest.

The store is the app's own{% if cookiecutter.__db_server %} database{% else %} file in the data folder{% endif %}, written only by its workers, so its pickles
are trusted like its code: anyone who may write there may run code in the app.
"""

import json
import pickle
from dataclasses import asdict, dataclass
from datetime import datetime

from ..jobs.queue import broker
from ..jobs.records import utc_now
from .delay import DelayModel

KEPT = 3
"""Versions kept, the newest; an older one is deleted when a new one is saved."""

LATEST = "model:latest"
"""The key of the newest version's ``ModelVersion``, as JSON."""


@dataclass(frozen=True)
class ModelVersion:
    """What the app says about one trained model."""

    number: int
    """1 for the first the Train job made, then 2, 3, ..."""
    trained_at: datetime
    """When it was saved, UTC."""
    trained_rows: int
    mae_minutes: float
    """Its mean absolute error on the flights held out of its training, in minutes."""


def save(model: DelayModel) -> ModelVersion:
    """Store ``model`` as the newest version, and delete the one ``KEPT`` versions older.

    Raises:
        JobsUnavailable: the store can't be reached.
    """
    storage = broker()[0].storage
    number = int(storage.incr("model:versions"))
    version = ModelVersion(number, utc_now(), model.trained_rows, model.mae_minutes)
    storage.put_data(f"model:{number}", pickle.dumps(model))
    storage.put_data(LATEST, json.dumps(asdict(version), default=datetime.isoformat).encode())
    storage.delete_data(f"model:{number - KEPT}")
    return version


def latest() -> ModelVersion | None:
    """The newest version, or None before the Train job has saved one.

    Raises:
        JobsUnavailable: the store can't be reached.
    """
    data = broker()[0].storage.peek_data(LATEST)
    if not isinstance(data, bytes | memoryview):  # Huey's EmptyData: nothing saved yet
        return None
    values = json.loads(bytes(data))
    return ModelVersion(**{**values, "trained_at": datetime.fromisoformat(values["trained_at"])})


def load(number: int) -> DelayModel:
    """Version ``number``'s model.

    Raises:
        KeyError: no such version is kept.
        JobsUnavailable: the store can't be reached.
    """
    data = broker()[0].storage.peek_data(f"model:{number}")
    if not isinstance(data, bytes | memoryview):
        raise KeyError(f"model version {number} is not kept")
    model: DelayModel = pickle.loads(bytes(data))  # the app's own store: see above
    return model
