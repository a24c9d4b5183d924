from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.conftest import count
from tests.feedback_helpers import build_round
from wijkapp.extensions import db
from wijkapp.models import Action, Feedback, OutboxMessage, Role, Round, Signal
from wijkapp.services import feedback as service, receipts
from wijkapp.services.loop_figures import loop_figures


@pytest.fixture
def world(make):
    partnership = make.partnership(name="Wijkverband Noord", slug="noord")
    coordinator = make.user(partnership, Role.COORDINATOR)
    expert = make.user(partnership, Role.ERVARINGSDESKUNDIGE)
    location = make.location(partnership)
    scenario = build_round(make, partnership, coordinator, location)
    return partnership, coordinator, expert, location, scenario


def _fill(draft):
    draft.not_possible = "Zwerfafval pakken we nu niet op, omdat de gemeente al vaker opruimt."


def test_draft_is_prefilled_from_top_bundles_and_actions(ctx, world):
    *_, scenario = world
    draft = service.draft_for(db.session.get(Round, scenario.round_id))
    assert "We kregen 4 signalen uit de buurt" in draft.heard
    assert "- Te hard rijden in de Kerkstraat (3 signalen)" in draft.heard
    assert "Drempels in de Kerkstraat. Eerste stap: Gesprek met de gemeente" in draft.done
    assert "We vragen de gemeente om drempels." in draft.done
    assert "Zwerfafval bij het winkelcentrum: dit pakken we nu nog niet op" in draft.not_possible
    assert draft.next_update_on == date.today() + timedelta(days=45)
    assert draft.next_update_channel and draft.contact
    assert service.draft_for(draft.round).id == draft.id  # one draft per round


def test_placeholder_and_empty_parts_block_publishing(ctx, world):
    *_, scenario = world
    draft = service.draft_for(db.session.get(Round, scenario.round_id))
    draft.contact = "  "
    with pytest.raises(service.MissingParts) as error:
        service.publish(draft, None)
    assert set(error.value.problems) == {"not_possible", "contact"}
    assert "Vervang" in error.value.problems["not_possible"]
    assert count(Feedback, Feedback.version > 0) == 0


def test_publishing_adds_versions_and_never_overwrites(ctx, world):
    _, coordinator, *_, scenario = world
    round_ = db.session.get(Round, scenario.round_id)
    draft = service.draft_for(round_)
    _fill(draft)
    first = service.publish(draft, coordinator)
    draft.done = "De drempels liggen er."
    second = service.publish(draft, coordinator)
    db.session.commit()
    assert (first.version, second.version) == (1, 2)
    assert db.session.get(Feedback, first.id).done != "De drempels liggen er."
    assert [v.version for v in service.published_versions(round_)] == [2, 1]
    assert {b.id for b in second.bundles} == {scenario.chosen_bundle_id, scenario.other_bundle_id}
    assert not first.was_reviewed


def test_review_holds_only_for_the_reviewed_text(ctx, world):
    _, coordinator, expert, *_, scenario = world
    draft = service.draft_for(db.session.get(Round, scenario.round_id))
    _fill(draft)
    service.review(draft, expert, True, "")
    assert draft.is_approved
    service.save_draft(draft, {"heard": draft.heard + " Ook over parkeren."}, coordinator)
    assert not draft.is_approved
    service.review(draft, expert, True, "Helder.")
    published = service.publish(draft, coordinator)
    assert published.was_reviewed and published.reviewed_by_id == expert.id


def test_publishing_queues_mail_for_consenting_residents_of_covered_bundles(ctx, world):
    *_, scenario = world
    draft = service.draft_for(db.session.get(Round, scenario.round_id))
    _fill(draft)
    service.publish(draft, None)
    messages = db.session.scalars(db.select(OutboxMessage)).all()
    assert [m.to_address for m in messages] == ["bewoner@example.org"]
    assert "Drempels in de Kerkstraat (gepland)" in messages[0].body


def test_publishing_sets_the_actions_next_update(ctx, world):
    *_, scenario = world
    draft = service.draft_for(db.session.get(Round, scenario.round_id))
    _fill(draft)
    service.publish(draft, None)
    assert db.session.get(Action, scenario.action_id).next_update_on == draft.next_update_on


