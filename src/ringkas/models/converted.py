"""The converted-model folder: a CTranslate2 model, its tokenizer files and ``ringkas.json``,
which records what the engine must know (written by ``convert``, read by the engines and the store).
"""

from __future__ import annotations

INFO_FILE = "ringkas.json"
INFO_FORMAT = 1
