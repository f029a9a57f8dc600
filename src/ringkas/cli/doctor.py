"""``ringkas doctor``: is this machine ready, and if not, what to do about it."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from ringkas.cli.options import resolve_settings
from ringkas.errors import ExitCode
from ringkas.limits import size_text


def _count(number: int, word: str) -> str:
    return f"{number} {word}" if number == 1 else f"{number} {word}s"


def _model_line(model: dict[str, Any]) -> str:
    parts = []
    if model["kind"] == "hub" and model["downloaded"]:
        commit = (model["commit"] or "")[:7]
        parts.append(f"downloaded ({model['revision']}, {commit})")
    elif model["downloaded"]:
        parts.append("folder found")
    if model["converted"]:
        parts.append("converted")
    if model["loads"]:
        parts.append("loads")
    if model["generates"]:
        parts.append("generates")
    if model["problem"]:
        parts.append(f"{model['problem']} ({model['fix']})" if model["fix"] else model["problem"])
    return f"{model['spec']}: {', '.join(parts)}"


def _render(report: dict[str, Any]) -> list[tuple[str, str]]:
    packages = report["packages"]
    cpu = report["cpu"]
    features = ", ".join(f.upper() for f in cpu["features"]) or "none known"
    lines = [
        ("ringkas", f"{report['ringkas']} on Python {report['python']} ({report['platform']})"),
        (
            "packages",
            ", ".join(
                f"{name} {packages[name] or 'missing'}" for name in packages if name != "ringkas"
            ),
        ),
        (
            "cpu",
            f"{cpu['machine']}, {features}; {cpu['usable_cores']} of {cpu['cores']} cores usable; "
            f"ringkas uses {_count(cpu['threads'], 'thread')} (translator "
            f"{_count(cpu['workers'], 'worker')} x "
            f"{cpu['threads_per_worker']}; summarizer 1 x {cpu['summarizer_threads']} for one "
            "article, as the translator for several); "
            "int8 kernels: "
            f"{'yes' if 'int8' in cpu['compute_types'] else 'no'}",
        ),
        ("cuda", f"{cpu['cuda_devices']} device(s)" if cpu["cuda_devices"] else "none"),
    ]
    for cache in report["caches"]:
        if "bytes" not in cache:
            continue
        if cache.get("problem"):
            lines.append((cache["name"], f"{cache['path']}: cannot be used: {cache['problem']}"))
            continue
        state = size_text(cache["bytes"] or 0, decimal=True) if cache["exists"] else "empty"
        free = size_text(cache["free_bytes"] or 0, decimal=True)
        lines.append((cache["name"], f"{cache['path']}: {state}, {free} free"))
    config = report["config"]
    found = "" if config["found"] else " (not found: defaults and RINGKAS_* variables apply)"
    lines.append(("config", f"{config['file']}{found}"))
    changed = [
        f"{name}={setting['value']} ({setting['from']})"
        for name, setting in config["settings"].items()
        if setting["from"] != "default"
    ]
    lines.append(("settings", "; ".join(changed) or "all defaults"))
    hub = report["hub"]
    if not hub["checked"]:
        lines.append(("hub", f"{hub['endpoint']}: not checked ({hub['detail']})"))
    else:
        state = "reachable" if hub["reachable"] else f"not reachable ({hub['detail']})"
        lines.append(("hub", f"{hub['endpoint']}: {state}"))
    for model in report["models"]:
        lines.append((model["role"], _model_line(model)))
    missing = [model for model in report["models"] if model["problem"]]
    if report["ready"]:
        lines.append(("ready", "yes"))
    elif any(cache.get("problem") for cache in report["caches"]):
        from ringkas.models.download import CACHE_FIX

        lines.append(("ready", f"no: the model cache cannot be used ({CACHE_FIX})"))
    else:
        fixes = "; ".join(dict.fromkeys(m["fix"] for m in missing if m["fix"]))
        lines.append(("ready", f"no: {len(missing)} model(s) not ready ({fixes})"))
    return lines


@click.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object, for scripts.")
@click.option("--deep", is_flag=True, help="Also generate a few tokens with each model.")
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    help="Read this settings file instead of the one in the config folder.",
)
def doctor(as_json: bool, deep: bool, config_file: str | None) -> None:
    """Check that ringkas is ready to run here: versions, CPU, caches, the models in effect
    (downloaded, converted, loading), settings and the Hub.

    Exit 0 when everything is ready, 3 when a model is missing or broken (the fix is named).
    Nothing is downloaded or converted.
    """
    from ringkas.config import resolve
    from ringkas.models.diagnose import diagnose
    from ringkas.models.hub import offline_mode

    resolved = resolve({}, config_file)
    settings = resolve_settings({"config_file": config_file})
    report = diagnose(settings, resolved, deep=deep, offline=offline_mode())
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        lines = _render(report)
        width = max(len(key) for key, _ in lines)
        for key, value in lines:
            click.echo(f"{key:<{width}}  {value}")
    if not report["ready"]:
        sys.exit(int(ExitCode.MODEL_UNAVAILABLE))
