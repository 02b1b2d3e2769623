""":mod:`kehoach.patterns`: compiled patterns kept between runs must be the patterns re makes."""

from __future__ import annotations

import marshal
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kehoach import patterns
from kehoach.patterns import PatternCache

SAMPLES = [
    (r"(?<!\w)(?:chủ\s+trì|chu\s+tri)(?!\w)", 0),
    (r"^(?P<roman>[IVX]+)\s*[.\-–]\s*(?P<rest>.*)$", 0),
    (r"qu[ýy]\s+(?P<q>I{1,3}|IV)\s*/\s*(?P<y>\d{4})", re.IGNORECASE),
    (r"[\u1ea0-\u1ef9]+", 0),
    (r"(a)?(?(1)b|c)(?=d)", re.MULTILINE | re.DOTALL),
]


def _same(a: re.Pattern[str], b: re.Pattern[str]) -> bool:
    # pattern equality compares the text, the flags and the compiled opcodes
    return a == b and a.groupindex == b.groupindex and a.groups == b.groups


def test_a_saved_cache_gives_the_patterns_re_compiles(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "patterns.bin"
    first = PatternCache(path)
    made = [first.compile(p, f) for p, f in SAMPLES]
    assert first.new == len(SAMPLES)
    assert first.save(force=True) and path.is_file()

    second = PatternCache(path)
    again = [second.compile(p, f) for p, f in SAMPLES]
    assert second.new == 0  # every one came from the file
    for (p, f), a, b in zip(SAMPLES, made, again, strict=True):
        assert _same(b, re.compile(p, f)) and _same(a, b)
    m = again[2].search("Trong QUÝ III / 2024")
    assert m is not None and (m["q"], m["y"]) == ("III", "2024")
    assert second.save(force=True) is False  # nothing new: nothing written


def test_every_kehoach_pattern_is_cached_faithfully() -> None:
    import kehoach.exporters
    import kehoach.pipeline
    import kehoach.readers.docx
    import kehoach.readers.ocr
    import kehoach.readers.pdf  # noqa: F401

    cache = PatternCache(None)
    # the patterns the modules compiled, whichever way (file or compiler) they came this time
    keys = sorted(patterns._cache._used)
    assert len(keys) > 150
    for pattern, flags in keys:
        assert _same(cache.compile(pattern, flags), re.compile(pattern, flags)), pattern
    assert cache.new == len(keys)  # each one could be reproduced, so each would be cached


def test_pattern_texts_are_the_same_in_every_process() -> None:
    """Patterns built from sets must not follow the set's order: the file would never hit."""
    code = (
        "import kehoach.pipeline, kehoach.readers.pdf, kehoach.readers.docx, hashlib\n"
        "from kehoach import patterns\n"
        "keys = sorted(patterns._cache._used)\n"
        "print(len(keys), hashlib.sha256(repr(keys).encode()).hexdigest())\n"
    )
    outputs = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1, outputs


@pytest.mark.parametrize(
    "content",
    [b"", b"not marshal at all", marshal.dumps(("other header", {})), marshal.dumps([1, 2, 3])],
)
def test_a_damaged_or_foreign_file_is_ignored(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "patterns.bin"
    path.write_bytes(content)
    cache = PatternCache(path)
    for p, f in SAMPLES:
        assert _same(cache.compile(p, f), re.compile(p, f))
    assert cache.new == len(SAMPLES)


def test_a_malformed_entry_is_compiled_afresh(tmp_path: Path) -> None:
    path = tmp_path / "patterns.bin"
    cache = PatternCache(path)
    header = cache.header
    pattern, flags = SAMPLES[1]
    path.write_bytes(marshal.dumps((header, {(pattern, flags): (0, b"\x01\x02", 0, {}, ())})))
    again = PatternCache(path)
    assert _same(again.compile(pattern, flags), re.compile(pattern, flags))
    assert again.new == 1


def test_no_file_where_python_writes_no_bytecode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    path = tmp_path / "patterns.bin"
    cache = PatternCache(path)
    cache.compile(*SAMPLES[0])
    assert cache.save() is False and not path.exists()
    assert cache.save(force=True) is True and path.exists()


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes anywhere")
def test_a_read_only_folder_is_no_error(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        cache = PatternCache(folder / "patterns.bin")
        cache.compile(*SAMPLES[0])
        assert cache.save(force=True) is False
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_an_unwritable_path_is_no_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    cache = PatternCache(blocker / "patterns.bin")  # a folder that cannot be made
    cache.compile(*SAMPLES[0])
    assert cache.save(force=True) is False
    assert blocker.read_text() == "x"


def test_the_default_file_sits_beside_the_bytecode() -> None:
    path = patterns.default_path()
    assert path is not None
    assert path.parent.name == "__pycache__" or sys.pycache_prefix
    assert path.name == f"kehoach-patterns.{sys.implementation.cache_tag}.bin"
