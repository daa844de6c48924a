"""The embedded database's file, checked before each use: still there, still the file the app
opened, and still a {{ cookiecutter.__db_format }} file.

{{ cookiecutter.__db_format }} keeps the file open: deleted or replaced on disk, it would go on answering from, and
saving into, a file that no longer exists there, and every save since would be lost on the
next restart. Checked before each piece of database work (a ``stat`` and a read of a few
bytes), such a file stops reads and saves with a message instead.
"""

import os

from ..errors import DatabaseUnavailable

MAGIC = {{ cookiecutter.__db_magic }}
"""Where a {{ cookiecutter.__db_format }} file says what it is: the offset, and the bytes there."""

_opened: dict[str, tuple[int, int]] = {}  # path -> (device, inode), as the first check saw it


def check_data_file(path: str | None) -> None:
    """Check the database file at ``path`` (None or ``":memory:"``: no file, nothing to do).
    The first check that finds the file records which file it is; a missing file before that
    is one the first connection will create.

    Raises:
        DatabaseUnavailable: the file was deleted, replaced by another file, or no longer
            starts as a {{ cookiecutter.__db_format }} file; the message names the file and what to do.
    """
    if not path or path == ":memory:":
        return
    try:
        status = os.stat(path)
        with open(path, "rb") as file:
            file.seek(MAGIC[0])
            header = file.read(len(MAGIC[1]))
    except FileNotFoundError:
        if path not in _opened:
            return
        problem = "is gone"
    else:
        opened = _opened.setdefault(path, (status.st_dev, status.st_ino))
        if (status.st_dev, status.st_ino) != opened:
            problem = "was replaced by another file"
        elif header != MAGIC[1] and status.st_size > 0:  # empty: being created
            problem = "is unreadable (it is no longer a database file)"
        else:
            return
    raise DatabaseUnavailable(
        f"The data file {path} {problem}. Reading and saving are off until an operator "
        "restores it and restarts the app.",
        retry=False,  # nothing comes back by waiting
    )
