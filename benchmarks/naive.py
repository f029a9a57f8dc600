"""The naive path: a one-off script that summarises one article the obvious way.

Usage: python benchmarks/naive.py ARTICLE -t MARIAN_FOLDER -s BART_FOLDER [--force R,T]

It imports torch and transformers, loads both checkpoints in fp32, translates the article's
sentences one at a time with ``model.generate()`` at the translator's own beam setting, then
summarises the joined translation in one pass at the summarizer's own settings. The
sentences are the ones ringkas would translate (``clean_article`` + ``split_sentences`` per
line), so both do the same work. ``--force R,T`` gives each sentence exactly
round(R x its input tokens) new tokens (at most 512) and the summary exactly T, as
``ringkas --force-output-lengths`` does. Prints one JSON object of counts and timings.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import argparse  # noqa: E402  (the clock starts before every import, as for a CLI run)
import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import torch  # noqa: E402
from transformers import AutoModelForSeq2SeqLM, AutoTokenizer  # noqa: E402

from ringkas.text import clean_article, split_sentences  # noqa: E402

IMPORTED = time.perf_counter()


def sentences_of(text: str) -> list[str]:
    """The sentences ringkas translates: cleaned article, split line by line."""
    cleaned = clean_article(text).text
    return [
        sentence.strip()
        for line in cleaned.split("\n")
        if line.strip()
        for sentence in split_sentences(line)
        if sentence.strip()
    ]


def main() -> int:
    """Summarise one article the naive way and print counts and timings as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("article", type=Path)
    parser.add_argument("-t", "--translator", required=True)
    parser.add_argument("-s", "--summarizer", required=True)
    parser.add_argument("--force", help="R,T: forced output lengths, as in ringkas")
    args = parser.parse_args()
    ratio, summary_tokens = (None, None)
    if args.force:
        r, t = args.force.split(",")
        ratio, summary_tokens = float(r), int(t)

    seconds: dict[str, float] = {"import": IMPORTED - STARTED}
    start = time.perf_counter()
    sentences = sentences_of(args.article.read_text(encoding="utf-8"))
    seconds["clean"] = time.perf_counter() - start

    start = time.perf_counter()
    mt_tokenizer = AutoTokenizer.from_pretrained(args.translator)
    mt_model = AutoModelForSeq2SeqLM.from_pretrained(args.translator)
    sum_tokenizer = AutoTokenizer.from_pretrained(args.summarizer)
    sum_model = AutoModelForSeq2SeqLM.from_pretrained(args.summarizer)
    seconds["load"] = time.perf_counter() - start

    start = time.perf_counter()
    translations: list[str] = []
    source_tokens = translation_tokens = 0
    specials = set(mt_tokenizer.all_special_ids)
    for sentence in sentences:
        inputs = mt_tokenizer(sentence, return_tensors="pt")
        length = inputs["input_ids"].shape[1]
        source_tokens += length
        forced = {}
        if ratio is not None:
            n = min(mt_model.config.max_position_embeddings, max(1, round(ratio * length)))
            # max_length=None: the checkpoint's max_length 512 would otherwise clash.
            forced = {"max_new_tokens": n, "min_new_tokens": n, "max_length": None}
        output = mt_model.generate(**inputs, **forced)
        translation_tokens += sum(1 for i in output[0].tolist() if i not in specials)
        translations.append(mt_tokenizer.decode(output[0], skip_special_tokens=True))
    seconds["translate"] = time.perf_counter() - start

    start = time.perf_counter()
    english = " ".join(t.strip() for t in translations if t.strip())
    limit = sum_model.config.max_position_embeddings
    inputs = sum_tokenizer(english, return_tensors="pt", truncation=True, max_length=limit)
    full_length = len(sum_tokenizer(english)["input_ids"])
    forced = {}
    if summary_tokens is not None:
        forced = {
            "max_new_tokens": summary_tokens,
            "min_new_tokens": summary_tokens,
            "max_length": None,
        }
    output = sum_model.generate(**inputs, **forced)
    summary = sum_tokenizer.decode(output[0], skip_special_tokens=True)
    sum_specials = set(sum_tokenizer.all_special_ids)
    seconds["summarize"] = time.perf_counter() - start
    seconds["total"] = time.perf_counter() - STARTED

    report = {
        "sentences": len(sentences),
        "source_tokens": source_tokens,
        "translation_tokens": translation_tokens,
        "summary_input_tokens": inputs["input_ids"].shape[1],
        "summary_input_tokens_untruncated": full_length,
        "summary_tokens": sum(1 for i in output[0].tolist() if i not in sum_specials),
        "beams": [mt_model.generation_config.num_beams, sum_model.generation_config.num_beams],
        "threads": torch.get_num_threads(),
        "seconds": {k: round(v, 3) for k, v in seconds.items()},
        "translation_sample": english[:200],
        "summary_sample": summary[:200],
    }
    json.dump(report, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
