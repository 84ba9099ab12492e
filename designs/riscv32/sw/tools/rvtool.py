"""Host side of the riscv32 test set-up: build test programs, compile the
Icarus testbench, run a simulation and parse its one-line verdict.

Used by ``designs/riscv32/Makefile`` (entry points ``sw``, ``sim``, ``test``)
and imported by ``tests/design/test_riscv32.py``. The design directory is
located from this file, so the module works from any working directory.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

DESIGN_DIR = Path(__file__).resolve().parents[2]
SW_DIR = DESIGN_DIR / "sw"
CROSS = "riscv64-unknown-elf-"
ARCH_FLAGS = ("-march=rv32im", "-mabi=ilp32")
DEFAULT_MAX_CYCLES = 2_000_000


@dataclass(frozen=True)
class Program:
    """A test program: its sources (relative to sw/) and the verdict it must give."""

    name: str
    sources: tuple[str, ...]
    expect: str = "PASS"  # "PASS" or "HALT"

    @property
    def is_c(self) -> bool:
        return any(src.endswith(".c") for src in self.sources)


ASM_TESTS = ("alu", "branch", "mem", "muldiv", "hazard")
PROGRAMS: tuple[Program, ...] = (
    *(Program(name, (f"asm/{name}.S",)) for name in ASM_TESTS),
    Program("halt_ecall", ("asm/halt_ecall.S",), expect="HALT"),
    Program("halt_ebreak", ("asm/halt_ebreak.S",), expect="HALT"),
    *(Program(name, ("crt0.S", f"c/{name}.c", "c/lib.c")) for name in ("sort", "crc32", "matmul")),
)


def program(name: str) -> Program:
    for prog in PROGRAMS:
        if prog.name == name:
            return prog
    raise KeyError(f"unknown test program {name!r}")


# ---------------------------------------------------------------------------
# Host reference models for the C programs' default builds (make sw/test).
# tests/design/test_riscv32.py computes its own expected values independently.
# ---------------------------------------------------------------------------
MASK32 = 0xFFFF_FFFF


def xorshift32(state: int):
    while True:
        state ^= (state << 13) & MASK32
        state ^= state >> 17
        state ^= (state << 5) & MASK32
        yield state


def _signed(value: int) -> int:
    return value - (1 << 32) if value & 0x8000_0000 else value


def default_defines(name: str) -> dict[str, str]:
    """-D values for a program's default build, including its EXPECTED result."""
    import zlib

    if name == "sort":
        seed, n = 0x12345678, 200
        gen = xorshift32(seed)
        data = sorted(_signed(next(gen)) for _ in range(n))
        expected = sum((v & MASK32) * (i + 1) for i, v in enumerate(data)) & MASK32
        return {"SEED": f"{seed:#x}u", "N": str(n), "EXPECTED": f"{expected:#x}u"}
    if name == "crc32":
        seed, length = 0xC0FFEE01, 512
        gen = xorshift32(seed)
        data = bytes(next(gen) >> 24 for _ in range(length))
        return {"SEED": f"{seed:#x}u", "LEN": str(length), "EXPECTED": f"{zlib.crc32(data):#x}u"}
    if name == "matmul":
        seed, dim = 0x0BADC0DE, 12
        gen = xorshift32(seed)
        a = [[(next(gen) & 0xFF) - 128 for _ in range(dim)] for _ in range(dim)]
        b = [[(next(gen) & 0xFF) - 128 for _ in range(dim)] for _ in range(dim)]
        c = [[sum(a[i][k] * b[k][j] for k in range(dim)) for j in range(dim)] for i in range(dim)]
        total = sum(c[i][j] * (i * dim + j + 1) for i in range(dim) for j in range(dim))
        trace = sum(c[i][i] for i in range(dim))
        quot = int(trace / -7)  # C division truncates toward zero
        rem = trace - quot * -7
        expected = (total ^ ((quot + rem) & MASK32)) & MASK32
        return {"SEED": f"{seed:#x}u", "DIM": str(dim), "EXPECTED": f"{expected:#x}u"}
    return {}


# ---------------------------------------------------------------------------
# Building
# ---------------------------------------------------------------------------
def _run(argv: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False, **kwargs)


def _check(proc: subprocess.CompletedProcess, what: str) -> None:
    if proc.returncode != 0:
        raise RuntimeError(f"{what} failed ({proc.returncode}):\n{proc.stdout}{proc.stderr}")


