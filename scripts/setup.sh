#!/usr/bin/env bash
# Installs everything ffet-flow needs on a fresh Debian 12 machine:
#  - Debian packages for the external tools (when run as root; otherwise prints the apt-get line),
#  - a virtualenv in .venv with the Python package and its pinned dependency ranges.
# Idempotent: re-running only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(python3 python3-venv python3-pip make git ngspice opensta iverilog
              gcc-riscv64-unknown-elf klayout)
# programs that prove a package is present (same order as the tools above that provide them)
need_apt=()
for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need_apt+=("$pkg")
done
# python3/venv may come from elsewhere (pyenv); only ask apt for them when missing
if command -v python3 >/dev/null && python3 -c 'import venv, ensurepip' 2>/dev/null; then
    filtered=()
    for pkg in "${need_apt[@]}"; do
        case "$pkg" in python3|python3-venv|python3-pip) ;; *) filtered+=("$pkg") ;; esac
    done
    need_apt=("${filtered[@]+"${filtered[@]}"}")
fi
if [ ${#need_apt[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
        echo "setup: installing Debian packages: ${need_apt[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -q
        apt-get install -y -q --no-install-recommends "${need_apt[@]}"
    else
        echo "setup: not root; install the external tools with:"
        echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${need_apt[*]}"
    fi
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    echo "setup: creating virtualenv .venv"
    "$PY" -m venv .venv
fi
stamp=.venv/.ffet-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    echo "setup: installing Python dependencies into .venv"
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -e '.[dev]'
    touch "$stamp"
fi
echo "setup: done"
