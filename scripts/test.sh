#!/usr/bin/env bash
# Every test: formatting and lints (cargo fmt, clippy -D warnings, ruff), the engine's cargo
# tests, then the release wheel installed in a fresh venv (target/test-venv) and pytest run
# against it. Long checks sit behind the pytest marker `slow` (run: ... -m slow).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings
cargo test --release -p brainrs
source scripts/_wheel.sh
build_wheel_into_fresh_venv target/test-venv "[test]" ruff
target/test-venv/bin/ruff check python tests examples fuzz
target/test-venv/bin/python -m pytest "$@"
