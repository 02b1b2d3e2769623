"""`kehoach batch` and :mod:`kehoach.batch`: many files, workers, resume, per-file errors.

Behaviour only: speed is measured by bench/bench.py, never asserted here.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from kehoach import batch as lib
from kehoach import parse_file
from kehoach.cli import main
from kehoach.exporters import to_data, to_json, to_yaml

from .conftest import SAMPLES

PARTY = "ke-hoach-tinh-uy-chuyen-doi-so"
STATE = "ke-hoach-ubnd-cai-cach-hanh-chinh"
GOOD = {  # input path under the folder → output path under OUTDIR
    f"a/{PARTY}.txt": f"a/{PARTY}.json",
    f"a/b/{STATE}.md": f"a/b/{STATE}.json",
    f"c/{PARTY}.docx": f"c/{PARTY}.json",
    f"{STATE}.pdf": f"{STATE}.json",
}


@pytest.fixture
def plans(tmp_path: Path) -> Path:
    """Good files in sub-folders, a truncated PDF, an empty DOCX and an ignored extension."""
    root = tmp_path / "plans"
    for rel in GOOD:
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(SAMPLES / Path(rel).name, target)
    (root / "bad.pdf").write_bytes((SAMPLES / f"{PARTY}.pdf").read_bytes()[:20000])
    (root / "c" / "empty.docx").write_bytes(b"")
    (root / "notes.csv").write_text("not a plan\n")
    (root / ".hidden").mkdir()
    shutil.copy(SAMPLES / f"{PARTY}.txt", root / ".hidden" / "copy.txt")
    return root


def _batch(*args: str) -> object:
    return CliRunner().invoke(main, ["batch", *args])


def _mtimes(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*")}


def test_folder_mirrored_and_failures_reported(plans: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = _batch(str(plans), "-o", str(out), "-j", "2")
    assert result.exit_code == 1, result.stderr
    for src, rel in GOOD.items():
        assert (
            json.loads((out / rel).read_text(encoding="utf-8"))["source"]["name"] == Path(src).name
        )
    assert f"{plans / 'bad.pdf'}: not a readable PDF" in result.stderr
    assert f"{plans / 'c' / 'empty.docx'}: " in result.stderr
    assert "Traceback" not in result.stderr and "notes.csv" not in result.stderr
    assert "converted 4, failed 2, skipped 0;" in result.stderr
    assert result.stdout == ""
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()]
    assert sorted(e["path"] for e in errors) == [
        str(plans / "bad.pdf"),
        str(plans / "c" / "empty.docx"),
    ]
    documents = {str(p.relative_to(out)) for p in out.rglob("*.json")}
    assert documents == set(GOOD.values()) | {lib.MANIFEST}  # nothing for csv or hidden files


def test_output_is_what_parse_gives(plans: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _batch(str(plans / f"{STATE}.pdf"), str(plans / "a"), "-o", str(out))
    doc = parse_file(plans / f"{STATE}.pdf")
    assert (out / f"{STATE}.json").read_text(encoding="utf-8") == to_json(doc)
    assert (out / f"{PARTY}.json").is_file()  # the folder 'a' is the root of its own tree


def test_resume_rewrites_nothing_and_picks_up_new_files(plans: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _batch(str(plans), "-o", str(out)).exit_code == 1
    before = _mtimes(out)
    result = _batch(str(plans), "-o", str(out), "--resume")
    assert "converted 0, failed 2, skipped 4;" in result.stderr
    after = _mtimes(out)
    del before["errors.jsonl"], after["errors.jsonl"]  # the two bad files were tried again
    assert after == before
    shutil.copy(SAMPLES / f"{STATE}.docx", plans / "a" / "new.docx")
    (plans / "a" / f"{PARTY}.txt").write_text("changed\n", encoding="utf-8")
    result = _batch(str(plans), "-o", str(out), "--resume")
    assert "converted 2, failed 2, skipped 3;" in result.stderr
    assert (out / "a" / "new.json").is_file()
    assert _mtimes(out)[f"{STATE}.json"] == before[f"{STATE}.json"]
    manifest = json.loads((out / lib.MANIFEST).read_text())["files"]
    assert manifest["a/new.json"]["sha256"] == lib.sha256_file(plans / "a" / "new.docx")


def test_jsonl_one_line_per_document(plans: Path, tmp_path: Path) -> None:
    out, lines = tmp_path / "out", tmp_path / "all.jsonl"
    result = _batch(str(plans), "-o", str(out), "--jsonl", str(lines))
    assert result.exit_code == 1
    docs = [json.loads(line) for line in lines.read_text(encoding="utf-8").splitlines()]
    assert sorted(d["source"]["name"] for d in docs) == sorted(Path(p).name for p in GOOD)
    # resumed: skipped documents are still in the stream, re-read from their output
    result = _batch(str(plans), "-o", str(out), "--resume", "--jsonl", "-")
    assert len(result.stdout.splitlines()) == len(GOOD)


def test_jsonl_without_output_folder(plans: Path) -> None:
    result = _batch(str(plans / "a"), "--jsonl", "-")
    assert result.exit_code == 0, result.stderr
    formats = sorted(json.loads(x)["source"]["format"] for x in result.stdout.splitlines())
    assert formats == ["markdown", "text"]  # completion order: sorted to compare


def test_tasks_csv_has_the_source_first(plans: Path, tmp_path: Path) -> None:
    table = tmp_path / "tasks.csv"
    result = _batch(str(plans / "a"), "--tasks-csv", str(table))
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(table.read_text(encoding="utf-8"))))
    assert rows[0][:3] == ["source", "id", "kind"]
    sources = {r[0] for r in rows[1:]}
    assert sources == {str(plans / "a" / f"{PARTY}.txt"), str(plans / "a" / "b" / f"{STATE}.md")}
    assert {r[2] for r in rows[1:]} == {"goal", "task"}


def test_yaml_format(plans: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = _batch(str(plans / "a"), "-o", str(out), "--format", "yaml", "--quiet")
    assert result.exit_code == 0 and result.stderr == ""
    text = (out / "b" / f"{STATE}.yaml").read_text(encoding="utf-8")
    assert text == to_yaml(parse_file(plans / "a" / "b" / f"{STATE}.md"))
    assert yaml.safe_load(text)["source"]["format"] == "markdown"


def test_glob_and_side_by_side_names(tmp_path: Path) -> None:
    root = tmp_path / "in"
    (root / "x").mkdir(parents=True)
    for suffix in (".txt", ".docx"):
        shutil.copy(SAMPLES / f"{PARTY}{suffix}", root / "x" / f"plan{suffix}")
    out = tmp_path / "out"
    result = _batch(str(root / "**" / "plan.*"), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert (out / "x" / "plan.txt.json").is_file() and (out / "x" / "plan.docx.json").is_file()


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_each_file_once_in_walk_order(tmp_path: Path) -> None:
    root = tmp_path / "in"
    for rel in ["b.pdf", "A.docx", "sub/z.txt", "sub/deep/c.md", ".hidden/h.pdf", "sub/~$x.docx",
                "sub/notes.xyz", "sub/deep/D.PDF"]:  # fmt: skip
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("x")
    (root / "sub" / "link.pdf").symlink_to(root / "b.pdf")  # the same file again
    (root / "sub" / "dirlink").symlink_to(root / "sub" / "deep")  # not entered
    given = [str(root / "sub" / "z.txt"), str(root), str(root / "sub"), str(root / "*" / "*.md")]
    jobs = lib.plan(given)
    assert [j.rel for j in jobs] == ["z.json", "A.json", "b.json", "sub/deep/D.json",
                                     "sub/deep/c.json"]  # fmt: skip
    assert jobs[0].source == root / "sub" / "z.txt"  # as first named


def test_usage_errors(tmp_path: Path) -> None:
    assert _batch(str(tmp_path)).exit_code == 2  # no -o, --jsonl or --tasks-csv
    assert _batch(str(tmp_path), "--jsonl", "-", "--resume").exit_code == 2
    assert _batch(str(tmp_path), "-o", str(tmp_path / "o")).exit_code == 2  # nothing found


# -- the worker pool, through the library with an injected conversion --------------------------


def _slow_or_dying(task: lib.Task) -> lib.Outcome:
    if "slow" in task.path:
        time.sleep(60)
    if "dies" in task.path:
        os._exit(3)
    return lib.convert(task)


def test_timeout_and_crash_are_failures_and_the_run_goes_on(tmp_path: Path) -> None:
    names = ["slow.txt", "dies.txt", "fine.txt", "also-fine.txt"]
    for name in names:
        shutil.copy(SAMPLES / f"{PARTY}.txt", tmp_path / name)
    jobs = lib.plan([str(tmp_path / n) for n in names])
    opts = lib.Options(tmp_path / "out", jobs=1, timeout=1.0)
    started = time.monotonic()
    results = [r for r in lib.run(jobs, opts, _slow_or_dying) if r is not None]
    assert time.monotonic() - started < 30  # the sleeping worker was ended, not waited for
    status = {r.job.source.name: (r.status, r.message) for r in results}
    assert status["slow.txt"] == ("failed", "timed out after 1 s")
    assert status["dies.txt"] == ("failed", "worker crashed (exit code 3)")
    assert status["fine.txt"][0] == status["also-fine.txt"][0] == "converted"
    assert (tmp_path / "out" / "also-fine.json").is_file()


def _pid_after(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def test_pool_recycles_workers_and_queues_ahead_only_while_tasks_wait() -> None:
    from kehoach.workers import Done, Pool

    pool: Pool[float, int] = Pool(_pid_after, size=2, max_tasks=3)
    tasks = [0.01] * 7
    done = [e for e in pool.run(tasks) if e is not None]
    assert all(isinstance(e, Done) for e in done) and len(done) == 7
    pids = Counter(e.result for e in done if isinstance(e, Done))
    assert max(pids.values()) <= 3 and len(pids) >= 3  # replaced after 3 tasks each


def _echo(size: int) -> str:
    return "đ" * size


def test_messages_larger_than_a_pipe_holds_arrive_whole() -> None:
    from kehoach.workers import Done, Pool

    pool: Pool[int, str] = Pool(_echo, size=2)
    sizes = [0, 1, 70_000, 1_000_000, 3]
    done = [e for e in pool.run(sizes) if e is not None]
    assert sorted((e.task, e.result) for e in done if isinstance(e, Done)) == sorted(
        (n, "đ" * n) for n in sizes
    )


def test_the_spawn_fallback_runs_the_same_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without os.fork (Windows) workers are started by multiprocessing's spawn."""
    from kehoach import workers

    monkeypatch.setattr(workers, "_start", workers._spawn_mp)
    monkeypatch.setattr(workers, "_ready", workers._wait_mp)
    pool: workers.Pool[float, int] = workers.Pool(_pid_after, size=2, max_tasks=2)
    done = [e for e in pool.run([0.0] * 5) if e is not None]
    assert len(done) == 5 and all(isinstance(e, workers.Done) for e in done)
    assert os.getpid() not in {e.result for e in done if isinstance(e, workers.Done)}


