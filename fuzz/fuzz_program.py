"""Fuzz target (atheris) for the traced-program validator: random instruction lists, buffer
sizes and probes over real nodes either build a ``brainrs._core.Program`` and run, or raise a
brainrs error; never a crash, a panic or another error.

    python fuzz/fuzz_program.py [-atheris_runs=N]
"""

import sys

import atheris

with atheris.instrument_imports():
    import numpy as np

    from brainrs import _core
    from brainrs.errors import BrainrsError

POP = _core.Lif("LifRefLTC", 12, -60., -60., -50., 1., 20., 5.,
                _core.Initializer.normal(-55., 2.), False, _core.Generator(1))
SYNS = [_core.Expon(12, 5.0), _core.Expon(8, 10.0)]
DELAY = _core.VarDelay(12, "bool")
COMMS = [_core.EventJitFPHomoLinear(12, 12, 0.3, 0.6, 7), _core.JitFPHomoLinear(12, 8, 0.5, 0.1, 9)]
VECTORS = ["spike", "g", "delayed", "current", "var"]
BUILT = [0]  # programs that validated and ran (printed at the end, to see the target works)


def _vector(fdp):
    tag = VECTORS[fdp.ConsumeIntInRange(0, len(VECTORS) - 1)]
    k = fdp.ConsumeIntInRange(0, 3)
    if tag == "delayed":
        return (tag, k, fdp.ConsumeIntInRange(0, 4))
    if tag == "var":
        kind = ["pop", "syn", "delay", "nope"][fdp.ConsumeIntInRange(0, 3)]
        name = ["V", "g", "spike", "t_last_spike", "data", "x"][fdp.ConsumeIntInRange(0, 5)]
        return (tag, kind, k, name)
    return (tag, k)


def _slice(fdp):
    start = fdp.ConsumeIntInRange(0, 14)
    return (_vector(fdp), start, start + fdp.ConsumeIntInRange(0, 14))


@atheris.instrument_func
def _instr(fdp):
    kind = fdp.ConsumeIntInRange(0, 3)
    if kind == 0:
        return ("comm", fdp.ConsumeIntInRange(0, 2), _slice(fdp), fdp.ConsumeIntInRange(0, 2))
    if kind == 1:
        buf = fdp.ConsumeIntInRange(-1, 2)
        return ("syn", fdp.ConsumeIntInRange(0, 2), None if buf < 0 else buf)
    if kind == 2:
        inp = [None, ("const", fdp.ConsumeFloat()), ("operand", fdp.ConsumeIntInRange(0, 2))]
        currents = [((fdp.ConsumeFloatInRange(-90.0, 10.0) if fdp.ConsumeBool() else None),
                     fdp.ConsumeIntInRange(0, 2)) for _ in range(fdp.ConsumeIntInRange(0, 2))]
        return ("neuron", fdp.ConsumeIntInRange(0, 1), inp[fdp.ConsumeIntInRange(0, 2)],
                currents)
    return ("push", fdp.ConsumeIntInRange(0, 1), _slice(fdp))


@atheris.instrument_func
def one_input(data: bytes):
    fdp = atheris.FuzzedDataProvider(data)
    instrs = [_instr(fdp) for _ in range(fdp.ConsumeIntInRange(0, 6))]
    buffers = [fdp.ConsumeIntInRange(0, 14) for _ in range(fdp.ConsumeIntInRange(0, 3))]
    probes = [_slice(fdp) for _ in range(fdp.ConsumeIntInRange(0, 2))]
    n_operands = fdp.ConsumeIntInRange(0, 2)
    dt = fdp.ConsumeFloatInRange(-1.0, 1.0) if fdp.ConsumeBool() else fdp.ConsumeFloat()
    try:
        program = _core.Program([POP], SYNS, [DELAY], COMMS, instrs, buffers, probes,
                                n_operands, np.float32(dt), [], [])
        steps = fdp.ConsumeIntInRange(0, 5)
        indices = np.arange(steps, dtype=np.uint64)
        operands = np.full((steps, n_operands), 20., np.float32)
        modes = [["dense", "events", "count", "odd"][fdp.ConsumeIntInRange(0, 3)]
                 for _ in probes]
        program.run(indices, operands, modes, None, fdp.ConsumeBool())
        BUILT[0] += 1
    except BrainrsError:
        pass


def main():
    import atexit

    atexit.register(lambda: print(f"programs built and run: {BUILT[0]}", file=sys.stderr))
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
