"""A pool of worker processes that the parent manages itself, so that a stuck file can be ended.

Why not ``concurrent.futures``: a future that runs too long cannot be cancelled, and ending its
process breaks the whole executor. Here each worker owns one pipe; the parent sends one task at
a time, waits on every pipe with a deadline, and kills and replaces a worker that overruns it.
A worker is also replaced after ``max_tasks`` tasks, so memory stays flat over thousands of
files (the ``maxtasksperchild`` idea of ``multiprocessing.Pool``).

While more tasks wait than there are workers, each worker holds a second task in its pipe, so
it starts on it the moment it sends a result instead of waiting for the parent to wake up,
read the result and answer (~0.5-1 ms a file, 5 % of a 5-page PDF). Near the end of the run
tasks are handed out one at a time again, so no task waits behind another worker's long one.
A task still queued when its worker is ended (a timeout, a crash) goes back to the front of
the queue: only the task the worker was running is reported lost.

The parent starts no threads, so forking is safe and a new worker inherits the modules the
parent already imported: replacing one costs milliseconds. Where ``os.fork`` exists the pool
forks with it and talks over two plain pipes (length-prefixed pickles): importing
``multiprocessing`` alone took ~11 ms, 7 % of a batch run's start-up, and the pool uses none of
the rest. Elsewhere (Windows) it starts workers with ``multiprocessing``'s spawn.
"""

from __future__ import annotations

import math
import os
import pickle
import select
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")

HEARTBEAT = 0.5  # seconds: how often an idle wait gives the caller a chance to redraw


@dataclass(frozen=True, slots=True)
class Done(Generic[T, R]):
    task: T
    result: R


@dataclass(frozen=True, slots=True)
class Lost(Generic[T]):
    """The worker died or overran the timeout while on ``task``; ``reason`` says which."""

    task: T
    reason: str


Event = Done[T, R] | Lost[T] | None  # None: nothing finished within a heartbeat


class Channel(Protocol):
    """One end of a worker's connection: what the pool needs of it."""

    def send(self, obj: Any) -> None: ...
    def recv(self) -> Any: ...
    def fileno(self) -> int: ...
    def close(self) -> None: ...


class Process(Protocol):
    """A worker process: the part of ``multiprocessing.Process`` the pool uses."""

    exitcode: int | None

    def is_alive(self) -> bool: ...
    def kill(self) -> None: ...
    def join(self, timeout: float | None = None) -> None: ...


def _serve(conn: Channel, fn: Callable[[Any], Any]) -> None:
    # Ctrl-C reaches the whole process group: the parent alone decides how to stop, and a
    # worker must not print a KeyboardInterrupt traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _keep_freed_memory()
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        conn.send(fn(task))


M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameters


