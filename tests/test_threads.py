"""Parallel kernels are deterministic: spikes, V and g are bit-identical for 1, 2 and 4 threads;
the thread count is set by bm.set_num_threads or BRAINRS_NUM_THREADS."""

import os
import subprocess
import sys

import numpy as np
import pytest

import brainrs as bp
import brainrs.math as bm
from brainrs.errors import ParameterError
from conftest import EINet


@pytest.fixture
def restore_threads():
    before = bm.get_num_threads()
    yield
    bm.set_num_threads(before)


def _run(threads, steps=300):
    """A 40,000-neuron seed network (large enough that every kernel splits its work)."""
    bm.set_num_threads(threads)
    bm.random.seed(5)
    net = EINet(scale=10, prob=0.002)
    runner = bp.DSRunner(net, monitors={"V": net.N.V, "gE": net.E.syn.g},
                         spike_events=True, progress_bar=False, strict=True)
    spikes = runner.run(inputs=np.full(steps, 20., np.float32))
    # V and g were recorded every step; the final state is compared too
    return spikes, runner.mon, net.N.V.value, net.I.syn.g.value


def test_results_are_bit_identical_for_1_2_and_4_threads(restore_threads):
    ref_spikes, ref_mon, ref_v, ref_gi = _run(1)
    assert ref_spikes.sum() > 1000  # the network is active: the comparison means something
    for threads in (2, 4):
        spikes, mon, v, gi = _run(threads)
        assert bm.get_num_threads() == threads
        np.testing.assert_array_equal(spikes.steps, ref_spikes.steps)
        np.testing.assert_array_equal(spikes.indices, ref_spikes.indices)
        assert mon.V.tobytes() == ref_mon.V.tobytes(), f"V differs with {threads} threads"
        assert mon.gE.tobytes() == ref_mon.gE.tobytes(), f"gE differs with {threads} threads"
        assert v.tobytes() == ref_v.tobytes() and gi.tobytes() == ref_gi.tobytes()


def test_eager_and_traced_agree_with_two_threads(restore_threads):
    bm.set_num_threads(2)
    bm.random.seed(9)
    a = EINet(scale=10, prob=0.002)
    bm.random.seed(9)
    b = EINet(scale=10, prob=0.002)
    traced = bm.for_loop(lambda i: a.step_run(i, 20.), bm.arange(100))
    eager = bm.for_loop(lambda i: b.step_run(i, 20.), bm.arange(100), jit=False)
    assert traced.sum() > 0
    np.testing.assert_array_equal(traced, eager)
    assert a.N.V.value.tobytes() == b.N.V.value.tobytes()


@pytest.mark.parametrize("bad", [0, -1, 1.5, "2", True, None, 10**9])
def test_set_num_threads_rejects_bad_counts(bad, restore_threads):
    before = bm.get_num_threads()
    with pytest.raises(ParameterError, match="num_threads"):
        bm.set_num_threads(bad)
    assert bm.get_num_threads() == before


def _threads_in_fresh_process(value):
    env = dict(os.environ, BRAINRS_NUM_THREADS=value)
    code = ("import brainrs.math as bm\n"
            "try:\n    print(bm.get_num_threads())\n"
            "except Exception as e:\n    print(type(e).__name__, e)\n")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True)
    return out.stdout.strip()


def test_environment_variable_sets_the_thread_count():
    assert _threads_in_fresh_process("3") == "3"


@pytest.mark.parametrize("value", ["many", "0", "100000"])
def test_bad_environment_variable_is_a_clear_error(value):
    out = _threads_in_fresh_process(value)
    assert out.startswith("ParameterError") and "BRAINRS_NUM_THREADS" in out and value in out
