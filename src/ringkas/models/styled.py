"""Summaries in a chosen style (headline, bullets, lede, 5W1H...) from instruction models."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ringkas.models.chat import InstructEngine
from ringkas.models.engine import Decoding
from ringkas.result import Notice
from ringkas.text.chunk import pack, split_to_fit

# Room for the answer, by the kind of output a template asks for (model tokens).
ANSWER_TOKENS = {"headline": 48, "bullets": 220, "fields": 320, "text": 320}
_MAX_PASSES = 4


@dataclass
class StyledSummary:
    """A styled answer, parsed into the structure its template promises."""

    text: str
    tokens: int
    input_tokens: int
    chunks: int
    passes: int
    bullets: list[str] | None = None
    fields: dict[str, str | None] | None = None
    warnings: list[Notice] = field(default_factory=list)


class StyledSummarizer:
    """Ask an instruction model for one style of summary; the article is only ever data."""

    def __init__(self, model: InstructEngine, template: Any, *, beam_size: int = 2) -> None:
        from ringkas.prompts import load_template

        self.model = model
        # The model's own special and added tokens: removed from the article and the
        # template's values, so that no text reaches the model as a control token.
        self._control_tokens: tuple[str, ...] = tuple(getattr(model, "control_tokens", ()))
        self.template = template
        self.beam_size = beam_size
        self.answer_tokens = ANSWER_TOKENS.get(template.output, 320)
        # Text too long for the model's context is first condensed with the brief style.
        self.brief = template if template.name == "brief" else load_template("brief")

    def _tokens(self, template: Any, article: str) -> int:
        from ringkas.prompts import render

        prompt = render(template, article, control_tokens=self._control_tokens)
        return self.model.prompt_tokens([prompt])[0]

    def _budget(self, template: Any) -> int:
        """Article tokens that fit with the template and room for the answer."""
        overhead = self._tokens(template, "")
        return self.model.max_input_tokens - self.answer_tokens - overhead - 8

    def _ask(self, template: Any, article: str) -> tuple[str, int]:
        from ringkas.prompts import render

        decoding = Decoding(beam_size=self.beam_size, max_new_tokens=self.answer_tokens)
        prompt = render(template, article, control_tokens=self._control_tokens)
        (answer,) = self.model.answer([prompt], decoding)
        return answer.text, answer.tokens

    def _condense(self, units: Sequence[str], target: int) -> tuple[str, int, int]:
        """Brief summaries of chunks (and of those, if need be) until the text fits."""
        overhead = self._tokens(self.brief, "")
        budget = self._budget(self.brief)

        def cost(text: str) -> int:
            return self._tokens(self.brief, text) - overhead

        chunks, passes = 0, 1
        while True:
            pieces = [piece for unit in units for piece in split_to_fit(unit, budget, cost)]
            groups = pack([cost(piece) for piece in pieces], budget)
            parts = [" ".join(pieces[i] for i in group) for group in groups]
            chunks = chunks or len(parts)
            partials = [self._ask(self.brief, part)[0] for part in parts]
            passes += 1
            article = " ".join(partials)
            if self._tokens(self.template, article) <= target or passes > _MAX_PASSES:
                return article, chunks, passes
            units = partials

    def summarize(self, sentences: Sequence[str]) -> StyledSummary:
        """The styled summary of an English article given as sentences."""
        from ringkas.prompts import parse_output

        article = " ".join(s.strip() for s in sentences if s.strip())
        input_tokens = self._tokens(self.template, article)
        warnings: list[Notice] = []
        chunks = passes = 1
        budget = self._budget(self.template)
        if input_tokens - self._tokens(self.template, "") > budget:
            article, chunks, passes = self._condense(sentences, budget)
            warnings.append(
                Notice(
                    "chunked",
                    f"the article is longer than {self.model.name} takes with room for its "
                    f"answer: it was condensed in {chunks} chunks and {passes - 1} pass(es) first",
                )
            )
        answer, tokens = self._ask(self.template, article)
        styled = parse_output(self.template, answer)
        warnings += [Notice("style_output", message) for message in styled.warnings]
        return StyledSummary(
            text=styled.text,
            tokens=tokens,
            input_tokens=input_tokens,
            chunks=chunks,
            passes=passes,
            bullets=styled.bullets,
            fields=styled.fields,
            warnings=warnings,
        )
