"""Fitting text into token budgets: nothing lost, nothing over budget."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ringkas.models.translator import batches
from ringkas.text.chunk import pack, split_to_fit


def words(text: str) -> int:
    return len(text.split())


def test_split_to_fit_prefers_clause_breaks() -> None:
    text = "satu dua tiga empat, lima enam tujuh delapan; sembilan sepuluh sebelas dua belas"
    pieces = split_to_fit(text, 6, words)
    assert all(words(p) <= 6 for p in pieces)
    assert " ".join(pieces).split() == text.split()
    assert pieces[0].endswith(",")


def test_split_to_fit_without_punctuation_cuts_at_spaces() -> None:
    text = " ".join(f"kata{i}" for i in range(50))
    pieces = split_to_fit(text, 7, words)
    assert all(words(p) <= 7 for p in pieces)
    assert " ".join(pieces) == text


@given(st.text(alphabet=st.sampled_from("ab ,;."), max_size=300), st.integers(1, 20))
def test_split_to_fit_is_lossless_and_within_budget(text: str, budget: int) -> None:
    pieces = split_to_fit(text, budget, words)
    assert "".join(" ".join(pieces).split()) == "".join(text.split())
    assert all(words(p) <= budget or len(p.split()) == 1 for p in pieces)


def test_pack_evens_out_chunks() -> None:
    chunks = pack([10] * 11, 100)
    assert [len(c) for c in chunks] == [6, 5]  # not [10, 1]
    assert [i for chunk in chunks for i in chunk] == list(range(11))


@given(st.lists(st.integers(1, 50), max_size=60), st.integers(50, 200))
def test_pack_keeps_order_and_budget(costs: list[int], budget: int) -> None:
    chunks = pack(costs, budget)
    assert [i for chunk in chunks for i in chunk] == list(range(len(costs)))
    assert all(sum(costs[i] for i in chunk) <= budget for chunk in chunks)
    assert all(chunks)
    if costs:  # as few chunks as greedy filling, which is the fewest possible
        greedy, size = 1, 0
        for cost in costs:
            if size + cost > budget:
                greedy, size = greedy + 1, 0
            size += cost
        assert len(chunks) == greedy


@given(
    st.lists(st.integers(1, 200), max_size=80),
    st.integers(200, 2000),
    st.integers(1, 16),
    st.sampled_from([0.0, 0.6, 0.9]),
)
def test_batches_cover_everything_within_limits(
    lengths: list[int], max_tokens: int, max_size: int, spread: float
) -> None:
    groups = batches(lengths, max_tokens, max_size, spread)
    assert sorted(i for g in groups for i in g) == list(range(len(lengths)))
    for group in groups:
        assert len(group) <= max_size
        longest = max(lengths[i] for i in group)
        assert longest * len(group) <= max_tokens or len(group) == 1
        assert all(lengths[i] >= spread * longest for i in group)
    # longest first: each batch holds items no longer than the previous batch's shortest
    flat = [lengths[i] for g in groups for i in g]
    assert flat == sorted(flat, reverse=True)
