"""Write the code for your own data, in the project's patterns (a development tool: the image
does not ship ``tools/``).

    uv run python tools/new.py table FILE [--name NAME]

``table`` takes a CSV file (any delimiter and quoting: DuckDB's reader sniffs them) or a
Parquet file. It copies the file into ``imports/``, writes the code below for it, then loads
it into the app's database (``data/source.load_new``), which also proves that every row fits
its column's type: if one does not, the types are inferred again from every row; if the
database can't be opened now (the app holds its DuckDB file, or the server does not answer),
every row is read instead and the app loads the file at its next start, as every other
database does at its first. It writes:

- its ``Table`` in ``data/schema.py``: each column's type as DuckDB's reader infers it, its
  name made a safe identifier (ASCII, lower case, no SQL or Python keyword, no repeat), and
  the file's own header kept as the column's label (``column.info["label"]``);
- a migration that creates the table (``migrations/versions/``);
- its row in ``data/imports.py``, so the app loads the file once per database;
- a first pair of queries (``data/queries.py``), their cached wrappers (``data/cached.py``),
  and ``tests/test_<name>.py``.

    uv run python tools/new.py page TITLE [--table NAME [--filter COLUMN]]

``page`` writes a page: its script in ``app_pages/``, a component module with a fragment, a
state dataclass (``state/session.py``), its row in ``PAGES`` (``navigation.py``) and
``tests/test_<page>_page.py`` (AppTest and counting). With ``--table``, over a table of
``data/schema.py``: a filter on a text column (``--filter``, by default the first that is not
the key), kept in the page's state and bound to the URL; a bar chart of the rows per value,
counted by the database; and a paged table in a fragment, through four queries and their
cached wrappers. The texts are the templates in ``tools/templates/``.

Names are checked first (an identifier, no keyword, no name the project already uses), and
every file is written or none: a refusal is one line on stderr, exit status 2, and leaves the
project as it was. What it writes passes ruff, mypy and the project's tests unchanged.
"""

import argparse
import ast
import builtins
import json
import keyword
import re
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import duckdb
import jinja2
import sqlalchemy as sa
from alembic.autogenerate import render_python_code
from alembic.operations import ops
from alembic.script import ScriptDirectory
from alembic.util import format_as_comma, template_to_file
from sqlalchemy.dialects.postgresql.base import RESERVED_WORDS as POSTGRESQL_RESERVED
from sqlalchemy.dialects.sqlite.base import SQLiteIdentifierPreparer
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.sql.base import ColumnCollection
from streamlit.errors import StreamlitAPIException

from {{ cookiecutter.package_name }}.data import schema
from {{ cookiecutter.package_name }}.data.imports import READERS, Import, file_query
from {{ cookiecutter.package_name }}.data.migrate import MIGRATIONS, alembic_config
from {{ cookiecutter.package_name }}.data.schema import metadata
from {{ cookiecutter.package_name }}.data.source import load_new
from {{ cookiecutter.package_name }}.navigation import as_markdown
from {{ cookiecutter.package_name }}.resources.database import database, where
from {{ cookiecutter.package_name }}.state.store import PageState

PROJECT = Path(__file__).resolve().parents[1]
PACKAGE = "{{ cookiecutter.package_name }}"
SRC = PROJECT / "src" / PACKAGE{% raw %}
TEMPLATES = PROJECT / "tools" / "templates"

MAX_NAME = 60
"""The longest column name made: PostgreSQL cuts identifiers at 63 bytes."""
MAX_TABLE_NAME = 40
"""The longest table name: it appears in the written docstrings, which stay in 100 columns."""

RESERVED = (
    {word.lower() for word in POSTGRESQL_RESERVED}
    | {word.lower() for word in SQLiteIdentifierPreparer.reserved_words}
    | {
        str(word)
        for (word,) in duckdb.execute(
            "SELECT keyword_name FROM duckdb_keywords() WHERE keyword_category = 'reserved'"
        ).fetchall()
    }
)
"""SQL's reserved words on any backend: a name among them gets a trailing underscore."""

TAKEN_NAMES = {
    *dir(builtins),
    "alembic_version",  # Alembic's own table
    # the names the written queries and tests use for their own values
    *("con", "page", "ordered", "page_rows", "reader", "kind", "count", "first", "loaded"),
    *("past_the_end", "scratch_engine", "queries", "duckdb", "pd", "st", "engine"),
}
"""Names a table may not take: Python's builtins, Alembic's table, the written code's locals."""

