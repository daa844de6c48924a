"""The pieces that start jobs and show them: the example job's form, Import again's form, a
button for a job of no arguments, and the newest jobs with their progress.

The list watches itself, a fragment that reruns every ``WATCH_SECONDS``, only while one of its
jobs is queued or running; once all have ended it redraws the page once more, without the
timer. The jobs come from the queue's store, so every session and every replica shows the
same jobs, whoever started them.
"""

import streamlit as st

from .. import config
from ..data.imports import COPIED
from ..data.profile import data_files
from ..errors import JobsUnavailable
from ..jobs import queue
from ..jobs.catalog import JOBS
from ..jobs.records import JobRecord, JobState
from ..navigation import as_markdown
from ..resources.job_workers import job_workers
from ..runs import fragment_run

WATCH_SECONDS = 1
"""How often the list rereads its jobs while one is queued or running."""

SHOWN = 20
"""Jobs listed, the newest."""

COLORS = {
    JobState.QUEUED: "gray",
    JobState.RUNNING: "blue",
    JobState.DONE: "green",
    JobState.FAILED: "red",
    JobState.CANCELLED: "orange",
}
"""Each state's badge color (Markdown's ``:color-badge[...]``)."""


def profile_form() -> None:
    """A form that submits the example job: profile one data file of ``imports/``. A second
    click while that file's job is queued or running shows that job, not a second one."""
    files = data_files()
    if not files:
        st.info(
            "Put a CSV or Parquet file in `imports/` to profile it here.",
            icon=":material/upload_file:",
        )
        return
    with st.form("profile", enter_to_submit=False):
        file = st.selectbox("Data file", files, help="A CSV or Parquet file of imports/.")
        submitted = st.form_submit_button("Profile", icon=":material/play_arrow:")
    if submitted and file is not None:
        _submit("profile", {"file": file}, key=f"profile:{file}")


def import_form() -> None:
    """A form that starts the Import again job for a data file of ``imports.COPIED``: its
    table's rows replaced by the file's, as they are now. One job per table at a time. Nothing
    without such a file."""
    tables = {f"{item.file} → {item.table}": item.table for item in COPIED}
    if not tables:
        return
    with st.form("import", enter_to_submit=False):
        chosen = st.selectbox(
            "Data file and its table",
            list(tables),
            help="A file that `tools/new.py table` registered: its rows replace the table's.",
        )
        submitted = st.form_submit_button("Import again", icon=":material/upload:")
    if submitted and chosen is not None:
        table = tables[chosen]
        _submit("import", {"table": table}, key=f"import:{table}")


def may_change_data() -> bool:
    """Whether the visitor may start the jobs that load data again (Import again{% if cookiecutter.sample_data == "nycflights13" %}, Reload{% endif %}):
    every visitor of a development server (``config.DEV_TOOLS``, read at each call){% if cookiecutter.auth == "oidc" %}, and the
    admins (``[access] admin_emails``){% else %}; nobody
    else, since without sign-in nobody can be told apart{% endif %}."""
{%- if cookiecutter.auth == "oidc" %}
    return config.DEV_TOOLS or visitor()[1]
{%- else %}
    return config.DEV_TOOLS
{%- endif %}


def job_button(name: str, label: str, icon: str, help: str, allowed: bool) -> None:
    """A button that starts a job of ``catalog.JOBS[name]`` (no arguments), if ``allowed``;
    and the newest job of that name, watched while it is queued or running. One at a time: a
    click while one is queued or running shows that one again (the job's key is its name).
    The button's widget key is ``start-<name>``."""
    if allowed:
        st.button(label, icon=icon, help=help, key=f"start-{name}", on_click=_start, args=[name])
    job_list(name, limit=1, empty="")


def _start(name: str) -> None:
    # A button's callback: a failure shows as a toast, since the button's rerun follows.
    job_workers()  # under streamlit run, started by the first job
    try:
        queue.submit(name, {}, user=visitor()[0], key=name)
    except JobsUnavailable as error:
        st.toast(f"{error} Not started; try again.", icon=":material/cloud_off:")


