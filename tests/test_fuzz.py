"""The fuzz targets (issue 5) run a bounded number of inputs on every test run: the checkpoint
reader and the program validator take random bytes and random programs without a crash. Run
them longer by hand: ``python fuzz/fuzz_checkpoint.py -atheris_runs=1000000``."""

import subprocess
import sys

import pytest

from conftest import ROOT


@pytest.mark.parametrize("target", ["fuzz_checkpoint.py", "fuzz_program.py"])
def test_fuzz_target_survives_twenty_thousand_inputs(target, tmp_path):
    res = subprocess.run(
        [sys.executable, str(ROOT / "fuzz" / target), "-atheris_runs=20000", "-seed=1"],
        capture_output=True, text=True, timeout=300, cwd=tmp_path, check=False)
    assert res.returncode == 0, res.stderr[-3000:]
    assert "Done 20000" in res.stderr
    if target == "fuzz_program.py":  # the target reaches valid programs, not only refusals
        built = int(res.stderr.rsplit("programs built and run:", 1)[1].split()[0])
        assert built > 50
