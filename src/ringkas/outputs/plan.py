"""Where every output of a job goes, decided and checked before any work starts.

:func:`plan_outputs` is the one place that looks at ``-o``, ``--report`` and
``--output-dir`` together with the inputs found. It refuses (a :class:`UsageError`, exit 2,
one line) anything that could end with a result on top of an input or somewhere the user
did not mean: an output that is an input (however it was found) or that the same command
would read as one on a rerun; an output folder inside an input folder (also through a link,
or a folder from ``--files-from``); a result that would replace another input; outputs that
are each other, the ``--files-from`` list or another file the job reads (the config
file, a prompt template, a feed file); a path under a regular file, a folder where a
file must go, a read-only filesystem; a symbolic link or a file in the way inside the output
folder, and a resume state that is not a regular file or far too big. Nothing is created
here; the writers (:mod:`ringkas.outputs.files`) check again as they write.

Any output may be on a filesystem that pyarrow knows (a :class:`~ringkas.sources.remote.Uri`,
``s3://bucket/prefix/``): a different kind of target (:mod:`ringkas.outputs.remote`), checked
the same way against the inputs on such filesystems (a local path and a URI never overlap);
a missing bucket is refused, never made.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ringkas.errors import UsageError
from ringkas.limits import size_text
from ringkas.outputs.files import os_reason
from ringkas.outputs.remote import RemoteFile, RemoteFolder, check_remote_file, check_state
from ringkas.outputs.state import STATE_FILE, STATE_LIMIT
from ringkas.sources.discover import readable
from ringkas.sources.remote import Uri

if TYPE_CHECKING:
    from ringkas.sources import InputItem, Inputs

SUFFIXES = {"text": ".txt", "markdown": ".md", "json": ".json"}

# A file the job reads besides the articles, and what it is ("the config file"): the
# --files-from list, the config file, a prompt template, a feed file. No output replaces it.
Kept = tuple[Path, str]


@dataclass(frozen=True)
class Planned:
    """Where one input's result goes in an output folder."""

    output: Path | str  # the --output-dir given, then ``relative`` (a URI there: text)
    relative: str  # below the output folder, with "/" (the key in the resume state)

    @property
    def parts(self) -> tuple[str, ...]:
        return tuple(self.relative.split("/"))

    @property
    def shown(self) -> str:
        """The output path as text that can go anywhere (a name that is not UTF-8 escaped)."""
        return readable(str(self.output))


@dataclass(frozen=True)
class FileTarget:
    """Where ``-o`` or ``--report`` writes: a file replaced atomically, or a stream.

    ``kind`` is "file" (``path`` is the real file, links resolved, replaced atomically, so
    a link to it stays a link), "stdout" or "stderr" (the path is this process's own
    stream, like ``/dev/stdout``), or "device" (a named pipe, a terminal, ``/dev/null``:
    written in place).
    """

    shown: Path
    path: Path
    kind: str = "file"


@dataclass
class OutputPlan:
    """Every output of a job, checked."""

    file: FileTarget | RemoteFile | None = None
    report: FileTarget | RemoteFile | None = None
    folder: Path | None = None  # the output folder as given
    folder_path: Path | None = None  # the same, links resolved
    remote: RemoteFolder | None = None  # the output folder, on a remote filesystem
    targets: dict[int, Planned] = field(default_factory=dict)  # by input position


def _identity_of(path: Path | str) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _std_stream(info: os.stat_result) -> str | None:
    for fd, name in ((1, "stdout"), (2, "stderr")):
        try:
            stream = os.fstat(fd)
        except OSError:
            continue
        if (stream.st_dev, stream.st_ino) == (info.st_dev, info.st_ino):
            return name
    return None


def _check_writable(folder: Path, what: str, shown: Path) -> None:
    try:
        read_only = bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):
        read_only = False
    if read_only:
        raise UsageError(f"{what} {shown} is on a read-only filesystem")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(f"{what} {shown}: permission denied to write in {folder}")


def _existing_ancestor(path: Path, what: str, shown: Path) -> Path:
    """The nearest folder above ``path`` that exists; refused when a file is in the way."""
    above = path.parent
    while True:
        try:
            info = os.stat(above)
        except FileNotFoundError:
            if above.parent == above:
                raise UsageError(f"{what} {shown}: no folder above it exists") from None
            above = above.parent
            continue
        except NotADirectoryError:
            above = above.parent  # a file further up: found below
            continue
        except OSError as exc:
            raise UsageError(f"{what} {shown} cannot be used: {os_reason(exc)}") from exc
        if not stat.S_ISDIR(info.st_mode):
            raise UsageError(
                f"{what} {shown} is under {above}, which is a file, not a folder",
                hint="choose a path in a folder",
            )
        return above


