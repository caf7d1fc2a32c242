#!/usr/bin/env bash
# The main job: builds the wheel, installs it with the plotting extra in a fresh venv
# (target/seed-venv) and runs the seed network (examples/seed_network.py): the reset
# demonstration, then 1000 ms at input 20, the mean rate and a raster in seed_raster.png.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_wheel.sh
build_wheel_into_fresh_venv target/seed-venv "[plot]"
target/seed-venv/bin/python examples/seed_network.py seed_raster.png
