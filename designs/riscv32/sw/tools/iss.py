"""Reference instruction-set simulator for RV32IM, used as the golden model in
the random differential test (tests/design/test_riscv32_random.py).

It executes the same memory image the RTL runs (objcopy -O verilog hex),
written independently of the RTL from the ISA manual, with the same
testbench conventions: reset PC 0, 64 KiB RAM at 0 (addresses wrap), a store
word to 0xFFFF_FFF0 ends the run, ECALL/EBREAK halt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

MASK = 0xFFFF_FFFF
RAM_BYTES = 1 << 16
TOHOST = 0xFFFF_FFF0


def load_verilog_hex(path: Path) -> bytearray:
    """Read objcopy's byte-wide verilog hex (@address lines, then hex bytes)."""
    ram = bytearray(RAM_BYTES)
    address = 0
    for token in path.read_text().split():
        if token.startswith("@"):
            address = int(token[1:], 16)
        else:
            ram[address % RAM_BYTES] = int(token, 16)
            address += 1
    return ram


def _sext(value: int, bits: int) -> int:
    value &= (1 << bits) - 1
    return value - (1 << bits) if value >> (bits - 1) else value


def _signed(value: int) -> int:
    return _sext(value, 32)


def _div_trunc(a: int, b: int) -> int:
    quotient = abs(a) // abs(b)
    return -quotient if (a < 0) != (b < 0) else quotient


@dataclass
class Machine:
    ram: bytearray
    pc: int = 0
    regs: list[int] = field(default_factory=lambda: [0] * 32)
    retired: int = 0
    tohost: int | None = None
    halted: bool = False

    # -- memory ---------------------------------------------------------
    def load(self, address: int, size: int) -> int:
        return int.from_bytes(bytes(self.ram[(address + i) % RAM_BYTES] for i in range(size)), "little")

    def store(self, address: int, size: int, value: int) -> None:
        address &= MASK
        if address == TOHOST and size == 4:
            self.tohost = value & MASK
            return
        for i in range(size):
            self.ram[(address + i) % RAM_BYTES] = (value >> (8 * i)) & 0xFF

    # -- execution ------------------------------------------------------
    def run(self, max_steps: int) -> None:
        while self.tohost is None and not self.halted and self.retired < max_steps:
            self.step()

    def step(self) -> None:
        insn = self.load(self.pc, 4)
        opcode, rd, funct3 = insn & 0x7F, (insn >> 7) & 0x1F, (insn >> 12) & 7
        rs1, rs2, funct7 = (insn >> 15) & 0x1F, (insn >> 20) & 0x1F, insn >> 25
        a, b = self.regs[rs1], self.regs[rs2]
        imm_i = _sext(insn >> 20, 12)
        imm_s = _sext(((insn >> 25) << 5) | ((insn >> 7) & 0x1F), 12)
        imm_b = _sext(((insn >> 31) << 12) | (((insn >> 7) & 1) << 11)
                      | (((insn >> 25) & 0x3F) << 5) | (((insn >> 8) & 0xF) << 1), 13)
        imm_u = insn & 0xFFFFF000
        imm_j = _sext(((insn >> 31) << 20) | (((insn >> 12) & 0xFF) << 12)
                      | (((insn >> 20) & 1) << 11) | (((insn >> 21) & 0x3FF) << 1), 21)
        next_pc = self.pc + 4
        result = None

        if opcode == 0x37:                                   # LUI
            result = imm_u
        elif opcode == 0x17:                                 # AUIPC
            result = self.pc + imm_u
        elif opcode == 0x6F:                                 # JAL
            result, next_pc = self.pc + 4, self.pc + imm_j
        elif opcode == 0x67:                                 # JALR
            result, next_pc = self.pc + 4, (a + imm_i) & ~1
        elif opcode == 0x63:                                 # branches
            taken = {0: a == b, 1: a != b, 4: _signed(a) < _signed(b), 5: _signed(a) >= _signed(b),
                     6: a < b, 7: a >= b}[funct3]
            if taken:
                next_pc = self.pc + imm_b
        elif opcode == 0x03:                                 # loads
            size = 1 << (funct3 & 3)
            value = self.load((a + imm_i) & MASK, size)
            result = value if funct3 & 4 or size == 4 else _sext(value, 8 * size)
        elif opcode == 0x23:                                 # stores
            self.store((a + imm_s) & MASK, 1 << funct3, b)
        elif opcode in (0x13, 0x33):                         # ALU
            operand = imm_i if opcode == 0x13 else b
            if opcode == 0x33 and funct7 == 1:
                result = self._muldiv(funct3, a, b)
            else:
                alt = (insn >> 30) & 1 and (opcode == 0x33 or funct3 == 5)
                result = self._alu(funct3, alt, a, operand & MASK)
        elif opcode == 0x73 and funct3 == 0:                 # ECALL, EBREAK
            self.halted = True
        # FENCE (0x0F) and anything else: no effect

        if result is not None and rd != 0:
            self.regs[rd] = result & MASK
        self.pc = next_pc & MASK
        self.retired += 1

    @staticmethod
    def _alu(funct3: int, alt: bool, a: int, b: int) -> int:
        shamt = b & 31
        if funct3 == 0:
            return a - b if alt else a + b
        if funct3 == 1:
            return a << shamt
        if funct3 == 2:
            return int(_signed(a) < _signed(b))
        if funct3 == 3:
            return int(a < b)
        if funct3 == 4:
            return a ^ b
        if funct3 == 5:
            return _signed(a) >> shamt if alt else a >> shamt
        if funct3 == 6:
            return a | b
        return a & b

    @staticmethod
    def _muldiv(funct3: int, a: int, b: int) -> int:
        sa, sb = _signed(a), _signed(b)
        if funct3 == 0:
            return a * b
        if funct3 == 1:
            return (sa * sb) >> 32
        if funct3 == 2:
            return (sa * b) >> 32
        if funct3 == 3:
            return (a * b) >> 32
        if funct3 == 4:
            if b == 0:
                return -1
            return sa if (sa == -(1 << 31) and sb == -1) else _div_trunc(sa, sb)
        if funct3 == 5:
            return MASK if b == 0 else a // b
        if funct3 == 6:
            if b == 0:
                return a
            return 0 if (sa == -(1 << 31) and sb == -1) else sa - _div_trunc(sa, sb) * sb
        return a if b == 0 else a % b


def run_image(path: Path, max_steps: int = 2_000_000) -> Machine:
    machine = Machine(load_verilog_hex(path))
    machine.run(max_steps)
    return machine
