"""``ringkas models``: fetch, convert, list and remove the models ringkas runs."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from ringkas.cli.options import ModelNotes, RingkasGroup
from ringkas.errors import InputError, ModelUnavailableError
from ringkas.limits import size_text


@click.group(cls=RingkasGroup)
def models() -> None:
    """Download, convert (CTranslate2 int8), list and remove models."""


def _pull(name: str, *, update: bool) -> None:
    from ringkas.config import resolve
    from ringkas.models import store
    from ringkas.models.hub import parse_model_spec

    spec = parse_model_spec(name)
    allow_pickle = not resolve({}).values["safetensors_only"]
    stored = store.ensure(spec, update=update, allow_pickle=allow_pickle, report=ModelNotes())
    click.echo(f"{stored.name}\t{stored.path}\t{size_text(stored.size_bytes or 0, decimal=True)}")


@models.command()
@click.argument("names", nargs=-1, metavar="[NAME]...")
def pull(names: tuple[str, ...]) -> None:
    """Download NAME[@REVISION] (default: the default translator and summarizer) from the
    Hugging Face Hub, convert it for CTranslate2 and keep both in the ringkas cache.

    A known model's pinned revision is used if it exists and has safetensors weights, else
    main if it has them, else the newest pull request that has them (the choice is said on
    stderr and shown by `ringkas models list`). A model with no safetensors anywhere has its
    pickled weights converted once with PyTorch's safe loader, unless safetensors_only is
    set. Downloads resume where they stopped. Prints the name, the converted folder and its
    size. Pulling again checks the Hub for a newer commit.
    """
    from ringkas.models.registry import DEFAULT_SUMMARIZER, DEFAULT_TRANSLATOR

    for name in names or (DEFAULT_TRANSLATOR, DEFAULT_SUMMARIZER):
        _pull(name, update=True)


@models.command(name="import")
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
def import_(folder: str) -> None:
    """Convert a local transformers model FOLDER (config.json + safetensors) into the cache.

    The conversion is keyed by the folder's content: it is redone only when the files change.
    --translator/--summarizer FOLDER do this by themselves on first use.
    """
    _pull(folder, update=False)


@models.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def list_(as_json: bool) -> None:
    """Show the default models, what is in the cache, sizes and licences."""
    from ringkas.models import store
    from ringkas.models.hub import parse_model_spec
    from ringkas.models.registry import DEFAULT_SUMMARIZER, DEFAULT_TRANSLATOR, KNOWN_MODELS

    rows: list[dict[str, Any]] = []
    seen = set()
    for info in KNOWN_MODELS.values():
        stored = store.find(parse_model_spec(info.name))
        role = {DEFAULT_TRANSLATOR: "translator", DEFAULT_SUMMARIZER: "summarizer"}
        rows.append(
            {
                "name": info.name,
                "revision": (stored.revision if stored else None) or info.revision,
                "pinned": info.revision,
                "commit": stored.info.get("source", {}).get("commit") if stored else None,
                "role": f"default {role.get(info.name, info.task)}",
                "license": info.license,
                "download_mb": info.download_mb,
                "cached": stored is not None,
                "path": str(stored.path) if stored else None,
                "size_bytes": stored.size_bytes if stored else None,
            }
        )
        if stored:
            seen.add(stored.path)
    for stored in store.stored_models():
        if stored.path not in seen:
            rows.append(
                {
                    "name": stored.name,
                    "revision": stored.revision,
                    "pinned": None,
                    "commit": stored.info.get("source", {}).get("commit"),
                    "role": "",
                    "license": "",
                    "download_mb": None,
                    "cached": True,
                    "path": str(stored.path),
                    "size_bytes": stored.size_bytes,
                }
            )
    if as_json:
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    _print_table(rows)
    click.echo(f"cache: {store.store_root()}", err=True)


def _print_table(rows: list[dict[str, Any]]) -> None:
    headers = ("name", "revision", "role", "license", "status")

    def status(row: dict[str, Any]) -> str:
        if row["cached"]:
            return f"cached, {size_text(row['size_bytes'] or 0, decimal=True)}"
        return f"not downloaded (~{row['download_mb']} MB)"

    table = [(r["name"], r["revision"] or "", r["role"], r["license"], status(r)) for r in rows]
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.table import Table

        rich_table = Table(*headers)
        for line in table:
            rich_table.add_row(*line)
        Console().print(rich_table)
    else:
        for line in table:
            click.echo("\t".join(line))


@models.command()
@click.argument("name")
def path(name: str) -> None:
    """Print the folder of NAME's converted model (exit 3 if it is not in the cache)."""
    from ringkas.models import store
    from ringkas.models.hub import download_hint, parse_model_spec

    spec = parse_model_spec(name)
    stored = store.find(spec)
    if stored is None:
        raise ModelUnavailableError(f"model {name} is not in the cache", hint=download_hint(spec))
    click.echo(str(stored.path))


@models.command()
@click.argument("name")
def rm(name: str) -> None:
    """Remove NAME's converted model from the ringkas cache, and for a Hub model its
    downloaded files too."""
    from ringkas.models import download, store
    from ringkas.models.hub import parse_model_spec

    removed = store.remove(name)
    spec = parse_model_spec(name)
    if spec.folder is None:
        removed += download.remove(spec.name)
    if not removed:
        raise InputError(f"no model named {name!r} in the cache", hint="see `ringkas models list`")
    for item in removed:
        click.echo(f"removed {item}")
