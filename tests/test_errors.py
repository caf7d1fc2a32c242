"""Bad input: a typed error naming the parameter and the value, nothing built or changed."""

import math

import numpy as np
import pytest

import brainrs as bp
import brainrs.math as bm
from brainrs import _core
from brainrs._trace import TraceFallbackWarning
from brainrs.errors import (
    BrainrsError,
    DTypeError,
    NumericalError,
    ParameterError,
    ShapeError,
    StructureError,
    UnknownNameError,
)
from conftest import EINet

# -- sizes -------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [0, -3, 2.5, "10", (4, 0), ()])
def test_population_size_must_be_positive_integers(size):
    with pytest.raises((ParameterError, ShapeError), match="size"):
        bp.dyn.LifRefLTC(size)


@pytest.mark.parametrize("num_in, num_out", [(0, 10), (10, -1), (1.5, 10)])
def test_connectivity_sizes(num_in, num_out):
    with pytest.raises(ParameterError, match="num_"):
        bp.dnn.EventJitFPHomoLinear(num_in, num_out, prob=0.1, weight=1.0)


def test_projection_with_mismatched_sizes_changes_nothing():
    post = bp.dyn.LifRefLTC(100)
    with pytest.raises(StructureError, match="syn has 90 units but post has 100"):
        bp.dyn.ProjAlignPost1(comm=bp.dnn.EventJitFPHomoLinear(20, 100, 0.1, 1.0),
                              syn=bp.dyn.Expon(90), out=bp.dyn.COBA(0.), post=post)
    with pytest.raises(StructureError, match="comm produces 80 outputs"):
        bp.dyn.ProjAlignPost1(comm=bp.dnn.EventJitFPHomoLinear(20, 80, 0.1, 1.0),
                              syn=bp.dyn.Expon(100), out=bp.dyn.COBA(0.), post=post)
    pre = bp.dyn.Lif(30)
    with pytest.raises(StructureError, match="comm takes 20 inputs but pre has 30"):
        bp.dyn.ProjAlignPost2(pre=pre, delay=1., comm=bp.dnn.EventJitFPHomoLinear(20, 100, .1, 1.),
                              syn=bp.dyn.Expon(100), out=bp.dyn.COBA(0.), post=post)
    assert len(post.cur_inputs) == 0  # nothing half-registered
    assert pre.get_after_update("spike_delay") is None


def test_output_bound_twice_is_refused():
    post = bp.dyn.LifRefLTC(10)
    out = bp.dyn.COBA(0.)
    bp.dyn.ProjAlignPost1(bp.dnn.EventJitFPHomoLinear(10, 10, .5, 1.), bp.dyn.Expon(10), out, post)
    with pytest.raises(StructureError, match="already bound"):
        bp.dyn.ProjAlignPost1(bp.dnn.EventJitFPHomoLinear(10, 10, .5, 1.), bp.dyn.Expon(10), out,
                              post)
    assert len(post.cur_inputs) == 1


# -- time constants and dt ---------------------------------------------------------------------


@pytest.mark.parametrize("bad", [0.0, -1.0, math.nan, math.inf])
def test_tau_must_be_positive_and_finite(bad):
    with pytest.raises(ParameterError, match=f"tau must be .*got {bad}"):
        bp.dyn.LifRefLTC(10, tau=bad)
    with pytest.raises(ParameterError, match="tau must be"):
        bp.dyn.Expon(10, tau=bad)


@pytest.mark.parametrize("bad", [-0.1, math.nan])
def test_tau_ref_must_be_non_negative(bad):
    with pytest.raises(ParameterError, match="tau_ref must be"):
        bp.dyn.LifRef(10, tau_ref=bad)


@pytest.mark.parametrize("bad", [0.0, -0.1, math.nan, "0.1"])
def test_dt_must_be_positive_and_is_unchanged_on_error(bad):
    with pytest.raises(ParameterError, match="dt must be"):
        bm.set_dt(bad)
    assert bm.get_dt() == 0.1


@pytest.mark.parametrize("name", ["V_rest", "V_reset", "V_th", "R"])
def test_voltages_must_be_finite(name):
    with pytest.raises(ParameterError, match=name):
        bp.dyn.LifRefLTC(10, **{name: math.nan})


