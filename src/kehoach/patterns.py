"""Compiled regular expressions, kept between runs the way Python keeps bytecode.

kehoach compiles ~190 patterns when its pipeline is imported, many of them long alternations
of Vietnamese words with and without their tone marks. CPython's regex compiler is written in
Python: that is ~45 ms of every process start, a third of the start-up of ``kehoach parse`` and
of each ``kehoach batch`` run. What the compiler produces for a pattern is a list of opcodes
that the C engine takes as it is (``_sre.compile``). This module keeps those lists in
``__pycache__/kehoach-patterns.<tag>.bin`` beside the bytecode, and a later process builds each
pattern from them in microseconds.

- The file is used only by the interpreter that wrote it: the header holds its cache tag,
  version, and regex engine magic and code size. Any other file, a damaged one included, is
  ignored.
- An entry is written only after it was checked against ``re.compile``: the two patterns
  compare equal, and pattern equality compares the pattern text, the flags and the opcodes.
  Where ``re``'s internals are not what this module expects, nothing is cached and every
  pattern is compiled the usual way.
- The file is written at the exit of a process that compiled new patterns, under a temporary
  name and then renamed. It is not written when Python writes no bytecode (``-B``,
  ``PYTHONDONTWRITEBYTECODE``) unless :func:`save` is called with ``force=True``, nor where
  the folder is read-only; either way every pattern is still compiled, just not faster.

Use :func:`compile` for the patterns a module compiles at import; patterns built per document
would only grow the file.
"""

from __future__ import annotations

import atexit
import importlib.util
import marshal
import re
import sys
from array import array
from pathlib import Path
from typing import Any

from .files import write_atomic

FORMAT = 1
MAX_ENTRIES = 2000  # beyond this, a save keeps only the patterns its own process used

# (flags, opcodes as uint32 bytes, groups, group index, index group): _sre.compile's arguments
Entry = tuple[int, bytes, int, dict[str, int], tuple[str | None, ...]]


def _header() -> tuple[Any, ...] | None:
    """What must match for a file's opcodes to be valid here; None: caching is impossible."""
    try:
        import _sre

        if array("I").itemsize != _sre.CODESIZE or sys.implementation.cache_tag is None:
            return None
        return (FORMAT, sys.implementation.cache_tag, sys.hexversion, _sre.MAGIC, _sre.CODESIZE)
    except (ImportError, AttributeError):
        return None


def default_path() -> Path | None:
    """``kehoach/__pycache__/kehoach-patterns.<tag>.bin`` (under ``sys.pycache_prefix`` if set)."""
    try:
        pyc = importlib.util.cache_from_source(__file__)
    except (NotImplementedError, ValueError):
        return None
    return Path(pyc).with_name(f"kehoach-patterns.{sys.implementation.cache_tag}.bin")


def _build(pattern: str, entry: Entry) -> re.Pattern[str]:
    import _sre

    flags, code, groups, groupindex, indexgroup = entry
    built: re.Pattern[str] = _sre.compile(
        pattern, flags, array("I", code).tolist(), groups, groupindex, indexgroup)  # fmt: skip
    return built


def _entry(pattern: str, flags: int, compiled: re.Pattern[str]) -> Entry | None:
    """What re's compiler made of ``pattern``, or None where that cannot be reproduced."""
    try:
        from re import _compiler, _parser  # type: ignore[attr-defined]

        parsed = _parser.parse(pattern, flags)
        state = parsed.state
        indexgroup: list[str | None] = [None] * state.groups
        for name, index in state.groupdict.items():
            indexgroup[index] = name
        entry: Entry = (int(flags | state.flags), array("I", _compiler._code(parsed, flags)).tobytes(),
                        state.groups - 1, dict(state.groupdict), tuple(indexgroup))  # fmt: skip
        return entry if _build(pattern, entry) == compiled else None
    except Exception:  # noqa: BLE001 -- any surprise in re's internals: just do not cache
        return None


class PatternCache:
    """The opcodes of compiled patterns, read from ``path`` on first use."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.header = _header()
        self._entries: dict[tuple[str, int], Entry] | None = None
        self._used: set[tuple[str, int]] = set()
        self.new = 0  # entries added since the file was read or written

    def compile(self, pattern: str, flags: int = 0) -> re.Pattern[str]:
        entries = self._load()
        key = (pattern, int(flags))
        self._used.add(key)
        entry = entries.get(key)
        if entry is not None:
            try:
                return _build(pattern, entry)
            except Exception:  # noqa: BLE001 -- a malformed entry: compile it afresh
                del entries[key]
        compiled = re.compile(pattern, flags)
        if self.header is not None and (entry := _entry(pattern, int(flags), compiled)):
            entries[key] = entry
            self.new += 1
        return compiled

    def _load(self) -> dict[tuple[str, int], Entry]:
        if self._entries is None:
            self._entries = {}
            if self.path is not None and self.header is not None:
                try:
                    with open(self.path, "rb") as f:
                        header, entries = marshal.load(f)
                    if header == self.header and isinstance(entries, dict):
                        self._entries = entries
                except (OSError, ValueError, EOFError, TypeError):
                    pass  # none yet, or damaged: start afresh
        return self._entries

    def save(self, force: bool = False) -> bool:
        """Write the file if new patterns were compiled; True if it was written."""
        if not self.new or self.path is None or (sys.dont_write_bytecode and not force):
            return False
        entries = self._load()
        if len(entries) > MAX_ENTRIES:
            entries = {k: v for k, v in entries.items() if k in self._used}
        try:
            write_atomic(self.path, marshal.dumps((self.header, entries)))
        except OSError:
            return False
        self.new = 0
        return True


_cache = PatternCache(default_path())
_saving = False


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, from the cache when this interpreter wrote it."""
    global _saving
    compiled = _cache.compile(pattern, flags)
    if _cache.new and not _saving:
        _saving = True
        atexit.register(_cache.save)  # forked workers leave by os._exit and never save
    return compiled


def save(force: bool = False) -> bool:
    """Write the default cache now (``force``: even where Python writes no bytecode)."""
    return _cache.save(force)
