"""Networks in threads and in forked processes (issue 5, concurrency): each gives the result it
gives alone, a network already running refuses a second run, and a run releases the GIL."""

import multiprocessing
import threading
import time

import numpy as np
import pytest

import brainrs as bp
import brainrs.math as bm
from brainrs.errors import StructureError
from conftest import EINet


def _counts(seed, steps=200, scale=10):
    """Per-step spike counts of a seed network (40,000 neurons: its kernels split)."""
    bm.random.seed(seed)
    net = EINet(scale=scale, prob=0.02 / scale)
    return bm.for_loop(lambda i: net.step_run(i, 20.).sum(), bm.arange(steps), strict=True)


def _total(seed):
    return int(_counts(seed).sum())


def test_two_networks_in_two_threads_give_their_results_alone():
    alone = {seed: _counts(seed) for seed in (1, 2)}
    # the networks are built here (building draws from the shared generator), run in threads
    nets = {}
    for seed in (1, 2):
        bm.random.seed(seed)
        nets[seed] = EINet(scale=10, prob=0.002)
    results, errors = {}, []

    def run(seed):
        try:
            net = nets[seed]
            results[seed] = bm.for_loop(lambda i: net.step_run(i, 20.).sum(), bm.arange(200),
                                        strict=True)
        except Exception as e:  # surfaced below
            errors.append(e)

    threads = [threading.Thread(target=run, args=(seed,)) for seed in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    for seed in (1, 2):
        assert alone[seed].sum() > 0
        np.testing.assert_array_equal(results[seed], alone[seed])


def test_a_running_network_refuses_a_second_run_and_python_keeps_running():
    bm.random.seed(3)
    net = EINet()
    runner = bp.DSRunner(net, progress_bar=False, spike_events=True)
    started, done, errors = threading.Event(), threading.Event(), []

    def long_run():
        try:
            started.set()
            runner.run(inputs=np.full(30_000, 20., np.float32))  # about half a second
        except Exception as e:
            errors.append(e)
        finally:
            done.set()

    worker = threading.Thread(target=long_run)
    worker.start()
    started.wait()
    spins = 0
    deadline = time.perf_counter() + 0.1
    while time.perf_counter() < deadline:  # Python runs while the engine does (GIL released)
        spins += 1
    refused = None
    if not done.is_set():
        with pytest.raises(StructureError, match="in use by another run") as refused:
            bm.for_loop(lambda i: net.step_run(i, 20.), bm.arange(10), strict=True)
    worker.join(timeout=120)
    assert not errors, errors
    assert refused is not None, "the first run ended before the second started"
    assert spins > 10_000
    # the refused call changed nothing: the first run's 30,000 steps all happened
    assert runner.i0 == 30_000


def test_forked_worker_processes_run_after_the_parent_used_its_threads():
    before = bm.get_num_threads()
    bm.set_num_threads(2)
    try:
        want = _total(1)  # the parent's pool has started its threads
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(2) as pool:
            got = pool.map_async(_total, [1, 1]).get(timeout=120)  # a hang fails, not blocks
        assert got == [want, want]
    finally:
        bm.set_num_threads(before)
