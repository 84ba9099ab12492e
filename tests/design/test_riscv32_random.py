"""Random differential test of the riscv32 core against the Python ISS.

Each seed yields a straight-line program of random RV32IM instructions over a
small register pool (so most instructions depend on a recent one: forwarding,
load-use and divider stalls get exercised in random combinations), with
random loads/stores into a buffer and short forward branches and jumps whose
skipped instructions must not take effect. The epilogue stores every register
and hashes them with the buffer; the ISS (designs/riscv32/sw/tools/iss.py)
supplies the expected hash, which is built back into the program, and the
RTL must then report PASS.
"""

from __future__ import annotations

import importlib.util
import random
import sys

import pytest

from tests.design.test_riscv32 import DESIGN, rvtool  # noqa: F401  (shared loader)

_spec = importlib.util.spec_from_file_location("rv_iss", DESIGN / "sw" / "tools" / "iss.py")
iss = importlib.util.module_from_spec(_spec)
sys.modules["rv_iss"] = iss
_spec.loader.exec_module(iss)

POOL = (0, 1, 5, 6, 7, 10, 11, 12, 13, 14, 15)   # x2 (hash), x8 (buffer), x9 (address temp) stay out
BUF_BYTES = 64
ALU_RR = "add sub sll slt sltu xor srl sra or and".split()
MULDIV = "mul mulh mulhsu mulhu div divu rem remu".split()
ALU_RI = "addi slti sltiu xori ori andi".split()
SHIFT_I = "slli srli srai".split()
LOADS = {"lb": 1, "lh": 2, "lw": 4, "lbu": 1, "lhu": 2}
STORES = {"sb": 1, "sh": 2, "sw": 4}
BRANCHES = "beq bne blt bge bltu bgeu".split()
INTERESTING = (0, 1, 2, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0xFFFF_FFFE, 31, 32, 0x8000_0001)


def _value(rng: random.Random) -> int:
    return rng.choice(INTERESTING) if rng.random() < 0.4 else rng.getrandbits(32)


def _reg(rng: random.Random, allow_zero: bool = True) -> str:
    choices = POOL if allow_zero else POOL[1:]
    return f"x{rng.choice(choices)}"