def test_tasks_queued_behind_a_stuck_one_still_run(tmp_path: Path) -> None:
    from kehoach.workers import Done, Lost, Pool

    # one worker: it holds the stuck task and the next one; ending it must not lose the next
    pool: Pool[float, int] = Pool(_pid_after, size=1, timeout=1.0)
    events = [e for e in pool.run([60.0, 0.0, 0.0, 0.0]) if e is not None]
    assert [type(e) for e in events] == [Lost, Done, Done, Done]
    assert len({e.result for e in events if isinstance(e, Done)}) == 1  # one new worker


def test_interrupt_leaves_no_partial_file(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for i in range(200):
        shutil.copy(SAMPLES / f"{STATE}.pdf", src / f"p{i:03}.pdf")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "kehoach", "batch", str(src), "-o", str(out), "-j", "2"]
    proc = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not list(out.glob("*.json")) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "interrupted: converted" in stderr
    assert "Traceback" not in stderr
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
    for document in out.glob("*.json"):
        json.loads(document.read_text(encoding="utf-8"))  # whole, never half-written
    manifest = json.loads((out / lib.MANIFEST).read_text())["files"]
    assert set(manifest) <= {p.name for p in out.glob("p*.json")}


# -- start-up ------------------------------------------------------------------------------------
# pydantic (not pydantic-core, which serialises) is only for the schema and for validating
# documents read back: building its models would cost every run ~0.1 s

