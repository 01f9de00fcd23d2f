"""Atomic, durable file writes: a crash leaves the old file or the new one.

Used by ``save`` and by the per-epoch checkpoints.
"""

from __future__ import annotations

import os
import tempfile
import zipfile

from .._utils import process_alive


def write_atomically(path, members: dict) -> None:
    """Write a zip of ``members`` to ``path``: a temporary file in the same
    directory, flushed to disk (fsync), then renamed over ``path``.

    A crash at any moment leaves either the old file or the new one, never a
    half-written one; the rename itself is made durable by an fsync of the
    directory. A temporary file left by a killed process is removed by the next
    save to the same path.
    """
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    prefix = f".{os.path.basename(path)}.{os.getpid()}."
    _remove_stale_parts(directory, os.path.basename(path))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=prefix, suffix=".part")
    try:
        with os.fdopen(fd, "wb") as fh:
            with zipfile.ZipFile(fh, "w") as archive:
                for name, data in members.items():
                    archive.writestr(name, data)
            fh.flush()
            os.fsync(fh.fileno())  # the data is on disk before the rename
        os.replace(tmp, path)  # never a half-written file at ``path``
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    _fsync_directory(directory)


def _remove_stale_parts(directory: str, name: str) -> None:
    """Delete ``.<name>.<pid>.*.part`` files whose writing process is gone."""
    try:
        entries = os.listdir(directory)
    except OSError:
        return
    for entry in entries:
        head = f".{name}."
        if not (entry.startswith(head) and entry.endswith(".part")):
            continue
        pid = entry[len(head) :].split(".", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid() or process_alive(int(pid)):
            continue
        try:
            os.unlink(os.path.join(directory, entry))
        except OSError:
            pass


def _fsync_directory(directory: str) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. Windows
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - not supported on this file system
        pass
    finally:
        os.close(fd)
