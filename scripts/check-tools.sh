#!/usr/bin/env bash
# In CI the set-up installs every external tool, so a missing one is a set-up failure,
# never a reason for tests to skip. Outside CI this only warns.
set -u
missing=()
for prog in ngspice sta iverilog vvp riscv64-unknown-elf-gcc klayout; do
    command -v "$prog" >/dev/null 2>&1 || missing+=("$prog")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "check-tools: missing external programs: ${missing[*]}" >&2
    if [ "${CI:-}" = "true" ]; then exit 1; fi
fi
exit 0
