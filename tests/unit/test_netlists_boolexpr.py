"""The Liberty boolean-expression evaluator used by the truth-table checks."""

from __future__ import annotations

import itertools

import pytest

from ffet_flow.cells.boolexpr import evaluate


@pytest.mark.parametrize("expr,ref", [
    ("!(A&B)", lambda a, b: not (a and b)),
    ("A' + B", lambda a, b: (not a) or b),
    ("A*B | !A*!B", lambda a, b: a == b),
    ("(A^B)", lambda a, b: a != b),
    ("!A ^ B", lambda a, b: (not a) != b),
    ("A | B & 0", lambda a, b: a),
    ("(A+B)'", lambda a, b: not (a or b)),
])
def test_operators_and_precedence(expr, ref):
    for a, b in itertools.product((0, 1), repeat=2):
        assert evaluate(expr, {"A": a, "B": b}) == int(bool(ref(a, b))), (expr, a, b)


def test_errors_are_reported():
    for bad in ("A &", "(A | B", "A # B", "C"):
        with pytest.raises(ValueError):
            evaluate(bad, {"A": 1, "B": 0})
