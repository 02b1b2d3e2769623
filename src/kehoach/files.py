"""Files written whole or not at all."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def write_atomic(path: Path, data: str | bytes, folders: set[Path] | None = None) -> None:
    """Write ``data`` (text as UTF-8) to a temporary name beside ``path``, then rename it:
    readers never see half a file.

    ``folders``: the folders made so far, to spare a ``mkdir`` per file. The parent writes
    every output of a batch, and with ``-j2`` on two cores its time is taken from the workers:
    each system call it saves per file counts.
    """
    folder = path.parent
    if folders is None or folder not in folders:
        folder.mkdir(parents=True, exist_ok=True)
        if folders is not None:
            folders.add(folder)
    tmp = folder / f".{path.name}.{os.getpid()}.tmp"
    try:
        with open(tmp, "wb") as f:  # bytes: no text layer, and no position probing
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
