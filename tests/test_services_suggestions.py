"""Bundle suggestions: explained matches, edge cases, and a floor under the measured quality."""
from __future__ import annotations

import pytest

from bench.suggestions import (
    HOLDOUT2_PATH,
    HOLDOUT3_PATH,
    HOLDOUT4_PATH,
    HOLDOUT_PATH,
    accuracy,
    group_ari,
    holdout_accuracy,
    load_eval,
    mean_accuracy,
)
from wijkapp.services.suggestions import (
    BundleSuggestion,
    ProposedGroup,
    SignalText,
    fold,
    propose_groups,
    suggest_bundles,
)

SPEED = [SignalText(1, "Ze scheuren door de Kerkstraat"), SignalText(2, "Auto's rijden veel te hard in de Kerkstraat")]
PLAY = [SignalText(3, "De schommel in de speeltuin is kapot"), SignalText(4, "Glijbaan in de speeltuin heeft een scherpe rand")]
WASTE = [SignalText(5, "Zwerfvuil rond de containers"), SignalText(6, "Grofvuil naast de container")]
BUNDLES = {10: SPEED, 20: PLAY, 30: WASTE}


def words_of(text: str) -> set[str]:
    return set(fold(text).replace("'", " ").replace("?", " ").replace(".", " ").split())


def test_suggests_the_bundle_with_shared_words_first():
    got = suggest_bundles([SignalText(100, "speeltuin aan de Beukenlaan is kapot")], BUNDLES)

    assert list(got) == [100]
    assert got[100][0].bundle_id == 20
    assert "speeltuin" in got[100][0].shared_terms
    assert all(isinstance(s, BundleSuggestion) for s in got[100])
    assert [s.score for s in got[100]] == sorted((s.score for s in got[100]), reverse=True)


def test_shared_terms_are_real_words_of_the_signal_and_of_the_bundle():
    signal = SignalText(100, "De schommel hangt scheef in de speeltuin")
    got = suggest_bundles([signal], BUNDLES)
    best = got[100][0]

    assert best.bundle_id == 20
    assert best.shared_terms
    bundle_words = set().union(*(words_of(s.text) for s in PLAY))
    for term in best.shared_terms:
        mine, _, theirs = term.split(" (")[0].partition(" ≈ ")
        assert set(mine.split()) <= words_of(signal.text)
        assert set((theirs or mine).split()) <= bundle_words


def test_concepts_join_different_words_for_the_same_subject():
    got = suggest_bundles([SignalText(100, "hardrijders, er moet een drempel komen")], BUNDLES)

    assert got[100][0].bundle_id == 10
    assert any(term.endswith("(snelheid)") for term in got[100][0].shared_terms)


def test_theme_and_location_reasons_appear_only_when_they_match():
    bundles = {
        1: [SignalText(1, "lantaarnpaal kapot", theme_id=7, location_id=3)],
        2: [SignalText(2, "speeltuin kapot", theme_id=8, location_id=4)],
    }
    got = suggest_bundles([SignalText(100, "alles kapot hier", theme_id=7, location_id=4)], bundles)
    reasons = {s.bundle_id: s.reasons for s in got[100]}

    assert reasons[1] == ("zelfde thema",)
    assert reasons[2] == ("zelfde locatie",)


def test_a_shared_location_alone_never_suggests_a_bundle():
    bundles = {1: [SignalText(1, "lantaarnpaal kapot", location_id=3)],
               2: [SignalText(2, "zwerfvuil bij de flat", theme_id=8)]}
    got = suggest_bundles([SignalText(100, "mijn buurman belt nooit terug", theme_id=8, location_id=3)], bundles)

    assert [(s.bundle_id, s.reasons) for s in got[100]] == [(2, ("zelfde thema",))]


def test_no_reasons_without_theme_or_location():
    got = suggest_bundles([SignalText(100, "speeltuin kapot")], BUNDLES)

    assert all(s.reasons == () for s in got[100])


def test_empty_inputs():
    assert suggest_bundles([], BUNDLES) == {}
    assert suggest_bundles([SignalText(1, "speeltuin kapot")], {}) == {1: []}
    assert suggest_bundles([SignalText(1, "speeltuin kapot")], {5: []}) == {1: []}
    assert suggest_bundles([SignalText(1, "")], BUNDLES) == {1: []}
    assert propose_groups([]) == []
    assert propose_groups([SignalText(1, "speeltuin kapot")]) == []


