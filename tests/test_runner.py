"""bp.DSRunner: monitors by Variable, path and dict; time continues across runs."""

import warnings

import numpy as np
import pytest

import brainrs as bp
import brainrs.math as bm
from brainrs._trace import SpikeEvents, TraceFallbackWarning
from brainrs.errors import ParameterError, ShapeError, UnknownNameError
from conftest import EINet


def _net(seed=12):
    bm.random.seed(seed)
    return EINet(scale=0.25)


def test_runner_records_monitors_and_matches_for_loop():
    net = _net()
    runner = bp.DSRunner(net, monitors=["N.spike", net.N.V, ], progress_bar=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error", TraceFallbackWarning)
        out = runner.run(inputs=np.full(500, 20., np.float32))
    ref = _net()
    want = bm.for_loop(lambda i: ref.step_run(i, 20.), bm.arange(500), jit=False)
    np.testing.assert_array_equal(out, want)
    np.testing.assert_array_equal(runner.mon["N.spike"], want)
    assert runner.mon["N.V"].shape == (500, 1000) and runner.mon["N.V"].dtype == np.float32
    np.testing.assert_array_equal(runner.mon["N.V"][-1], ref.N.V.value)
    np.testing.assert_array_equal(runner.mon.ts, np.arange(500, dtype=np.float32) * np.float32(.1))


def test_runs_continue_the_time_index():
    net = _net()
    runner = bp.DSRunner(net, monitors={"spikes": net.N.spike}, progress_bar=False)
    runner.run(inputs=np.full(300, 20., np.float32))
    second = runner.run(inputs=np.full(300, 20., np.float32))
    assert runner.mon.ts[0] == np.float32(300) * np.float32(0.1)
    ref = _net()
    both = bm.for_loop(lambda i: ref.step_run(i, 20.), bm.arange(600), jit=False)
    np.testing.assert_array_equal(second, both[300:])
    np.testing.assert_array_equal(runner.mon.spikes, both[300:])


def test_runner_with_duration_and_a_group_without_inputs():
    class Net(bp.DynSysGroup):
        def __init__(self):
            super().__init__()
            self.N = bp.dyn.Lif(10, V_th=1e3, V_initializer=bp.init.Constant(10.))

    net = Net()
    runner = bp.DSRunner(net, monitors=["N.V"], progress_bar=False)
    runner.run(5.)
    assert runner.mon["N.V"].shape == (50, 10)
    assert np.all(np.diff(runner.mon["N.V"][:, 0]) < 0)  # decays towards V_rest 0


def test_spike_events_are_compact_and_equal_to_dense():
    net = _net()
    runner = bp.DSRunner(net, monitors={"spk": "N.spike"}, spike_events=True, progress_bar=False)
    out = runner.run(inputs=np.full(400, 20., np.float32))
    ev = runner.mon.spk
    assert isinstance(ev, SpikeEvents) and isinstance(out, SpikeEvents)
    ref = _net()
    dense = bm.for_loop(lambda i: ref.step_run(i, 20.), bm.arange(400), jit=False)
    assert dense.sum() > 0
    np.testing.assert_array_equal(ev.to_dense(), dense)
    np.testing.assert_array_equal(out.to_dense(), dense)


class _Silent(bp.DynSysGroup):
    """An update that returns nothing: the monitors are the only records."""

    def __init__(self):
        super().__init__()
        self.net = _net()

    def update(self, x):
        self.net.update(x)


@pytest.mark.parametrize("jit", [True, False])
def test_spike_events_when_update_returns_nothing(jit):
    runner = bp.DSRunner(_Silent(), monitors={"spk": "net.N.spike", "V": "net.N.V"},
                         spike_events=True, progress_bar=False, jit=jit)
    out = runner.run(inputs=np.full(300, 20., np.float32))
    assert out is None
    assert isinstance(runner.mon.spk, SpikeEvents) and runner.mon.spk.shape[0] == 300
    assert runner.mon.V.shape == (300, runner.target.net.N.num)
    ref = _net()
    dense = bm.for_loop(lambda i: ref.step_run(i, 20.), bm.arange(300), jit=False)
    np.testing.assert_array_equal(runner.mon.spk.to_dense(), dense)


def test_runner_errors():
    net = _net()
    with pytest.raises(UnknownNameError, match="N.W"):
        bp.DSRunner(net, monitors=["N.W"])
    with pytest.raises(ParameterError, match="monitor"):
        bp.DSRunner(net, monitors={"x": 3})
    runner = bp.DSRunner(net, progress_bar=False)
    with pytest.raises(ParameterError, match="whole number of steps"):
        runner.run(0.25)
    with pytest.raises(ShapeError, match="duration"):
        runner.run(10., inputs=np.full(50, 20., np.float32))
    with pytest.raises(ParameterError, match="duration"):
        runner.run()
    assert runner.i0 == 0
