"""Save, load and resume (eager and traced runs): checkpoints continue bit for bit, refuse bad
input whole."""

import subprocess
import sys

import numpy as np
import pytest

import brainrs as bp
import brainrs.math as bm
from brainrs.errors import (
    CheckpointError,
    DTypeError,
    ParameterError,
    ShapeError,
    StructureError,
    UnknownNameError,
)
from conftest import EINet


class DelayNet(bp.DynSysGroup):
    """E/I network through ProjAlignPost2 with 1.0 ms and 0.5 ms delays (default update order)."""

    def __init__(self):
        super().__init__()
        self.E = bp.dyn.LifRefLTC(320, V_rest=-60., V_th=-50., V_reset=-60., tau=20., tau_ref=5.,
                                  V_initializer=bp.init.Normal(-55., 2.))
        self.I = bp.dyn.LifRefLTC(80, V_rest=-60., V_th=-50., V_reset=-60., tau=20., tau_ref=5.,
                                  V_initializer=bp.init.Normal(-55., 2.))
        jit = bp.dnn.EventJitFPHomoLinear
        self.E2I = bp.dyn.ProjAlignPost2(self.E, 1.0, jit(320, 80, prob=0.1, weight=0.6),
                                         bp.dyn.Expon(80, tau=5.), bp.dyn.COBA(E=0.), self.I)
        self.E2E = bp.dyn.ProjAlignPost2(self.E, 0.5, jit(320, 320, prob=0.1, weight=0.6),
                                         bp.dyn.Expon(320, tau=5.), bp.dyn.COBA(E=0.), self.E)
        self.I2E = bp.dyn.ProjAlignPost2(self.I, 1.0, jit(80, 320, prob=0.1, weight=6.7),
                                         bp.dyn.Expon(320, tau=10.), bp.dyn.COBA(E=-80.), self.E)


def _drive(net, start, stop):
    """Steps ``start..stop``; DelayNet gets a constant input through its neurons' update."""
    out = []
    for i in range(start, stop):
        if isinstance(net, DelayNet):
            bp.share.save(i=i, t=np.float32(i) * np.float32(bm.get_dt()))
            for proj in (net.E2I, net.E2E, net.I2E):
                proj()
            out.append(np.concatenate([net.E(20.), net.I(20.)]))
        else:
            out.append(net.step_run(i, 20.))
    return np.array(out)


def _state_arrays(net):
    return {k: v.value for k, v in net.vars().items()}


@pytest.mark.parametrize("make", [lambda: EINet(scale=0.25), DelayNet], ids=["seed", "delays"])
def test_resume_from_disk_continues_bit_for_bit(make, tmp_path):
    bm.random.seed(11)
    whole = make()
    first = _drive(whole, 0, 1500)
    second = _drive(whole, 1500, 3000)
    assert second.any()

    bm.random.seed(11)
    part = make()
    np.testing.assert_array_equal(_drive(part, 0, 1500), first)
    bp.checkpoints.save_pytree(tmp_path / "half.safetensors", bp.save_state(part))

    # the same program builds the same network (JIT seeds are structure, not state); its state
    # is then scrambled so that everything must come from the file
    bm.random.seed(11)
    resumed = make()
    _drive(resumed, 0, 300)
    bm.random.seed(99)
    bp.reset_state(resumed)
    result = bp.load_state(resumed, bp.checkpoints.load_pytree(tmp_path / "half.safetensors"))
    assert result == ([], [])
    np.testing.assert_array_equal(_drive(resumed, 1500, 3000), second)
    for key, value in _state_arrays(whole).items():
        np.testing.assert_array_equal(resumed.vars()[key].value, value, err_msg=key)


def test_resume_in_a_new_process(tmp_path):
    # a new process runs the same program (same seed, so the same JIT seeds), then loads
    code = (
        "import sys, numpy as np; sys.path.insert(0, sys.argv[1]);"
        "import brainrs as bp, brainrs.math as bm; from conftest import EINet, run;"
        "bm.random.seed(3); net = EINet(scale=0.25); bp.reset_state(net);"
        "bp.load_state(net, bp.checkpoints.load_pytree(sys.argv[2]));"
        "np.save(sys.argv[3], np.array([net.step_run(i, 20.) for i in range(500, 1000)]))"
    )
    bm.random.seed(3)
    net = EINet(scale=0.25)
    _drive(net, 0, 500)
    bp.checkpoints.save_pytree(tmp_path / "c.safetensors", net.state_dict())
    want = _drive(net, 500, 1000)
    tests_dir = str(__import__("conftest").__file__).rsplit("/", 1)[0]
    subprocess.run([sys.executable, "-c", code, tests_dir, str(tmp_path / "c.safetensors"),
                    str(tmp_path / "out.npy")], check=True, timeout=120)
    np.testing.assert_array_equal(np.load(tmp_path / "out.npy"), want)


