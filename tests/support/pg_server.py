"""A private PostgreSQL server that one test owns, so it may stop, kill, freeze and restart it.

Fault tests run the generated app against a real PostgreSQL that goes away under it. The
shared server of ``.ci/run`` (port 5432) serves the other tests in parallel, so a fault test
never touches it: it runs a cluster of its own from the binaries of Debian's ``postgresql``
package (``/usr/lib/postgresql/<version>/bin``, the highest version installed).

initdb and postgres refuse to run as root; CI runs as root. As root, every PostgreSQL program
runs as the ``postgres`` OS user (the package creates it) through ``runuser``, and the
cluster's folder belongs to that user. That folder is a new temporary folder with a short path
(not the test's ``work`` folder): the postgres user must be able to reach it (pytest's temp
folders are root's, mode 0700) and a Unix socket's path is limited to 107 bytes.

The server listens on 127.0.0.1 only, on a port free when the object is made (kept across
restarts), with durability off for speed (fsync, synchronous_commit, full_page_writes): data
survives ``stop``/``start``, and ``kill`` short of the last ~1 s of commits. The app logs in as
role ``app`` (random password, scram-sha-256 over TCP) to database ``app``, which it owns.

Only processes of the server this object started are ever signalled: the postmaster's pid (read
from ``postmaster.pid`` at start, its data folder checked) and its descendants (found in
``/proc`` by parent pid).
"""

import contextlib
import math
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType

import psycopg
from psycopg import sql

PG_ROOT = Path("/usr/lib/postgresql")
SERVICE_USER = "postgres"
ROLE = DATABASE = "app"

SETTINGS = """
# tests/support/pg_server.py: a private, disposable test server
listen_addresses = '127.0.0.1'
port = {port}
unix_socket_directories = '{socket_dir}'
max_connections = 50
shared_buffers = 32MB
fsync = off
synchronous_commit = off
full_page_writes = off
"""

HBA = """\
# tests/support/pg_server.py: the postgres user over the socket, everyone else by password over TCP
local all {user} trust
host all all 127.0.0.1/32 scram-sha-256
"""


def binaries() -> Path | None:
    """The ``bin`` folder of the highest PostgreSQL version installed by Debian's packages
    (the one holding ``initdb``, ``pg_ctl`` and ``postgres``), or None when there is none."""

    def version(bin_dir: Path) -> tuple[int, ...]:
        return tuple(int(part) for part in bin_dir.parent.name.split(".") if part.isdigit())

    found = [
        bin_dir
        for bin_dir in PG_ROOT.glob("*/bin")
        if all((bin_dir / name).is_file() for name in ("initdb", "pg_ctl", "postgres"))
    ]
    return max(found, key=version, default=None)


def unavailable() -> str:
    """Why a ``PostgresServer`` cannot run on this machine, or "" when it can."""
    if binaries() is None:
        return f"no PostgreSQL binaries in {PG_ROOT}/<version>/bin (apt-get install postgresql)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(SERVICE_USER)
        except KeyError:
            return f"running as root, and there is no {SERVICE_USER!r} OS user to run PostgreSQL"
        if shutil.which("runuser") is None:
            return "running as root, and there is no runuser (util-linux) to drop to postgres"
    return ""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now (the kernel's pick for port 0)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _stat(pid: int) -> tuple[str, int] | None:
    """The state letter and parent pid of process ``pid``, or None when it does not exist."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = text[text.rindex(")") + 2 :].split()  # the command name may hold spaces
    return fields[0], int(fields[1])


def alive(pid: int) -> bool:
    """Whether process ``pid`` exists and is not a zombie (dead, waiting to be reaped)."""
    stat = _stat(pid)
    return stat is not None and stat[0] not in "ZX"


def _descendants(pid: int) -> list[int]:
    """The live descendants of process ``pid``, parents before their children."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))) and stat[0] not in "ZX":
            children.setdefault(stat[1], []).append(int(entry.name))
    found: list[int] = []
    queue = list(children.get(pid, []))
    while queue:
        child = queue.pop(0)
        found.append(child)
        queue.extend(children.get(child, []))
    return found


def _signal(pids: list[int], signum: signal.Signals) -> None:
    """Send ``signum`` to each of ``pids``, skipping those that have exited meanwhile."""
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signum)