def check_file_target(path: Path, what: str) -> FileTarget:
    """Where ``-o``/``--report`` PATH writes, or a UsageError saying why it cannot."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        real = Path(os.path.realpath(path))
        if os.path.islink(path) and not real.parent.is_dir():
            # As a shell redirection would, a link is written through to the file it names;
            # but no folder is made at the far end of a link.
            raise UsageError(
                f"{what} {path} is a symbolic link to {os.readlink(path)}, whose folder "
                "does not exist",
                hint="write to the file it should point to, or remove the link",
            ) from None
        _check_writable(_existing_ancestor(real, what, path), what, path)
        return FileTarget(path, real)
    except NotADirectoryError:
        real = Path(os.path.realpath(path))
        _existing_ancestor(real, what, path)  # raises: a file is in the way
        raise UsageError(f"{what} {path} cannot be used: a file is in the way") from None
    except OSError as exc:
        raise UsageError(f"{what} {path} cannot be used: {os_reason(exc)}") from exc
    if stat.S_ISDIR(info.st_mode):
        raise UsageError(f"{what} {path} is a folder", hint="give a file name")
    stream = _std_stream(info)
    if stream is not None:
        return FileTarget(path, path, stream)
    if not stat.S_ISREG(info.st_mode):
        return FileTarget(path, path, "device")
    real = Path(os.path.realpath(path))
    _check_writable(real.parent, what, path)
    return FileTarget(path, real)


def check_folder_target(path: Path, what: str = "the output folder") -> Path:
    """The real path of the output folder, or a UsageError saying why it cannot be one."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise UsageError(
                f"{what} {path} is a symbolic link to {os.readlink(path)}, which does not exist"
            ) from None
        real = Path(os.path.realpath(path))
        _check_writable(_existing_ancestor(real, what, path), what, path)
        return real
    except NotADirectoryError:
        real = Path(os.path.realpath(path))
        _existing_ancestor(real, what, path)
        raise UsageError(f"{what} {path} cannot be used: a file is in the way") from None
    except OSError as exc:
        raise UsageError(f"{what} {path} cannot be used: {os_reason(exc)}") from exc
    if not stat.S_ISDIR(info.st_mode):
        raise UsageError(f"{what} {path} is a file, not a folder")
    _check_writable(path, what, path)
    return Path(os.path.realpath(path))


def _same(a: FileTarget | RemoteFile, b: FileTarget | RemoteFile) -> bool:
    if isinstance(a, RemoteFile) or isinstance(b, RemoteFile):
        return isinstance(a, RemoteFile) and isinstance(b, RemoteFile) and a.key == b.key
    if a.kind == "file" and b.kind == "file":
        return a.path == b.path
    return a.kind == b.kind and (a.kind != "device" or _identity_of(a.path) == _identity_of(b.path))


def _not_an_input(
    target: FileTarget | RemoteFile, what: str, inputs: Inputs, kept: Sequence[Kept]
) -> None:
    if isinstance(target, RemoteFile):
        _remote_not_an_input(target.key, f"{what} {target.shown}", inputs)
        return
    if target.kind != "file":
        return
    found = _identity_of(target.path)
    if found is not None and found in inputs.files:
        raise UsageError(
            f"{what} {target.shown} is also an input", hint="choose a file that is not an article"
        )
    if inputs.takes(target.path):
        raise UsageError(
            f"{what} {target.shown} is in an input folder and would be read as an input on "
            "the next run",
            hint="choose a place outside the input folders, or another file name",
        )
    name = _kept_name(target.path, found, kept)
    if name is not None:
        raise UsageError(f"{what} {target.shown} is {name}", hint="choose another file name")


def _kept_name(path: Path, found: tuple[int, int] | None, kept: Sequence[Kept]) -> str | None:
    """What ``path`` (links resolved; ``found``, its identity if it exists) is among the
    files the job reads besides the articles, or None."""
    for file, name in kept:
        if path == Path(os.path.realpath(file)) or (
            found is not None and found == _identity_of(file)
        ):
            return name
    return None


def _folder_not_in_inputs(folder: Path, real: Path, inputs: Inputs) -> None:
    for above in (real, *real.parents):
        walked = inputs.folders.get(_identity_of(above) or (-1, -1))
        if walked is not None:
            raise UsageError(
                f"the output folder {folder} is inside the input folder {walked.shown}",
                hint="choose an output folder outside the articles",
            )