RESERVED_PREFIXES = ("sqlite_", "pg_", "duckdb_")
"""Prefixes of the databases' own objects: SQLite refuses to create such a table."""

COLUMN_ATTRIBUTES = {name for name in dir(ColumnCollection) if not name.startswith("_")}
"""Names that ``table.c.<name>`` would find as a method (``keys``), not a column."""

TYPES: dict[str, type[sa.types.TypeEngine[Any]]] = {
    "BOOLEAN": sa.Boolean,
    "TINYINT": sa.Integer,
    "SMALLINT": sa.Integer,
    "INTEGER": sa.Integer,
    "UTINYINT": sa.Integer,
    "USMALLINT": sa.Integer,
    "UINTEGER": sa.BigInteger,
    "BIGINT": sa.BigInteger,
    "FLOAT": sa.Double,
    "DOUBLE": sa.Double,
    "DATE": sa.Date,
    "TIME": sa.Time,
    "TIMESTAMP": sa.DateTime,
    "TIMESTAMP_S": sa.DateTime,
    "TIMESTAMP_MS": sa.DateTime,
    "TIMESTAMP_NS": sa.DateTime,
    "TIMESTAMP WITH TIME ZONE": sa.DateTime,
}
"""The schema's type for each type DuckDB's reader infers; any other (VARCHAR, HUGEINT,
lists, ...) is stored as ``String``, and a DECIMAL as ``Double`` up to 15 digits."""


class Refusal(Exception):
    """What the tool will not do, and why: one line for the person who ran it."""


@dataclass(frozen=True)
class SourceColumn:
    """A column of the file: its header, the identifier made of it, its schema type."""

    label: str
    name: str
    type: type[sa.types.TypeEngine[Any]]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="tools/new.py", description="Write the code for your own data."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    table = commands.add_parser("table", help="a table for a CSV or Parquet file of yours")
    table.add_argument("file", type=Path, help="the CSV or Parquet file")
    table.add_argument("--name", help="the table's name (default: made from the file's)")
    page = commands.add_parser("page", help="a page, over one of your tables or none")
    page.add_argument("title", help="the page's title, in the menu and on the page")
    page.add_argument("--table", help="a table of data/schema.py to filter, chart and page")
    page.add_argument("--filter", help="the table's text column to filter on (with --table)")
    arguments = parser.parse_args(argv)
    try:
        if arguments.command == "table":
            written, done = new_table(arguments.file, arguments.name)
        else:
            written, done = new_page(arguments.title, arguments.table, arguments.filter), ""
    except Refusal as refusal:
        print(f"tools/new.py {arguments.command}: {refusal}", file=sys.stderr)
        return 2
    print(f"Wrote {len(written)} files:")
    for path, what in written.items():
        print(f"  {path.relative_to(PROJECT)}  ({what})")
    if done:
        print(done)
    print(NEXT_STEPS[arguments.command])
    return 0


NEXT_STEPS = {
    "table": """Next:
  uv run pytest                          # the new test, with the others
  uv run streamlit run streamlit_app.py  # a new database (a deploy's) loads it at its start
and show the table on a page: uv run python tools/new.py page TITLE --table NAME""",
    "page": """Next:
  uv run pytest                          # the page's tests, with the others
  uv run streamlit run streamlit_app.py  # the page is in the menu""",
}


# --- table ------------------------------------------------------------------------------


def new_table(file: Path, name: str | None = None) -> tuple[dict[Path, str], str]:
    """Copy ``file`` into ``imports/``, write its table, migration, import row, queries and
    test (see the module's docstring), then load it (``load_or_check``).

    Returns:
        Each path written, with what it holds; and what became of the file's rows.

    Raises:
        Refusal: the file can't be read or is empty, a row fits no type DuckDB infers, or the
            name is not a free identifier; nothing was written, nothing loaded.
    """
    if not file.is_file():
        raise Refusal(f"FILE: {file} is not a file")
    if file.suffix.lower() not in READERS:
        raise Refusal(f"FILE: {file.name} is not a {', '.join(READERS)} file")
    if file.stat().st_size == 0:
        raise Refusal(f"FILE: {file.name} is empty: a table needs at least a header row")
    if name is None:
        name = safe_identifier(file.stem.split(".")[0], set(), MAX_TABLE_NAME)
    check_table_name(name)
    try:
        try:  # the types of a sample of the rows, as the reader infers them
            return write_table(file, name, described(file))
        except duckdb.ConversionException:  # a row past the sample: infer from every row
            return write_table(file, name, described(file, "sample_size = -1"))
    except duckdb.Error as error:
        reason = str(error).splitlines()[0]  # the lines after point into our query
        raise Refusal(f"FILE: DuckDB can't read {file.name}: {reason}") from None