def _keep_freed_memory() -> None:
    """Keep the memory one task frees for the next, where the C library is glibc.

    By default glibc hands freed memory back to the system (it trims the heap's top and
    unmaps large blocks), and the next file faults it back in page by page: ~220 page faults
    for a 5-page PDF, 10 % of its time, and more when two workers fault at once (the
    slower of two workers then took 12 ms a file against 9). A worker's heap then stays at
    its largest (tens of MB), and workers are replaced after ``max_tasks`` tasks anyway.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        mallopt = ctypes.CDLL(None).mallopt  # the process's own C library
    except (OSError, AttributeError):
        return
    mallopt(M_TRIM_THRESHOLD, 256 << 20)
    mallopt(M_MMAP_THRESHOLD, 32 << 20)  # glibc's largest on 64-bit systems


class _Pipes:
    """The parent's or the worker's end: a pipe to read from and one to write to.

    A message is its pickle's length (8 bytes) and the pickle. Writing to a worker that died
    raises BrokenPipeError (Python ignores SIGPIPE); reading from one gives EOFError.
    """

    __slots__ = ("rfd", "wfd")

    def __init__(self, rfd: int, wfd: int) -> None:
        self.rfd, self.wfd = rfd, wfd

    def fileno(self) -> int:
        return self.rfd

    def send(self, obj: Any) -> None:
        data = pickle.dumps(obj, pickle.HIGHEST_PROTOCOL)
        view = memoryview(len(data).to_bytes(8, "little") + data)
        while view:
            view = view[os.write(self.wfd, view) :]

    def recv(self) -> Any:
        return pickle.loads(self._read(int.from_bytes(self._read(8), "little")))

    def _read(self, size: int) -> bytes:
        data = os.read(self.rfd, size)
        while len(data) < size:  # a message longer than the pipe holds comes in parts
            more = os.read(self.rfd, size - len(data))
            if not more:
                raise EOFError
            data += more
        if not data and size:
            raise EOFError
        return data

    def close(self) -> None:
        for fd in (self.rfd, self.wfd):
            try:
                os.close(fd)
            except OSError:
                pass


class _Forked:
    """A worker made by ``os.fork``; it leaves by ``os._exit``, so no exit handler of the
    parent (atexit, a ``finally`` block up the stack) ever runs in it."""

    __slots__ = ("exitcode", "pid")

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.exitcode: int | None = None

    def _reap(self, flags: int) -> bool:
        if self.exitcode is None:
            try:
                pid, status = os.waitpid(self.pid, flags)
            except ChildProcessError:  # reaped elsewhere: nothing more to learn
                self.exitcode = -1
            else:
                if pid:
                    self.exitcode = os.waitstatus_to_exitcode(status)
        return self.exitcode is not None

    def is_alive(self) -> bool:
        return not self._reap(os.WNOHANG)

    def kill(self) -> None:
        if self.is_alive():
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def join(self, timeout: float | None = None) -> None:
        if timeout is None:
            self._reap(0)
            return
        deadline = time.monotonic() + timeout
        while not self._reap(os.WNOHANG) and time.monotonic() < deadline:
            time.sleep(0.001)


def _fork(fn: Callable[[Any], Any], others: Iterable[Channel]) -> tuple[Process, Channel]:
    tasks_r, tasks_w = os.pipe()
    results_r, results_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker
        code = 1
        try:
            os.close(tasks_w)
            os.close(results_r)
            for other in others:  # so that only the parent holds the other workers' pipes
                other.close()
            _serve(_Pipes(tasks_r, results_w), fn)
            code = 0
        finally:
            os._exit(code)
    os.close(tasks_r)
    os.close(results_w)
    return _Forked(pid), _Pipes(results_r, tasks_w)


def _poll(conns: list[Channel], timeout: float) -> list[Channel]:
    poller = select.poll()
    for conn in conns:
        poller.register(conn.fileno(), select.POLLIN)
    ready = {fd for fd, _ in poller.poll(math.ceil(timeout * 1000))}
    return [conn for conn in conns if conn.fileno() in ready]


def _spawn_mp(fn: Callable[[Any], Any], others: Iterable[Channel]) -> tuple[Process, Channel]:
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe()
    process = ctx.Process(target=_serve, args=(child, fn), daemon=True)
    process.start()
    child.close()
    return process, parent  # type: ignore[return-value]  # the same methods, typed generically


def _wait_mp(conns: list[Channel], timeout: float) -> list[Channel]:
    from multiprocessing.connection import wait

    return wait(conns, timeout)  # type: ignore[arg-type,return-value]


_start, _ready = (_fork, _poll) if hasattr(os, "fork") else (_spawn_mp, _wait_mp)


@dataclass(slots=True)
class _Worker(Generic[T]):
    process: Process
    conn: Channel
    sent: int = 0  # tasks sent over its life
    queue: deque[T] = field(default_factory=deque)  # sent, not answered yet; [0] is running
    started: float = 0.0  # when queue[0] began, as far as the parent can tell


@dataclass(slots=True)
class Pool(Generic[T, R]):
    """Run ``fn`` over tasks in ``size`` processes; ``fn`` must catch its own errors."""

    fn: Callable[[T], R]
    size: int
    timeout: float | None = None
    max_tasks: int = 200
    depth: int = 2  # tasks a worker holds at once while enough are waiting
    _pending: deque[T] = field(default_factory=deque, init=False)
    _idle: list[_Worker[T]] = field(default_factory=list, init=False)
    _busy: dict[Channel, _Worker[T]] = field(default_factory=dict, init=False)

    def run(self, tasks: Iterable[T]) -> Iterator[Event[T, R]]:
        """Results in completion order. Closing the generator (or Ctrl-C) ends every worker."""
        try:
            self._pending.extend(tasks)
            self._fill()
            while self._busy:
                events = list(self._collect())
                # hand idle workers their next file before the caller writes this one's
                # output: the workers never wait on the parent
                self._fill()
                yield from events
        finally:
            self.close()

    def _fill(self) -> None:
        pending = self._pending
        while pending and len(self._busy) < self.size:
            self._dispatch(self._idle.pop() if self._idle else self._spawn())
        for worker in list(self._busy.values()):
            if len(pending) <= self.size:  # the end is near: one task a worker
                return
            if len(worker.queue) < self.depth and worker.sent < self.max_tasks:
                self._dispatch(worker)

    def _dispatch(self, worker: _Worker[T]) -> None:
        task = self._pending.popleft()
        try:
            worker.conn.send(task)
        except OSError:  # it died since its last task: the next wait reports the one it ran
            self._pending.appendleft(task)
            if not worker.queue:
                self._busy.pop(worker.conn, None)
                self._end(worker)
            return
        if not worker.queue:
            worker.started = time.monotonic()
        worker.queue.append(task)
        worker.sent += 1
        self._busy[worker.conn] = worker

    def _spawn(self) -> _Worker[T]:
        others = [w.conn for w in (*self._idle, *self._busy.values())]
        return _Worker(*_start(self.fn, others))

    def _collect(self) -> Iterator[Event[T, R]]:
        now = time.monotonic()
        wait_for = HEARTBEAT
        if self.timeout is not None:
            first = min(w.started for w in self._busy.values()) + self.timeout
            wait_for = max(0.0, min(wait_for, first - now))
        ready = _ready(list(self._busy), wait_for)
        if not ready and not self._overdue():
            yield None
        for conn in ready:
            yield self._receive(self._busy[conn])
        for worker in self._overdue():
            yield self._lose(worker, f"timed out after {self.timeout:g} s")

    def _overdue(self) -> list[_Worker[T]]:
        if self.timeout is None:
            return []
        limit = time.monotonic() - self.timeout
        return [w for w in self._busy.values() if w.started <= limit]

    def _receive(self, worker: _Worker[T]) -> Done[T, R] | Lost[T]:
        try:
            result: R = worker.conn.recv()
        except (EOFError, OSError):
            worker.process.join(1)
            return self._lose(worker, f"worker crashed (exit code {worker.process.exitcode})")
        task = worker.queue.popleft()
        if worker.queue:
            worker.started = time.monotonic()  # it went straight on to the next
        else:
            del self._busy[worker.conn]
            if worker.sent >= self.max_tasks:
                self._retire(worker)
            else:
                self._idle.append(worker)
        return Done(task, result)

    def _lose(self, worker: _Worker[T], reason: str) -> Lost[T]:
        """End a busy worker: its running task is lost, the ones queued behind it wait again."""
        del self._busy[worker.conn]
        self._end(worker)
        task = worker.queue.popleft()
        self._pending.extendleft(reversed(worker.queue))
        return Lost(task, reason)

    def _retire(self, *workers: _Worker[T]) -> None:
        for worker in workers:  # all told first: they wind down side by side
            try:
                worker.conn.send(None)
            except OSError:
                pass
        for worker in workers:
            worker.process.join(5)
            self._end(worker)

    def _end(self, worker: _Worker[T]) -> None:
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join()
        worker.conn.close()

    def close(self) -> None:
        """Stop idle workers politely and busy ones at once (their tasks are abandoned)."""
        for worker in self._busy.values():
            self._end(worker)
        self._busy.clear()
        self._retire(*self._idle)
        self._idle.clear()
        self._pending.clear()
