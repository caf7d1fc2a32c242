"""What each built-in computes (docs/semantics.md, sections 2-6), pinned where numbers are known."""

import json

import numpy as np
import pytest

import brainrs as bp
import brainrs.math as bm
from brainrs._trace import TraceFallbackWarning
from conftest import DATA, EINet, OneSpikeNet


def _f32(x):
    return np.float32(x)


def test_expon_matches_brainpy():
    syn = bp.dyn.Expon(1, tau=5.)
    syn.g.value = np.ones(1, np.float32)
    g = syn(np.full(1, 0.6, np.float32))
    assert g[0] == _f32(1.5801988)  # BrainPy 2.8.2


def test_lif_decays_to_rest_by_exponential_euler():
    n = bp.dyn.Lif(3, V_rest=-60., V_reset=-70., V_th=100., tau=20.,
                   V_initializer=bp.init.Constant(-50.))
    v = np.float64(-50.)
    for i in range(100):
        bp.share.save(i=i)
        n()
        v = -60. + (v + 60.) * np.exp(-0.1 / 20.)
    np.testing.assert_allclose(n.V.value, v, rtol=0, atol=2e-4)


def test_lif_spikes_at_threshold_and_resets():
    n = bp.dyn.Lif(2, V_rest=0., V_reset=-5., V_th=20., tau=10.,
                   V_initializer=bm.asarray([20., 19.]))
    bp.share.save(i=0)
    spike = n(0.)
    # V=20 decays just below 20 without input; a strong input keeps both above
    assert spike.dtype == np.bool_
    n.V.value = bm.asarray([25., 0.])
    spike = n(0.)
    assert spike.tolist() == [True, False]
    assert n.V.value[0] == -5.


def _refractory_steps(cls):
    n = cls(1, V_rest=0., V_reset=0., V_th=0.5, tau=10., tau_ref=5.)
    spikes = []
    for i in range(200):
        bp.share.save(i=i)
        spikes.append(bool(n(100.)[0]))
    first, second = [k for k, s in enumerate(spikes) if s][:2]
    held = second - first
    return first, held


@pytest.mark.parametrize("cls", [bp.dyn.LifRef, bp.dyn.LifRefLTC])
def test_refractory_period_holds_about_fifty_steps(cls):
    first, gap = _refractory_steps(cls)
    # tau_ref 5 ms at dt 0.1: held for 49 or 50 steps (float32 time), then one step to spike
    assert first == 0 and gap in (50, 51)


def test_ltc_and_non_ltc_differ_under_conductance():
    def v_after(cls):
        post = cls(4, V_rest=-60., V_reset=-60., V_th=100., tau=20.,
                   V_initializer=bp.init.Constant(-60.))
        syn = bp.dyn.Expon(4, tau=5.)
        bp.dyn.ProjAlignPost1(bp.dnn.JitFPHomoLinear(4, 4, 1., 1., seed=0), syn,
                              bp.dyn.COBA(E=0.), post)
        syn.g.value = np.full(4, 0.5, np.float32)
        bp.share.save(i=0)
        post()
        return post.V.value[0]

    ltc, plain = v_after(bp.dyn.LifRefLTC), v_after(bp.dyn.LifRef)
    # LifRef: f = (-V + V_rest + g(E-V))/tau at old V with L = -1/tau; LTC: L = -(1+g)/tau
    v, g, tau, dt = -60., 0.5, 20., 0.1
    f = (-v - 60. + g * (0. - v)) / tau
    z = -dt / tau
    assert plain == pytest.approx(v + dt * (np.exp(z) - 1) / z * f, abs=1e-4)
    zl = -dt * (1 + g) / tau
    assert ltc == pytest.approx(v + dt * (np.exp(zl) - 1) / zl * f, abs=1e-4)
    assert ltc != plain


def test_cuba_current_is_g():
    post = bp.dyn.Lif(2, V_rest=0., V_reset=0., V_th=100., tau=10.)
    syn = bp.dyn.Expon(2, tau=5.)
    bp.dyn.ProjAlignPost1(bp.dnn.JitFPHomoLinear(2, 2, 1., 1., seed=0), syn, bp.dyn.CUBA(), post)
    syn.g.value = np.array([1., 2.], np.float32)
    bp.share.save(i=0)
    post(0.)
    ref = bp.dyn.Lif(2, V_rest=0., V_reset=0., V_th=100., tau=10.)
    ref(np.array([1., 2.], np.float32))
    np.testing.assert_array_equal(post.V.value, ref.V.value)


