"""Acceptance: a real two-node Ray cluster on this machine (loopback only). The second node
advertises two phones - fake adb / uiautomator2 servers (darkscan.device.adb_fake) that only
that node is pointed at - and the campaign's phone crawls run there. A worker process is killed
in the middle of one phone crawl and the other crawl's phone is unplugged mid-way (and plugged
back a few seconds later); Ray retries both, each crawl continues its run folder, and every app
still gets its result. The cluster is shut down whatever happens (both nodes' process groups)."""

from __future__ import annotations

import json
import os
import secrets
import signal
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from darkscan.device.adb_fake import FakeAdbServer, FakePhone
from darkscan.device.virtual import VirtualDevice, load_app

pytest.importorskip("ray")
pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
PHONE_APPS = [REPO / "tests/device/data/u2_shop.yaml", REPO / "tests/apps/cancel_phone.yaml"]
VIRTUAL_APPS = [REPO / "tests/apps/rec_deep.yaml", REPO / "tests/apps/privacy_deep.yaml"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _ray() -> str:
    exe = Path(sys.executable).with_name("ray")
    return str(exe) if exe.is_file() else (shutil.which("ray") or "ray")


class Cluster:
    def __init__(self, tmp: Path) -> None:
        self.port = _free_port()
        self.address = f"127.0.0.1:{self.port}"
        self.procs: list[subprocess.Popen[bytes]] = []
        self.logs = tmp
        # token authentication on, with this cluster's own token (nodes and driver share it)
        self.auth = {"RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN": secrets.token_hex(32)}
        self.env = {k: v for k, v in os.environ.items() if k != "ANDROID_ADB_SERVER_PORT"}
        self.env = {**self.env, "PYTHONPATH": str(REPO / "src"), "RAY_USAGE_STATS_ENABLED": "0",
                    **self.auth}

    def start(self, *args: str, env: dict[str, str] | None = None) -> None:
        log = open(self.logs / f"node{len(self.procs)}.log", "wb")  # noqa: SIM115
        self.procs.append(subprocess.Popen(
            [_ray(), "start", "--block", "--node-ip-address=127.0.0.1", "--disable-usage-stats",
             *args], env={**self.env, **(env or {})}, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True))

    def python(self, code: str, *args: str, timeout: float = 120,
               env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        """Run Python as a driver of this cluster (own process: Ray keeps its auth per process)."""
        return subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                              text=True, timeout=timeout, env={**self.env, **(env or {})})

    def wait_nodes(self, n: int, timeout: float = 180) -> None:
        code = ("import sys, ray\nray.init(address=sys.argv[1], log_to_driver=False)\n"
                "print(sum(1 for x in ray.nodes() if x['Alive']))")
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                r = self.python(code, self.address, timeout=60)
                if r.returncode == 0 and int(r.stdout.split()[-1]) >= n:
                    return
            except (subprocess.TimeoutExpired, ValueError, IndexError):
                pass
            time.sleep(2)
        raise AssertionError(f"{n} Ray nodes did not come up; see {self.logs}")

    def stop(self) -> None:
        """SIGTERM each node's `ray start` (it stops its node), then SIGKILL whatever is left
        in the node's session (raylet, GCS, workers; workers make their own process groups)."""
        for p in reversed(self.procs):
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in reversed(self.procs):
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
        sessions = {p.pid for p in self.procs}
        for pid in _pids_in_sessions(sessions):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for p in self.procs:
            if p.poll() is None:
                p.wait(timeout=10)


def _pids_in_sessions(sessions: set[int]) -> list[int]:
    out = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) in sessions:   # field 6 of stat: session id
            out.append(int(d.name))
    return out


@pytest.fixture
def phones() -> Iterator[FakeAdbServer]:
    apps = [load_app(a) for a in PHONE_APPS]
    with FakeAdbServer([FakePhone(VirtualDevice(apps, serial=f"phone-{i}"))
                        for i in (1, 2)]) as server:
        yield server


@pytest.fixture
def cluster(tmp_path: Path, phones: FakeAdbServer) -> Iterator[Cluster]:
    c = Cluster(tmp_path)
    try:
        c.start("--head", f"--port={c.port}", "--num-cpus=1", "--include-dashboard=false")
        c.wait_nodes(1)
        # the phone node: only its workers see the fake adb server
        c.start(f"--address={c.address}", "--num-cpus=2", '--resources={"android": 2}',
                env={"ANDROID_ADB_SERVER_PORT": str(phones.port)})
        c.wait_nodes(2)
        yield c
    finally:
        c.stop()


