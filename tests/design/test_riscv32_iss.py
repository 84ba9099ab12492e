"""Fast checks (no external tools) of the Python ISS that serves as the golden
model for the random differential test: the M-extension corner cases from the
ISA manual and a few hand-encoded instructions."""

from __future__ import annotations

import pytest

from tests.design.test_riscv32_random import iss

INT_MIN = 0x8000_0000
M1 = 0xFFFF_FFFF


@pytest.mark.parametrize(
    ("funct3", "a", "b", "expected"),
    [
        (4, 20, 0, M1),             # DIV by zero: -1
        (5, 20, 0, M1),             # DIVU by zero: all ones
        (6, 20, 0, 20),             # REM by zero: dividend
        (7, 20, 0, 20),             # REMU by zero: dividend
        (4, INT_MIN, M1, INT_MIN),  # DIV overflow
        (6, INT_MIN, M1, 0),        # REM overflow
        (4, (-7) & M1, 2, (-3) & M1),  # rounds toward zero
        (6, (-7) & M1, 2, (-1) & M1),  # remainder has the dividend's sign
        (1, INT_MIN, INT_MIN, 0x4000_0000),  # MULH
        (2, M1, M1, M1),            # MULHSU: -1 * (2^32 - 1)
        (3, M1, M1, 0xFFFF_FFFE),   # MULHU
    ],
)
def test_muldiv_corner_cases(funct3, a, b, expected):
    assert iss.Machine._muldiv(funct3, a, b) & M1 == expected


def _image(words):
    ram = bytearray(iss.RAM_BYTES)
    for i, word in enumerate(words):
        ram[4 * i:4 * i + 4] = word.to_bytes(4, "little")
    return ram


def test_hand_encoded_program():
    program = [
        0xFFF00093,  # addi x1, x0, -1
        0x0010D113,  # srli x2, x1, 1
        0x4010D193,  # srai x3, x1, 1
        0x00100023,  # sb   x1, 0(x0)
        0x00004203,  # lbu  x4, 0(x0)
        0x00000283,  # lb   x5, 0(x0)
        0x00100073,  # ebreak
    ]
    machine = iss.Machine(_image(program))
    machine.run(max_steps=100)
    assert machine.halted and machine.retired == 7
    assert machine.regs[1:6] == [M1, 0x7FFF_FFFF, M1, 0xFF, M1]
