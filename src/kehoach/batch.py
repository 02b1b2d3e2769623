"""Many files at once: plan the inputs, convert them in worker processes, stream the results.

The library never prints: :func:`run` yields one :class:`FileResult` per input (and ``None``
now and then while nothing finishes, so a progress display can redraw); the CLI renders them.

Files on disk, all written under a temporary name and then renamed, so that an interrupted run
leaves no half-written file:

- ``OUTDIR/<path relative to the input folder>.json|.yaml``: the document, the tree mirrored;
- ``OUTDIR/errors.jsonl``: one ``{"path", "error"}`` line per failed file (removed when none);
- ``OUTDIR/.kehoach-batch.json``: the resume manifest, ``{"files": {output path: {"source",
  "sha256", "kehoach"}}}``. The JSON contract already carries ``source.sha256``, but checking
  it would mean reading every output; the manifest also records the kehoach version, which the
  contract does not. ``--resume`` skips an input when its output exists and the manifest holds
  the input's current sha256 and this version: hashing is all a skipped file costs.
"""

from __future__ import annotations

import contextlib
import csv
import gc
import glob
import hashlib
import json
import os
import signal
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal

from . import __version__
from .files import write_atomic

EXTENSIONS = (".pdf", ".docx", ".doc", ".txt", ".md")
MANIFEST = ".kehoach-batch.json"
ERRORS = "errors.jsonl"
Status = Literal["converted", "failed", "skipped"]


@dataclass(frozen=True, slots=True)
class Job:
    source: Path
    display: str  # how messages name the file: the path as found from the input given
    rel: str  # output path relative to OUTDIR, posix, with the format's suffix