def write_table(file: Path, name: str, columns: list[SourceColumn]) -> tuple[dict[Path, str], str]:
    """Write the code for ``file`` as the table ``name`` of ``columns``, then load it; if the
    load fails, put everything back.

    Raises:
        duckdb.Error: a row does not fit its column's type, or DuckDB can't read the file.
    """
    copy = PROJECT / "imports" / f"{name}{file.suffix.lower()}"
    newest, revision = revisions()
    table = build_table(name, columns)
    written = {  # path -> (its new text, what it holds)
        SRC / "data/schema.py": (
            add_table(read(SRC / "data/schema.py"), name, columns),
            f"the table {name}, {len(columns)} columns",
        ),
        SRC / "data/imports.py": (
            add_import(read(SRC / "data/imports.py"), name, copy.name),
            "its load, once per database",
        ),
        SRC / "data/queries.py": (
            add_queries(read(SRC / "data/queries.py"), name),
            f"count_{name}, {name}_page",
        ),
        SRC / "data/cached.py": (
            read(SRC / "data/cached.py") + TABLE_CACHED.format(name=name),
            "their cached wrappers",
        ),
        MIGRATIONS / f"versions/{revision}_create_{name}.py": (
            migration(table, newest, revision),
            "the migration",
        ),
        PROJECT / f"tests/test_{name}.py": (
            TABLE_TEST.format(package=PACKAGE, name=name, upper=name.upper()),
            "its load and queries, tested",
        ),
    }
    done = write_all(
        {path: text for path, (text, _) in written.items()},
        copy_from=(file, copy),
        then=lambda: load_or_check(table, Import(name, copy.name)),
    )
    return {copy: "the data file"} | {path: what for path, (_, what) in written.items()}, done


def load_or_check(table: sa.Table, item: Import) -> str:
    """Load ``item``'s file into the app's database now (``source.load_new``): the load reads
    each row as its column's type, so it also proves that every row fits. When the database
    can't be opened (the app holds its DuckDB file, the server does not answer, no settings
    say where it is), read every row as the load would instead, and leave the load to the
    app's next start.

    Returns:
        What became of the rows, for the person who ran the tool.

    Raises:
        duckdb.Error: a row does not fit its column's type; nothing was loaded.
    """
    try:
        engine = database()
        with engine.connect():
            pass
    except (SQLAlchemyError, StreamlitAPIException) as error:
        if not item.file.endswith(".parquet"):  # a Parquet file's types are its own
            read_every_row(table, item.path)
        reason = str(getattr(error, "orig", None) or error).splitlines()[0]  # the driver's
        return f"Not loaded now: {reason}\nEvery row fits; the app loads them at its next start."
    try:
        rows = load_new(engine, item, table)
    finally:
        engine.dispose()
    return f"Loaded {rows:,} rows into {where(engine)}."