class _Tree:
    """What already exists inside the output folder, looked at without following links."""

    def __init__(self, shown: Path, real: Path) -> None:
        self.shown = shown
        self.real = real
        self._seen: dict[tuple[str, ...], str | None] = {}

    def kind(self, parts: tuple[str, ...]) -> str | None:
        if parts not in self._seen:
            try:
                info = os.lstat(self.real.joinpath(*parts))
            except (FileNotFoundError, NotADirectoryError):
                self._seen[parts] = None
            else:
                mode = info.st_mode
                self._seen[parts] = (
                    "link"
                    if stat.S_ISLNK(mode)
                    else "folder"
                    if stat.S_ISDIR(mode)
                    else "file"
                    if stat.S_ISREG(mode)
                    else "other"
                )
        return self._seen[parts]

    def check(self, parts: tuple[str, ...]) -> None:
        """Every existing folder on the way is a real folder; the file, if any, a file."""
        for depth in range(1, len(parts) + 1):
            kind = self.kind(parts[:depth])
            if kind is None:
                return
            shown = self.shown.joinpath(*parts[:depth])
            if kind == "link":
                raise UsageError(
                    f"{shown} is a symbolic link; ringkas writes nothing through links inside "
                    "the output folder",
                    hint="remove the link, or choose another output folder",
                )
            last = depth == len(parts)
            if not last and kind != "folder":
                raise UsageError(f"{shown} is a file, where the output folder needs a folder")
            if last and kind == "folder":
                raise UsageError(f"{shown} is a folder, where a result file must go")
            if last and kind == "other":
                raise UsageError(f"{shown} is not a regular file, where a result file must go")


def _check_state(tree: _Tree) -> None:
    kind = tree.kind((STATE_FILE,))
    shown = tree.shown / STATE_FILE
    if kind == "link":
        raise UsageError(
            f"the resume state {shown} is a symbolic link; ringkas writes nothing through links",
            hint="remove the link",
        )
    if kind not in (None, "file"):
        what = "a folder" if kind == "folder" else "not a regular file"
        raise UsageError(f"the resume state {shown} is {what}", hint="move it away, then run again")
    if kind == "file":
        size = os.lstat(tree.real / STATE_FILE).st_size
        if size > STATE_LIMIT:
            raise UsageError(
                f"the resume state {shown} is {size_text(size)}, more than ringkas writes "
                f"({size_text(STATE_LIMIT)} at most)",
                hint="move it away to start the job afresh",
            )


def _remote_not_an_input(key: str, what: str, inputs: Inputs) -> None:
    if key in inputs.remote_files:
        raise UsageError(f"{what} is also an input", hint="choose a file that is not an article")
    if inputs.takes_remote(key):
        raise UsageError(
            f"{what} is in an input folder and would be read as an input on the next run",
            hint="choose a place outside the input folders, or another file name",
        )


def _check_target(target: Path | Uri, what: str) -> FileTarget | RemoteFile:
    if isinstance(target, Uri):
        return check_remote_file(target, what)
    return check_file_target(target, what)


def plan_remote_folder(
    items: list[InputItem], folder: RemoteFolder, fmt: str, inputs: Inputs
) -> dict[int, Planned]:
    """:func:`plan_folder` for an output folder on a remote filesystem: the same refusals
    (but links, which it has none of)."""
    key = folder.uri.key
    for walked_key, walked in inputs.remote_folders.items():
        if key == walked_key or key.startswith(walked_key.rstrip("/") + "/"):
            raise UsageError(
                f"the output folder {folder.shown} is inside the input folder {walked.shown}",
                hint="choose an output folder outside the articles",
            )
    check_state(folder)

    def check(item: InputItem, planned: Planned) -> None:
        parts = planned.parts
        for depth in range(1, len(parts)):
            if "file" in folder.kinds("/".join(parts[:depth])):
                shown = folder.uri.join("/".join(parts[:depth])).text
                raise UsageError(f"{shown} is a file, where the output folder needs a folder")
        if "folder" in folder.kinds(planned.relative):
            raise UsageError(f"{planned.shown} is a folder, where a result file must go")
        target_key = folder.uri.join(planned.relative).key
        if target_key in inputs.remote_files:
            raise _overwrites_input(item, planned)
        if inputs.takes_remote(target_key):
            raise _read_as_input(item, planned)

    def place(relative: str) -> Planned:
        return Planned(folder.uri.join(relative).text, relative)

    return _plan_results(items, fmt, place, check)


