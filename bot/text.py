"""Render handler results as terminal text and JSON lines."""

from __future__ import annotations

import json
import shutil
import unicodedata

from index import Answer, Quote, Source

from .handlers import ABSTAIN_HINT, ABSTAIN_TEXT, AskResult

DEFAULT_WIDTH = 80  # when the output is not a terminal
MIN_WIDTH = 20


def shorten(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis if cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:") + "…"


def terminal_width() -> int:
    """Columns to wrap to: the terminal's (or ``$COLUMNS``), 80 when the output is not a terminal."""
    return max(MIN_WIDTH, shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns)


def columns(text: str) -> int:
    """How many terminal columns ``text`` takes: wide (CJK) characters two, combining marks none."""
    return sum(_char_columns(c) for c in text)


def _char_columns(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def wrap(text: str, width: int, indent: str = "", hanging: str | None = None) -> list[str]:
    """``text`` wrapped to ``width`` terminal columns, the first line after ``indent``, the others after ``hanging``.

    Words are split at whitespace only; a word wider than a line is cut.
    """
    hanging = indent if hanging is None else hanging
    lines: list[str] = []
    line, used, empty = indent, columns(indent), True
    for word in text.split():
        while word:
            need = columns(word) + (0 if empty else 1)
            if used + need <= width:
                line, used, empty = line + ("" if empty else " ") + word, used + need, False
                break
            if empty:  # alone on a line and still too wide: cut it
                head, word = _cut(word, width - used)
                lines.append(line + head)
            else:
                lines.append(line)
            line, used, empty = hanging, columns(hanging), True
    if not empty or not lines:
        lines.append(line if not empty else indent.rstrip())
    return lines


def _cut(word: str, room: int) -> tuple[str, str]:
    """The longest head of ``word`` that fits in ``room`` columns (at least one character), and the rest."""
    used = 0
    for i, char in enumerate(word):
        used += _char_columns(char)
        if used > room and i:
            return word[:i], word[i:]
    return word, ""


def link_line(url: str | None, indent: str, unknown: str) -> str:
    """A link on its own line, never broken (terminals make a whole URL clickable)."""
    return f"{indent}{url}" if url else f"{indent}{unknown}"


def source_line(source: Source) -> str:
    details = ", ".join(x for x in (source.publisher, source.published) if x)
    return f"{source.title}" + (f" ({details})" if details else "")


def _quote_block(quote: Quote, width: int) -> list[str]:
    lines = wrap(f"“{quote.text}”", width)
    lines += wrap(f"— {source_line(quote.source)}", width, "  ", "    ")
    lines.append(link_line(quote.link, "    ", "(address of this article unknown)"))
    return lines


def render_text(result: AskResult, width: int = DEFAULT_WIDTH) -> str:
    """What a person sees in the terminal, wrapped to ``width`` columns (links excepted)."""
    if result.problem:
        return "\n".join(wrap(result.problem, width))
    answer = result.answer
    assert answer is not None
    if not answer.answered:
        return "\n".join(wrap(f"{ABSTAIN_TEXT} {ABSTAIN_HINT.replace('/sources', 'showbot sources')}", width))
    lines = _quote_block(answer.quote, width)
    if answer.alternatives:
        lines.append("")
        lines.append("Also in:")
        for alt in answer.alternatives:
            lines += wrap(f"• “{shorten(alt.text, 120)}” — {alt.source.title}", width, "  ", "    ")
    return "\n".join(lines)


def render_json(result: AskResult) -> str:
    """One JSON line: the question, and the answer's or abstention's JSON (``Answer.to_json``)."""
    answer = result.answer or Answer(result.question, None, reason=result.problem or "")
    data = answer.to_json()
    data["question"] = result.question
    return json.dumps(data, ensure_ascii=True)


def render_sources(sources: list[Source], width: int = DEFAULT_WIDTH) -> str:
    lines = []
    for i, s in enumerate(sources, 1):
        number = f"{i}. "
        lines += wrap(f"{number}{source_line(s)}", width, "", " " * len(number))
        lines.append(link_line(s.url, " " * len(number), "(address unknown)"))
    return "\n".join(lines)


def sources_json(sources: list[Source]) -> str:
    return json.dumps([s.to_json() for s in sources], ensure_ascii=True, indent=2)


# -- ask --explain -----------------------------------------------------------------------------------

_EXPLAINED = {"question", "read_as", "abstained", "ranker", "probability", "threshold", "answer_check", "candidates"}


def explanation_json(data: dict) -> str:
    """``engine.explain``'s dict as one JSON line."""
    return json.dumps(data, ensure_ascii=True, default=_plain)


def _plain(value: object) -> object:
    """numpy scalars and other odd values as plain JSON values."""
    item = getattr(value, "item", None)
    return item() if callable(item) else str(value)


def _number(value: object, signed: bool = False) -> str:
    if isinstance(value, (int, float)) or hasattr(value, "item"):
        return f"{float(value):+.3f}" if signed else f"{float(value):.3g}"
    return str(value)


def _pairs(label: str, values: dict, signed: bool, width: int, indent: str, hanging: str) -> list[str]:
    """``label: name value, name value, …`` (zeros left out, in the order given), a pair never split across lines."""
    items = [f"{name} {_number(v, signed)}" for name, v in values.items() if not _is_zero(v)] or ["(all zero)"]
    lines, line = [], f"{indent}{label}:"
    for n, item in enumerate(items):
        piece = item + ("," if n < len(items) - 1 else "")
        if len(line) + 1 + len(piece) > width:
            lines.append(line)
            line = hanging + piece
        else:
            line += " " + piece
    return lines + [line]


def _is_zero(value: object) -> bool:
    try:
        return float(value) == 0.0  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def render_explanation(data: dict, width: int = DEFAULT_WIDTH) -> str:
    """``engine.explain``'s dict for a terminal: how the question was read, the ranker's verdict, the candidates."""
    lines = wrap(f"question: {data.get('question', '')}", width, "", "  ")
    read = data.get("read_as")
    if isinstance(read, dict):
        kind = f" (kind: {read['kind']})" if read.get("kind") else ""
        lines += wrap(f"read as: {read.get('normalized', '')}{kind}", width, "", "  ")
        for key in ("terms", "named"):
            if read.get(key):
                lines += wrap(f"{key}: {', '.join(map(str, read[key]))}", width, "  ", "    ")
        if read.get("corrections"):
            fixes = ", ".join(f"{a} → {b}" for a, b in read["corrections"].items())
            lines += wrap(f"corrections: {fixes}", width, "  ", "    ")
        for key, value in read.items():
            if key not in ("normalized", "kind", "terms", "named", "corrections") and value:
                lines += wrap(f"{key}: {value}", width, "  ", "    ")
    if data.get("abstained"):
        lines += wrap(f"declined before ranking: {data['abstained']}", width, "", "  ")
    if "probability" in data:
        probability, threshold = data["probability"], data.get("threshold")
        verdict = ""
        if isinstance(threshold, (int, float)):
            verdict = ": answered" if probability >= threshold else ": declined (below the threshold)"
        text = f"ranker: {data.get('ranker', '?')}; probability {_number(probability)}, threshold {threshold}{verdict}"
        lines += wrap(text, width, "", "  ")
    if isinstance(data.get("answer_check"), dict):
        lines += _pairs("answer check contributions", data["answer_check"], True, width, "", "  ")
    for key, value in data.items():
        if key not in _EXPLAINED:
            lines += wrap(f"{key}: {json.dumps(value, ensure_ascii=False, default=_plain)}", width, "", "  ")
    candidates = data.get("candidates") or []
    if candidates:
        lines.append("candidates:")
    for i, cand in enumerate(candidates, 1):
        read = f", reader {_number(cand['reader'])}" if "reader" in cand else ""
        head = f"{i}. score {_number(cand.get('score', '?'))}{read}, {cand.get('article', '?')}"
        lines += wrap(head, width, "  ", "     ")
        lines += wrap(f"“{cand.get('sentence', '')}”", width, "     ")
        if isinstance(cand.get("contributions"), dict):
            lines += _pairs("contributions", cand["contributions"], True, width, "     ", "       ")
        if isinstance(cand.get("features"), dict):
            lines += _pairs("features", cand["features"], False, width, "     ", "       ")
    return "\n".join(lines)
