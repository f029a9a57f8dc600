"""Load any supported model with the chosen engine: translators, summarizers, chat models."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ringkas.models.hub import fetch_model, parse_model_spec

if TYPE_CHECKING:
    from ringkas.models.ct2_engine import Batches
from ringkas.settings import Settings

Report = Callable[[str], None]


def _is_causal(folder: Path) -> bool:
    """A decoder-only (chat) model rather than an encoder-decoder, from config.json alone."""
    try:
        config = json.loads((folder / "config.json").read_text("utf-8"))
    except (OSError, ValueError):
        return False
    return not config.get("is_encoder_decoder", False) and not any(
        name.endswith(("ConditionalGeneration", "MTModel"))
        for name in config.get("architectures") or []
    )


def load_model(
    spec: str,
    settings: Settings | None = None,
    *,
    report: Report | None = None,
    batches: Batches = "parallel",
) -> Any:
    """Get a model ready (download, convert) and load it with the settings' engine.

    Returns a seq2seq engine (``generate``) for encoder-decoder models and an instruction
    engine (``answer``) for chat LMs. ``batches`` says how its work will come: many small
    batches at once ("parallel": a translator's sentences) or one large batch at a time
    ("serial": a summarizer's articles); CTranslate2 lays its threads out to match.
    """
    settings = settings or Settings()
    model = parse_model_spec(spec)
    options: dict[str, Any] = {
        "device": settings.device,
        "compute_type": settings.compute_type,
        "threads": settings.threads,
    }
    if settings.engine == "ctranslate2":
        from ringkas.models import store

        stored = store.ensure(model, allow_pickle=not settings.safetensors_only, report=report)
        if stored.info.get("kind") == "causal":
            from ringkas.models.ct2_causal import CT2Causal

            return CT2Causal(stored.path, model.label, batches=batches, **options)
        from ringkas.models.ct2_engine import CT2Seq2Seq

        return CT2Seq2Seq(stored.path, model.label, batches=batches, **options)
    folder = fetch_model(model, allow_pickle=not settings.safetensors_only, report=report)
    if _is_causal(folder):
        from ringkas.models.torch_causal import TorchCausal

        return TorchCausal(folder, model.label, **options)
    from ringkas.models.torch_engine import TorchSeq2Seq

    return TorchSeq2Seq(folder, model.label, **options)