def _simple(rng: random.Random) -> str:
    """One random instruction that never changes control flow."""
    kind = rng.choices(("rr", "md", "ri", "sh", "lui", "auipc", "ld", "st", "ld9"),
                       weights=(6, 3, 4, 2, 1, 1, 3, 3, 1))[0]
    rd, rs1, rs2 = _reg(rng), _reg(rng), _reg(rng)
    if kind == "rr":
        return f"{rng.choice(ALU_RR)} {rd}, {rs1}, {rs2}"
    if kind == "md":
        return f"{rng.choice(MULDIV)} {rd}, {rs1}, {rs2}"
    if kind == "ri":
        return f"{rng.choice(ALU_RI)} {rd}, {rs1}, {rng.randint(-2048, 2047)}"
    if kind == "sh":
        return f"{rng.choice(SHIFT_I)} {rd}, {rs1}, {rng.choice((0, 1, 31, rng.randint(0, 31)))}"
    if kind in ("lui", "auipc"):
        return f"{kind} {rd}, {rng.getrandbits(20):#x}"
    if kind == "ld":
        op = rng.choice(list(LOADS))
        return f"{op} {rd}, {rng.randrange(0, BUF_BYTES, LOADS[op])}(x8)"
    if kind == "st":
        op = rng.choice(list(STORES))
        return f"{op} {rs2}, {rng.randrange(0, BUF_BYTES, STORES[op])}(x8)"
    # address computed by the previous instruction (forwarded into the AGU)
    offset = rng.randrange(0, BUF_BYTES // 2, 4)
    op = rng.choice(list(LOADS) + list(STORES))
    access = f"{op} {rd if op in LOADS else rs2}, {offset}(x9)"
    return f"addi x9, x8, {rng.randrange(0, BUF_BYTES // 2, 4)}\n    {access}"


def generate_program(seed: int, length: int) -> str:
    rng = random.Random(seed)
    body: list[str] = []
    label = 0
    while len(body) < length:
        choice = rng.random()
        if choice < 0.12:
            skipped = [_simple(rng) for _ in range(rng.randint(1, 3))]
            body.append(f"{rng.choice(BRANCHES)} {_reg(rng)}, {_reg(rng)}, L{label}")
            body += skipped
            body.append(f"L{label}:")
            label += 1
        elif choice < 0.16:
            skipped = [_simple(rng) for _ in range(rng.randint(1, 2))]
            body.append(f"jal {_reg(rng)}, L{label}")
            body += skipped
            body.append(f"L{label}:")
            label += 1
        elif choice < 0.19:
            # auipc -> jalr forwarding; jalr skips `count` single-word instructions
            count = rng.randint(1, 2)
            base = _reg(rng, allow_zero=False)
            body.append(f"auipc {base}, 0")
            body.append(f"jalr {_reg(rng)}, {8 + 4 * count + rng.choice((0, 1))}({base})")
            body += [f"add {_reg(rng)}, {_reg(rng)}, {_reg(rng)}" for _ in range(count)]
        else:
            body.append(_simple(rng))

    # the register file has no reset: give every register a defined value
    init = [f"li x{r}, {_value(rng):#x}" if r in POOL else f"li x{r}, 0" for r in range(1, 32) if r != 8]
    buffer = ", ".join(f"{rng.getrandbits(32):#010x}" for _ in range(BUF_BYTES // 4))
    stores = [f"sw x{r}, {4 * r}(x2)" for r in range(1, 32) if r != 8]
    lines = [
        "#ifndef EXPECTED", "#define EXPECTED 0", "#endif",
        ".section .text.init", ".globl _start", "_start:",
        *init, "la x8, buf", *body,
        "la x2, region", *stores,
        # hash = rotl(hash, 5) ^ word over registers and buffer
        "la x5, region", f"li x6, {32 + BUF_BYTES // 4}", "li x2, 0",
        "1: lw x7, 0(x5)", "slli x28, x2, 5", "srli x29, x2, 27", "or x2, x28, x29",
        "xor x2, x2, x7", "addi x5, x5, 4", "addi x6, x6, -1", "bnez x6, 1b",
        "la x5, expected", "lw x6, 0(x5)", "li x7, 0xFFFFFFF0", "li x5, 1",
        "beq x2, x6, 2f", "li x5, 3", "2: sw x5, 0(x7)", "3: j 3b",
        ".data", ".align 2", "expected: .word EXPECTED",
        "region: .space 128", f"buf: .word {buffer}",
    ]
    return "\n".join(("    " + ln) if not (ln.endswith(":") or ln.startswith("#")) else ln
                     for ln in lines) + "\n"


@pytest.fixture(scope="module")
def testbench(tmp_path_factory):
    return rvtool.compile_testbench(tmp_path_factory.mktemp("riscv32_random") / "tb.vvp")


@pytest.mark.tool
@pytest.mark.parametrize("seed", range(1, 17))
def test_random_program_matches_iss(tmp_path, testbench, seed):
    source = tmp_path / f"random{seed}.S"
    source.write_text(generate_program(seed, length=600))
    prog = rvtool.Program(f"random{seed}", (str(source),))

    golden = iss.run_image(rvtool.build_program(prog, tmp_path, tag="_probe"), max_steps=200_000)
    assert golden.tohost is not None, "ISS did not finish the program"
    expected = golden.regs[2]

    hexfile = rvtool.build_program(prog, tmp_path, {"EXPECTED": f"{expected:#x}"})
    assert iss.run_image(hexfile, max_steps=200_000).tohost == 1
    result = rvtool.run_sim(testbench, hexfile, max_cycles=200_000)
    assert result.status == "PASS", (result.log, source)
