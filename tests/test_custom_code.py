"""Model folders never run code: configs that ask for custom code are refused, nothing prompts."""

from __future__ import annotations

import builtins
import json
import shutil
from pathlib import Path

import pytest

from conftest import SEED, TinyModels, run_ringkas
from ringkas.errors import ModelUnavailableError
from ringkas.models import torch_engine
from ringkas.models.convert import convert_checkpoint

# Imported by transformers only if it ever runs the folder's code: it leaves a mark.
_PAYLOAD = """
import pathlib
pathlib.Path(__file__).with_name("CODE-RAN").write_text("the folder's code ran")
from transformers import {base} as _Base
class {name}(_Base):
    pass
"""


def _evil_copy(
    tmp_path: Path, folder: Path, file_name: str, auto_map: dict[str, str], **extra: str
) -> Path:
    """A copy of a tiny model whose ``file_name`` maps classes to a module in the folder
    (and, with ``extra``, names a model type or class that only that module defines)."""
    evil = tmp_path / f"evil-{folder.name}"
    shutil.copytree(folder, evil)
    config_path = evil / file_name
    config = json.loads(config_path.read_text("utf-8"))
    config["auto_map"] = auto_map
    config.update(extra)
    config_path.write_text(json.dumps(config), "utf-8")
    for target in auto_map.values():
        module, _, name = target.partition(".")
        base = "PretrainedConfig" if "Config" in name else "PreTrainedTokenizerFast"
        (evil / f"{module}.py").write_text(_PAYLOAD.format(base=base, name=name), "utf-8")
    return evil


def _config_evil(tmp_path: Path, tiny: TinyModels) -> Path:
    return _evil_copy(
        tmp_path,
        tiny.marian,
        "config.json",
        {"AutoConfig": "configuration_evil.EvilConfig"},
        model_type="evil-marian",
    )


def _tokenizer_evil(tmp_path: Path, tiny: TinyModels) -> Path:
    return _evil_copy(
        tmp_path,
        tiny.bart,
        "tokenizer_config.json",
        {"AutoTokenizer": "tokenization_evil.EvilTokenizer"},
        tokenizer_class="EvilTokenizer",
    )


@pytest.mark.parametrize("engine", ["ctranslate2", "torch"])
@pytest.mark.parametrize("where", ["config", "tokenizer"])
def test_folder_asking_for_code_is_refused_and_nothing_reads_stdin(
    tmp_path: Path, tiny: TinyModels, engine: str, where: str
) -> None:
    if where == "config":
        evil = _config_evil(tmp_path, tiny)
        models = ["-t", str(evil), "-s", str(tiny.bart)]
    else:
        evil = _tokenizer_evil(tmp_path, tiny)
        models = ["-t", str(tiny.marian), "-s", str(evil)]
    # The attack: a "y" for transformers' prompt, then the article, on the same stdin.
    answer_then_article = b"y\n" + SEED.read_bytes()
    process = run_ringkas("summarize", "-", "--engine", engine, *models, input=answer_then_article)
    stderr = process.stderr.decode()
    assert process.returncode == 3, stderr
    assert not (evil / "CODE-RAN").exists()
    assert "Traceback" not in stderr
    errors = [line for line in stderr.splitlines() if line.startswith("ringkas: error: ")]
    assert len(errors) == 1, stderr
    assert "asks to run its own Python code" in errors[0]
    assert "auto_map" in errors[0]
    assert "custom code" not in (process.stdout + process.stderr).decode().lower()
    assert process.stdout == b""


def test_models_import_refuses_a_folder_asking_for_code(tmp_path: Path, tiny: TinyModels) -> None:
    evil = _config_evil(tmp_path, tiny)
    process = run_ringkas("models", "import", str(evil), input=b"y\n")
    assert process.returncode == 3
    assert b"asks to run its own Python code" in process.stderr
    assert not (evil / "CODE-RAN").exists()


def test_loaders_refuse_code_even_without_the_folder_check(
    tmp_path: Path, tiny: TinyModels, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second line of defence: with the up-front check out of the way, transformers is
    still told not to trust the folder, and it refuses instead of asking on stdin."""

    def no_prompt(*args: object) -> str:
        raise AssertionError("something asked on stdin")

    monkeypatch.setattr(builtins, "input", no_prompt)
    monkeypatch.setattr(torch_engine, "refuse_custom_code", lambda folder, name: None)
    for evil in (_config_evil(tmp_path, tiny), _tokenizer_evil(tmp_path, tiny)):
        with pytest.raises(ModelUnavailableError, match="could not be loaded"):
            torch_engine.TorchSeq2Seq(evil, "evil")
        assert not (evil / "CODE-RAN").exists()


def test_conversion_refuses_a_folder_asking_for_code(tmp_path: Path, tiny: TinyModels) -> None:
    evil = _tokenizer_evil(tmp_path, tiny)
    with pytest.raises(ModelUnavailableError, match="asks to run its own Python code"):
        convert_checkpoint(evil, tmp_path / "out", source={"name": "evil"})
    assert not (tmp_path / "out").exists()
    assert not (evil / "CODE-RAN").exists()