def build_program(
    prog: Program, out_dir: Path, defines: Mapping[str, str] | None = None, tag: str = ""
) -> Path:
    """Compile and link `prog` into out_dir/<name><tag>.elf and .hex; returns the .hex."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = out_dir / f"{prog.name}{tag}"
    elf, hexfile = stem.with_suffix(".elf"), stem.with_suffix(".hex")
    argv = [
        CROSS + "gcc", *ARCH_FLAGS, "-O2", "-g", "-ffreestanding", "-nostdlib", "-nostartfiles",
        "-fno-pic", "-static", "-Wall", "-Werror",
        "-I", str(SW_DIR / "asm"), "-I", str(SW_DIR / "c"),
        "-T", str(SW_DIR / "link.ld"), "-o", str(elf),
    ]
    argv += [f"-D{key}={value}" for key, value in (defines or {}).items()]
    argv += [str(SW_DIR / src) for src in prog.sources]
    _check(_run(argv), f"building {prog.name}")
    _check(_run([CROSS + "objcopy", "-O", "verilog", str(elf), str(hexfile)]), f"objcopy {prog.name}")
    return hexfile


def build_all(out_dir: Path) -> dict[str, Path]:
    """Build every program with its default defines; returns name -> .hex path."""
    with ThreadPoolExecutor() as pool:
        futures = {p.name: pool.submit(build_program, p, out_dir, default_defines(p.name)) for p in PROGRAMS}
        return {name: fut.result() for name, fut in futures.items()}


def rtl_sources() -> list[Path]:
    """RTL files in the order config.toml lists them."""
    import tomllib

    config = tomllib.loads((DESIGN_DIR / "config.toml").read_text())
    return [DESIGN_DIR / rel for rel in config["verilog"]]


def compile_testbench(out: Path, m_ext: bool = True) -> Path:
    """Compile tb + RTL with Icarus; m_ext=False builds the RV32I-only core."""
    out.parent.mkdir(parents=True, exist_ok=True)
    argv = ["iverilog", "-g2005", "-Wall", "-s", "riscv32_tb", f"-Priscv32_tb.M_EXT={int(m_ext)}",
            "-o", str(out),
            str(DESIGN_DIR / "tb" / "riscv32_tb.v"), *map(str, rtl_sources())]
    _check(_run(argv), "iverilog")
    return out


# ---------------------------------------------------------------------------
# Simulation
# ---------------------------------------------------------------------------
_VERDICT = re.compile(
    r"^(?P<status>PASS|FAIL|HALT)(?: code=(?P<code>\d+))?(?: (?P<reason>timeout|badstore|nohex)\S*)?"
    r"(?: addr=\S+)? cycles=(?P<cycles>\d+) instret=(?P<instret>\d+)$"
)


@dataclass(frozen=True)
class SimResult:
    status: str          # PASS, FAIL or HALT
    code: int | None     # FAIL code from the program (value >> 1)
    reason: str | None   # "timeout" etc. for testbench-detected failures
    cycles: int
    instret: int
    log: str

    @property
    def cpi(self) -> float:
        return self.cycles / self.instret if self.instret else float("inf")


def parse_result(log: str) -> SimResult:
    """Find the testbench's verdict line (exactly one is expected)."""
    verdicts = [m for m in map(_VERDICT.match, log.splitlines()) if m]
    if len(verdicts) != 1:
        return SimResult("FAIL", None, "noverdict", 0, 0, log)
    m = verdicts[0]
    code = int(m["code"]) if m["code"] is not None else None
    return SimResult(m["status"], code, m["reason"], int(m["cycles"]), int(m["instret"]), log)


def run_sim(vvp: Path, hexfile: Path, max_cycles: int | None = None, timeout_s: float = 600) -> SimResult:
    argv = ["vvp", "-n", str(vvp), f"+hex={hexfile}"]
    if max_cycles is not None:
        argv.append(f"+max_cycles={max_cycles}")
    proc = _run(argv, timeout=timeout_s)
    return parse_result(proc.stdout + proc.stderr)


def cpi_report(results: Mapping[str, SimResult]) -> dict:
    """CPI per C program plus the mean, as written to build/riscv32/cpi.json."""
    programs = {
        name: {"cpi": round(r.cpi, 4), "cycles": r.cycles, "instret": r.instret}
        for name, r in results.items()
        if program(name).is_c and r.status == "PASS"
    }
    mean = sum(p["cpi"] for p in programs.values()) / len(programs) if programs else None
    return {"unit": "cycles/instruction", "programs": programs, "mean_cpi": mean and round(mean, 4)}


def run_all(vvp: Path, hexes: Mapping[str, Path], max_cycles: int | None = None) -> dict[str, SimResult]:
    with ThreadPoolExecutor() as pool:
        futures = {name: pool.submit(run_sim, vvp, path, max_cycles) for name, path in hexes.items()}
        return {name: fut.result() for name, fut in futures.items()}


# ---------------------------------------------------------------------------
# Command line (Makefile entry points)
# ---------------------------------------------------------------------------
def _verdict_line(result: SimResult) -> str:
    lines = [ln for ln in result.log.splitlines() if _VERDICT.match(ln)]
    return lines[0] if lines else "FAIL noverdict"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    p_tb = sub.add_parser("tb", help="compile the testbench")
    p_tb.add_argument("--out", type=Path, required=True)
    p_sw = sub.add_parser("sw", help="build all test programs")
    p_sw.add_argument("--out", type=Path, required=True)
    p_sim = sub.add_parser("sim", help="run one program; exit 0 on PASS")
    p_sim.add_argument("--vvp", type=Path, required=True)
    p_sim.add_argument("--hex", type=Path, required=True)
    p_sim.add_argument("--max-cycles", type=int, default=None)
    p_test = sub.add_parser("test", help="build and run all programs")
    p_test.add_argument("--vvp", type=Path, required=True)
    p_test.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)

    if args.cmd == "tb":
        compile_testbench(args.out)
        return 0
    if args.cmd == "sw":
        for name, path in build_all(args.out).items():
            print(f"{name}: {path}")
        return 0
    if args.cmd == "sim":
        result = run_sim(args.vvp, args.hex, args.max_cycles)
        print(_verdict_line(result))
        return 0 if result.status == "PASS" else 1
    # test
    results = run_all(args.vvp, build_all(args.out))
    failed = 0
    for prog in PROGRAMS:
        result = results[prog.name]
        ok = result.status == prog.expect
        failed += not ok
        print(f"{'ok  ' if ok else 'BAD '} {prog.name:12s} {_verdict_line(result)}")
    report = cpi_report(results)
    (args.out.parent / "cpi.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"{len(PROGRAMS) - failed}/{len(PROGRAMS)} programs as expected; mean CPI {report['mean_cpi']}")
    return 1 if failed else 0


if __name__ == "__main__":
    if shutil.which("vvp") is None:
        print("vvp (Icarus Verilog) not found", file=sys.stderr)
    sys.exit(main())
