"""Conversion reads only safetensors and the files a model needs, whatever else a folder holds."""

from __future__ import annotations

import json
import pickle
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import TinyModels
from ringkas.cli import cli
from ringkas.errors import ExitCode, ModelUnavailableError

SENTENCES = ["Rapat dibuka hari Rabu di Ambon.", "Harga beras naik 2,5 persen."]


def invoke(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input)


class _Payload:
    """A pickle that, if ever unpickled without restriction, leaves a marker file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.write_text, (self.marker, "pickle code ran\n"))


def _state_dict_pickle(folder: Path) -> bytes:
    """The folder's weights as torch.save writes them (a valid pytorch_model.bin)."""
    import io

    import torch
    from safetensors.torch import load_file

    buffer = io.BytesIO()
    torch.save(load_file(folder / "model.safetensors"), buffer)
    return buffer.getvalue()


def _translate(model: Path, *extra: str) -> str:
    result = invoke("translate", "-", "-t", str(model), "-f", "jsonl", *extra,
                    input="\n\n".join(SENTENCES))  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["translation"]


def test_a_decoy_safetensors_beside_pickled_weights_is_refused(
    tiny: TinyModels, tmp_path: Path
) -> None:
    """No model.safetensors, a decoy *.safetensors and a perfectly loadable .bin: the
    converter must not fall back to the pickle."""
    folder = tmp_path / "umpan"
    shutil.copytree(tiny.marian, folder)
    (folder / "pytorch_model.bin").write_bytes(_state_dict_pickle(folder))
    (folder / "model.safetensors").rename(folder / "consolidated.safetensors")
    for args in (["translate", "-", "-t", str(folder)], ["models", "import", str(folder)]):
        result = invoke(*args, input=SENTENCES[0])
        assert result.exit_code == ExitCode.MODEL_UNAVAILABLE, result.stderr
        lines = [line for line in result.stderr.splitlines() if line.startswith("ringkas: error")]
        assert len(lines) == 1 and "model.safetensors" in lines[0], result.stderr
    listed = invoke("models", "list", "--json")
    assert str(folder) not in listed.stdout


def test_only_the_needed_files_are_read(
    tiny: TinyModels, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Beside model.safetensors: a pickle that runs code, other weight formats, Python
    files. The conversion is the clean folder's, and nothing is unpickled."""
    import torch

    marker = tmp_path / "ran"
    folder = tmp_path / "ramai"
    shutil.copytree(tiny.marian, folder)
    (folder / "pytorch_model.bin").write_bytes(pickle.dumps(_Payload(marker)))
    (folder / "training_args.bin").write_bytes(pickle.dumps(_Payload(marker)))
    (folder / "tf_model.h5").write_bytes(b"\x89HDF\r\n\x1a\n" + bytes(64))
    (folder / "modeling_evil.py").write_text(f"open({str(marker)!r}, 'w')\n")
    (folder / "lain.safetensors").write_bytes((folder / "model.safetensors").read_bytes())

    loads: list[object] = []
    original = torch.load

    def recording_load(*args: object, **kwargs: object) -> object:
        loads.append(args[0] if args else kwargs.get("f"))
        return original(*args, **kwargs)

    monkeypatch.setattr(torch, "load", recording_load)
    assert _translate(folder) == _translate(tiny.marian)
    assert loads == []
    assert not marker.exists()


def test_sharded_weights_are_staged_by_their_index(tiny: TinyModels, tmp_path: Path) -> None:
    from transformers import MarianMTModel

    folder = tmp_path / "pecahan"
    shutil.copytree(tiny.marian, folder)
    (folder / "model.safetensors").unlink()
    MarianMTModel.from_pretrained(tiny.marian).save_pretrained(folder, max_shard_size="20KB")
    index = json.loads((folder / "model.safetensors.index.json").read_text())
    assert len(set(index["weight_map"].values())) > 1
    assert _translate(folder) == _translate(tiny.marian)


def test_an_index_naming_files_outside_the_folder_is_refused(
    tiny: TinyModels, tmp_path: Path
) -> None:
    from ringkas.models.checkpoint import checkpoint_files

    folder = tmp_path / "keluar"
    shutil.copytree(tiny.marian, folder)
    (folder / "model.safetensors").rename(folder / "model-00001-of-00002.safetensors")
    (tmp_path / "luar.safetensors").write_bytes(b"{}")
    names = {
        "model.shared.weight": "model-00001-of-00002.safetensors",
        "lm_head.weight": "../luar.safetensors",
    }
    index = {"metadata": {}, "weight_map": names}
    (folder / "model.safetensors.index.json").write_text(json.dumps(index))
    with pytest.raises(ModelUnavailableError, match=r"luar\.safetensors"):
        checkpoint_files(folder)
    result = invoke("translate", "-", "-t", str(folder), input=SENTENCES[0])
    assert result.exit_code == ExitCode.MODEL_UNAVAILABLE, result.stderr
    assert "luar.safetensors" in result.stderr


def test_the_files_staged_are_the_files_hashed(tiny: TinyModels, tmp_path: Path) -> None:
    """Editing a file the conversion does not read (a decoy) converts nothing again;
    editing one it reads (the chat template) does."""
    from ringkas.models.checkpoint import checkpoint_files
    from ringkas.models.store import content_hash

    folder = tmp_path / "obrolan"
    shutil.copytree(tiny.chat, folder)
    names = {path.name for path in checkpoint_files(folder)}
    assert "model.safetensors" in names and "config.json" in names
    first = content_hash(folder)
    (folder / "catatan.safetensors").write_bytes(b"not read")
    (folder / "pytorch_model.bin").write_bytes(b"not read")
    assert content_hash(folder) == first
    template = folder / "chat_template.jinja"
    if template.exists():
        template.write_text(template.read_text() + "\n")
    else:
        config = json.loads((folder / "tokenizer_config.json").read_text())
        config["chat_template"] += "\n"
        (folder / "tokenizer_config.json").write_text(json.dumps(config))
    assert content_hash(folder) != first