def test_due_items_show_rounds_without_feedback_and_actions_past_their_update(ctx, world):
    partnership, *_, scenario = world
    today = date.today()
    due = service.due_items(partnership, today)
    assert [(i.kind, i.overdue) for i in due.items] == [("round", False)]
    late = service.due_items(partnership, today + timedelta(days=20))
    assert late.overdue[0].kind == "round"
    action = db.session.get(Action, scenario.action_id)
    action.next_update_on = today - timedelta(days=1)
    db.session.commit()
    kinds = {(i.kind, i.overdue) for i in service.due_items(partnership, today).items}
    assert ("action", True) in kinds
    action.status = "klaar"
    db.session.commit()
    assert all(i.kind != "action" for i in service.due_items(partnership, today).items)


def test_round_state(ctx, world):
    *_, scenario = world
    round_ = db.session.get(Round, scenario.round_id)
    assert service.round_state(round_, date.today()) == "due"
    assert service.round_state(round_, date.today() + timedelta(days=30)) == "overdue"
    draft = service.draft_for(round_)
    _fill(draft)
    service.publish(draft, None)
    assert service.round_state(round_, date.today()) == "published"


def test_receipt_status_chosen_not_chosen_and_not_bundled(ctx, world, make):
    partnership, *_, scenario = world
    loose = make.signal(partnership, "Een bankje bij de vijver")
    chosen = receipts.status_of(db.session.get(Signal, scenario.chosen_signal_id), date.today())
    assert chosen.outcome == "chosen" and [a.title for a in chosen.actions] == ["Drempels in de Kerkstraat"]
    other = receipts.status_of(db.session.get(Signal, scenario.other_signal_id), date.today())
    assert other.outcome == "not_chosen"
    assert [a.choice_reason for a in other.round_choices] == ["Haalbaar en veel genoemd."]
    assert receipts.status_of(db.session.get(Signal, loose.id), date.today()).outcome == "not_bundled"


def test_receipt_status_waits_before_the_meeting(ctx, make):
    partnership = make.partnership()
    coordinator = make.user(partnership)
    location = make.location(partnership)
    scenario = build_round(make, partnership, coordinator, location, meeting_days_ago=-5)
    db.session.delete(db.session.get(Action, scenario.action_id))
    db.session.commit()
    status = receipts.status_of(db.session.get(Signal, scenario.other_signal_id), date.today())
    assert status.outcome == "waiting"


def test_merged_bundles_count_as_their_surviving_bundle(ctx, world):
    *_, scenario = world
    from wijkapp.models import Bundle

    partnership_id = db.session.get(Round, scenario.round_id).partnership_id
    old = Bundle(partnership_id=partnership_id, name="Hardrijders", merged_into_id=scenario.chosen_bundle_id)
    db.session.add(old)
    db.session.flush()
    signal = db.session.get(Signal, scenario.other_signal_id)
    signal.bundle_id = old.id
    db.session.commit()
    status = receipts.status_of(signal, date.today())
    assert status.bundle.id == scenario.chosen_bundle_id and status.outcome == "chosen"


def test_loop_figures(ctx, world):
    partnership, *_, scenario = world
    empty = loop_figures(partnership, date.today())
    assert (empty.signals, empty.with_feedback, empty.median_days) == (4, 0, None)
    draft = service.draft_for(db.session.get(Round, scenario.round_id))
    _fill(draft)
    service.publish(draft, None)
    receipts.count_lookup(db.session.get(Signal, scenario.chosen_signal_id))
    db.session.commit()
    figures = loop_figures(partnership, date.today())
    assert figures.with_feedback == 4 and figures.share == 1.0
    assert figures.median_days == 28  # signals came in 28 days before today
    assert (figures.on_time, figures.late, figures.lookups) == (1, 0, 1)


def test_loop_figures_count_a_round_with_actions_and_no_feedback_as_late(ctx, make):
    partnership = make.partnership()
    coordinator = make.user(partnership)
    build_round(make, partnership, coordinator, make.location(partnership), meeting_days_ago=20)
    figures = loop_figures(partnership, date.today())
    assert (figures.on_time, figures.late) == (0, 1)