def test_a_spike_raises_g_next_step_and_acts_in_that_step():
    # semantics.md, section 2: a spike at step i-1 raises g at step i (by the weight, 0.6, on
    # each target) and g then decays by exp(-dt/tau) = exp(-0.02) per step
    ref = np.load(DATA / "brainpy_seed42.npz")
    net = EINet(e_seed=int(ref["E_seed"]), i_seed=int(ref["I_seed"]))
    net.N.V.value = ref["V0"]
    s0 = net.step_run(0, 20.)
    spikers = np.nonzero(s0[:3200])[0]
    assert spikers.size > 0 and net.E.syn.g.value.max() == 0
    hits = np.zeros(4000, int)
    for r in spikers:
        hits[net.E.comm._core.targets(int(r))] += 1
    once = hits == 1
    net.step_run(1, 20.)
    g1 = net.E.syn.g.value
    np.testing.assert_array_equal(g1[once], _f32(0.6))
    np.testing.assert_array_equal(g1[hits == 0], 0)
    s1 = net.N.spike.value[:3200]
    net.step_run(2, 20.)
    quiet = once.copy()
    for r in np.nonzero(s1)[0]:
        quiet[net.E.comm._core.targets(int(r))] = False
    np.testing.assert_allclose(net.E.syn.g.value[quiet], 0.6 * np.exp(-0.02), rtol=1e-6)


# -- JIT connectivity --------------------------------------------------------------------------

GOLDEN = json.loads((DATA / "jit_conn_golden.json").read_text())


@pytest.mark.parametrize("case", GOLDEN["cases"], ids=lambda c: f"{c['num_in']}x{c['num_out']}")
def test_jit_rows_match_brainpy(case):
    comm = bp.dnn.EventJitFPHomoLinear(case["num_in"], case["num_out"], case["prob"], 1.0,
                                       seed=case["seed"])
    for row, want in case["targets"].items():
        assert comm._core.targets(int(row)) == want, f"row {row}"
    dense = bp.dnn.JitFPHomoLinear(case["num_in"], case["num_out"], case["prob"], 1.0,
                                   seed=case["seed"])
    row = int(next(iter(case["targets"])))
    x = np.zeros(case["num_in"], np.float32)
    x[row] = 1.0
    y = dense(x)
    assert np.nonzero(y)[0].tolist() == case["targets"][str(row)]


def test_jit_event_sum_is_brainpys_float32_sum():
    e = GOLDEN["event_sum"]
    comm = bp.dnn.EventJitFPHomoLinear(e["num_in"], e["num_out"], e["prob"], e["weight"],
                                       seed=e["seed"])
    x = np.zeros(e["num_in"], bool)
    x[e["active_inputs"]] = True
    y = comm(x)
    want = np.array([float.fromhex(h) for h in e["y_float32_hex"]], np.float32)
    np.testing.assert_array_equal(y[: len(want)], want)
    assert float(y.astype(np.float64).sum()) == pytest.approx(e["y_sum"], rel=1e-12)


def test_jit_float_and_event_versions_agree_on_spikes():
    ev = bp.dnn.EventJitFPHomoLinear(50, 70, 0.2, 0.3, seed=9)
    fl = bp.dnn.JitFPHomoLinear(50, 70, 0.2, 0.3, seed=9)
    x = np.random.RandomState(1).rand(50) < 0.3
    np.testing.assert_array_equal(ev(x), fl(x.astype(np.float32)))
    m = ev.conn_matrix()
    np.testing.assert_allclose(fl(x.astype(np.float32)), 0.3 * m.T.astype(np.float32) @ x,
                               rtol=1e-6)


# -- VarDelay ----------------------------------------------------------------------------------


def test_var_delay_reads_pushes_back():
    x = bm.Variable(np.zeros(2, np.float32))
    d = bp.VarDelay(x, entries={"now": None, "one": 0.1, "three": 0.3, "odd": 0.25})
    assert d.entries == {"now": 0, "one": 1, "three": 3, "odd": 3}  # ceil(time/dt)
    assert d.data.shape == (3, 2)
    for i in range(1, 6):
        x.value = np.full(2, i, np.float32)
        d(x.value)
        # written then read in one step: entry d returns x[i-d+1]
        assert d.at("now")[0] == i
        assert d.at("one")[0] == i
        assert d.at("three")[0] == max(i - 2, 0)
    d.register_entry("five", 0.5)  # the buffer grows; what it holds is kept
    assert d.data.shape == (5, 2) and d.at("three")[0] == 3
    bp.reset_state(d)
    assert np.all(d.data.value == 0) and "five" in d.entries