def test_state_keys_are_attribute_paths_and_include_the_generator():
    net = EINet(scale=0.1)
    state = bp.save_state(net)
    assert list(state) == ["N", "delay", "E.syn", "I.syn", "__random__"]
    assert sorted(state["N"]) == ["V", "spike", "t_last_spike"]
    assert net.N.save_state().keys() == state["N"].keys()


def test_generator_position_is_restored():
    bm.random.seed(8)
    net = EINet(scale=0.1)
    state = net.state_dict()
    bp.reset_state(net)
    after_first = net.N.V.value
    net.load_state_dict(state)
    bp.reset_state(net)
    np.testing.assert_array_equal(net.N.V.value, after_first)


def test_local_save_and_load():
    net = EINet(scale=0.1)
    saved = net.N.save_state()
    bp.reset_state(net)
    net.N.load_state(saved)
    np.testing.assert_array_equal(net.N.V.value, saved["V"])
    with pytest.raises(UnknownNameError, match="'W'"):
        net.N.load_state({**saved, "W": saved["V"]})


def test_checkpoint_file_is_plain_safetensors(tmp_path):
    net = EINet(scale=0.1)
    path = tmp_path / "c.safetensors"
    bp.checkpoints.save_pytree(path, bp.save_state(net))
    raw = path.read_bytes()
    import json
    import struct

    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    assert header["N/V"]["dtype"] == "F32" and header["N/V"]["shape"] == [400]
    assert header["N/spike"]["dtype"] == "BOOL"
    meta = header["__metadata__"]
    assert meta["brainrs_version"] == bp.__version__ and len(meta["fingerprint"]) == 16
    start, stop = header["N/V"]["data_offsets"]
    v = np.frombuffer(raw[8 + n + start:8 + n + stop], dtype="<f4")
    np.testing.assert_array_equal(v, net.N.V.value)
    assert bp.checkpoints.load_pytree(path).metadata["fingerprint"] == bp._state.fingerprint_of(net)


def test_load_refuses_mismatches_and_changes_nothing(tmp_path):
    net = EINet(scale=0.1)
    before = _state_arrays(net)
    good = bp.save_state(net)

    bad = {k: dict(v) for k, v in good.items()}
    bad["E.syn"]["g"] = np.zeros(399, np.float32)
    with pytest.raises(ShapeError, match="Expon.g"):
        bp.load_state(net, bad)
    bad = {k: dict(v) for k, v in good.items()}
    bad["N"]["spike"] = np.zeros(400, np.float32)
    with pytest.raises(DTypeError):
        bp.load_state(net, bad)
    bad = {k: dict(v) for k, v in good.items()}
    del bad["I.syn"]
    with pytest.raises(UnknownNameError, match="I.syn.g"):
        bp.load_state(net, bad)
    assert bp.load_state(net, bad, strict=False).missing_keys == ["I.syn.g"]

    other = EINet(scale=0.2)
    bp.checkpoints.save_pytree(tmp_path / "other.safetensors", bp.save_state(other))
    net.N.V.value = before["N.V"]
    snapshot = _state_arrays(net)
    with pytest.raises(StructureError, match="another structure.*N.V"):
        bp.load_state(net, bp.checkpoints.load_pytree(tmp_path / "other.safetensors"))
    for key, value in snapshot.items():
        np.testing.assert_array_equal(net.vars()[key].value, value, err_msg=key)