def _submit(name: str, arguments: dict[str, str], key: str) -> None:
    # A form's submit, in the script run: a failure stays on the page, under the form.
    job_workers()  # under streamlit run, started by the first job
    try:
        queue.submit(name, arguments, user=visitor()[0], key=key)
    except JobsUnavailable as error:
        st.warning(f"{error} Try again in a moment.", icon=":material/cloud_off:")


def job_list(name: str | None = None, limit: int = SHOWN, empty: str = "No jobs yet.") -> None:
    """The ``limit`` newest jobs (of ``catalog.JOBS[name]`` only, if given), each with its
    state, progress, times and, while it is queued or running, a button to cancel it; watched
    while any of them is. Without a job, the caption ``empty`` (none if empty)."""
    try:
        watch = any(record.active for record in queue.recent(limit, name))
    except JobsUnavailable as error:
        st.warning(f"{error} The other pages work as usual.", icon=":material/cloud_off:")
        return
    (_watched_jobs if watch else _jobs)(name, limit, empty)


@st.fragment(run_every=WATCH_SECONDS)
@fragment_run
def _watched_jobs(name: str | None, limit: int, empty: str) -> None:
    if not any(record.active for record in _show_jobs(name, limit, empty)):
        st.rerun()  # all ended: redraw the page, whose list then has no timer


@st.fragment
@fragment_run
def _jobs(name: str | None, limit: int, empty: str) -> None:
    _show_jobs(name, limit, empty)


def _show_jobs(name: str | None, limit: int, empty: str) -> list[JobRecord]:
    try:
        records = queue.recent(limit, name)
        places = queue.queue_positions()
    except JobsUnavailable as error:
        st.warning(f"{error} Retrying.", icon=":material/cloud_off:")
        return []
    if not records and empty:
        st.caption(empty)
    user, admin = visitor()
    for record in records:
        with st.container(border=True, key=f"job-{record.id}"):  # CSS class st-key-job-<id>
            _job(record, places.get(record.id), may_cancel=admin or record.user == user)
    return records


def _job(record: JobRecord, place: int | None, may_cancel: bool) -> None:
    title = as_markdown(JOBS[record.name].title if record.name in JOBS else record.name)
    badge = f":{COLORS[record.state]}-badge[{record.state.value}]"
    st.markdown(f"{badge} **{title}** · {as_markdown(record.summary)}")
    if record.state is JobState.RUNNING:
        st.progress(record.percent, text=f"{record.percent}% · {record.step}")
    elif record.state is JobState.QUEUED:
        where = f"number {place} in line" if place else "about to start"
        st.caption(f"Waiting for a worker: {where}. {record.step}".strip())
    elif record.state is JobState.DONE:
        st.caption(record.result)
    elif record.error:
        (st.error if record.state is JobState.FAILED else st.caption)(record.error)
    st.caption(_times(record))
    if record.active and may_cancel:
        st.button(
            "Cancel",
            key=f"cancel-{record.id}",
            on_click=_cancel,
            args=(record.id,),
            icon=":material/cancel:",
        )


def _times(record: JobRecord) -> str:
    parts = [f"Submitted {record.submitted_at:%H:%M:%S} UTC"]
    if record.user:
        parts[0] += f" by {record.user}"
    if record.started_at:
        parts.append(f"started {record.started_at:%H:%M:%S}")
    if record.ended_at and record.started_at:
        parts.append(f"took {(record.ended_at - record.started_at).total_seconds():.1f} s")
    if record.attempts > 1:
        parts.append(f"run {record.attempts}")
    return " · ".join(parts)


def _cancel(job_id: str) -> None:
    try:
        queue.cancel(job_id)
    except JobsUnavailable as error:
        st.toast(f"{error} Not cancelled; try again.", icon=":material/cloud_off:")


def visitor() -> tuple[str, bool]:
    """Who is looking (the signed-in email; empty without sign-in), and whether they may act
    on anyone's job: an admin (``[access] admin_emails``), or anyone without sign-in."""
{%- if cookiecutter.auth == "oidc" %}
    from .. import auth

    email = str(st.user.get("email") or "")
    return email, auth.access_policy(st.secrets).is_admin(st.user)
{%- else %}
    return "", True  # without sign-in nobody can be told apart: anyone may cancel any job
{%- endif %}
