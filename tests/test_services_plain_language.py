from __future__ import annotations

import pytest

from wijkapp.extensions import db
from wijkapp.models import PlainWord
from wijkapp.services import plain_language


def test_officialese_is_marked_with_a_plainer_alternative():
    result = plain_language.check("Wij komen inzake de stoep middels een brief terug, teneinde u te informeren.",
                                  plain_language.shipped_words())
    assert result.findings == {"inzake": "over", "middels": "met, via", "teneinde": "om"}
    marked = [seg for s in result.sentences for seg in s.segments if seg.alternative is not None]
    assert [seg.text for seg in marked] == ["inzake", "middels", "teneinde"]


def test_phrases_match_across_spaces_and_case_and_longest_first():
    result = plain_language.check("In Het Kader Van de wijk dienen  te wij te praten. Conform afspraak.",
                                  plain_language.shipped_words())
    assert set(result.findings) == {"in het kader van", "dienen te", "conform"}


def test_words_inside_other_words_are_not_marked():
    # "conformiteit" and "reedsen" are not the listed words
    result = plain_language.check("De conformiteit van het plan is goed.", {"conform": "volgens"})
    assert result.findings == {}


def test_long_sentences_are_marked():
    long = " ".join(["woord"] * 25) + "."
    result = plain_language.check(f"Korte zin. {long} Nog een korte zin.", {})
    assert [s.words for s in result.sentences] == [2, 25, 4]
    assert [s.is_long for s in result.sentences] == [False, True, False]
    assert len(result.long_sentences) == 1


def test_flesch_douma_scores_plain_text_higher_than_officialese():
    plain = plain_language.score("We maken de stoep heel. Dat doen we in maart. Kom langs als je wilt meepraten.")
    hard = plain_language.score(
        "Teneinde de verkeersveiligheidssituatie structureel te optimaliseren, zal de gemeentelijke "
        "organisatie middels een integrale participatietrajectbenadering de implementatiemogelijkheden onderzoeken.")
    assert plain > plain_language.EASY_SCORE > hard
    assert plain_language.check("Te kort.", {}).score is None


def test_uses_dutch_settings_and_never_downloads(monkeypatch):
    import nltk

    def refuse(*args, **kwargs):
        raise AssertionError("nltk.download must never be called")

    monkeypatch.setattr(nltk, "download", refuse)
    stats = plain_language._statistics()
    assert stats._textstatistics__lang == "nl"
    assert plain_language.score("Dit is een gewone zin met wat woorden erin. En nog een zin.") is not None


def test_partnership_words_extend_and_override_the_shipped_list(ctx, make):
    partnership = make.partnership()
    db.session.add_all([
        PlainWord(partnership_id=partnership.id, word="wijkteam", alternative="de hulpverleners in de wijk"),
        PlainWord(partnership_id=partnership.id, word="inzake", alternative="over (eigen)"),
    ])
    db.session.commit()
    words = plain_language.word_list(partnership)
    assert words["wijkteam"] == "de hulpverleners in de wijk"
    assert words["inzake"] == "over (eigen)"
    assert words["middels"] == "met, via"
    assert plain_language.check("Het wijkteam komt.", words).findings == {"wijkteam": "de hulpverleners in de wijk"}


@pytest.mark.parametrize("text", ["", "   ", "\n\n"])
def test_empty_text_gives_an_empty_check(text):
    result = plain_language.check(text, plain_language.shipped_words())
    assert result.sentences == [] and result.findings == {} and result.score is None
