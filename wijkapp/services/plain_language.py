"""Plain-language check of feedback texts (the ervaringsdeskundige's role in the toolkit).

Readability is Flesch-Douma, the Dutch Flesch variant, via textstat with language "nl". textstat
counts Dutch syllables with Pyphen's bundled dictionary; only English would load nltk's cmudict
(and try to download it), so this module never asks for English.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from textstat.textstat import textstatistics

from wijkapp.extensions import db
from wijkapp.models import Partnership, PlainWord
from wijkapp.services import audit

WORD_LIST = Path(__file__).with_name("plain_language_words.txt")
LONG_SENTENCE_WORDS = 20
# Flesch-Douma: 60 and up is what most adults read easily (about B1); below 45 is hard.
EASY_SCORE = 60
HARD_SCORE = 45

_SENTENCE_END = re.compile(r"((?<=[.!?…])[ \t]+|[ \t]*\n\s*)")
_WORD = re.compile(r"[0-9A-Za-zÀ-ÖØ-öø-ÿ'’-]+")


@lru_cache(maxsize=1)
def _statistics() -> textstatistics:
    # An instance of our own: textstat's module-level object is shared and its language global.
    stats = textstatistics()
    stats.set_lang("nl")
    return stats


@lru_cache(maxsize=1)
def shipped_words() -> dict[str, str]:
    words = {}
    for line in WORD_LIST.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#") and "|" in line:
            word, alternative = (part.strip() for part in line.split("|", 1))
            words[word.lower()] = alternative
    return words


def word_list(partnership: Partnership | None) -> dict[str, str]:
    """The shipped list plus the partnership's own words (its own alternative wins)."""
    words = dict(shipped_words())
    if partnership is not None:
        for own in db.session.scalars(db.select(PlainWord).where(PlainWord.partnership_id == partnership.id)):
            words[own.word.lower()] = own.alternative
    return words


@dataclass(frozen=True)
class Segment:
    text: str
    alternative: str | None = None  # set when `text` is officialese


@dataclass(frozen=True)
class Sentence:
    segments: list[Segment]
    words: int
    line_break_after: bool = False  # the writer started a new line here; the preview keeps it

    @property
    def is_long(self) -> bool:
        return self.words > LONG_SENTENCE_WORDS


@dataclass
class Check:
    score: float | None  # None for a text too short to score
    sentences: list[Sentence] = field(default_factory=list)
    findings: dict[str, str] = field(default_factory=dict)  # officialese found → alternative

    @property
    def long_sentences(self) -> list[Sentence]:
        return [s for s in self.sentences if s.is_long]

    @property
    def verdict(self) -> str:
        if self.score is None:
            return "Te kort om te meten."
        if self.score >= EASY_SCORE:
            return "Goed te lezen voor de meeste mensen."
        if self.score >= HARD_SCORE:
            return "Redelijk te lezen. Maak zinnen korter of woorden eenvoudiger."
        return "Moeilijk te lezen. Maak zinnen korter en gebruik gewone woorden."

    @property
    def level(self) -> str:
        if self.score is None:
            return "none"
        return "easy" if self.score >= EASY_SCORE else "fair" if self.score >= HARD_SCORE else "hard"

    @property
    def is_clean(self) -> bool:
        return not self.findings and not self.long_sentences and self.level in ("easy", "none")


def _pattern(words: dict[str, str]) -> re.Pattern | None:
    if not words:
        return None
    # Longest first, so "in het kader van" wins over a shorter entry inside it.
    alternatives = sorted(words, key=len, reverse=True)
    body = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in alternatives)
    return re.compile(rf"(?<![\wÀ-ÿ])({body})(?![\wÀ-ÿ])", re.IGNORECASE)


def _segments(text: str, pattern: re.Pattern | None, words: dict[str, str], found: dict[str, str]) -> list[Segment]:
    if pattern is None:
        return [Segment(text)]
    segments, position = [], 0
    for match in pattern.finditer(text):
        if match.start() > position:
            segments.append(Segment(text[position:match.start()]))
        key = " ".join(match.group(1).lower().split())
        alternative = words.get(key, "")
        found[key] = alternative
        segments.append(Segment(match.group(1), alternative))
        position = match.end()
    if position < len(text):
        segments.append(Segment(text[position:]))
    return segments


def score(text: str) -> float | None:
    if len(_WORD.findall(text)) < 5:
        return None
    return round(_statistics().flesch_reading_ease(text), 1)


def check(text: str, words: dict[str, str]) -> Check:
    text = text or ""
    pattern = _pattern(words)
    found: dict[str, str] = {}
    pieces = _SENTENCE_END.split(text)  # sentence, separator, sentence, …
    sentences = []
    for index in range(0, len(pieces), 2):
        part = pieces[index].strip()
        if not part:
            continue
        separator = pieces[index + 1] if index + 1 < len(pieces) else ""
        sentences.append(Sentence(_segments(part, pattern, words, found), len(_WORD.findall(part)),
                                  "\n" in separator))
    return Check(score=score(text), sentences=sentences, findings=found)


def check_parts(parts: dict[str, str], words: dict[str, str]) -> tuple[Check, dict[str, Check]]:
    """One score for the whole text (what a resident reads) and the marks per part."""
    whole = check("\n".join(p for p in parts.values() if p), words)
    return whole, {name: check(text, words) for name, text in parts.items()}


def own_words(partnership: Partnership) -> list[PlainWord]:
    """The partnership's own additions to the word list, alphabetical."""
    return list(db.session.scalars(db.select(PlainWord).where(PlainWord.partnership_id == partnership.id)
                                   .order_by(PlainWord.word)))


def save_own_word(partnership: Partnership, user, word: str, alternative: str) -> PlainWord:
    """Add a word with its everyday alternative, or give a word already on the own list a new one."""
    own = db.session.scalar(db.select(PlainWord).where(PlainWord.partnership_id == partnership.id,
                                                       PlainWord.word == word))
    if own is None:
        own = PlainWord(partnership_id=partnership.id, word=word, alternative=alternative, created_by_id=user.id)
        db.session.add(own)
    else:
        own.alternative = alternative
    audit.record(partnership, user, "plain_word_saved", detail=f"{word} → {alternative}")
    db.session.flush()
    return own


def remove_own_word(word: PlainWord) -> None:
    db.session.delete(word)
    db.session.flush()
