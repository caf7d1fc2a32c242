"""Parity with BrainPy 2.8.2 from the same initial V and JIT seeds.

- ``parity_scale0.1.npz`` (shared spec data): 400 neurons, prob 0.2, 2000 steps, V and gE at
  a few steps;
- ``brainpy_seed42.npz`` (made by ``data/make_seed_reference.py`` with BrainPy in its own venv):
  the full seed network after ``bm.random.seed(42)``, every spike of 1000 ms.
"""

import numpy as np

import brainrs as bp
import brainrs.math as bm
from conftest import DATA, EINet, raster, run


def test_scale_01_matches_brainpy_spike_for_spike_with_v_and_g_close():
    ref = np.load(DATA / "parity_scale0.1.npz")
    bm.set_dt(float(ref["dt"]))
    n_exc, n_inh = int(ref["n_exc"]), int(ref["n_inh"])
    net = EINet(scale=(n_exc + n_inh) / 4000, e_seed=int(ref["E_seed"]),
                i_seed=int(ref["I_seed"]), prob=float(ref["prob"]))
    assert (net.n_exc, net.n_inh) == (n_exc, n_inh)
    net.N.V.value = ref["V0"]
    steps = 2000
    at = {int(s): k for k, s in enumerate(ref["V_at_steps"])}
    spikes = np.zeros((steps, n_exc + n_inh), dtype=bool)
    for i in range(steps):
        spikes[i] = net.step_run(i, float(ref["input"]))
        if i in at:
            k = at[i]
            np.testing.assert_allclose(net.N.V.value, ref["V_at"][k], rtol=0, atol=1e-4,
                                       err_msg=f"V at step {i}")
            np.testing.assert_allclose(net.E.syn.g.value, ref["gE_at"][k], rtol=1e-5, atol=1e-6,
                                       err_msg=f"gE at step {i}")
    want = raster(ref["spike_steps"], ref["spike_neurons"], spikes.shape)
    assert want.sum() == 1362
    mismatched = np.nonzero((spikes != want).any(axis=1))[0]
    assert mismatched.size == 0, f"first mismatched steps: {mismatched[:5]}"


def test_seed_network_matches_brainpy_raster_for_the_whole_second():
    ref = np.load(DATA / "brainpy_seed42.npz")
    net = EINet(e_seed=int(ref["E_seed"]), i_seed=int(ref["I_seed"]))
    net.N.V.value = ref["V0"]
    steps = int(ref["steps"])
    spikes = run(net, steps)
    want = raster(ref["spike_steps"], ref["spike_neurons"], spikes.shape)
    mismatched = np.nonzero((spikes != want).any(axis=1))[0]
    # the issue asks for >= 300 steps; brainrs matched all 10,000 when this was written
    first = mismatched[0] if mismatched.size else steps
    assert first >= 300, f"raster diverges from BrainPy at step {first}"
    assert mismatched.size == 0, f"{mismatched.size} steps differ, the first at {first}"
    assert abs(spikes.sum() / 4000 - float(ref["rate_hz"])) < 1e-9


def test_seed_program_rate_is_within_3_percent_of_brainpy():
    # the seed program as written, after bm.random.seed(42): BrainPy 2.8.2 gives 20.19 Hz
    bm.random.seed(42)
    net = EINet()
    bp.reset_state(net)
    net.reset_state()
    spikes = run(net, int(1000. / bm.get_dt()))
    rate = spikes.sum() / 4000 / 1.0
    assert abs(rate - 20.19) / 20.19 < 0.03, rate
    # the Rust embedding of the same network (rust/brainrs/tests/seed_network.rs) gives the
    # same spikes: the same generator seed draws the same V in both
    assert spikes.sum() == 82_115
