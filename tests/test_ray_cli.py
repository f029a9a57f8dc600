"""The --ray options without Ray at work: the extra missing, bad sizes and addresses, --help."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPO, SEED, TinyModels
from ringkas.cli import cli


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize("command", ["summarize", "translate"])
def test_without_the_extra_ray_options_fail_with_one_line_naming_it(
    command: str, tiny: TinyModels, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As if Ray were not installed: importing it fails as it would.
    monkeypatch.setitem(sys.modules, "ray", None)
    monkeypatch.delitem(sys.modules, "ringkas.ray", raising=False)
    result = invoke(command, str(SEED), "-t", str(tiny.marian), "--ray")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "ringkas: error: --ray needs Ray Data, which is not installed (pip install 'ringkas[ray]')"
    ]


def test_ray_sizes_need_ray_and_an_address_must_look_like_one(tmp_path: Path) -> None:
    result = invoke("summarize", str(SEED), "--ray-actors", "2", "--ray-gpus", "1")
    assert result.exit_code == 2
    assert "--ray-actors, --ray-gpus needs --ray" in result.stderr
    # `--ray DIR` would take the folder for the address: said, not attempted.
    result = invoke("summarize", "--ray", str(tmp_path))
    assert result.exit_code == 2
    assert "is not a cluster address" in result.stderr
    assert "give --ray after the paths" in result.stderr
    for bad in ("--ray-actors=0", "--ray-cpus=0", "--ray-gpus=-1"):
        assert invoke("summarize", str(SEED), "--ray", bad).exit_code == 2


def test_help_never_imports_ray() -> None:
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from ringkas.cli import cli\n"
        "for args in (['--help'], ['summarize', '--help'], ['translate', '--help']):\n"
        "    assert CliRunner().invoke(cli, args).exit_code == 0\n"
        "print(sorted(m for m in ('ray', 'pyarrow', 'ringkas.ray') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
