"""Command line of ``python -m brainrs.bench``."""

import argparse
import json
import os
import pathlib
import subprocess
import sys


def _coba_args(p):
    p.add_argument("--scale", type=float, default=1.0, help="1: 4000 neurons")
    p.add_argument("--duration", type=float, default=1000.0, help="biological ms")
    p.add_argument("--dt", type=float, default=0.1, help="ms")
    p.add_argument("--input", type=float, default=20.0, help="constant current to every neuron")
    p.add_argument("--seed", type=int, default=42)


def _parser():
    p = argparse.ArgumentParser(prog="python -m brainrs.bench", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    coba = sub.add_parser("coba", help="the seed network at a scale: one JSON line")
    _coba_args(coba)
    coba.add_argument("--threads", type=int, default=None, help="engine threads (default: all)")
    coba.add_argument("--no-second", action="store_true", help="skip the timed second run")
    cmp = sub.add_parser("compare", help="brainrs beside BrainPy, one scale after the other")
    cmp.add_argument("--brainpy-python", required=True,
                     help="python of a venv holding brainpy[cpu]==2.8.2")
    cmp.add_argument("--brainpy-script", default=None,
                     help="shared/bench/brainpy_coba.py (default: ../shared beside the repo)")
    cmp.add_argument("--scales", type=float, nargs="+", default=[1, 10, 25, 250])
    cmp.add_argument("--duration", type=float, default=1000.0, help="biological ms")
    cmp.add_argument("--threads", type=int, nargs="+", default=[1, 2],
                     help="brainrs thread counts to run at every scale")
    cmp.add_argument("--json", default=None, help="also append every JSON line to this file")
    return p


def _run_json(cmd):
    """Runs a benchmark in a process of its own (fresh peak RSS); its one JSON line."""
    res = subprocess.run(cmd, capture_output=True, text=True, check=False)
    lines = [ln for ln in res.stdout.splitlines() if ln.startswith("{")]
    if res.returncode != 0 or not lines:
        raise SystemExit(f"{' '.join(cmd)} failed ({res.returncode}):\n{res.stderr[-2000:]}")
    return json.loads(lines[-1])


def _compare(a):
    script = a.brainpy_script or str(
        pathlib.Path(__file__).resolve().parents[3] / ".." / "shared" / "bench" / "brainpy_coba.py"
    )
    if not os.path.exists(script):
        raise SystemExit(f"--brainpy-script: no file {script}")
    rows = []
    sink = open(a.json, "a") if a.json else None  # noqa: SIM115 (closed below)
    try:
        for scale in a.scales:
            common = ["--scale", str(scale), "--duration", str(a.duration)]
            bp = _run_json([a.brainpy_python, script, *common])
            ours = [_run_json([sys.executable, "-m", "brainrs.bench", "coba", *common,
                               "--threads", str(t)]) for t in a.threads]
            for r in [bp, *ours]:
                if sink:
                    sink.write(json.dumps(r) + "\n")
            rows.append((scale, bp, ours))
            print(json.dumps({"scale": scale, "brainpy_run_s": bp["run_s"],
                              **{f"brainrs_{r['threads']}t_run_s": r["run_s"] for r in ours}}),
                  file=sys.stderr, flush=True)
    finally:
        if sink:
            sink.close()
    print(_table(rows, a.threads))


def _table(rows, threads):
    head = ["scale (neurons)", "BrainPy run_s", "BrainPy peak MB"]
    for t in threads:
        head += [f"brainrs {t}T run_s", f"speed-up {t}T", f"brainrs {t}T peak MB"]
    head += ["rate Hz BrainPy / brainrs", "build s BrainPy / brainrs",
             "compile s BrainPy / brainrs"]
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for scale, bp, ours in rows:
        cells = [f"{scale:g} ({bp['n_neurons']:,})", f"{bp['run_s']:.3f}",
                 f"{bp['peak_rss_mb']:.0f}"]
        for r in ours:
            cells += [f"{r['run_s']:.3f}", f"{bp['run_s'] / r['run_s']:.1f}x",
                      f"{r['peak_rss_mb']:.0f}"]
        last = ours[-1]
        cells += [f"{bp['rate_hz_run2']:.2f} / {last['rate_hz_run2']:.2f}",
                  f"{bp['build_s']:.2f} / {last['build_s']:.3f}",
                  f"{bp['compile_s']:.2f} / {last['compile_s']:.3f}"]
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out)


def main(argv=None):
    a = _parser().parse_args(argv)
    if a.command == "coba":
        from .coba import run

        print(json.dumps(run(a.scale, a.duration, a.dt, a.input, a.seed, a.threads,
                             second=not a.no_second)), flush=True)
    else:
        _compare(a)
    return 0
