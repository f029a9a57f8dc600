"""Where results go as they come: a stream (stdout), one file, or a folder mirroring the
inputs. Every file is written through :mod:`ringkas.outputs.files`."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import IO, Any, Protocol

from ringkas.errors import RingkasError, printable
from ringkas.export import render
from ringkas.outputs.files import Folder, NotARealFolder, OutputError, Temp, os_reason
from ringkas.outputs.plan import FileTarget, Planned
from ringkas.outputs.remote import RemoteFile, RemoteState
from ringkas.outputs.state import StateLog
from ringkas.result import Result
from ringkas.sources.remote import reason


def error_record(source: str, error: RingkasError, record_id: Any = None) -> dict[str, Any]:
    """A failed input as a JSON Lines record, so a pipeline sees which inputs failed."""
    record: dict[str, Any] = {"schema_version": 1, "source": source}
    if record_id is not None:
        record["id"] = record_id
    record["error"] = {"code": error.exit_code.name.lower(), "message": error.one_line()}
    return record


class Sink(Protocol):
    """Receives results (and failures) in input order."""

    def result(self, result: Result, key: Any) -> str | None:
        """Write one result; returns where it went, when that is a file of its own. Raises
        :class:`OutputError` when it cannot be written."""
        ...

    def failure(self, source: str, error: RingkasError, record_id: Any = None) -> None: ...

    def close(self) -> None: ...


class StreamSink:
    """Results on a text stream, in the chosen format; a JSON list is closed even when the
    run is interrupted, so what was written is always valid."""

    def __init__(
        self, stream: IO[str], fmt: str, *, many: bool, console: Any = None, explain: bool = False
    ) -> None:
        self.stream = stream
        self.fmt = fmt
        self.many = many
        self.console = console  # a rich Console for panels on a terminal
        self.explain = explain
        self.count = 0

    def _write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()

    def result(self, result: Result, key: Any) -> str | None:
        if self.console is not None:
            from ringkas.render import result_panel

            self.console.print(result_panel(result, explain=self.explain))
        elif self.fmt == "jsonl":
            self._write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
        elif self.fmt == "json" and self.many:
            body = json.dumps(result.to_dict(), ensure_ascii=False, indent=2)
            self._write(("[\n" if self.count == 0 else ",\n") + _indent(body))
        elif self.fmt == "markdown" and self.many and self.count:
            self._write("\n---\n\n" + render([result], self.fmt, explain=self.explain))
        elif self.fmt == "text" and self.many:
            header = f"==> {printable(result.source)} <=="  # a name cannot forge lines
            self._write(f"{'' if self.count == 0 else chr(10)}{header}\n")
            self._write(render([result], self.fmt, explain=self.explain))
        else:
            self._write(render([result], self.fmt, explain=self.explain))
        self.count += 1
        return None

    def failure(self, source: str, error: RingkasError, record_id: Any = None) -> None:
        if self.fmt == "jsonl":
            record = error_record(source, error, record_id)
            self._write(json.dumps(record, ensure_ascii=False) + "\n")

    def close(self) -> None:
        if self.fmt == "json" and self.many and self.console is None:
            self._write("[]\n" if self.count == 0 else "\n]\n")


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())


class _WholeFileSink(StreamSink):
    """A :class:`StreamSink` for one file that is written whole or not at all: a write that
    fails makes every later result fail with the same reason (``broken``)."""

    broken: OutputError | None

    def _error(self, exc: BaseException) -> OutputError:
        raise NotImplementedError

    def _write(self, text: str) -> None:
        if self.broken is not None:
            raise self.broken
        try:
            super()._write(text)
        except (OSError, UnicodeEncodeError) as exc:
            self.broken = self._error(exc)
            raise self.broken from exc

    def _end(self) -> None:
        """Close a JSON list, unless broken (a failure here is kept in ``broken``)."""
        try:
            if self.broken is None:
                super().close()
        except OutputError:
            pass  # self.broken tells


class FileSink(_WholeFileSink):
    """All results in one file (``-o``): written to a temporary file beside it and renamed
    at the end; or, for a stream or device (``-o /dev/stdout``, a named pipe), in place.

    A write that fails (a full disk) makes every later result fail with the same reason,
    and nothing is renamed: the file is whole or not there.
    """

    def __init__(self, target: FileTarget, fmt: str, *, many: bool, explain: bool = False) -> None:
        self.target = target
        self.folder: Folder | None = None
        self.temp: Temp | None = None
        self.broken: OutputError | None = None
        stream: IO[str]
        try:
            if target.kind == "file":
                self.folder = Folder.open(target.path.parent)
                self.temp = self.folder.create_temp()
                stream = os.fdopen(os.dup(self.temp.fd), "w", encoding="utf-8", newline="\n")
            else:
                stream = _open_stream(target)
        except OSError as exc:
            self._finish()
            raise self._error(exc) from exc
        super().__init__(stream, fmt, many=many, explain=explain)

    def _error(self, exc: BaseException) -> OutputError:
        return OutputError(_cannot_write(self.target.shown, exc), source=str(self.target.shown))

    def close(self) -> None:
        """Finish the file (close a JSON list) and put it in place; raises OutputError
        when it cannot be written whole."""
        try:
            self._end()
        finally:
            if self.target.kind not in ("stdout", "stderr"):  # the process's own stay open
                try:
                    self.stream.close()
                except OSError as exc:
                    self.broken = self.broken or self._error(exc)
            self._finish()
        if self.broken is not None:
            raise self.broken

    def _finish(self) -> None:
        folder, temp = self.folder, self.temp
        self.folder = self.temp = None
        if folder is None:
            return
        try:
            if temp is not None and self.broken is None and (self.count or self.many):
                folder.commit(temp, self.target.path.name)
            elif temp is not None:  # nothing to write, or not writable whole: leave no file
                folder.discard(temp)
        except OSError as exc:
            if temp is not None:
                folder.discard(temp)
            self.broken = self.broken or self._error(exc)
        finally:
            folder.close()


def _open_stream(target: FileTarget) -> IO[str]:
    """The stream a target that is not a plain file writes to."""
    if target.kind == "stdout":
        return sys.stdout
    if target.kind == "stderr":
        return sys.stderr
    descriptor = os.open(target.path, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
    return os.fdopen(descriptor, "w", encoding="utf-8", newline="\n")


def _cannot_write(shown: str | Path, exc: BaseException, *, remote: bool = False) -> str:
    """Why writing ``shown`` failed, in one line (``remote``: on a remote filesystem)."""
    if isinstance(exc, UnicodeEncodeError):
        why = "the text cannot be written as UTF-8"
    elif remote:
        why = reason(exc)
    elif isinstance(exc, OSError):
        why = os_reason(exc)
    else:
        why = str(exc)
    return f"cannot write {shown}: {why}"


def write_file(target: FileTarget | RemoteFile, text: str) -> None:
    """Write a whole file (the report) to ``target``: atomically when it is a plain file
    (or on a remote filesystem). Raises :class:`OutputError`."""
    if isinstance(target, RemoteFile):
        try:
            target.write(text.encode("utf-8"))
        except (OSError, UnicodeEncodeError) as exc:
            message = _cannot_write(target.shown, exc, remote=True)
            raise OutputError(message, source=target.shown) from exc
        return
    try:
        data = text.encode("utf-8")
        if target.kind == "file":
            with Folder.open(target.path.parent) as folder:
                folder.write(target.path.name, data)
            return
        stream = _open_stream(target)
        stream.write(text)
        stream.flush()
        if target.kind == "device":
            stream.close()
    except (OSError, UnicodeEncodeError) as exc:
        raise OutputError(_cannot_write(target.shown, exc), source=str(target.shown)) from exc


class FolderSink:
    """One file per result in the output folder, written atomically, logged for resume."""

    def __init__(
        self,
        root: Folder,
        fmt: str,
        state: StateLog,
        settings_hash: str,
        *,
        explain: bool = False,
    ) -> None:
        self.root = root
        self.fmt = fmt
        self.state = state
        self.settings_hash = settings_hash
        self.explain = explain

    def result(self, result: Result, key: Any) -> str | None:
        planned, source, input_hash = key
        self._write(planned, source, render([result], self.fmt, explain=self.explain), input_hash)
        return planned.shown

    def _write(self, planned: Planned, source: str, text: str, input_hash: str) -> None:
        *folders, name = planned.parts
        try:
            data = text.encode("utf-8")
            with self.root.below(folders, create=True) as folder:
                folder.write(name, data)
        except NotARealFolder as exc:
            message = f"{source}: cannot write {planned.shown}: {exc}"
            raise OutputError(message, source=source) from exc
        except IsADirectoryError as exc:
            raise OutputError(
                f"{source}: cannot write {planned.shown}: it is a folder now", source=source
            ) from exc
        except (OSError, UnicodeEncodeError) as exc:
            message = f"{source}: {_cannot_write(planned.shown, exc)}"
            raise OutputError(message, source=source) from exc
        try:
            self.state.record(planned.relative, source, input_hash, self.settings_hash, data)
        except OSError as exc:
            raise OutputError(
                f"{source}: {planned.shown} was written, but the resume state could not "
                f"record it ({os_reason(exc)}); a rerun will do it again",
                source=source,
            ) from exc

    def failure(self, source: str, error: RingkasError, record_id: Any = None) -> None:
        pass

    def close(self) -> None:
        self.state.close()
        self.root.close()


class RemoteFileSink(_WholeFileSink):
    """All results in one file (``-o``) on a remote filesystem: kept in a temporary file
    here (in memory while small) and written whole at the end, or not at all."""

    def __init__(self, target: RemoteFile, fmt: str, *, many: bool, explain: bool = False) -> None:
        self.target = target
        self.broken: OutputError | None = None
        spool = tempfile.SpooledTemporaryFile(  # noqa: SIM115  (closed in close())
            max_size=16 * 1024 * 1024, mode="w+", encoding="utf-8", newline="\n"
        )
        super().__init__(spool, fmt, many=many, explain=explain)

    def _error(self, exc: BaseException) -> OutputError:
        message = _cannot_write(self.target.shown, exc, remote=True)
        return OutputError(message, source=self.target.shown)

    def close(self) -> None:
        """Finish the file and write it whole; raises OutputError when it cannot be."""
        self._end()
        try:
            if self.broken is None and (self.count or self.many):
                self.stream.seek(0)
                self.target.write(self.stream.read().encode("utf-8"))
        except (OSError, UnicodeEncodeError) as exc:
            self.broken = self._error(exc)
        finally:
            self.stream.close()
        if self.broken is not None:
            raise self.broken


class RemoteFolderSink:
    """One file per result in an output folder on a remote filesystem, logged for resume
    in its :class:`RemoteState` (saved at intervals and at the end)."""

    def __init__(
        self, state: RemoteState, fmt: str, settings_hash: str, *, explain: bool = False
    ) -> None:
        self.state = state
        self.fmt = fmt
        self.settings_hash = settings_hash
        self.explain = explain

    def result(self, result: Result, key: Any) -> str | None:
        planned, source, input_hash = key
        text = render([result], self.fmt, explain=self.explain)
        try:
            data = text.encode("utf-8")
            self.state.folder.write(planned.relative, data)
        except (OSError, UnicodeEncodeError) as exc:
            message = f"{source}: {_cannot_write(planned.shown, exc, remote=True)}"
            raise OutputError(message, source=source) from exc
        self.state.record(planned.relative, source, input_hash, self.settings_hash, data)
        return planned.shown

    def failure(self, source: str, error: RingkasError, record_id: Any = None) -> None:
        pass

    def close(self) -> None:
        """The last save of the resume state; an OutputError when it cannot be written."""
        try:
            self.state.close()
        except OSError as exc:
            raise OutputError(
                f"the resume state {self.state.shown} could not be written ({reason(exc)}); "
                f"a rerun will do again the {self.state.unsaved} articles done since it was "
                "last saved",
                source=self.state.shown,
            ) from exc