def test_a_signal_of_only_stop_words_gets_no_suggestion_and_no_group():
    only_stop_words = SignalText(100, "Het is er niet, maar wel bij ons!")
    got = suggest_bundles([only_stop_words, SignalText(101, "glijbaan speeltuin")], BUNDLES)

    assert got[100] == []
    assert got[101][0].bundle_id == 20
    groups = propose_groups([only_stop_words, *SPEED, *PLAY])
    assert all(100 not in g.signal_ids for g in groups)


def test_top_n_limits_the_number_of_suggestions():
    got = suggest_bundles([SignalText(100, "kapotte container in de speeltuin, te hard gereden")], BUNDLES, top_n=1)

    assert len(got[100]) == 1
    assert suggest_bundles([SignalText(100, "speeltuin")], BUNDLES, top_n=0) == {100: []}


def test_output_is_deterministic_whatever_the_input_order():
    unbundled = [SignalText(100, "scheuren door de straat"), SignalText(101, "vuil naast de container")]
    first = suggest_bundles(unbundled, BUNDLES)
    again = suggest_bundles(list(reversed(unbundled)), dict(reversed(list(BUNDLES.items()))))

    assert first == again
    assert propose_groups([*SPEED, *PLAY, *WASTE]) == propose_groups([*WASTE, *PLAY, *SPEED])


def test_equal_scores_go_to_the_lower_bundle_id():
    same = "lantaarnpaal kapot"
    got = suggest_bundles([SignalText(100, same)], {9: [SignalText(1, same)], 4: [SignalText(2, same)]})

    assert [s.bundle_id for s in got[100]] == [4, 9]
    assert got[100][0].score == got[100][1].score


def test_propose_groups_finds_similar_signals_and_names_them():
    signals = [
        SignalText(1, "hondenpoep op de stoep"),
        SignalText(2, "overal hondenpoep in het park"),
        SignalText(3, "hondepoep bij de school"),
        SignalText(4, "de lift in de flat is kapot"),
        SignalText(5, "lift kapot, ik kan niet naar beneden"),
        SignalText(6, "vraag over de bibliotheek"),
    ]
    groups = propose_groups(signals)

    assert all(isinstance(g, ProposedGroup) for g in groups)
    assert [g.signal_ids for g in groups] == [(1, 2, 3), (4, 5)]
    assert groups[0].name[0].isupper()
    assert "hondenpoep" in groups[0].name.lower()
    assert "lift" in groups[1].shared_terms
    assert all(0 < g.score <= 1.5 for g in groups)


def test_min_size_leaves_small_groups_out():
    groups = propose_groups([*SPEED, *PLAY, *WASTE], min_size=3)

    assert all(len(g.signal_ids) >= 3 for g in groups)


# Floors just under the figures measured with `python -m bench.suggestions` (docs/bundling.md):
# top-1 0.859 / top-3 0.909 on the deterministic split, 0.873 / 0.939 over 5 seeded splits, ARI 0.713;
# held-out sets against all 204 bundled: 0.914 / 0.929 (holdout), 0.821 / 0.911 (holdout2),
# 0.839 / 1.000 (holdout3) and 0.839 / 0.946 (holdout4, written blind by a second author).
# The top-3 floors are the target (0.90): a change that drops below it fails here.
@pytest.fixture(scope="module")
def eval_rows():
    return load_eval()


def test_quality_floor_deterministic_split(eval_rows):
    top1, top3 = accuracy(eval_rows)

    assert top1 >= 0.84
    assert top3 >= 0.90


def test_quality_floor_seeded_splits(eval_rows):
    top1, top3 = mean_accuracy(eval_rows)

    assert top1 >= 0.86
    assert top3 >= 0.93


def test_quality_floor_proposed_groups(eval_rows):
    ari, _, _ = group_ari(eval_rows)

    assert ari >= 0.70


@pytest.mark.parametrize(("path", "floor1", "floor3"), [
    (HOLDOUT_PATH, 0.89, 0.92), (HOLDOUT2_PATH, 0.80, 0.89), (HOLDOUT3_PATH, 0.82, 0.98), (HOLDOUT4_PATH, 0.82, 0.92),
])
def test_quality_floor_held_out_sets(eval_rows, path, floor1, floor3):
    top1, top3 = holdout_accuracy(eval_rows, load_eval(path))

    assert top1 >= floor1
    assert top3 >= floor3