def safe_identifier(text: str, taken: set[str], longest: int = MAX_NAME) -> str:
    """``text`` as a lower-case ASCII identifier that no backend reserves and ``taken`` lacks;
    added to ``taken``. Accents are dropped (``Öl`` -> ``ol``), other marks become ``_``,
    camelCase is split, a leading digit gets ``c_``, a keyword a trailing ``_``, a repeat
    ``_2``, ``_3``, ...; cut to ``longest`` characters."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    split = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", ascii_text)
    name = re.sub(r"[^0-9a-zA-Z]+", "_", split).strip("_").lower() or "column"
    if name[0].isdigit():
        name = f"c_{name}"
    name = name[:longest]
    if name in RESERVED or keyword.iskeyword(name) or name in COLUMN_ATTRIBUTES:
        name = f"{name[: longest - 1]}_"
    unique, number = name, 2
    while unique in taken:  # cut to make room for the number: the result stays in longest
        suffix = f"_{number}"
        unique, number = f"{name[: longest - len(suffix)]}{suffix}", number + 1
    taken.add(unique)
    return unique


def check_table_name(name: str) -> None:
    """Refuse ``name`` unless it is a lower-case identifier, no keyword, and not yet a table
    or a name in the modules the tool writes to."""
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name) or len(name) > MAX_TABLE_NAME:
        raise Refusal(
            f"table name {name!r}: use lower-case letters, digits and _, starting with a"
            f" letter, at most {MAX_TABLE_NAME} characters"
        )
    if keyword.iskeyword(name) or name in RESERVED:
        raise Refusal(f"table name {name!r}: a Python or SQL keyword; choose another (--name)")
    if name in TAKEN_NAMES or name.startswith(RESERVED_PREFIXES):
        raise Refusal(
            f"table name {name!r}: Python, a database or the written code uses it; choose"
            " another (--name)"
        )
    if name in metadata.tables:
        raise Refusal(f"table name {name!r}: data/schema.py has it; choose another (--name)")
    for module in ("schema", "queries", "cached", "imports"):
        names = top_level_names(read(SRC / f"data/{module}.py"))
        if taken := {name, f"count_{name}", f"{name}_page"} & names:
            raise Refusal(
                f"table name {name!r}: data/{module}.py has {', '.join(sorted(taken))};"
                " choose another (--name)"
            )
    for path in (PROJECT / f"tests/test_{name}.py", *(PROJECT / "imports").glob(f"{name}.*")):
        if path.exists():
            where = path.relative_to(PROJECT)
            raise Refusal(f"table name {name!r}: {where} exists; choose another (--name)")


def top_level_names(source: str) -> set[str]:
    """The names a module binds at its top: imports, assignments, functions, classes."""
    names: set[str] = set()
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(target.id for target in targets if isinstance(target, ast.Name))
    return names


def described(file: Path, *options: str) -> list[SourceColumn]:
    """The file's columns, with the types DuckDB's reader infers (from a sample of the rows,
    unless ``options`` say otherwise), named as safe identifiers.

    Raises:
        duckdb.Error: DuckDB can't read the file.
    """
    reader = READERS[file.suffix.lower()]
    if reader == "read_csv":  # as the load reads it: a quoted empty field is a string
        options = ("allow_quoted_nulls = false", *options)
    query = f"DESCRIBE SELECT * FROM {reader}({', '.join(['?', *options])})"
    rows = duckdb.execute(query, [str(file)]).fetchall()
    taken: set[str] = set()
    return [
        SourceColumn(str(label), safe_identifier(str(label), taken), schema_type(str(kind)))
        for label, kind, *_ in rows
    ]


def read_every_row(table: sa.Table, path: Path) -> None:
    """Read every row of ``path`` as the load does (``imports.file_query``), writing nothing.

    Raises:
        duckdb.ConversionException: a value does not fit its column's type.
    """
    # Each column counted, so each value is read and converted (a bare count(*) reads none).
    counts = ", ".join(f'count("{column.name}")' for column in table.columns)
    with duckdb.connect() as reader:
        reader.execute(f"SELECT {counts} FROM ({file_query(reader, table, path)})").fetchall()


def schema_type(duckdb_type: str) -> type[sa.types.TypeEngine[Any]]:
    """The schema's type for a type DuckDB's reader names (see ``TYPES``)."""
    if decimal := re.fullmatch(r"DECIMAL\((\d+),\s*(\d+)\)", duckdb_type):
        # A double holds 15 significant digits; a wider decimal stays exact, as text.
        return sa.Double if int(decimal[1]) <= 15 else sa.String
    return TYPES.get(duckdb_type, sa.String)


def build_table(name: str, columns: Iterable[SourceColumn]) -> sa.Table:
    """The table as SQLAlchemy declares it, for its migration."""
    return sa.Table(name, sa.MetaData(), *(sa.Column(c.name, c.type()) for c in columns))


def revisions() -> tuple[str | None, str]:
    """The newest migration (None before the first), and the next one's number after it
    (0002 after 0001)."""
    newest = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if newest is not None and not newest.isdigit():
        raise Refusal(f"the newest migration, {newest}, is not numbered: number this one")
    return newest, f"{int(newest or 0) + 1:04d}"


def add_table(schema: str, name: str, columns: Sequence[SourceColumn]) -> str:
    """``schema.py`` with the table declared at its end, and the types it uses imported."""
    lines = [
        f"    Column({c.name!r}, {c.type.__name__}, info=" + "{'label': " + label(c) + "}),"
        for c in columns
    ]
    types = sorted({c.type.__name__ for c in columns} | {"Column", "Table"})
    return (
        with_names(schema, "sqlalchemy", types)
        + f"\n\n{name} = Table(\n    {name!r},\n    metadata,\n"
        + "\n".join(lines)
        + '\n)\n"""Loaded from ``imports/`` (``imports.py``); read only."""\n'
    )


def label(column: SourceColumn) -> str:
    """The column's label as Python: a long one in pieces, each short enough for a line."""
    text = column.label
    return " ".join(repr(text[start : start + 50]) for start in range(0, len(text), 50)) or "''"


