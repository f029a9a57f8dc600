"""Reading an instruction model's answer: the structure its style promises, enforced here.

Bullets are at most N one-line items, a headline one line, fields exactly the template's keys;
lines that repeat the prompt are dropped. Nothing about the shape is trusted to the model.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from ringkas.prompts.delimiters import FENCE, clean_control_text
from ringkas.prompts.templates import (
    DEFAULT_REMINDER,
    GUARD,
    TEXT_GUARD,
    PromptTemplate,
    StyledOutput,
    fill_variables,
    template_variables,
)

_THINK = re.compile(r"<think>.*?</think>|</?think>", re.S | re.I)
_WORD = re.compile(r"[a-z0-9]+")
_LEAK_RUN = 8
_ECHOED_DELIMITER = re.compile(r"(?i:</?article>)|\bARTICLE (?:START|END)\b")
_PREAMBLE = re.compile(
    r"^\s*(?:sure|okay|ok|certainly)?[,.!]?\s*(?:(?:here(?:'s| is| are)\b[^:\n]{0,80}|"
    r"(?:the\s+)?(?:summary|lede|lead|headline|title|answer|bullet points?|bullets)):)\s*",
    re.I,
)
_MARKER = re.compile(r"^\s*(?:[-*•‣◦▪●–—+]|\(?\d{1,2}[.)])\s+")
_PLACEHOLDER = re.compile(
    r"(?:n/?a|none|null|nil|unknown|-+|\.\.\.|…|"
    r"not (?:mentioned|stated|specified|given|provided|known|reported|available)\b.*)",
    re.I,
)


def _one_line(text: str) -> str:
    return " ".join(text.replace("**", "").split())


def _leak_checker(template: PromptTemplate, values: Mapping[str, Any]) -> Callable[[str], bool]:
    """A test for answer text that reproduces the prompt (a run of words from it)."""
    reminder = fill_variables(template.reminder, values) if template.reminder else DEFAULT_REMINDER
    parts = [fill_variables(template.system, values), fill_variables(template.instruction, values)]
    parts += [reminder, GUARD, TEXT_GUARD]
    runs: set[tuple[str, ...]] = set()
    whole: set[tuple[str, ...]] = set()
    for part in parts:
        words = _WORD.findall(part.lower())
        if len(words) >= 3:
            whole.add(tuple(words))
        runs.update(tuple(words[i : i + _LEAK_RUN]) for i in range(len(words) - _LEAK_RUN + 1))

    def leaks(text: str) -> bool:
        if _ECHOED_DELIMITER.search(text):
            return True
        words = _WORD.findall(text.lower())
        if tuple(words) in whole:
            return True
        return any(
            tuple(words[i : i + _LEAK_RUN]) in runs for i in range(len(words) - _LEAK_RUN + 1)
        )

    return leaks


def _answer_lines(answer: str, leaks: Callable[[str], bool], warnings: list[str]) -> list[str]:
    """The answer's lines without reasoning blocks, code fences and prompt leaks."""
    answer = _THINK.sub("\n", clean_control_text(answer))
    lines = [line for line in answer.split("\n") if not FENCE.match(line.strip())]
    kept = [line for line in lines if not (line.strip() and leaks(line))]
    if len(kept) < len(lines):
        dropped = len(lines) - len(kept)
        warnings.append(f"the answer repeated the prompt; {dropped} line(s) removed")
    return kept


def _strip_preamble(lines: list[str]) -> list[str]:
    """Without a leading "Here is the summary:" or "Headline:" (blank lines are kept)."""
    for i, line in enumerate(lines):
        if line.strip():
            rest = _PREAMBLE.sub("", line, count=1)
            return lines[:i] + ([rest] if rest.strip() else []) + lines[i + 1 :]
    return lines


def _words(text: str) -> int:
    return len(text.split())


def parse_answer(template: PromptTemplate, answer: str, **variables: Any) -> StyledOutput:
    """The model's ``answer`` in the shape ``template`` promises, with warnings for anything
    that had to be repaired or removed."""
    values = template_variables(template, variables)
    warnings: list[str] = []
    leaks = _leak_checker(template, values)
    if template.output == "fields":
        return _parse_fields(template, answer, leaks, warnings)
    lines = _answer_lines(answer, leaks, warnings)
    if template.output == "bullets":
        return _parse_bullets(lines, values, warnings)
    if template.output == "headline":
        return _parse_headline(lines, values, warnings)
    paragraph = _one_line(" ".join(_strip_preamble(lines)))
    if not paragraph:
        warnings.append("the answer was empty")
    elif "max_words" in values and _words(paragraph) > values["max_words"]:
        n, top = _words(paragraph), values["max_words"]
        warnings.append(f"the answer has {n} words; the style asks for at most {top}")
    return StyledOutput(text=paragraph, warnings=warnings)


def _parse_bullets(
    lines: list[str], values: Mapping[str, Any], warnings: list[str]
) -> StyledOutput:
    wanted = values["bullets"]
    items: list[str] = []
    lines = _strip_preamble(lines)
    if any(_MARKER.match(line) for line in lines):
        outside = False
        in_item = False
        for line in lines:
            if _MARKER.match(line):
                items.append(_MARKER.sub("", line, count=1))
                in_item = True
            elif not line.strip():
                in_item = False
            elif in_item:
                items[-1] += " " + line
            else:
                outside = True
        if outside:
            warnings.append("text outside the bullet list was dropped")
    else:
        lines = [line for line in lines if line.strip()]
        if len(lines) == 1:
            items = re.split(r"(?<=[.!?])\s+(?=[\"“'A-Z0-9])", lines[0])
            if len([i for i in items if i.strip()]) > 1:
                warnings.append("the answer had no bullet list; its sentences were used")
        else:
            items = lines
    items = [item for item in (_one_line(i) for i in items) if item]
    if len(items) > wanted:
        warnings.append(f"the model's answer had {len(items)} bullets; kept the first {wanted}")
        items = items[:wanted]
    elif not items:
        warnings.append("the answer had no bullet points")
    elif len(items) < wanted:
        warnings.append(f"the model's answer had {len(items)} bullets; the style asks for {wanted}")
    top = values.get("max_words")
    if top and any(_words(item) > top for item in items):
        warnings.append(f"a bullet point has more than {top} words")
    return StyledOutput(
        text="\n".join(f"- {item}" for item in items), bullets=items, warnings=warnings
    )


