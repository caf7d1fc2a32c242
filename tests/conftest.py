"""Shared fixtures. The tests run against the installed brainrs wheel (scripts/test.sh)."""

import pathlib

import numpy as np
import pytest

import brainrs as bp
import brainrs.math as bm

DATA = pathlib.Path(__file__).parent / "data"
ROOT = pathlib.Path(__file__).parent.parent


class EINet(bp.DynSysGroup):
    """The seed network (../shared/spec/seed_example.py), sized by ``scale`` (1: 4000 neurons),
    with optional fixed JIT seeds."""

    def __init__(self, scale=1.0, e_seed=None, i_seed=None, prob=0.02):
        super().__init__()
        self.n_exc, self.n_inh = int(3200 * scale), int(800 * scale)
        num = self.n_exc + self.n_inh
        self.N = bp.dyn.LifRefLTC(num, V_rest=-60., V_th=-50., V_reset=-60., tau=20., tau_ref=5.,
                                  V_initializer=bp.init.Normal(-55., 2.))
        self.delay = bp.VarDelay(self.N.spike, entries={'I': None})
        self.E = bp.dyn.ProjAlignPost1(
            comm=bp.dnn.EventJitFPHomoLinear(self.n_exc, num, prob=prob, weight=0.6, seed=e_seed),
            syn=bp.dyn.Expon(size=num, tau=5.), out=bp.dyn.COBA(E=0.), post=self.N)
        self.I = bp.dyn.ProjAlignPost1(
            comm=bp.dnn.EventJitFPHomoLinear(self.n_inh, num, prob=prob, weight=6.7, seed=i_seed),
            syn=bp.dyn.Expon(size=num, tau=10.), out=bp.dyn.COBA(E=-80.), post=self.N)

    def update(self, input):
        spk = self.delay.at('I')
        self.E(spk[:self.n_exc])
        self.I(spk[self.n_exc:])
        self.delay(self.N(input))
        return self.N.spike.value


class OneSpikeNet(bp.DynSysGroup):
    """One neuron that spikes at step 0, its spike delayed 0.5 ms through ProjAlignPost2 onto
    five silent neurons (prob 1, weight 2, CUBA); no update(): BrainPy's default order."""

    def __init__(self):
        super().__init__()
        self.pre = bp.dyn.LifRef(1, V_th=20., tau_ref=1000., V_initializer=bp.init.Constant(30.))
        self.post = bp.dyn.Lif(5, V_th=1e3)
        self.proj = bp.dyn.ProjAlignPost2(
            pre=self.pre, delay=0.5,
            comm=bp.dnn.EventJitFPHomoLinear(1, 5, prob=1., weight=2., seed=0),
            syn=bp.dyn.Expon(5, tau=5.), out=bp.dyn.CUBA(), post=self.post)


def run(net, steps, input=20.):
    """Eager run of ``steps`` steps from step 0; the (steps, neurons) spike raster."""
    return bm.for_loop(lambda i: net.step_run(i, input), bm.arange(steps))


@pytest.fixture(autouse=True)
def _fresh_environment():
    """Each test starts at dt 0.1 ms with a known seed and an empty share."""
    bm.set_dt(0.1)
    bm.random.seed(0)
    bp.share.clear_shargs()
    yield
    bm.set_dt(0.1)


@pytest.fixture
def seed_net():
    bm.random.seed(42)
    return EINet()


def raster(steps, neurons, shape):
    out = np.zeros(shape, dtype=bool)
    out[steps, neurons] = True
    return out