def plan_folder(
    items: list[InputItem],
    folder: Path,
    real: Path,
    fmt: str,
    inputs: Inputs,
    kept: Sequence[Kept] = (),
) -> dict[int, Planned]:
    """Map each input (by position) to its result file in the output folder."""
    _folder_not_in_inputs(folder, real, inputs)
    tree = _Tree(folder, real)
    _check_state(tree)

    def check(item: InputItem, planned: Planned) -> None:
        tree.check(planned.parts)
        found = _identity_of(real / planned.relative)
        if found is not None and found in inputs.files:
            raise _overwrites_input(item, planned)
        if inputs.takes(real / planned.relative):
            raise _read_as_input(item, planned)
        name = _kept_name(real / planned.relative, found, kept)
        if name is not None:
            raise UsageError(
                f"the result of {item.source}, {planned.shown}, would replace {name}",
                hint="choose another output folder",
            )

    return _plan_results(items, fmt, lambda relative: Planned(folder / relative, relative), check)


def _plan_results(
    items: list[InputItem],
    fmt: str,
    place: Callable[[str], Planned],
    check: Callable[[InputItem, Planned], None],
) -> dict[int, Planned]:
    """Map each input (by position) to its result file, :func:`plan_folder` and
    :func:`plan_remote_folder` alike: ``place`` makes the result file of a path below the
    output folder (with "/"), ``check`` refuses (a UsageError) one that cannot go there."""
    suffix = SUFFIXES[fmt]
    plan: dict[int, Planned] = {}
    taken: dict[str, str] = {}
    for index, item in enumerate(items):
        relative = item.relative.with_suffix(suffix).as_posix()
        planned = place(relative)
        if relative in taken:
            raise UsageError(
                f"{taken[relative]} and {item.source} would both be written to {planned.shown}",
                hint="rename one of them or run them separately",
            )
        taken[relative] = item.source
        check(item, planned)
        plan[index] = planned
    return plan


def _overwrites_input(item: InputItem, planned: Planned) -> UsageError:
    return UsageError(
        f"the result of {item.source} would overwrite the input {planned.shown}",
        hint="choose an output folder that holds no articles",
    )


def _read_as_input(item: InputItem, planned: Planned) -> UsageError:
    return UsageError(
        f"the result of {item.source}, {planned.shown}, would be in an input folder "
        "and read as an input on the next run",
        hint="choose an output folder that holds no articles",
    )


def plan_outputs(
    items: list[InputItem],
    inputs: Inputs,
    *,
    fmt: str,
    output: Path | Uri | None = None,
    report: Path | Uri | None = None,
    output_dir: Path | Uri | None = None,
    kept: Sequence[Kept] = (),
) -> OutputPlan:
    """Check every output location against the others and the inputs; see the module.
    Any of them may be a :class:`Uri` on a remote filesystem (:mod:`ringkas.outputs.remote`)."""
    plan = OutputPlan()
    if output is not None:
        plan.file = _check_target(output, "the output file")
        _not_an_input(plan.file, "the output file", inputs, kept)
    if report is not None:
        plan.report = _check_target(report, "the report file")
        _not_an_input(plan.report, "the report file", inputs, kept)
        if plan.file is not None and _same(plan.file, plan.report):
            raise UsageError("--output and --report name the same file")
    if isinstance(output_dir, Uri):
        plan.remote = RemoteFolder.check(output_dir)
        plan.targets = plan_remote_folder(items, plan.remote, fmt, inputs)
        if isinstance(plan.report, RemoteFile):
            keys = {output_dir.join(p.relative).key for p in plan.targets.values()}
            if plan.report.key in keys | {output_dir.join(STATE_FILE).key}:
                raise UsageError(
                    f"the report file {report} is one of the files written in {output_dir}"
                )
    elif output_dir is not None:
        plan.folder = output_dir
        plan.folder_path = check_folder_target(output_dir)
        plan.targets = plan_folder(items, output_dir, plan.folder_path, fmt, inputs, kept)
        if isinstance(plan.report, FileTarget) and plan.report.kind == "file":
            written = {plan.folder_path / p.relative for p in plan.targets.values()}
            if plan.report.path in written | {plan.folder_path / STATE_FILE}:
                raise UsageError(
                    f"the report file {report} is one of the files written in {output_dir}"
                )
    return plan
