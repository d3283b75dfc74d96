"""Ray tests run only where every server they start is reachable on loopback alone.

Ray advertises and binds the host's address even when asked for 127.0.0.1, so the tests that
start Ray (a local instance, a two-node cluster) need a network namespace whose only interface
is `lo`. `scripts/test.sh` gives them one when run as root (as CI does); elsewhere they skip.
"""

from __future__ import annotations

import socket

import pytest

RAY_TESTS = {"test_batch_local.py", "test_batch_cluster.py", "test_batch_resume.py"}


def loopback_only() -> bool:
    return all(name == "lo" for _, name in socket.if_nameindex())


@pytest.fixture(autouse=True)
def _ray_needs_loopback_only(request: pytest.FixtureRequest) -> None:
    if request.node.path.name in RAY_TESTS and not loopback_only():
        pytest.skip("Ray would listen on this host's network address: run the tests through "
                    "scripts/test.sh as root (a loopback-only network namespace)")