def add_import(imports: str, name: str, file: str) -> str:
    """``imports.py`` with the file's row added to ``IMPORTS``."""
    return with_row(imports, "IMPORTS", f"Import({name!r}, {file!r})")


def with_row(source: str, table: str, row: str) -> str:
    """``source`` with ``row`` added at the end of the tuple assigned to ``table`` at the
    module's top (written as a tuple display, as the project writes its tables).

    Raises:
        Refusal: ``source`` assigns ``table`` no tuple display.
    """
    for node in ast.parse(source).body:
        if isinstance(node, ast.AnnAssign | ast.Assign) and isinstance(node.value, ast.Tuple):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(target, ast.Name) and target.id == table for target in targets):
                rows = [ast.get_source_segment(source, element) for element in node.value.elts]
                display = "(\n" + "".join(f"    {each},\n" for each in [*rows, row]) + ")"
                lines = source.splitlines(keepends=True)
                start = sum(map(len, lines[: node.value.lineno - 1])) + node.value.col_offset
                end_line = node.value.end_lineno or node.value.lineno
                end = sum(map(len, lines[: end_line - 1])) + (node.value.end_col_offset or 0)
                return source[:start] + display + source[end:]
    raise Refusal(f"no tuple {table} = (...) to add a row to")


def add_queries(queries: str, name: str) -> str:
    """``queries.py`` with a count and a pager over the table."""
    imported = with_names(queries, "sqlalchemy", ["Connection", "func", "select"])
    imported = with_names(imported, ".schema", [name])
    return imported + TABLE_QUERIES.format(name=name, upper=name.upper())


def with_names(source: str, module: str, names: Sequence[str]) -> str:
    """``source`` with ``from module import ...`` of those ``names`` it does not bind yet."""
    missing = [name for name in names if name not in top_level_names(source)]
    if not missing:
        return source
    return with_import(source, f"from {module} import {', '.join(missing)}")


def with_import(source: str, statement: str) -> str:
    """``source`` with the import ``statement`` added after its last top-level import; ruff
    then merges it with the module's own line for the same module, if any."""
    last = max(
        node.end_lineno or node.lineno
        for node in ast.parse(source).body
        if isinstance(node, ast.Import | ast.ImportFrom)
    )
    lines = source.splitlines(keepends=True)
    return "".join([*lines[:last], statement + "\n", *lines[last:]])


def migration(table: sa.Table, newest: str | None, revision: str) -> str:
    """The migration ``revision`` that creates ``table`` after ``newest``, in the project's
    migration template."""
    create = ops.CreateTableOp.from_table(table)
    create.if_not_exists = True  # as 0001's: a database that has the table adopts this one
    with TemporaryDirectory() as scratch:
        written = Path(scratch) / "migration.py"
        template_to_file(  # Alembic's own rendering of script.py.mako, as `revision` does
            str(MIGRATIONS / "script.py.mako"),
            str(written),
            "utf-8",
            message=f"Create {table.name}, loaded from imports/ (tools/new.py table)",
            up_revision=revision,
            down_revision=newest,
            branch_labels=None,
            depends_on=None,
            comma=format_as_comma,
            imports="",
            upgrades=render_python_code(ops.UpgradeOps([create])),
            downgrades=render_python_code(ops.DowngradeOps([ops.DropTableOp.from_table(table)])),
        )
        return read(written)


# --- page -------------------------------------------------------------------------------

MAX_TITLE = 40
"""The longest page title: it appears in the written docstrings, which stay in 100 columns."""

MAX_FIELD = 30
"""The longest state field named after its column (it is the URL's parameter too); a longer
column's field is ``chosen``."""

STATE_METHODS = {name for name in dir(PageState) if not name.startswith("__")}
"""Names a state field may not take: ``PageState``'s own."""

COMPONENT_NAMES = {"math", "Any", "st", "cached", "outage_message", "FILTERED", "LABELS", "CHART"}
"""The names ``templates/component.py.jinja`` binds beside the table it imports: not a table's."""

PAGE_ICON = ":material/table_view:"
"""The menu icon of a written page; change it in ``navigation.py``."""