def _wait_until(condition: Callable[[], bool], timeout: float, interval: float = 0.02) -> bool:
    """Poll ``condition()`` until it is true or ``timeout`` seconds have passed; its last
    value. At most ``timeout / interval + 1`` polls."""
    deadline = time.monotonic() + timeout
    for _ in range(int(timeout / interval) + 2):
        if condition():
            return True
        if time.monotonic() >= deadline:
            break
        time.sleep(interval)
    return bool(condition())


class PostgresServer:
    """A private PostgreSQL cluster on 127.0.0.1, run by the test that made it.

    ``url`` (SQLAlchemy, psycopg 3 driver) and ``conninfo`` (libpq, for psycopg) name the app's
    database; both are valid from construction on, before the server first starts.

    Not thread-safe: call its methods from one thread.
    """

    url: str
    """``postgresql+psycopg://app:<password>@127.0.0.1:<port>/app``"""
    conninfo: str
    """The same as a libpq connection string: ``host=127.0.0.1 port=... user=app ...``"""
    port: int
    """The TCP port on 127.0.0.1, the same across restarts."""
    password: str
    """The password of role ``app`` (hex, URL-safe)."""
    log: Path
    """The server's log: live in the cluster folder while open, copied to ``work`` on close."""

    def __init__(self, work: Path):
        """Prepare a server (nothing runs yet): choose its port and password, and make its
        cluster folder (a new temporary folder, the postgres user's when running as root).

        ``work`` is created if missing; the server's log is copied there on ``close``.

        Raises:
            RuntimeError: the binaries, the postgres user or runuser are missing (see
                ``unavailable``).
        """
        reason = unavailable()
        if reason:
            raise RuntimeError(reason)
        bin_dir = binaries()
        assert bin_dir is not None
        self.bin = bin_dir
        self.work = work
        work.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.password = secrets.token_hex(16)
        self.url = f"postgresql+psycopg://{ROLE}:{self.password}@127.0.0.1:{self.port}/{DATABASE}"
        self.conninfo = (
            f"host=127.0.0.1 port={self.port} user={ROLE} password={self.password} "
            f"dbname={DATABASE}"
        )
        self.root = Path(tempfile.mkdtemp(prefix="pg-server-"))
        self.data = self.root / "data"
        self.socket_dir = self.root / "socket"
        self.log = self.root / "postgresql.log"
        self.socket_dir.mkdir()
        if os.geteuid() == 0:
            user = pwd.getpwnam(SERVICE_USER)
            for path in (self.root, self.socket_dir):
                os.chown(path, user.pw_uid, user.pw_gid)
        self._initialized = False
        self._pid: int | None = None  # the postmaster's, while it may be running
        self._frozen: list[int] = []  # what freeze stopped, postmaster first
        self._closed = False

    # --- running PostgreSQL's programs -----------------------------------------------------

    def _run(self, *args: str, timeout: float) -> subprocess.CompletedProcess[str]:
        """Run ``<bin>/<args>`` as the postgres user when root (else as this user), in the
        cluster folder, without PG* variables; waits at most ``timeout`` seconds.

        Raises:
            RuntimeError: it exited non-zero (its output and the log's tail in the message).
            subprocess.TimeoutExpired: it ran longer than ``timeout``.
        """
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", SERVICE_USER, "--", *command]
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        done = subprocess.run(
            command,
            cwd=self.root,
            env={**env, "LC_ALL": "C"},
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
        if done.returncode:
            raise RuntimeError(
                f"{' '.join(args[:2])} failed ({done.returncode}):\n{done.stdout}{done.stderr}"
                f"{self._log_tail()}"
            )
        return done

    def _log_tail(self, lines: int = 20) -> str:
        """The last ``lines`` lines of the server's log, headed, or "" when there is none."""
        try:
            text = self.log.read_text(errors="replace")
        except OSError:
            return ""
        return "\n--- postgresql.log (tail) ---\n" + "\n".join(text.splitlines()[-lines:])

    def _initdb(self, timeout: float) -> None:
        """Create the cluster (no fsync), configure it (see ``SETTINGS``, ``HBA``)."""
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            SERVICE_USER,
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
            "--locale=C",
            "--encoding=UTF8",
            "--no-sync",
            timeout=timeout,
        )
        # Appending to and rewriting the files initdb made keeps their owner (postgres).
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(SETTINGS.format(port=self.port, socket_dir=self.socket_dir))
        (self.data / "pg_hba.conf").write_text(HBA.format(user=SERVICE_USER))

    def _create_app_database(self, timeout: float) -> None:
        """Create role ``app`` with its password and database ``app`` it owns, as the postgres
        superuser over the Unix socket; those that exist already are kept."""
        with psycopg.connect(
            host=str(self.socket_dir),
            port=self.port,
            user=SERVICE_USER,
            dbname="postgres",
            autocommit=True,
            connect_timeout=max(2, math.ceil(timeout)),
        ) as admin:
            if not admin.execute("SELECT FROM pg_roles WHERE rolname = %s", [ROLE]).fetchone():
                admin.execute(
                    sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                        sql.Identifier(ROLE), sql.Literal(self.password)
                    )
                )
            if not admin.execute(
                "SELECT FROM pg_database WHERE datname = %s", [DATABASE]
            ).fetchone():
                admin.execute(
                    sql.SQL("CREATE DATABASE {} OWNER {}").format(
                        sql.Identifier(DATABASE), sql.Identifier(ROLE)
                    )
                )

    def _read_pid(self) -> int | None:
        """The postmaster's pid from ``postmaster.pid``, when that file names this cluster's
        data folder; None when there is no such file."""
        try:
            lines = (self.data / "postmaster.pid").read_text().splitlines()
        except FileNotFoundError:
            return None
        if len(lines) < 2 or Path(lines[1]) != self.data:
            return None
        return int(lines[0])

    # --- the interface -------------------------------------------------------------------

    @property
    def running(self) -> bool:
        """Whether this server's postmaster is alive (frozen counts as alive)."""
        return self._pid is not None and alive(self._pid)

    @property
    def frozen(self) -> bool:
        """Whether ``freeze`` stopped the server and ``thaw`` has not resumed it yet."""
        return bool(self._frozen)

    def start(self, timeout: float = 30) -> None:
        """Start the server; return once role ``app`` can log in over TCP.

        The first call creates the cluster (initdb) and the app's role and database; later
        calls start it on the same port and data (after a ``kill``, with crash recovery).

        Args:
            timeout: seconds for the whole start, initdb included (~1-2 s here).

        Raises:
            RuntimeError: already running, closed, or PostgreSQL failed (log tail included),
                e.g. because another process took the port meanwhile.
            TimeoutError: it did not accept the app's connections within ``timeout``.
        """
        if self._closed:
            raise RuntimeError("this PostgresServer is closed")
        if self.running:
            raise RuntimeError(f"PostgreSQL on port {self.port} is already running")
        deadline = time.monotonic() + timeout

        def left() -> float:
            return max(0.0, deadline - time.monotonic())

        if not (self.data / "PG_VERSION").exists():
            self._initdb(timeout=left())
        seconds = str(max(1, math.ceil(left())))
        try:
            # -w: pg_ctl waits until the postmaster reports ready, or that it exited.
            start = ["pg_ctl", "start", "-w", "-t", seconds, "-D", str(self.data)]
            self._run(*start, "-l", str(self.log), timeout=left() + 5)
        except subprocess.TimeoutExpired as error:
            raise TimeoutError(f"pg_ctl start took over {timeout} s{self._log_tail()}") from error
        self._pid = self._read_pid()
        if self._pid is None:
            raise RuntimeError(f"pg_ctl start left no postmaster.pid{self._log_tail()}")
        if not self._initialized:
            self._create_app_database(timeout=left())
            self._initialized = True
        self._wait_accepting(left())

    def _wait_accepting(self, timeout: float) -> None:
        """Poll (psycopg, ``SELECT 1`` as ``app`` over TCP) until it answers; at most
        ``timeout`` seconds and ``timeout / 0.05 + 2`` attempts.

        Raises:
            TimeoutError: no answer in time (the last error in the message).
        """
        deadline = time.monotonic() + timeout
        last: Exception | None = None
        for _ in range(int(timeout / 0.05) + 2):
            try:
                with psycopg.connect(self.conninfo, connect_timeout=2) as connection:
                    connection.execute("SELECT 1")
                return
            except psycopg.OperationalError as error:
                last = error
            if time.monotonic() >= deadline:
                break
            time.sleep(0.05)
        raise TimeoutError(
            f"PostgreSQL on port {self.port} did not accept connections within {timeout:.1f} s:"
            f" {last}{self._log_tail()}"
        )

    def stop(self, timeout: float = 30) -> None:
        """Stop the server (``pg_ctl stop -m fast``: sessions are ended, their open
        transactions rolled back); return once the port refuses connections. Thaws it first
        if frozen. Does nothing when it is not running.

        Args:
            timeout: seconds to wait for the shutdown and then for the port to close.

        Raises:
            TimeoutError: it had not stopped, or the port still accepted, after ``timeout``.
            RuntimeError: pg_ctl failed otherwise (its output and the log's tail included).
        """
        if self.frozen:
            self.thaw()
        if not self.running:
            self._pid = None
            return
        deadline = time.monotonic() + timeout
        seconds = str(max(1, math.ceil(timeout)))
        try:
            stop = ["pg_ctl", "stop", "-m", "fast", "-w", "-t", seconds, "-D", str(self.data)]
            self._run(*stop, timeout=timeout + 5)
        except subprocess.TimeoutExpired as error:
            raise TimeoutError(f"pg_ctl stop took over {timeout} s{self._log_tail()}") from error
        except RuntimeError as error:
            if self.running:
                raise TimeoutError(str(error)) from error
        self._pid = None
        if not _wait_until(self._port_refuses, max(0.0, deadline - time.monotonic())):
            raise TimeoutError(f"port {self.port} still accepts connections after stop")

    def _port_refuses(self) -> bool:
        """Whether a TCP connection to 127.0.0.1:port is refused now."""
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return False
        except ConnectionRefusedError:
            return True
        except OSError:
            return False

    def kill(self, timeout: float = 10) -> None:
        """SIGKILL the postmaster and all its processes, as a crash would; return once they
        are gone and the port refuses. Commits of the last ~1 s may be lost
        (``synchronous_commit = off``). The next ``start`` runs crash recovery. Does nothing
        when it is not running.

        Raises:
            TimeoutError: some process or the listening port outlived ``timeout`` seconds.
        """
        if self._pid is None or not alive(self._pid):
            self._pid, self._frozen = None, []
            return
        pid = self._pid
        victims = [pid, *_descendants(pid)]
        _signal(victims, signal.SIGKILL)  # the postmaster first: it restarts no child
        self._frozen = []
        if not _wait_until(lambda: not any(alive(p) for p in victims), timeout):
            raise TimeoutError(f"PostgreSQL processes outlived SIGKILL: {victims}")
        # A dead postmaster that its parent has not reaped yet (a zombie; pid 1 of a container
        # may never reap it) still "exists" for the next postmaster's check of the lock files
        # naming its pid: both go, the data folder's and the socket's.
        locks = [self.data / "postmaster.pid", self.socket_dir / f".s.PGSQL.{self.port}.lock"]
        for lock in locks:
            with contextlib.suppress(FileNotFoundError, IndexError, ValueError):
                if int(lock.read_text().splitlines()[0]) == pid:
                    lock.unlink()
        self._pid = None
        if not _wait_until(self._port_refuses, timeout):
            raise TimeoutError(f"port {self.port} still accepts connections after kill")

    def pids(self) -> list[int]:
        """The postmaster's pid, then those of its live descendants (backends, checkpointer,
        ...); [] when the server is not running."""
        if self._pid is None or not alive(self._pid):
            return []
        return [self._pid, *_descendants(self._pid)]

    def freeze(self, timeout: float = 5) -> None:
        """SIGSTOP the postmaster, then every process it has, so that neither new nor
        established connections get an answer (TCP connects still complete: the kernel
        accepts them into the listen backlog). Returns once all are stopped.

        Raises:
            RuntimeError: the server is not running, or already frozen.
            TimeoutError: some process did not stop within ``timeout`` seconds.
        """
        if self.frozen:
            raise RuntimeError("already frozen")
        if self._pid is None or not alive(self._pid):
            raise RuntimeError(f"PostgreSQL on port {self.port} is not running")
        deadline = time.monotonic() + timeout
        # The postmaster first: stopped, it forks no new child; then its children, until a
        # scan finds none still running (one forked as the postmaster stopped shows up late).
        _signal([self._pid], signal.SIGSTOP)
        self._frozen = [self._pid]
        for _ in range(10):
            if not _wait_until(self._all_stopped, max(0.0, deadline - time.monotonic())):
                raise TimeoutError(f"PostgreSQL processes did not stop: {self._frozen}")
            new = [p for p in _descendants(self._pid) if p not in self._frozen]
            if not new:
                return
            _signal(new, signal.SIGSTOP)
            self._frozen.extend(new)
        raise TimeoutError("PostgreSQL kept starting processes while being frozen")

    def _all_stopped(self) -> bool:
        """Whether every process ``freeze`` signalled is stopped (or gone)."""
        return all((stat := _stat(p)) is None or stat[0] in "TtZX" for p in self._frozen)

    def thaw(self) -> None:
        """SIGCONT what ``freeze`` stopped: the children first, the postmaster last, so it
        resumes among running children. Does nothing when not frozen."""
        if not self._frozen:
            return
        postmaster, children = self._frozen[0], self._frozen[1:]
        _signal([*children, *_descendants(postmaster)], signal.SIGCONT)
        _signal([postmaster], signal.SIGCONT)
        self._frozen = []

    def close(self, timeout: float = 30) -> None:
        """Thaw if frozen, stop if running (SIGKILL when a fast stop fails within
        ``timeout`` seconds), copy the log to ``work``, remove the cluster folder.
        Idempotent; safe after any failure (frozen, stopped, killed, never started).

        Raises:
            TimeoutError: only if processes outlive SIGKILL (see ``kill``); the folder is
                removed regardless.
        """
        if self._closed:
            return
        self._closed = True
        try:
            self.thaw()
            try:
                self.stop(timeout)
            except (TimeoutError, RuntimeError):
                self.kill()
        finally:
            with contextlib.suppress(OSError):
                shutil.copyfile(self.log, self.work / "postgresql.log")
            shutil.rmtree(self.root, ignore_errors=True)
            self.log = self.work / "postgresql.log"

    def __enter__(self) -> "PostgresServer":
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


@contextlib.contextmanager
def postgres_server(work: Path, timeout: float = 30) -> Iterator[PostgresServer]:
    """A ``PostgresServer`` in ``work``, started (within ``timeout`` seconds), always closed
    on exit, whatever state the test left it in (frozen, stopped, killed).

    Raises:
        RuntimeError, TimeoutError: as ``PostgresServer`` and its ``start``.
    """
    server = PostgresServer(work)
    try:
        server.start(timeout)
        yield server
    finally:
        server.close()
