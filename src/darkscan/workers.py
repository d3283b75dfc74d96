"""Analysis on every core: a pool of worker processes, each with its own OCR engine.

    with AnalysisPool(jobs=4) as pool:
        for i, result in pool.map(task, items): ...   # results as they finish, with their index

``--jobs N`` means N cores: workers are started with ``spawn`` (no inherited onnxruntime /
OpenCV thread pools) and each gets a budget of one thread (onnxruntime's intra-op threads
through ``DARKSCAN_OCR_THREADS``, OpenCV's and the BLAS pools likewise; a ``DARKSCAN_OCR_THREADS``
the user set is kept), so N workers never ask for more than N cores, and ``--jobs 1`` analyses
in this process on one core. One single-threaded process per core beats one process whose
onnxruntime spreads each inference over the cores: UI screens are many small inferences plus
Python and OpenCV work that intra-op threads do not parallelise (``bench/parallel.py``).
They share the OCR disk cache (content-addressed, safe for
concurrent writers: ``vision.ocr.CachedOcrEngine``). Tasks carry paths, never pixels: a worker
loads its own screenshot, so memory stays one screen per worker.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_THREAD_VARS = ("DARKSCAN_OCR_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                "MKL_NUM_THREADS")


def cores() -> int:
    """Cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def default_jobs() -> int:
    """``--jobs`` default: ``DARKSCAN_JOBS`` if set, else the number of cores."""
    env = os.environ.get("DARKSCAN_JOBS", "").strip()
    return int(env) if env.isdigit() and int(env) > 0 else cores()


_BLAS_VARS = ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def single_threaded_blas() -> None:
    """One BLAS thread unless the user chose otherwise; call before numpy is imported.

    darkscan's array work is element-wise image work that BLAS threads do not speed up, but
    an idle OpenBLAS pool spins (``sched_yield``) on the cores the analysis workers need.
    """
    for var in _BLAS_VARS:
        os.environ.setdefault(var, "1")


def job_threads() -> int:
    """Threads one job may use: ``DARKSCAN_OCR_THREADS`` when the user set it, else 1."""
    env = os.environ.get("DARKSCAN_OCR_THREADS", "").strip()
    return int(env) if env.isdigit() and int(env) > 0 else 1


def limit_threads(threads: int) -> None:
    """Give this process a budget of ``threads`` CPU threads (before its OCR engine loads)."""
    for var in _THREAD_VARS:
        os.environ[var] = str(threads)
    try:
        import cv2

        cv2.setNumThreads(threads)
    except ImportError:  # pragma: no cover - a dependency
        pass


def use_jobs(jobs: int | None) -> int:
    """The ``--jobs`` a command runs with (``None``: :func:`default_jobs`); with one job the
    analysis runs in this process, so this process gets the one job's thread budget."""
    jobs = jobs or default_jobs()
    if jobs == 1:
        limit_threads(job_threads())
    return jobs


class AnalysisPool:
    """A process pool sized ``jobs``; ``map`` yields ``(index, result)`` as tasks finish."""

    def __init__(self, jobs: int) -> None:
        self.jobs = max(1, jobs)
        self._pool = ProcessPoolExecutor(
            max_workers=self.jobs, mp_context=multiprocessing.get_context("spawn"),
            initializer=limit_threads, initargs=(job_threads(),))

    def map(self, fn: Callable[..., R],
            items: Iterable[tuple[Any, ...]]) -> Iterator[tuple[int, R]]:
        """Run ``fn(*item)`` for every item, at most ``2 × jobs`` queued at a time."""
        pending: dict[Future[R], int] = {}
        it = iter(enumerate(items))
        done_all = False
        while True:
            while not done_all and len(pending) < 2 * self.jobs:
                try:
                    i, args = next(it)
                except StopIteration:
                    done_all = True
                    break
                pending[self._pool.submit(fn, *args)] = i
            if not pending:
                return
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for f in finished:
                yield pending.pop(f), f.result()

    def __enter__(self) -> AnalysisPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
