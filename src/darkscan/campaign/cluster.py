"""Running a campaign on Ray: on this machine by default, or on an existing cluster.

Per app two tasks: a crawl (``num_cpus=1``; a phone app also needs one unit of the device
resource, ``android`` by default, so Ray only sends it to a node that advertises phones, and
:mod:`darkscan.campaign.phones` picks one attached to that node), then analyse + report + gate
(``num_cpus=1``: apps are analysed in parallel across the cluster's CPUs; with
``gpus_per_app`` it also takes that share of a GPU and its OCR runs on onnxruntime's CUDA
provider). A task whose worker dies (killed, node lost) or that fails with a device or machine
error is retried by Ray (``retries`` times); a retried crawl continues its run folder with
``--resume`` logic. An app that still fails is marked failed with the reason, and the rest of
the campaign goes on.

Results land in ``CAMPAIGN/apps/<name>.result.json`` as each app finishes, so ``--resume``
keeps every finished app and runs only the others.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

from darkscan.campaign.pipeline import crawl_app, finish_app, note_attempt
from darkscan.campaign.spec import AppEntry, Campaign
from darkscan.errors import DeviceError, EnvironmentProblem
from darkscan.workers import job_threads, limit_threads

DEVICE_RESOURCE = "android"
LOCAL_OBJECT_STORE = 128 * 1024 * 1024   # tasks exchange small dicts only


def _crawl_task(entry: dict[str, Any], run_dir: str) -> dict[str, Any]:
    limit_threads(job_threads())   # a task has one CPU: one thread, as `analyze --jobs 1`
    e, run = AppEntry.from_json(entry), Path(run_dir)
    if e.device:
        from darkscan.campaign.phones import claim_phone

        with claim_phone() as serial:
            note_attempt(run, "crawl", serial=serial)
            out = crawl_app(e, run, serial)
            out["serial"] = serial
    else:
        note_attempt(run, "crawl")
        out = crawl_app(e, run)
    out["crawled_on"] = socket.gethostname()
    return out


def _finish_task(entry: dict[str, Any], run_dir: str, gate: dict[str, Any],
                 lang: str, gpu: bool = False) -> dict[str, Any]:
    limit_threads(job_threads())
    run = Path(run_dir)
    note_attempt(run, "analyze", gpu=gpu)
    before = os.environ.get("DARKSCAN_OCR_DEVICE")
    if gpu:   # Ray gave this task a GPU (CUDA_VISIBLE_DEVICES): OCR runs there
        os.environ["DARKSCAN_OCR_DEVICE"] = "cuda"
    try:
        return finish_app(AppEntry.from_json(entry), run, gate, lang)
    finally:   # the worker process may run CPU tasks next
        if before is None:
            os.environ.pop("DARKSCAN_OCR_DEVICE", None)
        else:
            os.environ["DARKSCAN_OCR_DEVICE"] = before


def reason_of(exc: BaseException) -> str:
    """One line saying why a task failed (the user's error, or Ray's about a lost worker)."""
    cause = getattr(exc, "cause", None) or exc
    msg = getattr(cause, "message", None)
    if not isinstance(msg, str) or not msg:
        lines = [ln.strip() for ln in str(cause).splitlines() if ln.strip()]
        msg = lines[0] if lines else type(cause).__name__
    return f"{type(cause).__name__}: {msg}"[:500]


def init_ray(address: str | None, num_cpus: int | None) -> bool:
    """Connect to ``address`` (``auto``, ``ray://host:port``, ``host:port``) or start a local
    instance bound to loopback; True when this call started Ray (and must shut it down)."""
    import ray

    if ray.is_initialized():
        return False
    if address:
        _check_reachable(address)
        ray.init(address=address, log_to_driver=False, configure_logging=False)
        return True
    ray.init(address="local", num_cpus=num_cpus, include_dashboard=False,
             _node_ip_address="127.0.0.1", object_store_memory=LOCAL_OBJECT_STORE,
             log_to_driver=False, configure_logging=False)
    return True


def _check_reachable(address: str) -> None:
    """Fail in seconds with one line when a HOST:PORT cluster address does not answer (Ray
    itself would retry for minutes)."""
    hostport = address.removeprefix("ray://")
    host, _, port = hostport.rpartition(":")
    if not host or not port.isdigit():
        return   # "auto" and the like: Ray resolves them
    try:
        socket.create_connection((host, int(port)), timeout=5).close()
    except OSError as e:
        raise EnvironmentProblem(f"the Ray cluster at {address} does not answer: "
                                 f"{e.strerror or e}",
                                 hint="start it with `ray start --head`, or leave out "
                                      "--address to run on this machine") from None


def run_campaign(c: Campaign, out: Path, *, address: str | None = None, resume: bool = False,
                 num_cpus: int | None = None, retries: int = 2,
                 device_resource: str = DEVICE_RESOURCE, gpus_per_app: float = 0.0,
                 on_event: Callable[[str, str, dict[str, Any]], None] | None = None,
                 ) -> list[dict[str, Any]]:
    """Every app of ``c`` into ``out``; the rows (one per app, campaign order)."""
    apps_dir = out / "apps"
    apps_dir.mkdir(parents=True, exist_ok=True)
    rows: dict[str, dict[str, Any]] = {}
    todo: list[AppEntry] = []
    for e in c.apps:
        res = apps_dir / f"{e.name}.result.json"
        if resume and res.is_file():
            try:
                row = json.loads(res.read_text(encoding="utf-8"))
            except ValueError:
                row = {}
            if row.get("status") == "done":
                rows[e.name] = row
                continue
        todo.append(e)
    if todo:
        started = init_ray(address, num_cpus)
        try:
            if gpus_per_app:
                _check_gpus(gpus_per_app)
            _run(c, todo, apps_dir, rows, retries, device_resource, gpus_per_app, on_event)
        finally:
            if started:
                import ray

                ray.shutdown()
    return [rows[e.name] for e in c.apps]


def _check_gpus(per_app: float) -> None:
    """Fail at once when no node has a GPU (Ray would wait for one for ever)."""
    import ray

    total = ray.cluster_resources().get("GPU", 0)
    if total < per_app:
        raise EnvironmentProblem(
            f"--gpus-per-app {per_app:g}: the Ray cluster has {total:g} GPUs",
            hint="start GPU nodes with `ray start --num-gpus N`, or leave out --gpus-per-app")


def _run(c: Campaign, todo: list[AppEntry], apps_dir: Path, rows: dict[str, dict[str, Any]],
         retries: int, device_resource: str, gpus_per_app: float,
         on_event: Callable[[str, str, dict[str, Any]], None] | None) -> None:
    import ray

    retry_on = [DeviceError, EnvironmentProblem, OSError]
    crawl_fn = ray.remote(_crawl_task)
    finish_fn = ray.remote(_finish_task)
    pending: dict[Any, tuple[AppEntry, str]] = {}
    crawled: dict[str, dict[str, Any]] = {}

    def record(e: AppEntry, row: dict[str, Any]) -> None:
        row = {"name": e.name, "kind": e.kind, "source": e.source, "device": e.device,
               "run": f"apps/{e.name}", **row}
        rows[e.name] = row
        (apps_dir / f"{e.name}.result.json").write_text(
            json.dumps(row, ensure_ascii=False, indent=1), encoding="utf-8")
        if on_event is not None:
            on_event(e.name, row["status"], row)

    for e in todo:
        opts: dict[str, Any] = {"num_cpus": 1, "max_retries": retries,
                                "retry_exceptions": retry_on}
        if e.device:
            opts.update(num_cpus=0.5, resources={device_resource: 1})
        ref = crawl_fn.options(**opts).remote(e.to_json(), str(apps_dir / e.name))
        pending[ref] = (e, "crawl")
    try:
        while pending:
            ready, _ = ray.wait(list(pending), num_returns=1)
            ref = ready[0]
            e, stage = pending.pop(ref)
            try:
                value = ray.get(ref)
            except Exception as exc:  # noqa: BLE001 - every task failure is this app's only
                record(e, {"status": "failed", "stage": stage, "error": reason_of(exc),
                           **crawled.get(e.name, {})})
                continue
            if stage == "crawl":
                crawled[e.name] = value
                if on_event is not None:
                    on_event(e.name, "crawled", value)
                ref = finish_fn.options(num_cpus=1, num_gpus=gpus_per_app,
                                        max_retries=retries, retry_exceptions=retry_on).remote(
                    e.to_json(), str(apps_dir / e.name), c.gate, c.lang, gpus_per_app > 0)
                pending[ref] = (e, "analyze")
            else:
                record(e, {"status": "done", **crawled.get(e.name, {}), **value})
    except BaseException:
        for ref in pending:
            ray.cancel(ref, force=True)
        raise
