"""The seed network at a scale, run in traced mode and timed like BrainPy's reference script.

Scale multiplies the 3200/800 E/I neuron counts; ``prob = 0.02 / scale`` keeps about 80
incoming connections per neuron. The network is run twice: the first run (traces the update,
builds the JIT row tables) is reported as ``compile_s``, the second, after ``bp.reset_state``,
as ``run_s`` (BrainPy's script reports its jitted second run the same way). As in BrainPy's
script, the loop returns the spike count of every step (``net.step_run(i, input).sum()``,
traced into a per-step count), so memory stays flat at large scale.
"""

import os
import resource
import sys
import time

import numpy as np


def _einet_class(bp, n_exc, n_inh, prob):
    num = n_exc + n_inh

    class EINet(bp.DynSysGroup):
        def __init__(self):
            super().__init__()
            self.N = bp.dyn.LifRefLTC(num, V_rest=-60., V_th=-50., V_reset=-60., tau=20.,
                                      tau_ref=5., V_initializer=bp.init.Normal(-55., 2.))
            self.delay = bp.VarDelay(self.N.spike, entries={'I': None})
            self.E = bp.dyn.ProjAlignPost1(
                comm=bp.dnn.EventJitFPHomoLinear(n_exc, num, prob=prob, weight=0.6),
                syn=bp.dyn.Expon(size=num, tau=5.), out=bp.dyn.COBA(E=0.), post=self.N)
            self.I = bp.dyn.ProjAlignPost1(
                comm=bp.dnn.EventJitFPHomoLinear(n_inh, num, prob=prob, weight=6.7),
                syn=bp.dyn.Expon(size=num, tau=10.), out=bp.dyn.COBA(E=-80.), post=self.N)

        def update(self, inp):
            spk = self.delay.at('I')
            self.E(spk[:n_exc])
            self.I(spk[n_exc:])
            self.delay(self.N(inp))
            return self.N.spike.value

    return EINet


def run(scale=1.0, duration=1000.0, dt=0.1, input=20.0, seed=42, threads=None,
        second=True):
    """Builds and runs the network; returns the result fields (brainpy_coba.py's names)."""
    import brainrs as bp
    import brainrs.math as bm

    if threads is not None:
        bm.set_num_threads(threads)
    bm.set_dt(dt)
    bm.random.seed(seed)
    n_exc, n_inh = int(round(3200 * scale)), int(round(800 * scale))
    num = n_exc + n_inh
    prob = 0.02 / scale
    EINet = _einet_class(bp, n_exc, n_inh, prob)

    t0 = time.perf_counter()
    net = EINet()
    build_s = time.perf_counter() - t0
    n_steps = int(round(duration / dt))
    indices = np.arange(n_steps)

    def step(i):
        return net.step_run(i, input).sum()

    def once():
        return int(bm.for_loop(step, indices, strict=True).sum())

    t0 = time.perf_counter()
    n_spikes = once()
    compile_s = time.perf_counter() - t0
    run_s = run_cpu_s = n_spikes_2 = None
    if second:
        bp.reset_state(net)
        ru0 = resource.getrusage(resource.RUSAGE_SELF)
        t0 = time.perf_counter()
        n_spikes_2 = once()
        run_s = time.perf_counter() - t0
        ru1 = resource.getrusage(resource.RUSAGE_SELF)
        run_cpu_s = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    seconds = duration / 1000.0
    return dict(
        mode="traced", scale=scale, n_neurons=num, n_exc=n_exc, n_inh=n_inh, prob=prob,
        duration_ms=duration, dt_ms=dt, n_steps=n_steps, input=input, seed=seed,
        rate_hz=n_spikes / num / seconds, n_spikes=n_spikes,
        rate_hz_run2=None if n_spikes_2 is None else n_spikes_2 / num / seconds,
        n_spikes_run2=n_spikes_2,
        build_s=round(build_s, 3), compile_s=round(compile_s, 3),
        run_s=None if run_s is None else round(run_s, 3),
        run_cpu_s=None if run_cpu_s is None else round(run_cpu_s, 3),
        peak_rss_mb=round(peak_rss_mb, 1), loadavg_1m=os.getloadavg()[0],
        threads=bm.get_num_threads(), brainrs_version=bp.__version__,
        python=sys.version.split()[0],
    )