def test_proj_align_post2_delivers_after_the_delay():
    net = OneSpikeNet()
    g = []
    for i in range(8):
        net.step_run(i)
        g.append(net.proj.syn.g.value[0])
    assert net.pre.t_last_spike.value[0] == 0.0  # the only spike, at step 0
    assert g[:5] == [0.0] * 5  # d = ceil(0.5/0.1) = 5 steps
    assert g[5] == np.float32(2.0)
    assert 0 < g[6] < g[5]
    assert "pre.after_updates.spike_delay" in net.nodes()


def test_dynsysgroup_default_update_order():
    calls = []

    def node(kind_cls, label):
        class Probe(kind_cls):
            def update(self):
                calls.append(label)

        return Probe()

    class Group(bp.DynSysGroup):
        def __init__(self):
            super().__init__()
            self.other = node(bp.DynamicalSystem, "other")
            self.dyn = node(bp._node.Dynamic, "dyn")
            self.proj = node(bp._node.Projection, "proj")

    Group().update()
    assert calls == ["proj", "dyn", "other"]


# -- stepping, share, loops --------------------------------------------------------------------


def test_step_run_shares_i_and_float32_time():
    seen = []

    class Probe(bp.DynamicalSystem):
        def update(self, x):
            seen.append((bp.share.load("i"), bp.share.load("t"), bp.share.load("dt"), x))
            return x * 2

    p = Probe()
    assert p.step_run(7, 1.5) == 3.0
    i, t, dt, x = seen[0]
    assert (i, dt, x) == (7, 0.1, 1.5)
    assert t == np.float32(7) * np.float32(0.1) and isinstance(t, np.float32)


def test_for_loop_stacks_outputs():
    # arithmetic on the operands cannot be traced: these loops run eagerly, saying why
    with pytest.warns(TraceFallbackWarning, match="arithmetic"):
        out = bm.for_loop(lambda i: (i, {"sq": i * i}), bm.arange(4))
    assert out[0].tolist() == [0, 1, 2, 3] and out[1]["sq"].tolist() == [0, 1, 4, 9]
    with pytest.warns(TraceFallbackWarning):
        two = bm.for_loop(lambda a, b: a + b, (np.arange(3), np.ones(3)), progress_bar=True)
    assert two.tolist() == [1., 2., 3.]
    assert bm.for_loop(lambda i: None, bm.arange(3)) is None


def test_initializers():
    for init in (bp.init.Normal(-55., 2.), bp.init.Uniform(-1., 1.), bp.init.Constant(3.),
                 bp.init.ZeroInit(), bp.init.OneInit(2.)):
        a = init((20, 30))
        assert a.shape == (20, 30) and a.dtype == np.float32
    big = bp.init.Normal(-55., 2.)(100_000)
    assert abs(big.mean() + 55) < 0.05 and abs(big.std() - 2) < 0.05
    u = bp.init.Uniform(-1., 1.)(100_000)
    assert u.min() >= -1 and u.max() < 1 and abs(u.mean()) < 0.02
    assert np.all(bp.init.OneInit(2.)(3) == 2)
    a, b = bp.init.Normal(seed=5)(10), bp.init.Normal(seed=5)(10)
    np.testing.assert_array_equal(a, b)


def test_population_accepts_array_and_callable_initializers():
    n = bp.dyn.Lif(3, V_initializer=np.array([1., 2., 3.], np.float32))
    assert n.V.value.tolist() == [1., 2., 3.]
    n.V.value = np.zeros(3, np.float32)
    n.reset_state()
    assert n.V.value.tolist() == [1., 2., 3.]
    m = bp.dyn.Lif((2, 2), V_initializer=lambda shape: np.full(shape, 7.))
    assert m.V.shape == (2, 2) and np.all(m.V.value == 7.)


def test_vars_are_keyed_by_attribute_path():
    net = EINet(scale=0.1)
    assert list(net.vars()) == ["N.V", "N.spike", "N.t_last_spike", "delay.data", "E.syn.g",
                                "I.syn.g"]


def test_variable_reads_as_its_value():
    x = bm.Variable(np.arange(4, dtype=np.float32))
    assert (x + 1).tolist() == [1., 2., 3., 4.] and float(x.sum()) == 6.
    assert np.asarray(x).dtype == np.float32 and x[1:3].tolist() == [1., 2.]
    x[0] = 10.
    x += 1
    assert x.value.tolist() == [11., 2., 3., 4.]
    assert x.shape == (4,) and x.dtype == np.float32 and len(x) == 4


def test_raster_plot():
    import matplotlib

    matplotlib.use("Agg")
    sp = np.zeros((10, 4), bool)
    sp[[1, 3, 3], [0, 2, 3]] = True
    ax = bp.visualize.raster_plot(np.arange(10) * 0.1, sp)
    xs, ys = ax.lines[0].get_data()
    assert list(ys) == [0, 2, 3] and np.allclose(xs, [0.1, 0.3, 0.3])