def test_truncated_or_corrupted_files_raise(tmp_path):
    net = EINet(scale=0.1)
    path = tmp_path / "c.safetensors"
    bp.checkpoints.save_pytree(path, bp.save_state(net))
    raw = path.read_bytes()
    for cut in (0, 7, 8, 100, len(raw) // 2, len(raw) - 1):
        (tmp_path / "t.safetensors").write_bytes(raw[:cut])
        with pytest.raises(CheckpointError, match="t.safetensors"):
            bp.checkpoints.load_pytree(tmp_path / "t.safetensors")
    (tmp_path / "n.safetensors").write_bytes(b"\xff" * 64)
    with pytest.raises(CheckpointError):
        bp.checkpoints.load_pytree(tmp_path / "n.safetensors")
    with pytest.raises(CheckpointError):
        bp.checkpoints.load_pytree(tmp_path / "absent.safetensors")


def test_save_is_atomic_and_respects_overwrite(tmp_path):
    net = EINet(scale=0.1)
    path = tmp_path / "c.safetensors"
    bp.checkpoints.save_pytree(path, bp.save_state(net))
    old = path.read_bytes()
    with pytest.raises(CheckpointError, match="exists"):
        bp.checkpoints.save_pytree(path, bp.save_state(net), overwrite=False)
    assert path.read_bytes() == old
    # a failing write (the target is a directory) leaves no temporary file behind
    (tmp_path / "dir.safetensors").mkdir()
    with pytest.raises(CheckpointError):
        bp.checkpoints.save_pytree(tmp_path / "dir.safetensors", bp.save_state(net))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.safetensors", "dir.safetensors"]


class DrivenDelayNet(DelayNet):
    """DelayNet with its input given inside update(), so that a runner can trace it."""

    def update(self, inp):
        for proj in (self.E2I, self.E2E, self.I2E):
            proj()
        self.E(inp)
        self.I(inp)
        return self.I.spike.value  # (E falls silent under I's inhibition after its first spikes)


_RESUME = """
import sys
import numpy as np
sys.path.insert(0, sys.argv[1])
import brainrs as bp, brainrs.math as bm
from conftest import EINet
from test_state import DrivenDelayNet
bm.random.seed(11)
net = EINet(scale=0.25) if sys.argv[2] == "seed" else DrivenDelayNet()
bm.random.seed(99)
bp.reset_state(net)  # scrambled: everything must come from the file
saved = bp.checkpoints.load_pytree(sys.argv[3])
assert bp.load_state(net, saved["net"]) == ([], [])
runner = bp.DSRunner(net, monitors={"V": "%s"}, progress_bar=False, jit=sys.argv[5] == "1")
runner.load_state_dict(saved["runner"])
spikes = runner.run(inputs=np.full(1000, 20., np.float32))
np.savez(sys.argv[4], spikes=spikes, V=runner.mon.V, ts=runner.mon.ts,
         **{k: v.value for k, v in net.vars().items()})
"""


@pytest.mark.parametrize("jit", [True, False], ids=["traced", "eager"])
@pytest.mark.parametrize("kind", ["seed", "delays"])
def test_runner_resume_in_a_new_process_is_bit_for_bit(kind, jit, tmp_path):
    """1000 + 1000 steps through bp.DSRunner, the second half in a new process from the
    checkpoint on disk, equal one 2000-step run: spikes, V, every Variable and the clock."""
    make = (lambda: EINet(scale=0.25)) if kind == "seed" else DrivenDelayNet
    v_path = "N.V" if kind == "seed" else "E.V"
    inputs = np.full(1000, 20., np.float32)
    bm.random.seed(11)
    whole = make()
    runner = bp.DSRunner(whole, monitors={"V": v_path}, progress_bar=False, jit=jit)
    runner.run(inputs=inputs)
    bp.checkpoints.save_pytree(tmp_path / "half.safetensors",
                               {"net": bp.save_state(whole), "runner": runner.state_dict()})
    want_spikes = runner.run(inputs=inputs)
    want_v, want_ts = runner.mon.V, runner.mon.ts
    assert want_spikes.any() and want_ts[0] == np.float32(1000) * np.float32(0.1)

    tests_dir = str(__import__("conftest").__file__).rsplit("/", 1)[0]
    out = tmp_path / "resumed.npz"
    subprocess.run([sys.executable, "-c", _RESUME % v_path, tests_dir, kind,
                    str(tmp_path / "half.safetensors"), str(out), "1" if jit else "0"],
                   check=True, timeout=120)
    got = np.load(out)
    np.testing.assert_array_equal(got["spikes"], want_spikes)
    assert got["V"].tobytes() == want_v.tobytes()
    np.testing.assert_array_equal(got["ts"], want_ts)
    for key, var in whole.vars().items():
        assert got[key].tobytes() == var.value.tobytes(), key


def test_runner_state_is_checked():
    runner = bp.DSRunner(EINet(scale=0.1), progress_bar=False)
    runner.load_state_dict({"i0": 7})
    assert runner.i0 == 7 and runner.state_dict() == {"i0": 7}
    for bad in ({"i0": -1}, {"i0": 1.5}, {"i0": True}, {}, {"i0": 1, "x": 2}, [7]):
        with pytest.raises(ParameterError):
            runner.load_state_dict(bad)
        assert runner.i0 == 7


@pytest.mark.parametrize("scalars", ["not json", "[1, 2]", '{"N": 1}'])
def test_foreign_metadata_is_a_checkpoint_error(scalars, tmp_path):
    # a valid safetensors file whose brainrs metadata is not brainrs's (found by the fuzzer:
    # it raised a JSONDecodeError before); '{"N": 1}' collides with the tensor N/V
    path = tmp_path / "odd.safetensors"
    bp._core.save_checkpoint(str(path), [("N/V", np.zeros(3, np.float32), [3])],
                             {"brainrs_scalars": scalars}, True)
    with pytest.raises(CheckpointError, match="brainrs_scalars"):
        bp.checkpoints.load_pytree(path)


@pytest.mark.parametrize("bad", [5, None, "N", [("N", {})]])
def test_load_state_wants_a_dict(bad):
    net = EINet(scale=0.1)
    before = net.N.V.value
    with pytest.raises(ParameterError, match="state_dict must be a dict"):
        bp.load_state(net, bad)
    np.testing.assert_array_equal(net.N.V.value, before)
