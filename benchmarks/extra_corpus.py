"""Build the extra evaluation sets: Indonesian text that the shared corpus does not hold.

    python benchmarks/extra_corpus.py --repos DIR [--out benchmarks/out/extra]

``DIR`` holds clones (or bare git directories) of these public repositories, each under
its own name or as ``owner+name``:

- UniversalDependencies/UD_Indonesian-GSD (CC BY-SA 4.0): dev, and the test units that
  the shared corpus lacks;
- UniversalDependencies/UD_Indonesian-CSUI (CC BY-SA 4.0): train, and the test units that
  the shared corpus lacks;
- UniversalDependencies/UD_Indonesian-PUD (CC BY-SA 3.0): the test units that the shared
  corpus lacks, with their English side from UniversalDependencies/UD_English-PUD
  (CC BY-SA 3.0);
- MicrosoftTranslator/NTREX (CC BY-SA 4.0): the NTREX-128 documents that the shared
  corpus lacks, Indonesian and English.

The sets are written to ``OUT`` (default ``benchmarks/out/extra``, not committed: the data
stays with its publishers and their licences) with a ``manifest.json`` that records, per
file, the repository, path, commit and licence. Each source is cut into blocks (a
document, or 20 consecutive treebank units) and about a third of the blocks, chosen by a
hash of the block id, go to ``*.heldout.jsonl``: they are for one final measurement only
(``--heldout`` in ``segmentation.py`` and ``faithfulness.py``), never for tuning.

Files (JSON lines):

- ``sentences/SOURCE.{dev,heldout}.jsonl``: ``{"doc_id", "units": [...], "title": bool}``,
  gold sentence units in order; ``title`` marks a first unit that is a headline.
- ``parallel/SOURCE.{dev,heldout}.jsonl``: ``{"doc_id", "id": [...], "en": [...]}``,
  sentence-aligned Indonesian and English.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "corpus"
DEFAULT_OUT = REPO_ROOT / "benchmarks" / "out" / "extra"
BLOCK_UNITS = 20
HELDOUT_SHARE = 1 / 3

LICENCES = {
    "UniversalDependencies/UD_Indonesian-GSD": "CC BY-SA 4.0",
    "UniversalDependencies/UD_Indonesian-CSUI": "CC BY-SA 4.0",
    "UniversalDependencies/UD_Indonesian-PUD": "CC BY-SA 3.0",
    "UniversalDependencies/UD_English-PUD": "CC BY-SA 3.0",
    "MicrosoftTranslator/NTREX": "CC BY-SA 4.0",
}


class Source:
    """A repository as a work tree or a git directory: read files at its current commit."""

    def __init__(self, repos: Path, name: str) -> None:
        owner, short = name.split("/")
        candidates = [repos / short, repos / name, repos / f"{owner}+{short}" / "repo"]
        candidates += [repos / f"{owner}+{short}"]
        found = next((c for c in candidates if c.exists()), None)
        if found is None:
            raise SystemExit(f"{name}: not found under {repos} (clone it there)")
        self.name = name
        self.path = found
        self.commit = self._git("rev-parse", "HEAD").strip()

    def _git(self, *args: str) -> str:
        where = (
            ["-C", str(self.path)] if (self.path / ".git").exists() else [f"--git-dir={self.path}"]
        )
        return subprocess.run(
            ["git", *where, *args], check=True, capture_output=True, text=True
        ).stdout

    def read(self, path: str) -> str:
        return self._git("show", f"HEAD:{path}")

    def origin(self, path: str) -> dict[str, str]:
        return {
            "source_repo": self.name,
            "source_path": path,
            "source_commit": self.commit,
            "license": LICENCES[self.name],
        }


def conllu_units(text: str) -> Iterator[tuple[str, str, str | None]]:
    """(sent_id, text, text_en) of each sentence block of a CoNLL-U file."""
    sent_id = unit = english = None
    for line in text.splitlines():
        if line.startswith("# sent_id ="):
            sent_id = line.split("=", 1)[1].strip()
        elif line.startswith("# text ="):
            unit = line.split("=", 1)[1].strip()
        elif line.startswith("# text_en ="):
            english = line.split("=", 1)[1].strip()
        elif not line.strip():
            if sent_id and unit:
                yield sent_id, unit, english
            sent_id = unit = english = None
    if sent_id and unit:
        yield sent_id, unit, english


def shared_ids(corpus: Path, name: str) -> set[str]:
    path = corpus / "sentences" / name
    if not path.is_file():
        return set()
    return {line.split("\t", 1)[0] for line in path.read_text("utf-8").splitlines()[1:]}


def heldout_ids(records: list[dict[str, object]]) -> set[str]:
    """A third of the blocks, the same ones on every run: those with the smallest hashes."""
    ids = sorted(
        (str(r["doc_id"]) for r in records), key=lambda i: hashlib.sha256(i.encode()).digest()
    )
    return set(ids[: round(len(ids) * HELDOUT_SHARE)])


def blocks(units: list[tuple[str, str]], prefix: str) -> list[dict[str, object]]:
    """Consecutive treebank units in blocks of BLOCK_UNITS (no document markers exist)."""
    result: list[dict[str, object]] = []
    for start in range(0, len(units), BLOCK_UNITS):
        chunk = units[start : start + BLOCK_UNITS]
        result.append(
            {"doc_id": f"{prefix}:{chunk[0][0]}", "units": [u for _, u in chunk], "title": False}
        )
    return result


def write_split(
    out: Path, kind: str, name: str, records: list[dict[str, object]]
) -> dict[str, int]:
    counts = {}
    held = heldout_ids(records)
    for split in ("dev", "heldout"):
        chosen = [r for r in records if (str(r["doc_id"]) in held) == (split == "heldout")]
        path = out / kind / f"{name}.{split}.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8") as handle:
            for record in chosen:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        counts[split] = len(chosen)
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repos", type=Path, required=True)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    out: Path = args.out
    manifest: list[dict[str, object]] = []

    def record(
        kind: str, name: str, records: list[dict[str, object]], origins: list[dict[str, str]]
    ) -> None:
        counts = write_split(out, kind, name, records)
        units = sum(len(r.get("units") or r.get("id") or []) for r in records)  # type: ignore[arg-type]
        manifest.append(
            {"file": f"{kind}/{name}", "blocks": counts, "units": units, "from": origins}
        )
        print(
            f"{kind}/{name}: {counts['dev']} dev + {counts['heldout']} held-out blocks, "
            f"{units} units"
        )

    # UD treebanks: everything the shared corpus does not already hold.
    gsd = Source(args.repos, "UniversalDependencies/UD_Indonesian-GSD")
    taken = shared_ids(args.corpus, "ud_gsd_test.sentences.tsv")
    units: list[tuple[str, str]] = []
    origins = []
    for path in ("id_gsd-ud-dev.conllu", "id_gsd-ud-test.conllu"):
        units += [(i, t) for i, t, _ in conllu_units(gsd.read(path)) if i not in taken]
        origins.append(gsd.origin(path))
    record("sentences", "gsd", blocks(units, "gsd"), origins)

    csui = Source(args.repos, "UniversalDependencies/UD_Indonesian-CSUI")
    taken = shared_ids(args.corpus, "ud_csui_test.sentences.tsv")
    units, origins = [], []
    for path in ("id_csui-ud-train.conllu", "id_csui-ud-test.conllu"):
        units += [(i, t) for i, t, _ in conllu_units(csui.read(path)) if i not in taken]
        origins.append(csui.origin(path))
    record("sentences", "csui", blocks(units, "csui"), origins)

    # PUD: documents are the sent_id prefix (n01001...), as in faithfulness.py.
    pud = Source(args.repos, "UniversalDependencies/UD_Indonesian-PUD")
    pud_en = Source(args.repos, "UniversalDependencies/UD_English-PUD")
    taken = shared_ids(args.corpus, "ud_pud_test.sentences.tsv")
    english = {i: t for i, t, _ in conllu_units(pud_en.read("en_pud-ud-test.conllu"))}
    documents: dict[str, list[tuple[str, str]]] = {}
    for sent_id, text, _ in conllu_units(pud.read("id_pud-ud-test.conllu")):
        if sent_id not in taken:
            documents.setdefault(sent_id[:6], []).append((sent_id, text))
    origins = [pud.origin("id_pud-ud-test.conllu"), pud_en.origin("en_pud-ud-test.conllu")]
    record(
        "sentences",
        "pud",
        [
            {"doc_id": f"pud:{d}", "units": [t for _, t in u], "title": False}
            for d, u in documents.items()
        ],
        origins[:1],
    )
    record(
        "parallel",
        "pud",
        [
            {"doc_id": f"pud:{d}", "id": [t for _, t in u], "en": [english[i] for i, _ in u]}
            for d, u in documents.items()
            if all(i in english for i, _ in u)
        ],
        origins,
    )

    # NTREX-128: whole documents that the shared corpus does not hold.
    ntrex = Source(args.repos, "MicrosoftTranslator/NTREX")
    paths = {
        "id": "NTREX-128/newstest2019-ref.ind.txt",
        "en": "NTREX-128/newstest2019-src.eng.txt",
        "doc": "DOCUMENT_IDS.tsv",
    }
    lines = {
        k: ntrex.read(p).replace("\r\n", "\n").replace("\r", "\n").splitlines()
        for k, p in paths.items()
    }
    shared_docs = set()
    meta = args.corpus / "parallel" / "ntrex128_newstest2019.meta.tsv"
    if meta.is_file():
        shared_docs = {row.split("\t")[1] for row in meta.read_text("utf-8").splitlines()[1:]}
    docs: dict[str, tuple[list[str], list[str]]] = {}
    for doc, indonesian, eng in zip(lines["doc"], lines["id"], lines["en"], strict=True):
        doc = doc.strip()
        if doc not in shared_docs:
            docs.setdefault(doc, ([], []))
            docs[doc][0].append(indonesian.strip())
            docs[doc][1].append(eng.strip())
    origins = [ntrex.origin(p) for p in paths.values()]
    record(
        "sentences",
        "ntrex",
        [{"doc_id": f"ntrex:{d}", "units": i, "title": True} for d, (i, _) in docs.items()],
        origins,
    )
    record(
        "parallel",
        "ntrex",
        [{"doc_id": f"ntrex:{d}", "id": i, "en": e} for d, (i, e) in docs.items()],
        origins,
    )
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