def new_page(
    title: str, table_name: str | None = None, filter_column: str | None = None
) -> dict[Path, str]:
    """Write a page titled ``title``, over the table ``table_name`` if given, filtered on its
    text column ``filter_column`` (by default the first that is not the key); see the module's
    docstring.

    Returns:
        Each path written, with what it holds.

    Raises:
        Refusal: the title is empty, too long or holds a quote, a backslash or a control
            character; a name made of it is taken; the table or its column is unknown or has
            no text column; nothing was written.
    """
    if not title.strip() or len(title) > MAX_TITLE or not title.isprintable():
        raise Refusal(f"TITLE {title!r}: use 1 to {MAX_TITLE} printable characters")
    if set(title) & set('"\\'):
        raise Refusal(f"TITLE {title!r}: no quote or backslash, please")
    if filter_column is not None and table_name is None:
        raise Refusal(f"--filter {filter_column!r}: a filter needs a table (--table)")
    slug = safe_identifier(title, set(), MAX_TABLE_NAME)
    context: dict[str, Any] = {
        "package": PACKAGE,
        "title_text": title.strip(),
        "heading": python_string(as_markdown(title.strip())),
        "slug": slug,
        "upper": slug.upper(),
        "state": "".join(part.capitalize() for part in slug.split("_")) + "State",
        "script": f"app_pages/{slug}.py",
        "table": None,
    }
    if table_name is not None:
        context |= filter_context(table_name, filter_column)
    check_page_names(context)
    help_text = f"The rows of {table_name}, filtered and paged." if table_name else "Your page."
    spec = f"PageSpec({context['script']!r}, {title.strip()!r}, {PAGE_ICON!r}, {help_text!r})"
    written = {  # path -> (its new text, what it holds)
        PROJECT / context["script"]: (render("page.py.jinja", context), "the page"),
        SRC / f"components/{slug}.py": (
            render("component.py.jinja", context),
            "its widgets" + (", a fragment among them" if table_name else ": a fragment"),
        ),
        SRC / "state/session.py": (
            add_state(read(SRC / "state/session.py"), context),
            f"{context['state']}, the page's state",
        ),
        SRC / "navigation.py": (
            with_row(read(SRC / "navigation.py"), "PAGES", spec),
            "its row in the menu",
        ),
        PROJECT / f"tests/test_{slug}_page.py": (
            render("test_page.py.jinja", context),
            "its tests: AppTest and counting",
        ),
    }
    if table_name is not None:
        written[SRC / "data/queries.py"] = (
            add_page_queries(read(SRC / "data/queries.py"), context),
            f"{slug}_choices, _groups, _count and _rows",
        )
        written[SRC / "data/cached.py"] = (
            read(SRC / "data/cached.py") + render("cached.py.jinja", context),
            "their cached wrappers",
        )
    write_all({path: text for path, (text, _) in written.items()})
    return {path: what for path, (_, what) in written.items()}


def filter_context(table_name: str, filter_column: str | None) -> dict[str, Any]:
    """What the templates need to know of the table and its filter column.

    Raises:
        Refusal: ``schema.py`` has no such table, or it has no such text column.
    """
    table = metadata.tables.get(table_name)
    if table is None:
        known = ", ".join(sorted(metadata.tables)) or "none"
        raise Refusal(f"--table {table_name!r}: data/schema.py has no such table ({known})")
    texts = [c for c in table.columns if isinstance(c.type, sa.String)]
    if filter_column is not None:
        if filter_column not in [c.name for c in texts]:
            names = ", ".join(c.name for c in texts) or "none"
            raise Refusal(
                f"--filter {filter_column!r}: not a text column of {table_name} ({names})"
            )
        column = table.c[filter_column]
    else:
        keyless = [c for c in texts if not c.primary_key]
        if not keyless:
            raise Refusal(
                f"--table {table_name!r}: no text column to filter on, other than its key"
            )
        column = keyless[0]
    variable = next(name for name, value in vars(schema).items() if value is table)
    field = column.name  # the state's field, and so the URL's parameter, where it can be
    if not field.isidentifier() or keyword.iskeyword(field) or len(field) > MAX_FIELD:
        field = "chosen"
    if field in STATE_METHODS | {"page"} or field in dir(builtins):  # tuple, int: types
        field = "chosen"
    count = "rows" if column.name != "rows" else "row_count"  # the chart's counts, named
    return {"table": variable, "column": column.name, "field": field, "count": count}


