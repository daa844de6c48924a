"""The app's own exceptions, raised by any layer and shown by the pages.

Nothing is imported here, so the entrypoint can catch them without loading the data layer.
"""


class DatabaseUnavailable(RuntimeError):
    """The database can't serve the app now: unreachable, too slow to answer, or its data file
    is gone or unreadable. The message says which, and where, for the visitor to read."""

    def __init__(self, message: str, *, retry: bool = True) -> None:
        super().__init__(message)
        self.retry = retry
        """Whether waiting can help; False when an operator must act first."""


class JobsUnavailable(RuntimeError):
    """The job queue can't be reached: no job can be submitted, cancelled or listed now. The
    message says why, for the visitor to read; the pages that don't use jobs are unaffected."""
