"""Long use without leaks (issue 5): build / run / reset / save / load cycles keep memory flat.
The 10-minute soak of a 100,000-neuron network is behind the ``slow`` marker."""

import os
import resource
import time

import numpy as np
import pytest

import brainrs as bp
import brainrs.math as bm
from conftest import EINet


def _rss_mb():
    """Resident set size now (MB), from /proc (ru_maxrss would only give the peak)."""
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def _cycle(tmp_path, k):
    bm.random.seed(k)
    net = EINet(scale=0.05)  # 200 neurons
    runner = bp.DSRunner(net, monitors={"V": "N.V"}, progress_bar=False, spike_events=True)
    runner.run(inputs=np.full(20, 20., np.float32))
    bp.reset_state(net)
    path = tmp_path / "cycle.safetensors"
    bp.checkpoints.save_pytree(path, {"net": bp.save_state(net), "runner": runner.state_dict()})
    loaded = bp.checkpoints.load_pytree(path)
    assert bp.load_state(net, loaded["net"]) == ([], [])
    runner.load_state_dict(loaded["runner"])
    return runner.run(inputs=np.full(20, 20., np.float32))


def test_a_thousand_cycles_keep_memory_flat(tmp_path):
    for k in range(100):  # warm-up: allocator pools, imports, caches
        _cycle(tmp_path, k)
    before = _rss_mb()
    for k in range(100, 1100):
        _cycle(tmp_path, k)
    grown = _rss_mb() - before
    # a leak of one 200-neuron network per cycle would be some 10 MB over 1000 cycles
    assert grown < 8, f"RSS grew by {grown:.1f} MB over 1000 cycles"


@pytest.mark.slow
def test_soak_100k_neurons_for_ten_minutes():
    """BRAINRS_SOAK_SECONDS shortens it (default 600)."""
    bm.random.seed(1)
    net = EINet(scale=25, prob=0.02 / 25)
    runner = bp.DSRunner(net, progress_bar=False, spike_events=True, check_finite=True)
    inputs = np.full(10_000, 20., np.float32)  # 1 s of biological time per run
    # the last run's spikes (some 17 MB of events) are held, as in the loop below
    spikes = runner.run(inputs=inputs)
    end = time.perf_counter() + float(os.environ.get("BRAINRS_SOAK_SECONDS", 600))
    runs, rss = 0, []
    while time.perf_counter() < end or runs < 6:
        spikes = runner.run(inputs=inputs)
        runs += 1
        rss.append(_rss_mb())
        rate = spikes.sum() / net.N.num
        assert 5 < rate < 60, f"run {runs}: {rate} Hz"  # the network stays in its regime
    # the allocator settles within a few runs (freed result arrays are reused, not returned);
    # a leak would keep growing: the second half of the soak must be flat
    print(f"soak: {runs} runs of 1 s, RSS per run (MB): {[round(x) for x in rss]}")
    half = rss[len(rss) // 2:]
    assert max(half) - half[0] < 10, f"RSS per run (MB): {[round(x) for x in rss]}"
    assert spikes.sum() > 0 and runner.i0 == 10_000 * (runs + 1)
