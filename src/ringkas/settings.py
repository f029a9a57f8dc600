"""The settings of a run, validated in one place."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from ringkas.errors import UsageError
from ringkas.limits import check_beam, check_threads

# The default models (their pinned revisions and licences: ringkas.models.registry).
DEFAULT_TRANSLATOR = "Helsinki-NLP/opus-mt-id-en"
DEFAULT_SUMMARIZER = "sshleifer/distilbart-cnn-12-6"
ENGINES = ("ctranslate2", "torch")
DEVICES = ("cpu", "cuda", "auto")
COMPUTE_TYPES = ("auto", "int8", "int8_float16", "float16", "float32")
LENGTHS = ("short", "medium", "long")
# Beam 2 keeps most of what a wider beam gains over greedy search at a fraction of the
# cost of beam 4 (see README, "Speed"); --fast is greedy, --beam 4 the models' own setting.
DEFAULT_BEAM = 2


@dataclass(frozen=True)
class Settings:
    """Which models run where, and how they decode."""

    translator: str = DEFAULT_TRANSLATOR
    summarizer: str = DEFAULT_SUMMARIZER
    engine: str = "ctranslate2"
    device: str = "cpu"
    compute_type: str = "auto"
    threads: int | None = None
    length: str = "medium"
    style: str | None = None  # a prompt template's name or file (instruction models)
    beam_size: int = DEFAULT_BEAM
    clean: bool = True
    # A Hub model without safetensors weights is refused instead of having its pickled
    # weights converted once with PyTorch's safe loader.
    safetensors_only: bool = False
    # Benchmarks only: (translation tokens per source token, summary tokens), forced exactly,
    # so that random-weight models do the work real ones would.
    forced_lengths: tuple[float, int] | None = None

    def __post_init__(self) -> None:
        for name, allowed in (
            ("engine", ENGINES),
            ("device", DEVICES),
            ("compute_type", COMPUTE_TYPES),
            ("length", LENGTHS),
        ):
            value = getattr(self, name)
            if value not in allowed:
                raise UsageError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
        # The bounds of the flags, variables and config file (ringkas.limits), for library
        # callers too.
        checks = [("beam_size", self.beam_size, check_beam)]
        if self.threads is not None:
            checks.append(("threads", self.threads, check_threads))
        for name, value, check in checks:
            try:
                check(value)
            except ValueError as exc:
                raise UsageError(f"{name} {exc}") from None

    @classmethod
    def from_options(cls, **options: Any) -> Settings:
        """Settings from keyword options; None means "the default"."""
        known = {f.name for f in fields(cls)}
        unknown = set(options) - known
        if unknown:
            raise TypeError(f"unknown settings: {', '.join(sorted(unknown))}")
        return cls(**{k: v for k, v in options.items() if v is not None})

    def with_options(self, **options: Any) -> Settings:
        return replace(self, **{k: v for k, v in options.items() if v is not None})

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