def check_page_names(context: dict[str, Any]) -> None:
    """Refuse a page whose files exist, or whose names a module it adds to already binds."""
    slug, state = context["slug"], context["state"]
    if keyword.iskeyword(slug) or slug in TAKEN_NAMES:
        raise Refusal(f"TITLE: the page's name {slug!r} is Python's; choose another title")
    paths = [
        PROJECT / context["script"],
        SRC / f"components/{slug}.py",
        PROJECT / f"tests/test_{slug}_page.py",
    ]
    for path in paths:
        if path.exists():
            where = path.relative_to(PROJECT)
            raise Refusal(f"TITLE: {where} exists; choose another title")
    if state in top_level_names(read(SRC / "state/session.py")):
        raise Refusal(f"TITLE: state/session.py has {state}; choose another title")
    if context["table"] is None:
        return
    bound = COMPONENT_NAMES | {f"{slug}_{what}" for what in ("filter", "chart", "table")}
    if context["table"] in bound | {state}:
        raise Refusal(
            f"--table {context['table']!r}: the page's component module uses that name too;"
            " rename the table"
        )
    for module in ("queries", "cached"):
        names = {f"{slug}_{what}" for what in ("choices", "groups", "count", "rows")}
        names |= {f"_{slug}_where", f"{slug.upper()}_ROWS_PER_PAGE", f"{slug.upper()}_GROUPS"}
        if taken := names & top_level_names(read(SRC / f"data/{module}.py")):
            raise Refusal(
                f"TITLE: data/{module}.py has {', '.join(sorted(taken))}; choose another title"
            )


def render(template: str, context: dict[str, Any]) -> str:
    """``tools/templates/<template>`` rendered for the page ``context`` (``page.*`` there).

    The skeleton's example page comes from the same templates, rendered by cookiecutter with
    ``__example_page`` of the template's ``cookiecutter.json`` as ``page``.
    """
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # Python source, not HTML
    )
    environment.filters["python_string"] = python_string
    return environment.get_template(template).render(page=context)


def python_string(text: str) -> str:
    """``text`` as a Python string literal in double quotes, as ruff formats one (JSON's
    escapes are Python's too)."""
    return json.dumps(text, ensure_ascii=False)


def add_state(session: str, context: dict[str, Any]) -> str:
    """``state/session.py`` with the page's state class before ``PAGE_STATES``, and in it."""
    with_class = before_assignment(session, "PAGE_STATES", render("state.py.jinja", context))
    return with_row(with_class, "PAGE_STATES", context["state"])


def before_assignment(source: str, name: str, text: str) -> str:
    """``source`` with ``text`` (blank lines first) just before the top-level assignment of
    ``name``.

    Raises:
        Refusal: ``source`` does not assign ``name`` at its top.
    """
    for node in ast.parse(source).body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        if isinstance(node, ast.AnnAssign):
            targets = [node.target]
        if any(isinstance(target, ast.Name) and target.id == name for target in targets):
            lines = source.splitlines(keepends=True)
            before = "".join(lines[: node.lineno - 1]).rstrip("\n")
            return before + "\n" + text.rstrip("\n") + "\n\n\n" + "".join(lines[node.lineno - 1 :])
    raise Refusal(f"no {name} = ... to add before")


def add_page_queries(queries: str, context: dict[str, Any]) -> str:
    """``queries.py`` with the page's four queries over its table."""
    names = ["ColumnElement", "Connection", "func", "select", "true"]
    imported = with_names(queries, "sqlalchemy", names)
    imported = with_names(imported, ".schema", [context["table"]])
    return imported + render("queries.py.jinja", context)


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def tidy(paths: Iterable[Path]) -> None:
    """Sort and merge the imports of ``paths``, then format them, as ruff does by the
    project's own settings (``pyproject.toml``): one run of each for every file; then check
    them with every rule the project sets.

    Raises:
        Refusal: the written code breaks one of the project's ruff rules (a title's typographic
            quote, say); the message is ruff's first finding.
        RuntimeError: ruff failed; what it said is the message.
    """
    names = [str(path.relative_to(PROJECT)) for path in paths]
    for command in (["check", "--fix", "--select", "I", "--quiet"], ["format", "--quiet"]):
        done = ruff(command, names)
        if done.returncode != 0:
            raise RuntimeError(f"ruff {command[0]} failed: {done.stdout}{done.stderr}")
    checked = ruff(["check", "--quiet", "--output-format", "concise"], names)
    if checked.returncode != 0:
        first = (checked.stdout or checked.stderr).splitlines()[0]
        raise Refusal(f"the written code would fail ruff ({first}); nothing written")


