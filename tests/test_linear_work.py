"""No input takes hours: the work of each text stage grows linearly with its input.

Nothing here is timed. Work is counted as the Python steps a stage takes (trace events:
calls, lines, returns); a quadratic loop shows as steps that grow with the square of the
input. Each crafted input of benchmarks/adversarial.py (very short lines, nested fake
delimiters, runs of number words, date-like tokens, ...) is run at three sizes N, 2N and
4N through the stage it targets: doubling the input from 2N to 4N may at most about
double the steps (a quadratic stage makes them four times as many).

Regular expressions run in C and are not counted; the adversarial benchmark times them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import FrameType
from typing import Any

import pytest

from conftest import load_benchmark

adversarial = load_benchmark("adversarial")
STAGES = adversarial.stages()
BASE = 1500  # characters; traced runs are slow, and three sizes show the growth
# Linear work gives 2.0 at most (less where a fixed cost is shared); quadratic gives 4.
MAX_GROWTH = 2.5


def steps(run: Callable[[str], object], text: str) -> int:
    """Trace events (calls, lines, returns) of Python code while ``run(text)`` runs."""
    count = 0

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        count += 1
        return tracer

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        run(text)
    finally:
        sys.settrace(previous)
    return count


def growth(run: Callable[[str], object], make: Callable[[int], str]) -> tuple[float, list[int]]:
    """How many times the steps grow when the input doubles from 2N to 4N (N to 2N only
    warms up: thresholds such as the cleaner's word limits show there), and the counts."""
    counts = [steps(run, make(BASE * factor)) for factor in (1, 2, 4)]
    return counts[2] / counts[1], counts


@pytest.mark.parametrize("kind", sorted(adversarial.KINDS))
def test_crafted_input_work_is_linear(kind: str) -> None:
    stage, _ = adversarial.KINDS[kind]
    ratio, counts = growth(STAGES[stage].run, lambda n: adversarial.crafted(kind, n))
    assert ratio <= MAX_GROWTH, f"{kind} through {stage}: steps {counts} grow by {ratio:.2f}"


@pytest.mark.parametrize("stage", ["clean", "segment", "language", "check-summary", "prompt"])
def test_normal_input_work_is_linear(stage: str) -> None:
    ratio, counts = growth(STAGES[stage].run, lambda n: adversarial.normal_input(stage, n))
    assert ratio <= MAX_GROWTH, f"normal input through {stage}: steps {counts}"


def test_the_counter_sees_quadratic_work() -> None:
    # The measure itself: a loop over all pairs grows by four, a single loop by two.
    def pairs(text: str) -> None:
        for _ in text:
            for _ in text:
                pass

    def single(text: str) -> None:
        for _ in text:
            pass

    assert growth(pairs, lambda n: "a" * (n // 50))[0] > 3.5
    assert growth(single, lambda n: "a" * n)[0] == pytest.approx(2.0, abs=0.01)
