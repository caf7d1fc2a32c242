"""Generates ``brainpy_seed42.npz``: BrainPy 2.8.2's raster of the full seed network.

Run with BrainPy in a venv of its own (never in brainrs's environment)::

    python -m venv /tmp/bpvenv && /tmp/bpvenv/bin/pip install 'brainpy[cpu]==2.8.2'
    /tmp/bpvenv/bin/python tests/data/make_seed_reference.py

The network is the seed program's (4000 LifRefLTC, JIT E/I projections) built right after
``bm.random.seed(42)``. Stored: the JIT seeds, V at the start of the run (after the seed's two
resets), and every spike of 1000 ms at input 20 as (step, neuron) pairs.
"""

import os

import brainpy as bp
import brainpy.math as bm
import numpy as np


class EINet(bp.DynSysGroup):
    def __init__(self):
        super().__init__()
        self.N = bp.dyn.LifRefLTC(4000, V_rest=-60., V_th=-50., V_reset=-60., tau=20., tau_ref=5.,
                                  V_initializer=bp.init.Normal(-55., 2.))
        self.delay = bp.VarDelay(self.N.spike, entries={'I': None})
        self.E = bp.dyn.ProjAlignPost1(
            comm=bp.dnn.EventJitFPHomoLinear(3200, 4000, prob=0.02, weight=0.6),
            syn=bp.dyn.Expon(size=4000, tau=5.), out=bp.dyn.COBA(E=0.), post=self.N)
        self.I = bp.dyn.ProjAlignPost1(
            comm=bp.dnn.EventJitFPHomoLinear(800, 4000, prob=0.02, weight=6.7),
            syn=bp.dyn.Expon(size=4000, tau=10.), out=bp.dyn.COBA(E=-80.), post=self.N)

    def update(self, input):
        spk = self.delay.at('I')
        self.E(spk[:3200])
        self.I(spk[3200:])
        self.delay(self.N(input))
        return self.N.spike.value


bm.random.seed(42)
net = EINet()
bp.reset_state(net)
net.reset_state()
V0 = np.asarray(net.N.V.value)
steps = int(1000. / bm.get_dt())
spikes = np.asarray(bm.for_loop(lambda i: net.step_run(i, 20.), bm.arange(steps)))
step_idx, neuron_idx = np.nonzero(spikes)
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'brainpy_seed42.npz')
np.savez_compressed(
    out, V0=V0, E_seed=int(net.E.comm.seed), I_seed=int(net.I.comm.seed), steps=steps,
    spike_steps=step_idx.astype(np.int32), spike_neurons=neuron_idx.astype(np.int32),
    rate_hz=float(spikes.sum() / 4000 / 1.0))
print('E seed', int(net.E.comm.seed), 'I seed', int(net.I.comm.seed),
      'rate', spikes.sum() / 4000, 'spikes', spikes.sum())
