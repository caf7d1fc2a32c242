"""Property tests (issue 5): random parameters, shapes and call sequences never crash, never
raise anything but a brainrs error, and a call that raised changed nothing."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import brainrs as bp
import brainrs.math as bm
from brainrs.errors import BrainrsError
from conftest import EINet

ODD_FLOATS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True, width=32),
    st.sampled_from([0.0, -0.0, -1.0, 1e-30, 1e30]),
)
SETTINGS = settings(max_examples=150, deadline=None, derandomize=True,  # reproducible in CI
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def _built_or_refused(make):
    """``make()``, or None when it raised a brainrs error (anything else fails the test)."""
    try:
        return make()
    except BrainrsError:
        return None


@SETTINGS
@given(size=st.integers(-3, 40), tau=ODD_FLOATS, tau_ref=ODD_FLOATS, v_th=ODD_FLOATS,
       v_reset=ODD_FLOATS)
def test_neuron_construction_builds_or_refuses(size, tau, tau_ref, v_th, v_reset):
    pop = _built_or_refused(lambda: bp.dyn.LifRefLTC(
        size, tau=tau, tau_ref=tau_ref, V_th=v_th, V_reset=v_reset,
        V_initializer=bp.init.Normal(-55., 2.)))
    valid = (size >= 1 and np.isfinite(tau) and tau > 0 and np.isfinite(tau_ref)
             and tau_ref >= 0 and np.isfinite(v_th) and np.isfinite(v_reset))
    assert (pop is not None) == valid
    if pop is not None:
        assert pop.V.value.shape == (size,) and pop.V.value.dtype == np.float32


@SETTINGS
@given(num_in=st.integers(-2, 30), num_out=st.integers(-2, 30), prob=ODD_FLOATS,
       weight=ODD_FLOATS, tau=ODD_FLOATS)
def test_projection_parts_build_or_refuse(num_in, num_out, prob, weight, tau):
    op = _built_or_refused(
        lambda: bp.dnn.EventJitFPHomoLinear(num_in, num_out, prob=prob, weight=weight, seed=3))
    assert (op is not None) == (num_in >= 1 and num_out >= 1 and 0 < prob <= 1
                                and np.isfinite(weight))
    syn = _built_or_refused(lambda: bp.dyn.Expon(max(num_out, 1), tau=tau))
    assert (syn is not None) == (np.isfinite(tau) and tau > 0)


def _state(net):
    return {k: v.value.copy() for k, v in net.vars().items()}


def _same(a, b):
    return a.keys() == b.keys() and all(
        a[k].dtype == b[k].dtype and a[k].tobytes() == b[k].tobytes() for k in a)


CALLS = st.lists(st.one_of(
    st.tuples(st.just("run"), st.integers(0, 30), st.booleans()),
    st.tuples(st.just("reset"), st.none(), st.none()),
    st.tuples(st.just("save"), st.none(), st.none()),
    st.tuples(st.just("load"), st.none(), st.none()),
    st.tuples(st.just("set_v"), st.integers(0, 60), st.sampled_from(["float32", "float64",
                                                                      "int32", "bool"])),
    st.tuples(st.just("bad_input"), st.integers(0, 60), st.none()),
), min_size=1, max_size=8)


@SETTINGS
@given(calls=CALLS)
def test_call_sequences_never_crash_and_failed_calls_change_nothing(calls):
    bm.random.seed(2)
    net = EINet(scale=0.01)  # 32 + 8 neurons
    n = net.N.num
    runner = bp.DSRunner(net, progress_bar=False, spike_events=True)
    saved = bp.save_state(net)
    for name, a, b in calls:
        before = _state(net)
        try:
            if name == "run":
                runner.jit = b
                runner.run(inputs=np.full(a, 20., np.float32))
            elif name == "reset":
                bp.reset_state(net)
            elif name == "save":
                saved = bp.save_state(net)
            elif name == "load":
                bp.load_state(net, saved)
            elif name == "set_v":
                net.N.V.value = np.zeros(a, dtype=b)
            elif name == "bad_input":
                # one node's call validates before it changes anything (a whole eager step
                # that fails midway keeps the nodes before the failing one: semantics.md §8)
                bp.share.save(i=runner.i0)
                net.N(np.full(a, 20., np.float32))
        except BrainrsError:
            assert _same(_state(net), before), f"{name}({a}, {b}) raised but changed state"
            continue
        if name == "set_v":  # accepted only with the Variable's own shape and dtype
            assert a == n and b == "float32"
        if name == "bad_input":
            assert a in (1, n)