LAZY_CHECK = """
import sys
from kehoach.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
heavy = {"pdfplumber", "pypdfium2", "docx", "lxml", "rich", "pdfminer", "pydantic"} & set(sys.modules)
print(sorted(heavy), file=sys.stderr)
"""


@pytest.mark.parametrize("args", [["--version"], ["parse", str(SAMPLES / f"{PARTY}.txt")]])
def test_lazy_imports(args: list[str]) -> None:
    done = subprocess.run([sys.executable, "-c", LAZY_CHECK, *args], capture_output=True,
                          text=True, check=True)  # fmt: skip
    assert done.stderr.strip().splitlines()[-1] == "[]"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="workers are spawned by multiprocessing")
def test_a_batch_forks_without_multiprocessing(tmp_path: Path) -> None:
    check = LAZY_CHECK.replace('"pdfplumber", "pypdfium2", "docx", "lxml", "rich", "pdfminer", '
                               '"pydantic"}', '"multiprocessing"}')  # fmt: skip
    args = ["batch", "-j", "2", "-o", str(tmp_path / "out"), "--quiet", str(SAMPLES)]
    done = subprocess.run([sys.executable, "-c", check, *args], capture_output=True, text=True,
                          check=True)  # fmt: skip
    assert done.stderr.strip().splitlines()[-1] == "[]"
    assert len(list((tmp_path / "out").glob("ke-hoach-*.json"))) == len(list(SAMPLES.glob("ke-hoach-*")))


