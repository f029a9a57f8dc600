"""How long a first run takes besides the download itself: the download's own overhead,
the two conversions, and the safe pickle fallback, on real-size random-weight models.

Usage: python benchmarks/first_run.py [--corpus PATH] [--out DIR]

Builds (once) the real-size checkpoints of ``realsize.py``, serves the translator from the
tests' Hub stand-in on 127.0.0.1 (safetensors on its pull-request ref, as on the Hub) and
downloads it with ringkas's downloader, then converts both models to CTranslate2 int8 as a
first run does, and converts the translator's weights from a pickle with the safe loader.
Prints seconds and ratios measured in this one run (timings on a shared machine are noisy:
compare the ratios). A real first run adds the download time of ~1.5 GB at the line's speed.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent / "tests"))
sys.path.insert(0, str(BENCH.parent / "src"))

import realsize  # noqa: E402


def _hash_seconds(path: Path) -> float:
    """Reading and hashing the file once: the floor for a verified download from loopback."""
    start = time.perf_counter()
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return time.perf_counter() - start


def _serve(folder: Path):  # -> HubServer
    from hub_server import HubServer, Repo

    repo = Repo("Helsinki-NLP/opus-mt-id-en")
    support = {f.name: f.read_bytes() for f in folder.iterdir() if f.suffix != ".safetensors"}
    main = repo.commit("main", "Upload", add=support)
    weights = (folder / "model.safetensors").read_bytes()
    repo.commit(
        "refs/pr/1",
        "Adding `safetensors` variant of this model",
        add={"model.safetensors": weights},
        parent=main.sha,
    )
    return HubServer([repo]).start()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=realsize.DEFAULT_CORPUS)
    parser.add_argument("--out", type=Path, default=realsize.DEFAULT_OUT)
    args = parser.parse_args(argv)
    if not (args.corpus / "parallel").is_dir():
        print(f"corpus not found at {args.corpus} (pass --corpus PATH)", file=sys.stderr)
        return 2
    folders = realsize.ensure_models(args.corpus, args.out)
    marian, bart = folders[realsize.MARIAN_NAME], folders[realsize.BART_NAME]
    work = Path(tempfile.mkdtemp(prefix="ringkas-first-run-"))
    os.environ["RINGKAS_CACHE_DIR"] = str(work / "cache")
    os.environ.pop("HF_HUB_OFFLINE", None)
    try:
        import huggingface_hub.constants as hub_constants

        from ringkas.models import download
        from ringkas.models.convert import convert_checkpoint
        from ringkas.models.pickled import convert_pickled_weights

        hub_constants.HF_HUB_OFFLINE = False
        server = _serve(marian)
        os.environ["HF_ENDPOINT"] = server.url
        hub_constants.ENDPOINT = server.url
        try:
            start = time.perf_counter()
            got = download.fetch(
                "Helsinki-NLP/opus-mt-id-en", "refs/pr/1", pinned=True, offline=False
            )
            fetched = time.perf_counter() - start
        finally:
            server.stop()
        weights = got.folder / "model.safetensors"
        size = sum(f.stat().st_size for f in got.folder.iterdir() if f.is_file())
        hashed = _hash_seconds(weights)

        # Imports are paid once per process, whichever model comes first: not part of either.
        import ctranslate2  # noqa: F401
        import torch
        import transformers  # noqa: F401

        conversions = {}
        for name, folder in (("translator", got.folder), ("summarizer", bart)):
            start = time.perf_counter()
            convert_checkpoint(folder, work / f"ct2-{name}", source={"name": name})
            conversions[name] = time.perf_counter() - start

        from safetensors.torch import load_file

        pickled = work / "pickled"
        pickled.mkdir()
        torch.save(load_file(weights), pickled / "pytorch_model.bin")
        start = time.perf_counter()
        convert_pickled_weights(pickled, "translator")
        fallback = time.perf_counter() - start
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(
        f"download of the translator from the stand-in on 127.0.0.1 (same process): "
        f"{size / 1e6:.0f} MB in {fetched:.1f} s ({size / 1e6 / fetched:.0f} MB/s, "
        f"{size * 8 / 1e6 / fetched:.0f} Mbit/s); reading and hashing its weights once: "
        f"{hashed:.1f} s (download / hash: {fetched / hashed:.1f}x)"
    )
    for name, seconds in conversions.items():
        print(f"conversion of the {name} to CTranslate2 int8: {seconds:.1f} s")
    total = sum(conversions.values())
    ratio = conversions["summarizer"] / conversions["translator"]
    print(f"summarizer / translator conversion: {ratio:.1f}x; both: {total:.1f} s")
    print(
        f"safe pickle fallback for the translator (torch.load weights_only + safetensors): "
        f"{fallback:.1f} s ({fallback / conversions['translator']:.2f}x its conversion)"
    )
    for mbit in (10, 50, 200):
        seconds = 1.5e9 * 8 / (mbit * 1e6)
        print(
            f"first run at {mbit} Mbit/s: ~{seconds / 60:.0f} min downloading + {total:.0f} s "
            f"converting (conversion is {total / (seconds + total):.0%} of it)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
