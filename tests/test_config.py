"""Settings precedence, case by case: flag > RINGKAS_* environment > config file > default."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SEED, TinyModels
from ringkas.cli import cli
from ringkas.config import KEYS, resolve
from ringkas.errors import ExitCode, UsageError

# For each setting: a value for the file, one for the environment, one for the flag.
CASES = {
    "translator": ("a/file", "b/env", "c/flag"),
    "summarizer": ("a/file", "b/env", "c/flag"),
    "engine": ("torch", "ctranslate2", "torch"),
    "device": ("cuda", "auto", "cpu"),
    "compute_type": ("float32", "int8", "float16"),
    "threads": (3, 2, 1),
    "beam": (4, 3, 1),
    "style": ("bullets", "headline", "5w1h"),
    "length": ("long", "short", "medium"),
    "format": ("markdown", "json", "jsonl"),
    "output_dir": ("/tmp/file-out", "/tmp/env-out", "/tmp/flag-out"),
    "user_agent": ("Redaksi/1.0", "Redaksi/2.0 (env)", "Redaksi/3.0"),
    "timeout": (30.0, 5.5, 1.0),
    "retries": (0, 4, 1),
    "safetensors_only": (True, False, True),
}


def write_config(folder: Path, values: dict) -> Path:
    lines = [f"{key} = {json.dumps(value)}" for key, value in values.items()]
    path = folder / "config.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_every_setting_has_a_case() -> None:
    assert set(CASES) == set(KEYS)


@pytest.mark.parametrize("name", sorted(CASES))
def test_precedence(name: str, tmp_path: Path) -> None:
    in_file, in_env, in_flag = CASES[name]
    variable = f"RINGKAS_{name.upper()}"
    config = write_config(tmp_path, {name: in_file})

    default = resolve({}, environ={})
    assert default.origins[name] == "default"
    assert default.values[name] == KEYS[name].default

    from_file = resolve({}, config, environ={})
    assert from_file.values[name] == in_file
    assert from_file.origins[name] == f"config {config}"

    from_env = resolve({}, config, environ={variable: str(in_env)})
    assert from_env.values[name] == in_env
    assert from_env.origins[name] == f"env {variable}"

    from_flag = resolve({name: in_flag}, config, environ={variable: str(in_env)})
    assert from_flag.values[name] == in_flag
    assert from_flag.origins[name] == "flag"


def test_config_file_in_the_config_folder_is_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RINGKAS_CONFIG_DIR", str(tmp_path))
    write_config(tmp_path, {"length": "short"})
    resolved = resolve({}, environ={})
    assert resolved.config_found and resolved.values["length"] == "short"


@pytest.mark.parametrize(
    ("content", "named"),
    [
        ('lenght = "short"\n', "unknown key 'lenght'"),
        ('engine = "tensorflow"\n', "engine must be one of ctranslate2, torch"),
        ("threads = 0\n", "threads must be a whole number of at least 1"),
        ('beam = "four"\n', "beam must be a whole number"),
        ("timeout = 0\n", "timeout must be more than 0 and at most 3600 seconds"),
        ("retries = 11\n", "retries must be a whole number from 0 to 10"),
        ('user_agent = "a\\nb"\n', "user_agent must be printable ASCII text"),
        ("length = \n", "not valid TOML"),
        ('safetensors_only = "maybe"\n', "safetensors_only must be true or false"),
    ],
)
def test_bad_config_files_name_the_file_and_key(tmp_path: Path, content: str, named: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UsageError) as error:
        resolve({}, path, environ={})
    assert str(path) in error.value.message and named in error.value.message


def test_bad_environment_value_names_the_variable() -> None:
    with pytest.raises(UsageError, match="RINGKAS_LENGTH must be one of short, medium, long"):
        resolve({}, environ={"RINGKAS_LENGTH": "huge"})


def test_explicit_config_file_must_exist(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="does not exist"):
        resolve({}, tmp_path / "missing.toml", environ={})


# -- through the CLI -------------------------------------------------------------------------


def test_cli_precedence_end_to_end(
    tiny: TinyModels, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = write_config(
        tmp_path,
        {"translator": str(tiny.marian), "summarizer": str(tiny.t5), "length": "long"},
    )
    base = ["summarize", str(SEED), "--config", str(config), "-f", "json"]

    def settings(*extra: str) -> dict:
        result = CliRunner().invoke(cli, [*base, *extra])
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)

    from_file = settings()
    assert from_file["settings"]["length"] == "long"
    assert from_file["models"]["translator"] == str(tiny.marian)
    monkeypatch.setenv("RINGKAS_LENGTH", "short")
    assert settings()["settings"]["length"] == "short"
    assert settings("-l", "medium")["settings"]["length"] == "medium"


def test_config_sets_format_and_output_dir(
    tiny: TinyModels, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "ringkasan"
    monkeypatch.setenv("RINGKAS_CONFIG_DIR", str(tmp_path))
    write_config(
        tmp_path,
        {
            "translator": str(tiny.marian),
            "summarizer": str(tiny.t5),
            "format": "markdown",
            "output_dir": str(out),
        },
    )
    result = CliRunner().invoke(cli, ["summarize", str(SEED)])
    assert result.exit_code == 0, result.stderr
    assert (out / "maluku-kumkm.md").read_text().startswith("# Summary: ")


def test_config_show_and_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RINGKAS_CONFIG_DIR", str(tmp_path))
    write_config(tmp_path, {"length": "short"})
    monkeypatch.setenv("RINGKAS_ENGINE", "torch")
    shown = json.loads(CliRunner().invoke(cli, ["config", "show", "--json"]).stdout)
    assert shown["config_file"] == str(tmp_path / "config.toml") and shown["config_found"]
    settings = shown["settings"]
    assert settings["length"] == {"value": "short", "from": f"config {tmp_path / 'config.toml'}"}
    assert settings["engine"] == {"value": "torch", "from": "env RINGKAS_ENGINE"}
    assert settings["beam"] == {"value": 2, "from": "default"}
    text = CliRunner().invoke(cli, ["config", "show"]).stdout
    assert re.search(r"^length +\= short  \(config ", text, re.MULTILINE), text
    path = CliRunner().invoke(cli, ["config", "path"])
    assert path.stdout.strip() == str(tmp_path / "config.toml")


def test_cli_bad_config_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('lenght = "short"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["summarize", str(SEED), "--config", str(path)])
    assert result.exit_code == ExitCode.USAGE
    assert "config.toml: unknown key 'lenght'" in result.stderr
