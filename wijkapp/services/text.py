"""What people type, made safe to store and show without changing what they meant."""
from __future__ import annotations

import re
import unicodedata

# Bidirectional overrides and isolates can make shown text read differently from what is stored.
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"), None)
# Invisible characters that only let two texts look the same while differing ("Ver\u200bkeer" next
# to "Verkeer"). Zero-width (non-)joiners stay: emoji sequences and some scripts need them.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u180e"), None)
_LINE_SEPARATORS = {0x2028: "\n", 0x2029: "\n"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_MANY_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(raw: str | None, single_line: bool = False) -> str:
    """NFC-normalise, drop control and bidi-override characters, tidy whitespace."""
    if not raw:
        return ""
    text = unicodedata.normalize("NFC", raw)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text.translate(_LINE_SEPARATORS)).translate(_BIDI_CONTROLS).translate(_INVISIBLE)
    if single_line:
        text = " ".join(text.split())
    else:
        text = "\n".join(line.rstrip() for line in text.split("\n"))
        text = _MANY_BLANK_LINES.sub("\n\n", text)
    return text.strip()


def had_control_characters(raw: str | None) -> bool:
    return bool(raw) and (bool(_CONTROL.search(raw.replace("\r", ""))) or raw != raw.translate(_BIDI_CONTROLS))
