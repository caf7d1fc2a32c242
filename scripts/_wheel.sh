# Sourced by run_seed.sh and test.sh: builds the release wheel into target/wheels (only the
# current one is left there) and creates a fresh venv at $1 with that wheel and extra packages.
build_wheel_into_fresh_venv() {
    local venv="$1"
    shift
    rm -rf target/wheels
    maturin build --release --out target/wheels
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --upgrade pip
    local wheel
    wheel="$(ls target/wheels/brainrs-*.whl)"
    "$venv/bin/pip" install --quiet "${wheel}$1"
    shift
    if [ "$#" -gt 0 ]; then "$venv/bin/pip" install --quiet "$@"; fi
}