def test_resume_over_a_finished_folder_starts_nothing(tmp_path: Path) -> None:
    pdf, out = SAMPLES / f"{PARTY}.pdf", tmp_path / "out"
    assert _batch(str(pdf), "-o", str(out), "--quiet").exit_code == 0
    check = LAZY_CHECK.replace('"pydantic"}', '"pydantic", "kehoach.pipeline", "multiprocessing"}')
    args = ["batch", "--resume", "-o", str(out), "--quiet", str(pdf)]
    done = subprocess.run([sys.executable, "-c", check, *args], capture_output=True, text=True,
                          check=True)  # fmt: skip
    assert done.stderr.strip().splitlines()[-1] == "[]"  # hashing the input is all it does


# -- the fast JSON exporters keep json.dumps's bytes -----------------------------------------


@pytest.mark.parametrize("sample", sorted(SAMPLES.glob("ke-hoach-*.*")), ids=lambda p: p.name)
def test_json_exporters_match_json_dumps(sample: Path) -> None:
    from kehoach.exporters import to_data, to_jsonl

    doc = parse_file(sample)
    data = to_data(doc)
    assert to_json(doc) == json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    assert to_jsonl(doc) == json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def test_json_exporters_escape_like_json_dumps() -> None:
    from kehoach.models import Document, Source

    odd = "".join(map(chr, range(0x30))) + '\x7f\x80\u2028\u2029😀"\\/é'
    doc = Document(source=Source(name=odd, format="text", sha256="0"))
    assert to_json(doc) == json.dumps(to_data(doc), ensure_ascii=False,
                                      indent=2) + "\n"  # fmt: skip


def test_ocr_never_reports_a_scan_and_goes_on(tmp_path: Path) -> None:
    from .conftest import CORPUS, shared_file

    scans = tmp_path / "in"
    scans.mkdir()
    shutil.copy(shared_file(CORPUS / "kh-996-tctlntw-c04-scan.pdf"), scans / "scan.pdf")
    shutil.copy(SAMPLES / "ke-hoach-tinh-uy-chuyen-doi-so.txt", scans / "plan.txt")
    result = _batch(str(scans), "-o", str(tmp_path / "out"), "--ocr", "never", "-j", "1")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "scan.pdf: " in result.stderr and "no text layer" in result.stderr  # type: ignore[attr-defined]
    assert (tmp_path / "out" / "plan.json").exists()
    assert not (tmp_path / "out" / "scan.json").exists()
