"""Outputs: where a job's results go, planned and checked before any work, then written
safely.

Inside, in the order a job uses them: ``plan`` decides where every output goes and refuses,
before any work, anything that could land on an input, outside the output, or through a
link; ``files`` is the one writer (atomic, never through a link, no temporary file left
behind); ``state`` is the resume log of an output folder; ``sinks`` receive the results as
they come (stdout, one file, or a folder mirroring the inputs); ``remote`` writes them on a
filesystem that pyarrow knows (``s3://``...), with the resume state kept in memory and saved
whole.
"""

from ringkas.outputs.files import Folder, NotARealFolder, OutputError
from ringkas.outputs.plan import (
    SUFFIXES,
    FileTarget,
    OutputPlan,
    Planned,
    check_file_target,
    check_folder_target,
    plan_folder,
    plan_outputs,
)
from ringkas.outputs.remote import RemoteFile, RemoteFolder, RemoteState
from ringkas.outputs.sinks import (
    FileSink,
    FolderSink,
    RemoteFileSink,
    RemoteFolderSink,
    Sink,
    StreamSink,
    error_record,
    write_file,
)
from ringkas.outputs.state import STATE_FILE, StateLog, fingerprint, text_hash

__all__ = [
    "STATE_FILE",
    "SUFFIXES",
    "FileSink",
    "FileTarget",
    "Folder",
    "FolderSink",
    "NotARealFolder",
    "OutputError",
    "OutputPlan",
    "Planned",
    "RemoteFile",
    "RemoteFileSink",
    "RemoteFolder",
    "RemoteFolderSink",
    "RemoteState",
    "Sink",
    "StateLog",
    "StreamSink",
    "check_file_target",
    "check_folder_target",
    "error_record",
    "fingerprint",
    "plan_folder",
    "plan_outputs",
    "text_hash",
    "write_file",
]
