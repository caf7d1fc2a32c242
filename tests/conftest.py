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
