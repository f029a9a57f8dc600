"""Run the ``ringkas`` command with every call it makes into CTranslate2 recorded.

Usage: python benchmarks/ct2trace.py TRACE.json ARGS...   (ARGS: as for ``ringkas``)

``ctranslate2.Translator`` is replaced by a subclass that records, and passes on unchanged,
each model it opens (folder, options, when) and each ``translate_batch`` call (the token
lists, target prefixes and every decoding option; when it was queued, when ringkas took its
results and how many tokens each hypothesis had). Calls queued before ringkas takes any
result form one group: they were in the engine together. ``benchmarks/floor.py`` replays
the groups straight through CTranslate2, which gives the engine floor of the same work.
The trace also marks when this script started and when ringkas's ``main`` returned, for
the per-stage times of ``benchmarks/speed.py``, and when the pipeline loaded its models
(importing ringkas's pipeline module here, which ringkas would import anyway). Recording
costs a list append per call and
one JSON file written at exit (a few milliseconds for a folder of 20 articles).
"""

from __future__ import annotations

import time

STARTED = time.time()

import importlib.abc  # noqa: E402  (the clock starts first)
import importlib.util  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import runpy  # noqa: E402
import sys  # noqa: E402
from collections.abc import Callable  # noqa: E402
from types import ModuleType  # noqa: E402
from typing import Any  # noqa: E402

MODELS: list[dict[str, Any]] = []
CALLS: list[dict[str, Any]] = []
LOADING: dict[str, float] = {}
RUNTIME_ENV: dict[str, str] = {}
_GROUP = {"number": 0, "collecting": False}
# Settings of the threading runtimes that ringkas or the user set.
_ENV = ("OMP_", "GOMP_", "KMP_", "MALLOC_", "CT2_")


class _Traced:
    """An asynchronous result whose collection is recorded."""

    def __init__(self, future: Any, call: dict[str, Any], index: int) -> None:
        self._future = future
        self._call = call
        self._index = index

    def result(self) -> Any:
        _GROUP["collecting"] = True
        result = self._future.result()
        self._call["collected"] = time.time()
        self._call["output_lengths"][self._index] = len(result.hypotheses[0])
        return result

    def done(self) -> bool:
        return bool(self._future.done())


def traced_translator(base: type) -> type:
    """A subclass of ``ctranslate2.Translator`` that records what it is asked to do."""

    class TracedTranslator(base):  # type: ignore[misc,valid-type]
        def __init__(self, model_path: str, *args: Any, **kwargs: Any) -> None:
            start = time.time()
            super().__init__(model_path, *args, **kwargs)
            self._trace_id = len(MODELS)
            MODELS.append(
                {
                    "path": str(model_path),
                    "args": list(args),
                    "kwargs": kwargs,
                    "start": start,
                    "end": time.time(),
                }
            )

        def translate_batch(self, source: Any, target_prefix: Any = None, **options: Any) -> Any:
            if _GROUP["collecting"]:  # results were taken since the last call: a new group
                _GROUP["number"] += 1
                _GROUP["collecting"] = False
            asynchronous = bool(options.get("asynchronous"))
            call = {
                "model": self._trace_id,
                "group": _GROUP["number"],
                "source": [list(tokens) for tokens in source],
                "target_prefix": (
                    None if target_prefix is None else [list(p) for p in target_prefix]
                ),
                "options": {k: v for k, v in options.items() if k != "asynchronous"},
                "submitted": time.time(),
                "output_lengths": [None] * len(source),
            }
            CALLS.append(call)
            results = super().translate_batch(source, target_prefix, **options)
            if asynchronous:
                return [_Traced(future, call, i) for i, future in enumerate(results)]
            _GROUP["collecting"] = True
            call["collected"] = time.time()
            call["output_lengths"] = [len(r.hypotheses[0]) for r in results]
            return results

    return TracedTranslator


class _PatchOnImport(importlib.abc.MetaPathFinder):
    """Put the traced Translator into ctranslate2 when ringkas first imports it, not before:
    ringkas sets OpenMP's environment (its wait policy) just before that import, and OpenMP
    reads it only once, when the library loads."""

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        if name != "ctranslate2":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            return spec
        execute = spec.loader.exec_module

        def exec_module(module: ModuleType) -> None:
            # What OpenMP and CTranslate2 read as they load: the replay runs under it too.
            RUNTIME_ENV.update({k: v for k, v in os.environ.items() if k.startswith(_ENV)})
            execute(module)
            module.Translator = traced_translator(module.Translator)

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def time_model_loading() -> None:
    """Record when ringkas's pipeline starts and ends loading its models (where this
    ringkas has ``LoadedModels.load_all``), so that start-up and loading are told apart."""
    try:
        from ringkas.pipeline.loading import LoadedModels
    except ImportError:
        return
    original = LoadedModels.load_all

    def load_all(self: Any) -> None:
        LOADING.setdefault("start", time.time())
        try:
            original(self)
        finally:
            LOADING["end"] = time.time()

    LoadedModels.load_all = load_all  # type: ignore[method-assign]


def trace_before_leaving(finish: Callable[[Any], None]) -> None:
    """Where ringkas ends its process itself once its command is done (``leave``: exit
    handlers, then no teardown), write the trace there, with the exit code: the code after
    ``runpy`` would never run."""
    try:
        import ringkas.cli as command
    except ImportError:
        return
    original = getattr(command, "leave", None)
    if original is None:
        return

    def leave(code: int) -> Any:
        finish(code)
        return original(code)

    command.leave = leave  # main() looks it up at its end


def write_trace(path: str, finished: float, code: Any) -> None:
    """Write the trace (atomically: a reader never sees half of it)."""
    data = {
        "started": STARTED,
        "finished": finished,
        "exit_code": code,
        "loading": LOADING,
        "runtime_env": RUNTIME_ENV,
        "models": MODELS,
        "calls": CALLS,
    }
    partial = f"{path}.partial"
    with open(partial, "w", encoding="utf-8") as handle:
        json.dump(data, handle)
    os.replace(partial, path)


def main() -> int:
    """Run ``python -m ringkas`` (the console script's code) with the traced Translator."""
    if len(sys.argv) < 2:
        print(__doc__.splitlines()[2], file=sys.stderr)
        return 2
    trace = sys.argv[1]
    if "ctranslate2" in sys.modules:
        raise SystemExit("ct2trace.py: ctranslate2 was imported before ringkas could be traced")
    sys.meta_path.insert(0, _PatchOnImport())
    time_model_loading()
    written: list[Any] = []

    def finish(code: Any) -> None:
        if not written:
            written.append(code)
            sys.stdout.flush()
            write_trace(trace, time.time(), code)

    trace_before_leaving(finish)
    sys.argv = ["ringkas", *sys.argv[2:]]
    code: Any = 0
    try:
        runpy.run_module("ringkas", run_name="__main__", alter_sys=True)
    except SystemExit as exc:
        code = exc.code
    finally:
        finish(code)
    if code is None:
        return 0
    return code if isinstance(code, int) else 1


if __name__ == "__main__":
    sys.exit(main())