def _crawl_part_way(apps_dir: Path, name: str) -> dict | None:
    """The latest crawl attempt of app ``name`` while its crawl is part-way (steps logged, no
    metrics yet)."""
    f = apps_dir / f"{name}.attempts.jsonl"
    steps = apps_dir / name / "steps.jsonl"
    if (apps_dir / name / "metrics.json").exists() or not f.is_file() or not steps.is_file():
        return None
    if len(steps.read_text().splitlines()) < 3:
        return None
    crawls = [x for x in map(json.loads, f.read_text().splitlines()) if x["stage"] == "crawl"]
    return crawls[-1] if crawls else None


def _disrupt_phone_crawls(apps_dir: Path, names: list[str], server: FakeAdbServer,
                          done: threading.Event, killed: list[str],
                          unplugged: list[str]) -> None:
    """Kill the worker of the first phone crawl caught part-way; then unplug the phone of the
    next crawl attempt caught part-way (the other app, or the killed one's retry) and plug it
    back 3 s later."""
    dead: set[int] = set()
    while not done.is_set() and not unplugged:
        for n in names:
            attempt = _crawl_part_way(apps_dir, n)
            if attempt is None or attempt["pid"] in dead:
                continue
            if not killed:
                os.kill(attempt["pid"], signal.SIGKILL)
                dead.add(attempt["pid"])
                killed.append(n)
            else:
                phone = server.phones[attempt["serial"]]
                phone.unplug()
                unplugged.append(n)
                threading.Timer(3.0, phone.plug).start()
                break
        time.sleep(0.05)


def test_two_node_campaign_survives_a_killed_worker_and_an_unplugged_phone(
        tmp_path: Path, cluster: Cluster, phones: FakeAdbServer) -> None:
    packages = {a.stem: load_app(a).package for a in PHONE_APPS}
    entries = [{"package": pkg, "name": name, "max_steps": 120} for name, pkg in packages.items()]
    entries += [{"app": str(a)} for a in VIRTUAL_APPS]
    campaign = tmp_path / "farm.yaml"
    campaign.write_text(yaml.safe_dump({"name": "farm", "apps": entries}), "utf-8")
    out = tmp_path / "out"
    (out / "apps").mkdir(parents=True)
    done, killed, unplugged = threading.Event(), [], []
    killer = threading.Thread(target=_disrupt_phone_crawls,
                              args=(out / "apps", list(packages), phones, done, killed,
                                    unplugged), daemon=True)
    killer.start()
    try:   # the driver: no phones of its own (no ANDROID_ADB_SERVER_PORT)
        r = cluster.python("import sys\nfrom darkscan.cli import main\nsys.exit(main())",
                           "batch", str(campaign), "--out", str(out), "--address",
                           cluster.address, "--resume", timeout=600)
        rc = r.returncode
    finally:
        done.set()
    assert (out / "summary.json").is_file(), r.stdout[-3000:] + r.stderr[-3000:]
    summary = json.loads((out / "summary.json").read_text())
    rows = {r["name"]: r for r in summary["apps"]}
    assert killed and unplugged, "the phone crawls were not caught mid-way"
    assert all(r["status"] == "done" for r in rows.values()), rows
    assert rc in (0, 1) and rc == summary["exit_code"]
    for name in packages:
        row = rows[name]
        assert row["serial"] in ("phone-1", "phone-2")          # a phone of the phone node
        assert (out / row["report"]).is_file()
        metrics = json.loads((out / "apps" / name / "metrics.json").read_text())
        assert metrics["coverage"]["states"] > 1
    for victim in set(killed + unplugged):
        attempts = [json.loads(x) for x in
                    (out / "apps" / f"{victim}.attempts.jsonl").read_text().splitlines()]
        assert sum(a["stage"] == "crawl" for a in attempts) >= 2   # Ray retried the crawl
        # ... which continued the run folder: replayed its log (or, if the phone's state made
        # the replay impossible, started afresh in place)
        assert rows[victim].get("replayed", 0) >= 3 or rows[victim].get("restarted"), victim
    for a in VIRTUAL_APPS:
        assert rows[a.stem]["status"] == "done" and "serial" not in rows[a.stem]