def test_engine_checks_tau_too():
    # the binding is called directly: the engine validates on its own (Rust users have no
    # Python layer in front of it)
    with pytest.raises(ParameterError, match="tau"):
        _core.Expon(10, -1.0)


# -- probabilities -----------------------------------------------------------------------------


@pytest.mark.parametrize("prob", [0.0, -0.1, 1.5, math.nan])
def test_prob_must_be_in_0_1(prob):
    np.random.seed(5)
    state = np.random.get_state()[1].copy()
    with pytest.raises(ParameterError, match="prob must be a probability in \\(0, 1\\]"):
        bp.dnn.EventJitFPHomoLinear(10, 10, prob=prob, weight=1.0)
    # validation comes first: no seed was drawn from NumPy's generator
    np.testing.assert_array_equal(np.random.get_state()[1], state)


def test_prob_one_is_allowed():
    comm = bp.dnn.EventJitFPHomoLinear(3, 5, prob=1.0, weight=1.0, seed=1)
    assert comm.update(np.array([True, False, False])).shape == (5,)


# -- delays ------------------------------------------------------------------------------------


def test_unknown_delay_entry_names_the_entry_and_the_known_ones():
    net = EINet(scale=0.1)
    with pytest.raises(UnknownNameError, match='"X".*known.*"I"') as info:
        net.delay.at("X")
    assert isinstance(info.value, KeyError)


@pytest.mark.parametrize("time", [-1.0, math.nan, math.inf, "soon"])
def test_bad_delay_time_builds_nothing(time):
    v = bm.Variable(np.zeros(4, np.float32))
    with pytest.raises(ParameterError):
        bp.VarDelay(v, entries={"a": 1.0, "b": time})
    d = bp.VarDelay(v, entries={"a": 1.0})
    with pytest.raises(ParameterError):
        d.register_entry("b", time)
    assert d.entries == {"a": 10}


# -- spike vectors -----------------------------------------------------------------------------


def test_spike_vector_of_wrong_length():
    comm = bp.dnn.EventJitFPHomoLinear(3200, 4000, 0.02, 0.6, seed=1)
    with pytest.raises(ShapeError, match="3200.*3199|3199.*3200"):
        comm(np.zeros(3199, dtype=bool))


def test_float_spikes_to_event_operator_is_a_dtype_error():
    comm = bp.dnn.EventJitFPHomoLinear(10, 10, 0.5, 0.6, seed=1)
    with pytest.raises(DTypeError, match="bool"):
        comm(np.zeros(10, dtype=np.float32))


def test_delay_push_of_wrong_length_changes_nothing():
    net = EINet(scale=0.1)
    before = net.delay.data.value
    with pytest.raises(ShapeError, match="400"):
        net.delay(np.zeros(399, dtype=bool))
    np.testing.assert_array_equal(net.delay.data.value, before)


def test_input_current_of_wrong_length():
    n = bp.dyn.LifRefLTC(10)
    bp.share.save(i=0)
    v = n.V.value
    with pytest.raises(ShapeError, match="input"):
        n.update(np.zeros(9, np.float32))
    np.testing.assert_array_equal(n.V.value, v)


# -- Variable assignment -----------------------------------------------------------------------


def test_value_with_wrong_shape_names_the_variable_and_changes_nothing():
    net = EINet(scale=0.1)
    v = net.N.V.value
    with pytest.raises(ShapeError, match=r"LifRefLTC\.V.*\(400,\).*\(399,\)"):
        net.N.V.value = np.zeros(399, np.float32)
    np.testing.assert_array_equal(net.N.V.value, v)


def test_value_with_wrong_dtype_names_both_dtypes():
    net = EINet(scale=0.1)
    with pytest.raises(DTypeError, match="float32.*float64"):
        net.N.V.value = np.zeros(400)
    with pytest.raises(DTypeError, match="bool.*float32"):
        net.N.spike.value = np.zeros(400, np.float32)


def test_local_variable_assignment_is_checked():
    x = bm.Variable(np.zeros((2, 3), np.float32))
    with pytest.raises(ShapeError):
        x.value = np.zeros(6, np.float32)
    with pytest.raises(DTypeError):
        x.value = np.zeros((2, 3), np.int32)
    x.value = [[1, 2, 3], [4, 5, 6]]  # Python numbers take the Variable's dtype
    assert x.value.dtype == np.float32 and x.value[1, 2] == 6


