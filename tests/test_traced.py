"""Traced loops: the update traced once and run in Rust, bit-identical to eager runs."""

import threading
import warnings

import numpy as np
import pytest
from test_state import DelayNet

import brainrs as bp
import brainrs.math as bm
from brainrs._trace import SpikeEvents, TraceFallbackWarning
from brainrs.errors import TraceError
from conftest import EINet, OneSpikeNet


def _twin_runs(make, body_of, steps, **kw):
    """(eager result, traced result, eager net, traced net) from identically built networks."""
    out = []
    for jit in (False, True):
        bm.random.seed(21)
        net = make()
        bp.reset_state(net)
        with warnings.catch_warnings():
            warnings.simplefilter("error", TraceFallbackWarning)  # the traced run must trace
            res = bm.for_loop(body_of(net), bm.arange(steps), jit=jit, **kw)
        out.append((res, net))
    return out


def _assert_same_state(a, b):
    for key, var in a.vars().items():
        np.testing.assert_array_equal(var.value, b.vars()[key].value, err_msg=key)


def test_seed_network_traced_equals_eager_bit_for_bit():
    (eager, n1), (traced, n2) = _twin_runs(EINet, lambda net: lambda i: net.step_run(i, 20.),
                                           1500)
    assert traced.dtype == np.bool_ and traced.shape == (1500, 4000) and traced.any()
    np.testing.assert_array_equal(traced, eager)
    _assert_same_state(n1, n2)


def test_delay_network_traced_equals_eager_bit_for_bit():
    def body_of(net):
        def body(i):
            net.step_run(i)
            return net.E.spike.value, net.I.V.value, net.E2E.syn.g.value

        return body

    class Driven(DelayNet):
        def update(self):  # BrainPy's default order, with the input given to the neurons
            for proj in (self.E2I, self.E2E, self.I2E):
                proj()
            self.E(20.)
            self.I(20.)

    (eager, n1), (traced, n2) = _twin_runs(Driven, body_of, 1500)
    assert eager[0].any()
    for e, t in zip(eager, traced):
        np.testing.assert_array_equal(t, e)
    _assert_same_state(n1, n2)


def test_default_group_update_traces():
    net = OneSpikeNet()
    with warnings.catch_warnings():
        warnings.simplefilter("error", TraceFallbackWarning)
        g = bm.for_loop(lambda i: (net.step_run(i), net.proj.syn.g.value)[1], bm.arange(8))
    assert g[:5, 0].tolist() == [0.0] * 5 and g[5, 0] == np.float32(2.0)


def test_operand_inputs_and_slices_trace():
    bm.random.seed(2)
    net = EINet(scale=0.1)
    inputs = np.linspace(15., 25., 300).astype(np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("error", TraceFallbackWarning)
        traced = bm.for_loop(lambda i, x: net.step_run(i, x)[10:20], (bm.arange(300), inputs))
    bm.random.seed(2)
    net2 = EINet(scale=0.1)
    eager = bm.for_loop(lambda i, x: net2.step_run(i, x)[10:20], (bm.arange(300), inputs),
                        jit=False)
    assert traced.shape == (300, 10)
    np.testing.assert_array_equal(traced, eager)


def test_untraceable_update_warns_once_and_runs_eagerly():
    net = EINet(scale=0.1)

    def body(i):
        spk = net.step_run(i, 20.)
        if spk.any():  # data-dependent: needs the value
            return spk
        return spk

    with pytest.warns(TraceFallbackWarning, match="cannot be traced.*running it eagerly") as rec:
        out = bm.for_loop(body, bm.arange(50))
    assert len(rec) == 1 and out.shape == (50, 400)
    with pytest.raises(TraceError, match="NumPy|any|traced value"):
        bm.for_loop(body, bm.arange(50), strict=True)


def test_numpy_on_a_handle_falls_back_with_the_reason():
    net = EINet(scale=0.1)
    with pytest.raises(TraceError, match="NumPy"):
        bm.for_loop(lambda i: np.mean(net.step_run(i, 20.)), bm.arange(5), strict=True)


def test_interrupt_stops_the_run_between_steps():
    import _thread
    import time

    bm.random.seed(4)
    net = EINet()
    progress = []

    def interrupt():
        while not progress:
            time.sleep(0.001)
        _thread.interrupt_main()

    timer = threading.Thread(target=interrupt)
    timer.start()
    steps = 2_000_000  # minutes of work: the interrupt must stop it
    from brainrs import _trace

    with pytest.raises(KeyboardInterrupt) as info:
        _trace.run_traced(lambda i: net.step_run(i, 20.), [np.arange(steps)],
                          progress_bar=False, strict=True, progress=progress.append)
    timer.join()
    done = info.value.brainrs_steps_done
    assert 0 < done < steps
    # the state is that of exactly `done` steps
    bm.random.seed(4)
    ref = EINet()
    bm.for_loop(lambda i: ref.step_run(i, 20.), bm.arange(done))
    _assert_same_state(net, ref)


def test_compact_spike_recording():
    bm.random.seed(6)
    net = EINet(scale=0.1)
    from brainrs import _trace

    ev = _trace.run_traced(lambda i: net.step_run(i, 20.), [np.arange(400)], compact={0})
    assert isinstance(ev, SpikeEvents) and ev.shape == (400, 400)
    bm.random.seed(6)
    net2 = EINet(scale=0.1)
    dense = bm.for_loop(lambda i: net2.step_run(i, 20.), bm.arange(400))
    np.testing.assert_array_equal(ev.to_dense(), dense)
    assert ev.sum() == dense.sum()


def test_spike_counts_trace_into_per_step_counts():
    (eager, _), (traced, _) = _twin_runs(
        lambda: EINet(scale=0.25), lambda net: lambda i: net.step_run(i, 20.).sum(), 400)
    assert traced.shape == (400,) and traced.dtype == eager.dtype == np.int64
    assert traced.sum() > 0
    np.testing.assert_array_equal(traced, eager)
    # np.sum and bm.sum reach the same count; a sliced vector counts its part
    (eager, _), (traced, _) = _twin_runs(
        lambda: EINet(scale=0.25),
        lambda net: lambda i: (np.sum(net.step_run(i, 20.)), bm.sum(net.N.spike.value[:800])),
        400)
    for e, t in zip(eager, traced):
        np.testing.assert_array_equal(t, e)


def test_sums_of_floats_are_not_traced():
    net = EINet(scale=0.1)
    with pytest.raises(TraceError, match="sum"):
        bm.for_loop(lambda i: (net.step_run(i, 20.), net.N.V.value.sum())[1], bm.arange(3),
                    strict=True)
