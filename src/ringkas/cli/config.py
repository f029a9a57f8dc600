"""``ringkas config``: the effective settings and where each one comes from."""

from __future__ import annotations

import json

import click

from ringkas.cli.options import RingkasGroup


@click.group(cls=RingkasGroup)
def config() -> None:
    """Show the settings in effect (flag > RINGKAS_* variable > config file > default)."""


@config.command()
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    help="Read this settings file instead of the one in the config folder.",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object.")
def show(config_file: str | None, as_json: bool) -> None:
    """Print each setting, its value and where it came from (env, config file or default)."""
    from ringkas.config import KEYS, resolve

    resolved = resolve({}, config_file)
    if as_json:
        payload = {
            "config_file": str(resolved.config_file),
            "config_found": resolved.config_found,
            "settings": {
                name: {"value": resolved.values[name], "from": resolved.origins[name]}
                for name in KEYS
            },
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    width = max(len(name) for name in KEYS)
    for name in KEYS:
        value = resolved.values[name]
        shown = "(none)" if value is None else str(value)
        click.echo(f"{name:<{width}} = {shown}  ({resolved.origins[name]})")
    if not resolved.config_found:
        click.echo(f"ringkas: no config file at {resolved.config_file}", err=True)


@config.command()
def path() -> None:
    """Print where the config file is read from (it need not exist yet)."""
    from ringkas.config import default_config_file

    target = default_config_file()
    click.echo(str(target))
    if not target.is_file():
        click.echo("ringkas: it does not exist yet; create it to set defaults", err=True)