def ruff(command: list[str], names: list[str]) -> subprocess.CompletedProcess[str]:
    """``ruff <command> <names>`` in the project, from this environment, with no cache: a
    refusal leaves no file behind, ruff's own included."""
    return subprocess.run(
        [sys.executable, "-m", "ruff", *command, "--no-cache", *names],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        check=False,
    )


def write_all(
    texts: dict[Path, str],
    copy_from: tuple[Path, Path] | None = None,
    then: Callable[[], str] | None = None,
) -> str:
    """Copy the data file (``copy_from``: source, copy), if any, write every text, ``tidy``
    them, and call ``then``; if any step fails, put each path back as it was.

    Returns:
        What ``then`` returned ("" without it).
    """
    originals = {path: path.read_bytes() if path.exists() else None for path in texts}
    try:
        if copy_from:
            shutil.copyfile(*copy_from)
        for path, text in texts.items():
            path.write_text(text, encoding="utf-8")
        tidy(texts)
        return then() if then else ""
    except BaseException:
        if copy_from:
            copy_from[1].unlink(missing_ok=True)
        for path, original in originals.items():
            if original is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(original)
        raise


TABLE_QUERIES = '''

{upper}_PAGE_ROWS = 50
"""Rows per page of ``{name}_page``."""


def count_{name}(con: Connection) -> int:
    """How many rows the table ``{name}`` holds."""
    return int(con.execute(select(func.count()).select_from({name})).scalar_one())


def {name}_page(con: Connection, page: int) -> pd.DataFrame:
    """Page ``page`` (0 is the first) of the table ``{name}``,
    ordered by every column, so each page holds the same rows on every run.

    Returns:
        The table's columns, as named in ``schema.py``; at most
        ``{upper}_PAGE_ROWS`` rows; none past the last page.
    """
    ordered = select({name}).order_by(*{name}.columns)
    page_rows = ordered.limit({upper}_PAGE_ROWS).offset(page * {upper}_PAGE_ROWS)
    return pd.read_sql(page_rows, con)
'''

TABLE_CACHED = '''

@st.cache_data(ttl="24h", max_entries=1, show_spinner=False)
def count_{name}() -> int:
    """How many rows the table ``{name}`` holds; see ``queries``.
    Invalidation: none needed, the table changes only when its file loads, before any page
    reads it."""
    return run_in_database(queries.count_{name})


@st.cache_data(ttl="24h", max_entries=256, show_spinner=False)
def {name}_page(page: int) -> pd.DataFrame:
    """A page of ``{name}`` (see ``queries``), one entry per page.
    Invalidation: none needed, as for its count."""
    return run_in_database(queries.{name}_page, page)
'''

TABLE_TEST = '''"""The table ``{name}``: its file loads whole, and its queries
read it."""

import duckdb
from sqlalchemy import Engine

from {package}.data import queries
from {package}.data.imports import IMPORTS, load_file
from {package}.data.schema import {name}

SOURCE = next(item for item in IMPORTS if item.table == "{name}")


def _rows_in_file() -> int:
    kind = "read_parquet" if SOURCE.path.suffix == ".parquet" else "read_csv"
    with duckdb.connect() as reader:  # its own: the module's default may be busy
        count = reader.execute("SELECT count(*) FROM " + kind + "(?)", [str(SOURCE.path)])
        return int(count.fetchall()[0][0])


def test_{name}_loads_every_row_of_its_file(scratch_engine: Engine) -> None:
    with scratch_engine.begin() as con:
        {name}.create(con)
        loaded = load_file(con, {name}, SOURCE.path)
        assert loaded == queries.count_{name}(con) == _rows_in_file()


def test_a_page_of_{name}_holds_the_table_s_columns(scratch_engine: Engine) -> None:
    with scratch_engine.begin() as con:
        {name}.create(con)
        load_file(con, {name}, SOURCE.path)
        first = queries.{name}_page(con, 0)
        past_the_end = queries.{name}_page(con, _rows_in_file() // queries.{upper}_PAGE_ROWS + 1)
    assert list(first.columns) == list({name}.columns.keys())
    assert len(first) == min(_rows_in_file(), queries.{upper}_PAGE_ROWS)
    assert past_the_end.empty
'''


if __name__ == "__main__":
    raise SystemExit(main())
{%- endraw %}