# -- the rest ----------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [-1, 2**32, 1.5, "1"])
def test_seed_range(seed):
    with pytest.raises(ParameterError, match="seed"):
        bm.random.seed(seed)


def test_initializer_parameters():
    with pytest.raises(ParameterError, match="scale"):
        bp.init.Normal(0., -1.)
    with pytest.raises(ParameterError, match="max_val"):
        bp.init.Uniform(1., 0.)
    with pytest.raises((ParameterError, ShapeError), match="V_initializer"):
        bp.dyn.LifRefLTC(4, V_initializer=np.zeros(3, np.float32))


def test_every_engine_error_maps_to_its_python_class():
    import brainrs.errors as errors

    table = dict(_core._engine_error_classes())
    assert table == {"Parameter": "ParameterError", "Shape": "ShapeError",
                     "DType": "DTypeError", "Unknown": "UnknownNameError",
                     "Structure": "StructureError", "Checkpoint": "CheckpointError",
                     "NonFinite": "NumericalError"}
    builtins = {"ParameterError": ValueError, "ShapeError": ValueError,
                "DTypeError": TypeError, "UnknownNameError": KeyError,
                "StructureError": ValueError, "CheckpointError": ValueError,
                "NumericalError": FloatingPointError}
    for cls_name in table.values():
        cls = getattr(errors, cls_name)
        assert issubclass(cls, BrainrsError) and issubclass(cls, builtins[cls_name])
    # and the conversion itself, end to end, for each variant the binding can reach
    raised = {
        ParameterError: lambda: _core.Expon(10, math.nan),
        ShapeError: lambda: _core.Expon(10, 5.0).update(0.1, np.zeros(3, np.float32)),
        DTypeError: lambda: _core.VarDelay(3, "int8"),
        UnknownNameError: lambda: _core.Expon(10, 5.0).get_var("h"),
    }
    for cls, call in raised.items():
        with pytest.raises(cls):
            call()


def test_no_panic_reaches_python_on_odd_calls():
    exp = _core.Expon(4, 5.0)
    with pytest.raises(BrainrsError):
        exp.set_var("g", np.zeros(5, np.float32))
    with pytest.raises(BrainrsError):
        exp.set_var("g", np.zeros((2, 2), np.float32))


class _Blowup(bp.DynSysGroup):
    """The seed network whose input turns NaN at step 120."""

    def __init__(self):
        super().__init__()
        self.net = EINet(scale=0.25)

    def update(self, x):
        return self.net.update(x)


@pytest.mark.parametrize("jit", [True, False], ids=["traced", "eager"])
def test_check_finite_stops_at_the_first_nan_and_names_it(jit):
    bm.random.seed(4)
    target = _Blowup()
    inputs = np.full(300, 20., np.float32)
    inputs[120:] = np.nan
    runner = bp.DSRunner(target, progress_bar=False, check_finite=True, jit=jit)
    with pytest.raises(NumericalError, match=r"^net\.N\.V\[0\] is NaN after step 120$") as err:
        runner.run(inputs=inputs)
    assert isinstance(err.value, FloatingPointError)
    assert (err.value.node, err.value.variable, err.value.index, err.value.step) == \
        ("net.N", "V", 0, 120)
    assert runner.i0 == 121  # the steps run, the faulty one included, count for the clock
    assert np.isnan(target.net.N.V.value[0])  # the state keeps the faulty step
    # without the check the run goes on to the end, silently
    bm.random.seed(4)
    quiet = bp.DSRunner(_Blowup(), progress_bar=False, jit=jit)
    quiet.run(inputs=inputs)
    assert quiet.i0 == 300


def test_check_finite_in_for_loop_and_only_traced():
    bm.random.seed(4)
    net = EINet(scale=0.25)
    net.E.syn.g.value = np.full(net.E.syn.num, np.inf, np.float32)
    with pytest.raises(NumericalError, match=r"^LifRefLTC\.V\[\d+\] is NaN after step 0$"):
        bm.for_loop(lambda i: net.step_run(i, 20.), bm.arange(5), check_finite=True)
    with pytest.raises(ParameterError, match="check_finite"), \
            pytest.warns(TraceFallbackWarning):
        bm.for_loop(lambda i: i * 2, bm.arange(3), check_finite=True)
