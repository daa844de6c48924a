"""A bake's Dockerfile read as data, and its build replayed without Docker.

No Docker engine runs where the template is tested, so its tests do what the builder would:
``parse`` splits a Dockerfile into stages of instructions; ``DockerIgnore`` decides what the
build context holds, by Docker's rules (every pattern anchored at the context's top, unlike
``.gitignore``, whose ``data/`` would also drop the package's ``src/<pkg>/data/``); and
``replay`` runs a stage's COPY, ENV, WORKDIR and RUN instructions in a folder that stands for
the image's root.
"""

import json
import os
import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

DOCKER_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
"""The PATH a container starts with when no image sets one."""


@dataclass(frozen=True)
class Instruction:
    """One instruction, its continuation lines joined: ``COPY --from=build /a ./`` has the
    keyword ``COPY``, the flags ``(("from", "build"),)`` and the arguments ``/a ./``."""

    keyword: str
    flags: tuple[tuple[str, str], ...]
    arguments: str
    line: int

    def flag(self, name: str) -> str | None:
        """The value of the flag ``--name``, or None when absent."""
        return next((value for key, value in self.flags if key == name), None)

    def words(self) -> list[str]:
        """The arguments as a list: the JSON array of the exec form, or shell words."""
        if self.arguments.startswith("["):
            words: list[str] = json.loads(self.arguments)
            return words
        return shlex.split(self.arguments)


@dataclass
class Stage:
    """``FROM <image> [AS <name>]`` and the instructions up to the next FROM."""

    image: str
    name: str | None
    instructions: list[Instruction] = field(default_factory=list)

    def all(self, keyword: str) -> list[Instruction]:
        return [i for i in self.instructions if i.keyword == keyword]

    def last(self, keyword: str) -> Instruction:
        """The stage's last ``keyword`` instruction (the one Docker keeps, for CMD or USER)."""
        found = self.all(keyword)
        assert found, f"no {keyword} in the stage FROM {self.image}"
        return found[-1]


def instructions(text: str) -> list[Instruction]:
    """The instructions of a Dockerfile, in order. Comment lines are dropped, also inside a
    continued instruction, as Docker drops them; a line ending in a backslash continues."""
    assert not re.match(r"#\s*escape\s*=", text), "a custom escape character is not replayed"
    found: list[Instruction] = []
    pending: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if stripped.startswith("#") or (not stripped and pending):
            continue
        if not stripped:
            continue
        if not pending:
            start = number
        continued = stripped.endswith("\\")
        pending.append(stripped.removesuffix("\\").strip() if continued else stripped)
        if not continued:
            found.append(_instruction(" ".join(pending), start))
            pending = []
    assert not pending, "the Dockerfile ends inside a continued instruction"
    return found


def _instruction(text: str, line: int) -> Instruction:
    keyword, _, rest = text.partition(" ")
    flags = []
    rest = rest.strip()
    while rest.startswith("--"):  # --from=build, --mount=type=cache,target=..., --interval=30s
        word, _, rest = rest.partition(" ")
        name, _, value = word[2:].partition("=")
        flags.append((name, value))
        rest = rest.strip()
    return Instruction(keyword.upper(), tuple(flags), rest, line)


def parse(text: str) -> list[Stage]:
    """The stages of a Dockerfile, in order."""
    stages: list[Stage] = []
    for instruction in instructions(text):
        if instruction.keyword == "FROM":
            image, *alias = instruction.words()
            assert not alias or (len(alias) == 2 and alias[0].upper() == "AS"), instruction
            stages.append(Stage(image, alias[1] if alias else None))
        else:
            assert stages, f"line {instruction.line}: an instruction before the first FROM"
            stages[-1].instructions.append(instruction)
    return stages


class DockerIgnore:
    """The patterns of a ``.dockerignore``, matched as Docker matches them
    (``moby/patternmatcher``): each pattern is anchored at the context's top; ``*`` and ``?``
    stop at a slash, ``**`` crosses any number of folders; a pattern that matches a folder
    excludes what is in it; a later ``!pattern`` lets a path back in."""

    def __init__(self, text: str):
        self.patterns: list[tuple[re.Pattern[str], bool]] = []
        for raw in text.splitlines():
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            exception = line.startswith("!")
            pattern = os.path.normpath(line.removeprefix("!").strip()).lstrip("/")
            self.patterns.append((re.compile(_regex(pattern)), exception))

    def excludes(self, path: str) -> bool:
        """Whether the context path ``path`` (relative, with slashes) is left out."""
        parts = PurePosixPath(path).parts
        candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        excluded = False
        for pattern, exception in self.patterns:
            if exception != excluded:  # nothing to change: skip, as Docker does
                continue
            if any(pattern.match(candidate) for candidate in candidates):
                excluded = not exception
        return excluded


def _regex(pattern: str) -> str:
    """A ``.dockerignore`` pattern as a regular expression over a whole slash path."""
    out, i = "^", 0
    while i < len(pattern):
        char = pattern[i]
        if pattern.startswith("**", i):
            i += 2
            if pattern.startswith("/", i):
                i += 1
            out += ".*" if i >= len(pattern) else "(.*/)?"
            continue
        if char == "*":
            out += "[^/]*"
        elif char == "?":
            out += "[^/]"
        elif char == "[":
            end = pattern.index("]", i)
            out += pattern[i : end + 1]
            i = end
        elif char == "\\":
            i += 1
            out += re.escape(pattern[i])
        else:
            out += re.escape(char)
        i += 1
    return out + "$"


