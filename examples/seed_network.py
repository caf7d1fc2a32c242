"""The seed program (../shared/spec/seed_example.py) with its two import lines changed to
brainrs, plus a spike raster written to ``seed_raster.png`` (or the path given as argument).

    python examples/seed_network.py [raster.png]

It shows the seed's point: ``bp.reset_state(net)`` redraws N.V, ``net.reset_state()`` does not
(the group owns no Variables of its own); then 1000 ms at input 20 and the mean rate.
"""

import sys

import brainrs as bp
import brainrs.math as bm


class EINet(bp.DynSysGroup):
    def __init__(self):
        super().__init__()
        self.N = bp.dyn.LifRefLTC(4000, V_rest=-60., V_th=-50., V_reset=-60., tau=20., tau_ref=5.,
                                  V_initializer=bp.init.Normal(-55., 2.))
        self.delay = bp.VarDelay(self.N.spike, entries={'I': None})
        self.E = bp.dyn.ProjAlignPost1(comm=bp.dnn.EventJitFPHomoLinear(3200, 4000, prob=0.02, weight=0.6),
                                       syn=bp.dyn.Expon(size=4000, tau=5.),
                                       out=bp.dyn.COBA(E=0.),
                                       post=self.N)
        self.I = bp.dyn.ProjAlignPost1(comm=bp.dnn.EventJitFPHomoLinear(800, 4000, prob=0.02, weight=6.7),
                                       syn=bp.dyn.Expon(size=4000, tau=10.),
                                       out=bp.dyn.COBA(E=-80.),
                                       post=self.N)

    def update(self, input):
        spk = self.delay.at('I')
        self.E(spk[:3200])
        self.I(spk[3200:])
        self.delay(self.N(input))
        return self.N.spike.value


net = EINet()

print('Before reset:', net.N.V.value)
bp.reset_state(net)
print('After reset:', net.N.V.value)

print('Before reset_state:', net.N.V.value)
net.reset_state()
print('After reset_state:', net.N.V.value)

# The seed's companion usage: simulate it (BrainPy's idiom; input current 20 to every neuron).
indices = bm.arange(int(1000. / bm.get_dt()))          # 1000 ms at dt = 0.1 ms
spikes = bm.for_loop(lambda i: net.step_run(i, 20.), indices, progress_bar=True)
print('mean rate (Hz):', spikes.sum() / 4000 / 1.0)

# The raster of the run (not in the seed): one dot per spike over the first 200 ms, and the
# population rate over the whole second in 1 ms bins.
if __name__ == '__main__':
    import matplotlib

    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    out = sys.argv[1] if len(sys.argv) > 1 else 'seed_raster.png'
    ts = indices * bm.get_dt()                             # ms
    shown = ts < 200.
    fig, (ax_raster, ax_rate) = plt.subplots(2, 1, figsize=(10, 7), height_ratios=(3, 1))
    bp.visualize.raster_plot(ts[shown], spikes[shown], ax=ax_raster, markersize=1,
                             title='seed network: 4000 LifRefLTC, input 20 (first 200 ms)')
    per_ms = spikes.reshape(-1, int(round(1. / bm.get_dt())), 4000).sum(axis=(1, 2))
    ax_rate.plot(bm.arange(per_ms.size), per_ms / 4000 / 1e-3, 'k', lw=0.8)
    ax_rate.set_xlabel('Time (ms)')
    ax_rate.set_ylabel('Rate (Hz)')
    fig.tight_layout()
    fig.savefig(out, dpi=100)
    print('raster written to', out)
