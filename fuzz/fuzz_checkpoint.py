"""Fuzz target (atheris) for the checkpoint reader: any bytes on disk either load or raise a
brainrs error (CheckpointError for a damaged file); never a crash, a panic or another error.

    python fuzz/fuzz_checkpoint.py [-atheris_runs=N] [corpus_dir]

It starts from a real checkpoint of a small seed network (the mutations then truncate, flip and
splice its header and tensors). The reader is the engine's (Rust) through the binding; atheris
instruments only the Python side, so this is random testing seeded by a valid file rather than
coverage-guided search inside the Rust reader.
"""

import os
import sys
import tempfile

import atheris

with atheris.instrument_imports():
    import brainrs as bp
    import brainrs.math as bm
    from brainrs.errors import BrainrsError

_DIR = tempfile.mkdtemp(prefix="brainrs-fuzz-")
_PATH = os.path.join(_DIR, "input.safetensors")


def _seed_file():
    """The bytes of a valid checkpoint of a 40-neuron seed network."""
    bm.random.seed(1)
    n = bp.dyn.LifRefLTC(40, V_rest=-60., V_th=-50., V_reset=-60., tau=20., tau_ref=5.,
                         V_initializer=bp.init.Normal(-55., 2.))
    path = os.path.join(_DIR, "seed.safetensors")
    bp.checkpoints.save_pytree(path, {"N": n.save_state(), "note": "seed"})
    with open(path, "rb") as f:
        return f.read()


SEED = _seed_file()


@atheris.instrument_func
def one_input(data: bytes):
    if not data:
        data = SEED
    with open(_PATH, "wb") as f:
        f.write(data)
    try:
        tree = bp.checkpoints.load_pytree(_PATH)
    except BrainrsError:
        return
    assert isinstance(tree, dict)


def main():
    args = list(sys.argv)
    if not any(a.startswith("-") is False and os.path.isdir(a) for a in args[1:]):
        corpus = os.path.join(_DIR, "corpus")
        os.makedirs(corpus, exist_ok=True)
        with open(os.path.join(corpus, "seed"), "wb") as f:
            f.write(SEED)
        args.append(corpus)
    atheris.Setup(args, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