def _parse_headline(
    lines: list[str], values: Mapping[str, Any], warnings: list[str]
) -> StyledOutput:
    lines = [line for line in _strip_preamble(lines) if line.strip("#*\"'“”‘’ \t")]
    if not lines:
        warnings.append("the answer was empty")
        return StyledOutput(text="", warnings=warnings)
    if len(lines) > 1:
        warnings.append(f"the answer had {len(lines)} lines; kept the first")
    headline = _one_line(lines[0]).lstrip("#").strip()
    if len(headline) > 1 and headline[0] in "\"'“‘" and headline[-1] in "\"'”’":
        headline = headline[1:-1].strip()
    words = headline.split()
    top = values["max_words"]
    if len(words) > top:
        warnings.append(f"the headline had {len(words)} words; kept the first {top}")
        headline = " ".join(words[:top]).rstrip(",;:-–—")
    if not re.search(r"(?:\b[A-Za-z]\.){2,}$", headline):  # keep "U.S."
        headline = re.sub(r"(?<!\.)\.$", "", headline).rstrip()
    return StyledOutput(text=headline, warnings=warnings)


def _field_value(value: Any) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, list):
        text = "; ".join(_one_line(str(v)) for v in value if v is not None)
    elif isinstance(value, dict):
        text = json.dumps(value, ensure_ascii=False)
    else:
        text = str(value)
    text = _one_line(text).strip(" \"'“”,{}\u2047")  # ⁇: T5's unknown token
    bare = text.rstrip(". ")
    return None if not bare or _PLACEHOLDER.fullmatch(bare) else text


def _json_object(text: str, keys: tuple[str, ...]) -> dict[str, Any] | None:
    """The first {...} in ``text`` that parses as a JSON object with a value for one of
    ``keys`` (an echo of the prompt's example has none), else the first that parses."""
    decoder = json.JSONDecoder()
    first: dict[str, Any] | None = None
    for tries, match in enumerate(re.finditer(r"\{", text)):
        if tries >= 50:
            break
        try:
            value, _ = decoder.raw_decode(text, match.start())
        except (ValueError, RecursionError):
            continue
        if isinstance(value, dict):
            lowered = {str(k).strip().lower(): v for k, v in value.items()}
            if any(_field_value(lowered.get(key)) for key in keys):
                return value
            first = first if first is not None else value
    return first


def _key_value_text(text: str, keys: tuple[str, ...]) -> dict[str, str]:
    """``Who: ...`` lines, or ``"who": "..."`` pairs without braces (T5 cannot write "{")."""
    names = "|".join(re.escape(key) for key in sorted(keys, key=len, reverse=True))
    label = re.compile(
        rf"(?:^|(?<=[\s,;{{(\"'*•-]))[\"'*]*({names})[\"'*]*\s*(?::|=|–|—|-\s)", re.I | re.M
    )
    found = list(label.finditer(text))
    pairs: dict[str, str] = {}
    for i, match in enumerate(found):
        key = match[1].lower()
        end = found[i + 1].start() if i + 1 < len(found) else len(text)
        # Up to the next label, less the next line's list marker ("- When:", "2. When:").
        value = re.sub(r"\n\s*(?:[-*•‣◦▪●–—+]|\d{1,2}[.)])?\s*$", "", text[match.end() : end])
        pairs.setdefault(key, value)
    return pairs


def _parse_fields(
    template: PromptTemplate, answer: str, leaks: Callable[[str], bool], warnings: list[str]
) -> StyledOutput:
    answer = _THINK.sub("\n", clean_control_text(answer))
    keys = template.fields
    found: Mapping[str, Any]
    data = _json_object(answer, keys)
    if data is not None:
        found = {str(k).strip().lower().replace(" ", "_"): v for k, v in data.items()}
        missing = [key for key in keys if key not in found]
        extra = [key for key in found if key not in keys]
        if missing:
            warnings.append(f"the answer's JSON lacked {', '.join(missing)}; set to null")
        if extra:
            warnings.append(f"keys the style does not ask for were ignored: {', '.join(extra)}")
    else:
        found = _key_value_text(answer, keys)
        if found:
            warnings.append("no JSON object in the answer; fields read from 'Key: value' text")
        else:
            warnings.append("no JSON object or 'Key: value' text in the answer; all fields empty")
    fields: dict[str, str | None] = {key: _field_value(found.get(key)) for key in keys}
    leaked = [key for key, value in fields.items() if value is not None and leaks(value)]
    for key in leaked:
        fields[key] = None
    if leaked:
        warnings.append(f"the answer repeated the prompt in {', '.join(leaked)}; set to null")
    text = "\n".join(f"{_label(key)}: {value or '(not stated)'}" for key, value in fields.items())
    return StyledOutput(text=text, fields=fields, warnings=warnings)


def _label(key: str) -> str:
    return key.replace("_", " ").capitalize()


def parse_output(template: PromptTemplate, answer: str, **variables: Any) -> StyledOutput:
    """The model's answer in the shape the template promises."""
    return parse_answer(template, answer, **variables)
