"""The seed document (000_579608c1e2331cf4.txt), sentence by sentence, on its own network."""

import numpy as np
import pytest

import brainrs as bp
import brainrs.math as bm
from conftest import EINet, run


def test_global_reset_redraws_v_from_the_initializer(seed_net):
    net = seed_net
    before = net.N.V.value
    bp.reset_state(net)
    after = net.N.V.value
    assert after.dtype == np.float32 and after.shape == (4000,)
    assert not np.array_equal(before, after)
    assert abs(after.mean() - (-55.0)) < 0.15  # 4000 draws: sd of the mean is 2/sqrt(4000)
    assert abs(after.std() - 2.0) < 0.1


def test_global_reset_clears_every_node_state(seed_net):
    net = seed_net
    run(net, 300)  # make spikes, conductances and spike times non-trivial
    assert net.E.syn.g.value.any() and net.I.syn.g.value.any() and net.N.spike.value.any()
    bp.reset_state(net)
    assert np.all(net.E.syn.g.value == 0) and np.all(net.I.syn.g.value == 0)
    assert not net.N.spike.value.any()
    assert np.all(net.N.t_last_spike.value == np.float32(-1e7))
    assert np.all(net.delay.data.value == 0)


def test_group_reset_state_is_local_and_leaves_v_unchanged(seed_net):
    net = seed_net
    bp.reset_state(net)
    run(net, 50)
    snapshot = {k: v.value for k, v in net.vars().items()}
    net.reset_state()  # EINet owns no Variables of its own: nothing changes, children included
    for key, value in snapshot.items():
        np.testing.assert_array_equal(net.vars()[key].value, value, err_msg=key)


def test_population_reset_state_changes_v_and_not_the_synapses(seed_net):
    net = seed_net
    run(net, 100)
    v, ge, gi = net.N.V.value, net.E.syn.g.value, net.I.syn.g.value
    assert ge.any() and gi.any()
    net.N.reset_state()
    assert not np.array_equal(net.N.V.value, v)
    np.testing.assert_array_equal(net.E.syn.g.value, ge)
    np.testing.assert_array_equal(net.I.syn.g.value, gi)


def test_post_is_a_reference_not_a_child(seed_net):
    net = seed_net
    nodes = net.nodes()
    assert [k for k, n in nodes.items() if n is net.N] == ["N"]
    assert net.N not in list(net.E.nodes(include_self=False).values())
    assert list(nodes) == ["", "N", "delay", "E", "I", "N.cur_inputs.proj0",
                           "N.cur_inputs.proj1", "E.comm", "E.syn", "I.comm", "I.syn"]


def test_global_reset_visits_each_node_once_in_brainpy_order(seed_net, monkeypatch):
    net = seed_net
    calls = []
    for path, node in net.nodes().items():
        original = node.reset_state
        monkeypatch.setattr(node, "reset_state",
                            lambda *a, _o=original, _p=path, **k: (calls.append(_p), _o(*a, **k)))
    bp.reset_state(net)
    assert calls.count("N") == 1
    kinds = [type(net.nodes()[p]).__name__ for p in calls]
    stateful = [k for k in kinds if k in ("LifRefLTC", "VarDelay", "COBA", "Expon")]
    # BrainPy 2.8.2's order for the seed network (semantics.md, section 1)
    assert stateful == ["LifRefLTC", "VarDelay", "COBA", "COBA", "Expon", "Expon"]


def test_reset_keeps_variable_identity(seed_net):
    net = seed_net
    ids = {k: id(v) for k, v in net.vars().items()}
    v = net.N.V
    bp.reset_state(net)
    net.reset_state()
    net.N.reset_state()
    net.reset()
    assert net.N.V is v
    assert {k: id(v) for k, v in net.vars().items()} == ids


def test_value_is_a_snapshot(seed_net):
    net = seed_net
    printed = net.N.V.value
    copy = printed.copy()
    bp.reset_state(net)
    np.testing.assert_array_equal(printed, copy)
    printed[:] = 0  # writing into a snapshot does not reach the network
    assert not np.all(net.N.V.value == 0)


def _draws(seed):
    bm.random.seed(seed)
    net = EINet(scale=0.1)
    first = net.N.V.value
    bp.reset_state(net)
    second = net.N.V.value
    net.N.reset_state()
    return first, second, net.N.V.value, net.E.comm.seed, net.I.comm.seed


def test_same_seed_repeats_the_sequence_of_draws():
    a, b = _draws(3), _draws(3)
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)
    assert not np.array_equal(a[0], a[1]) and not np.array_equal(a[1], a[2])
    c = _draws(4)
    assert not np.array_equal(a[0], c[0])


def test_seed_gives_brainpys_jit_seeds():
    bm.random.seed(42)
    net = EINet()
    assert (net.E.comm.seed, net.I.comm.seed) == (121958, 671155)


def test_reset_levels_order_and_user_overrides():
    order = []

    class Late(bp.DynamicalSystem):
        def __init__(self):
            super().__init__()
            self.x = bm.Variable(np.zeros(3, np.float32))

        @bp.reset_level(2)
        def reset_state(self, *args):
            order.append(("late", args))

        def update(self):
            return None

    class Early(Late):
        @bp.reset_level(0)
        def reset_state(self, *args):
            order.append(("early", args))

    class Plain(bp.DynamicalSystem):
        def __init__(self):
            super().__init__()
            self.count = bm.Variable(np.zeros(2, np.float32))

        def update(self):
            self.count.value = self.count.value + 1

    class Group(bp.DynSysGroup):
        def __init__(self):
            super().__init__()
            self.late, self.early, self.plain = Late(), Early(), Plain()

    g = Group()
    g.plain()
    assert g.plain.count.value.tolist() == [1, 1]
    bp.reset_state(g, "arg")
    assert order == [("early", ("arg",)), ("late", ("arg",))]
    assert g.plain.count.value.tolist() == [0, 0]  # default local reset: initial values


def test_reset_level_rejects_out_of_range():
    with pytest.raises(bp.errors.ParameterError, match="level"):
        bp.reset_level(10)


def test_reset_state_of_built_ins_rejects_batching(seed_net):
    with pytest.raises(bp.errors.ParameterError, match="batch_size"):
        seed_net.N.reset_state(8)