def context_files(context: Path) -> list[str]:
    """The files ``docker build`` may copy from ``context``: all but what its
    ``.dockerignore`` excludes (relative paths, with slashes, sorted)."""
    ignore_file = context / ".dockerignore"
    ignore = DockerIgnore(ignore_file.read_text() if ignore_file.exists() else "")
    return sorted(
        relative
        for path in context.rglob("*")
        if path.is_file() and not ignore.excludes(relative := path.relative_to(context).as_posix())
    )


@dataclass
class Image:
    """A replayed stage's file system: ``root`` stands for its ``/``."""

    root: Path
    env: dict[str, str] = field(default_factory=lambda: {"PATH": DOCKER_PATH})
    workdir: str = "/"

    def host(self, path: str) -> Path:
        """The folder or file under ``root`` that the image path ``path`` stands for."""
        absolute = PurePosixPath(self.workdir, path)
        return self.root.joinpath(*absolute.parts[1:])

    def host_path(self) -> str:
        """The image's PATH, each folder under ``root``."""
        return os.pathsep.join(str(self.host(folder)) for folder in self.env["PATH"].split(":"))


def expand(value: str, env: dict[str, str]) -> str:
    """``$NAME`` and ``${NAME}`` in an ENV value, from the stage's environment so far."""
    return re.sub(r"\$(?:\{(\w+)\}|(\w+))", lambda m: env.get(m.group(1) or m.group(2), ""), value)


def env_pairs(instruction: Instruction) -> list[tuple[str, str]]:
    """``ENV A=1 B="two words"`` as ``[("A", "1"), ("B", "two words")]``."""
    words = instruction.words()
    if "=" not in words[0]:  # the legacy form: ENV NAME value with spaces
        name, _, value = instruction.arguments.partition(" ")
        return [(name, value.strip())]
    return [tuple(word.split("=", 1)) for word in words]  # type: ignore[misc]


def replay(
    stage: Stage,
    image: Image,
    context: Path,
    stages: dict[str, Image],
    run_env: dict[str, str] | None = None,
) -> Image:
    """Replay ``stage`` into ``image``: COPY (from the context, through ``.dockerignore``,
    or ``--from`` one of ``stages``), ENV, WORKDIR, and, if ``run_env`` is given, RUN with
    ``/bin/sh -c`` (Docker's default shell; BuildKit's ``--mount`` flags dropped) in the
    workdir, with ``run_env`` plus the stage's ENV and its PATH under the root.

    Raises:
        FileNotFoundError: a COPY source is missing or excluded, as ``docker build`` fails.
        subprocess.CalledProcessError: a RUN failed.
    """
    allowed = set(context_files(context))
    for instruction in stage.instructions:
        if instruction.keyword == "ENV":
            for name, value in env_pairs(instruction):
                image.env[name] = expand(value, image.env)
        elif instruction.keyword == "WORKDIR":
            image.workdir = str(PurePosixPath(image.workdir, instruction.arguments))
            image.host(".").mkdir(parents=True, exist_ok=True)
        elif instruction.keyword == "COPY":
            *sources, target = instruction.words()
            origin = instruction.flag("from")
            if origin is None:
                _copy_from_context(context, allowed, sources, target, image)
            else:
                _copy([stages[origin].host(source) for source in sources], target, image)
        elif instruction.keyword == "RUN" and run_env is not None:
            env = {**run_env, **image.env, "PATH": image.host_path() + os.pathsep + run_env["PATH"]}
            subprocess.run(
                ["/bin/sh", "-c", instruction.arguments],
                cwd=image.host("."),
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
    return image


def _copy_from_context(
    context: Path, allowed: set[str], sources: list[str], target: str, image: Image
) -> None:
    """COPY from the build context: only the files that ``.dockerignore`` lets through."""
    into = target.endswith("/") or len(sources) > 1
    for source in sources:
        name = os.path.normpath(source).lstrip("/")
        prefix = "" if name == "." else f"{name}/"
        if name in allowed:
            _copy_file(context / name, target, image, into)
        elif inside := sorted(f for f in allowed if f.startswith(prefix)):
            for relative in inside:
                _copy_file(context / relative, f"{target}/{relative.removeprefix(prefix)}", image)
        else:
            raise FileNotFoundError(f"COPY {source}: not in the build context")


def _copy(sources: list[Path], target: str, image: Image) -> None:
    """COPY's rules: a folder's contents go into the target folder; a file goes into the
    target when it ends with a slash or there are several sources, else onto it."""
    into = target.endswith("/") or len(sources) > 1
    for source in sources:
        if source.is_dir():
            shutil.copytree(source, image.host(target), symlinks=True, dirs_exist_ok=True)
        elif source.exists():
            _copy_file(source, target, image, into)
        else:
            raise FileNotFoundError(f"COPY: {source} does not exist")


def _copy_file(source: Path, target: str, image: Image, into: bool = False) -> None:
    destination = image.host(target) / source.name if into else image.host(target)
    destination.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, destination, follow_symlinks=False)