@dataclass(frozen=True, slots=True)
class Task:
    """What a worker needs for one file (picklable)."""

    path: str
    fmt: str
    password: str | None
    strict: bool
    jsonl: bool
    rows: bool
    ocr: str = "auto"
    ocr_lang: str = "vie"


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a worker sends back: the rendered texts, or the error message."""

    error: str | None = None
    text: str = ""
    jsonl: str | None = None
    rows: list[list[str]] | None = None
    pages: int = 0
    sha256: str = ""


@dataclass(frozen=True, slots=True)
class FileResult:
    job: Job
    status: Status
    pages: int = 0
    message: str = ""


@dataclass(slots=True)
class Options:
    outdir: Path | None
    fmt: str = "json"
    jobs: int = 1
    timeout: float | None = 120.0
    resume: bool = False
    password: str | None = None
    strict: bool = False
    jsonl: IO[str] | None = None  # the CLI opens it (a temp file, or stdout for '-')
    tasks_csv: IO[str] | None = None
    ocr: str = "auto"  # each file's pages are OCR'd in its own worker, one at a time
    ocr_lang: str = "vie"


# -- planning -------------------------------------------------------------------------------


def plan(inputs: Iterable[str], fmt: str = "json") -> list[Job]:
    """Files, folders (recursive, :data:`EXTENSIONS` only) and globs → jobs, each file once."""
    found: dict[str, tuple[Path, str]] = {}  # by real path: a file named twice is one file
    for given in inputs:
        for path, rel, real in _expand(given):
            found.setdefault(real, (path, rel))
    stems = [os.path.splitext(rel)[0] for _, rel in found.values()]
    counts = Counter(stems)
    jobs = []
    for (path, rel), stem in zip(found.values(), stems, strict=True):
        # a.pdf and a.docx side by side would both give a.json: keep their extensions then
        name = rel if counts[stem] > 1 else stem
        jobs.append(Job(path, str(path), f"{name}.{fmt}"))
    return jobs


Found = tuple[Path, str, str]  # the file, its path relative to the input (posix), its real path


def _expand(given: str) -> Iterator[Found]:
    path = Path(given)
    if path.is_dir():
        yield from _walk(path)
    elif glob.has_magic(given):
        base = Path(given.split("*")[0].split("?")[0].split("[")[0] or ".")
        base = base if base.is_dir() else base.parent
        for match in sorted(glob.glob(given, recursive=True)):
            m = Path(match)
            if m.is_dir():
                prefix = m.relative_to(base).as_posix() + "/"  # 'dir/**' matches 'dir/' too
                prefix = "" if prefix == "./" else prefix
                yield from ((f, f"{prefix}{rel}", real) for f, rel, real in _walk(m))
            elif _wanted(m.name):
                yield m, m.relative_to(base).as_posix(), os.path.realpath(m)
    else:  # named explicitly: taken whatever its extension
        yield path, path.name, os.path.realpath(path)


def _walk(folder: Path) -> list[Found]:
    """The wanted files under ``folder``: each folder's own files (by name) before its
    sub-folders (by name); hidden folders and links to folders are not entered.

    The folder's real path is found once; a file's real path is the folder's joined with its
    relative path, unless the file is itself a link (resolving each file took ~4 ms of 7 for
    120 files).
    """
    files: list[Found] = []
    real_root = os.path.realpath(folder)

    def visit(directory: str, rel_dir: str) -> None:
        try:
            with os.scandir(directory) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:  # unreadable: skipped, as os.walk does
            return
        subdirs = []
        for entry in entries:
            if entry.is_dir():
                if not entry.name.startswith(".") and not entry.is_symlink():
                    subdirs.append(entry)
            elif _wanted(entry.name):
                rel = f"{rel_dir}{entry.name}"
                real = os.path.realpath(entry.path) if entry.is_symlink() else f"{real_root}/{rel}"
                files.append((Path(entry.path), rel, real))
        for sub in subdirs:
            visit(sub.path, f"{rel_dir}{sub.name}/")

    visit(str(folder), "")
    return files


def _wanted(name: str) -> bool:
    # ~$x.docx: Word's lock file next to an open document
    return os.path.splitext(name)[1].lower() in EXTENSIONS and not name.startswith((".", "~$"))


# -- one file, in a worker ------------------------------------------------------------------


def convert(task: Task) -> Outcome:
    """Parse and render one file; every failure becomes a message, never an exception."""
    from .errors import KehoachError
    from .exporters import csv_rows, to_json, to_jsonl, to_yaml
    from .pipeline import parse_file

    try:
        doc = parse_file(task.path, password=task.password, strict=task.strict, ocr=task.ocr,
                         ocr_lang=task.ocr_lang)
    except KehoachError as err:
        return Outcome(error=_unprefixed(str(err), Path(task.path).name))
    except Exception as err:  # noqa: BLE001 -- a bug must not stop the batch: report the file
        return Outcome(error=f"internal error: {type(err).__name__}: {err}")
    return Outcome(
        text=to_yaml(doc) if task.fmt == "yaml" else to_json(doc),
        jsonl=to_jsonl(doc) if task.jsonl else None,
        rows=csv_rows(doc) if task.rows else None,
        pages=doc.source.pages or 0,
        sha256=doc.source.sha256,
    )


def _unprefixed(message: str, name: str) -> str:
    """Library messages start with the file name; batch names files by their path instead."""
    return message.removeprefix(f"{name}: ")


# -- the run --------------------------------------------------------------------------------


@dataclass(slots=True)
class _Run:
    opts: Options
    manifest: dict[str, dict[str, str]]
    errors: list[dict[str, str]] = field(default_factory=list)
    changed: bool = False
    csv: Any = None
    folders: set[Path] = field(default_factory=set)  # output folders known to exist


def run(
    jobs: list[Job], opts: Options, convert_fn: Callable[[Task], Outcome] = convert
) -> Iterator[FileResult | None]:
    """Convert ``jobs``; one result per job in completion order, ``None`` as a heartbeat.

    ``convert_fn`` runs in the workers (tests pass a slow one to exercise the timeout).
    """
    state = _Run(opts, _load_manifest(opts.outdir))
    if opts.tasks_csv is not None:
        from .exporters import CSV_COLUMNS

        state.csv = csv.writer(opts.tasks_csv, lineterminator="\n")
        state.csv.writerow(["source", *CSV_COLUMNS])
    todo: dict[str, Job] = {}
    for job in jobs:
        if opts.resume and _up_to_date(job, state):
            yield _skip(job, state)
        else:
            todo[str(job.source)] = job
    try:
        if todo:  # a resumed run over a finished folder imports and starts nothing more
            yield from _convert(todo, state, convert_fn)
    finally:
        _save(state)


def _convert(
    todo: dict[str, Job], state: _Run, convert_fn: Callable[[Task], Outcome]
) -> Iterator[FileResult | None]:
    from .workers import Done, Pool

    opts = state.opts
    _preload(todo.values())
    pool: Pool[Task, Outcome] = Pool(convert_fn, max(1, min(opts.jobs, len(todo))), opts.timeout)
    for event in pool.run(_task(path, opts) for path in todo):
        if event is None:
            yield None
            continue
        job = todo[event.task.path]
        if isinstance(event, Done):
            yield _finish(job, event.result, state)
        else:
            yield _fail(job, event.reason, state)


def _task(path: str, opts: Options) -> Task:
    return Task(path, opts.fmt, opts.password, opts.strict, opts.jsonl is not None,
                opts.tasks_csv is not None, opts.ocr, opts.ocr_lang)  # fmt: skip


def _preload(jobs: Iterable[Job]) -> None:
    """Import in the parent what the workers will need: forked workers then start warm."""
    # The imports make only long-lived objects (modules, classes, patterns, pydantic schemas):
    # a collection during them frees nothing and walks an ever larger heap (~50 ms of ~300).
    enabled = gc.isenabled()
    gc.disable()
    try:
        from . import exporters, legacy, pipeline  # noqa: F401

        suffixes = {j.source.suffix.lower() for j in jobs}
        if ".pdf" in suffixes:
            from .readers import pdf  # noqa: F401
        if suffixes & {".docx", ".doc"}:
            from .readers import docx  # noqa: F401
    finally:
        if enabled:
            gc.enable()
    # the imported modules live as long as the process: out of the collector's sight, the
    # workers' collections neither walk them nor copy the pages they sit on (copy-on-write)
    gc.freeze()


def _finish(job: Job, out: Outcome, state: _Run) -> FileResult:
    if out.error is not None:
        return _fail(job, out.error, state)
    opts = state.opts
    if opts.outdir is not None:
        entry = {"source": job.display, "sha256": out.sha256, "kehoach": __version__}
        with _deferred_interrupt():
            write_atomic(opts.outdir / job.rel, out.text, state.folders)
            state.manifest[job.rel] = entry
            state.changed = True
    _stream(state, job, out.jsonl, out.rows)
    return FileResult(job, "converted", out.pages)


@contextlib.contextmanager
def _deferred_interrupt() -> Iterator[None]:
    """Ctrl-C waits until the block is done: an output renamed into place is always in the
    manifest that the interrupted run still saves."""
    block = getattr(signal, "pthread_sigmask", None)
    if block is None:  # Windows: no signal masks
        yield
        return
    previous = block(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        block(signal.SIG_SETMASK, previous)


def _fail(job: Job, message: str, state: _Run) -> FileResult:
    state.errors.append({"path": job.display, "error": message})
    if state.manifest.pop(job.rel, None) is not None:
        state.changed = True  # its old output is stale now: --resume must retry it
    return FileResult(job, "failed", message=message)


def _stream(state: _Run, job: Job, line: str | None, rows: list[list[str]] | None) -> None:
    if line is not None and state.opts.jsonl is not None:
        state.opts.jsonl.write(line)
    if rows is not None and state.csv is not None:
        state.csv.writerows([job.display, *row] for row in rows)


# -- resume ---------------------------------------------------------------------------------


def _up_to_date(job: Job, state: _Run) -> bool:
    entry = state.manifest.get(job.rel)
    if entry is None or entry.get("kehoach") != __version__:
        return False
    assert state.opts.outdir is not None  # the CLI refuses --resume without -o
    if not (state.opts.outdir / job.rel).is_file():
        return False
    try:
        return entry.get("sha256") == sha256_file(job.source)
    except OSError:
        return False  # unreadable now: let the worker report why


def _skip(job: Job, state: _Run) -> FileResult:
    """A file already done; --jsonl and --tasks-csv still get it, re-read from its output."""
    opts = state.opts
    if opts.outdir is not None and (opts.jsonl is not None or opts.tasks_csv is not None):
        _stream(state, job, *_rerender(_load_output(opts.outdir / job.rel), opts))
    return FileResult(job, "skipped")


def _load_output(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".yaml":
        import yaml

        return yaml.safe_load(text)  # type: ignore[no-any-return]
    return json.loads(text)  # type: ignore[no-any-return]


def _rerender(data: dict[str, Any], opts: Options) -> tuple[str | None, list[list[str]] | None]:
    from .exporters import csv_rows, to_jsonl
    from .models import validate

    doc = validate(data)
    return (to_jsonl(doc) if opts.jsonl is not None else None,
            csv_rows(doc) if opts.tasks_csv is not None else None)  # fmt: skip


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _load_manifest(outdir: Path | None) -> dict[str, dict[str, str]]:
    if outdir is None:
        return {}
    try:
        data = json.loads((outdir / MANIFEST).read_text(encoding="utf-8"))
        return dict(data["files"])
    except (OSError, ValueError, KeyError, TypeError):
        return {}  # none yet, or unreadable: everything counts as not done


def _save(state: _Run) -> None:
    outdir = state.opts.outdir
    if outdir is None:
        return
    if state.changed:
        data = {"kehoach": __version__, "files": dict(sorted(state.manifest.items()))}
        write_atomic(outdir / MANIFEST, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    errors = outdir / ERRORS
    if state.errors:
        lines = (json.dumps(e, ensure_ascii=False) + "\n" for e in state.errors)
        write_atomic(errors, "".join(lines))
    else:
        with contextlib.suppress(FileNotFoundError):
            errors.unlink()


@dataclass(slots=True)
class Summary:
    converted: int = 0
    failed: int = 0
    skipped: int = 0
    pages: int = 0
    started: float = field(default_factory=time.monotonic)

    def add(self, result: FileResult) -> None:
        setattr(self, result.status, getattr(self, result.status) + 1)
        self.pages += result.pages

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started
