"""The rules of actions, without HTTP: owner, dates, 1–2 per round, stale saves, stopping."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.orm.exc import StaleDataError

from wijkapp.extensions import db
from wijkapp.models import Action, ActionUpdate, Partnership, Role, Round, User
from wijkapp.services import actions, rounds

TODAY = date(2027, 3, 1)


@pytest.fixture
def world(app, make):
    p = make.partnership()
    other = make.partnership()
    owner = make.user(p, Role.HOST)
    outsider = make.user(other, Role.COORDINATOR)
    with app.app_context():
        round_ = rounds.open_next_round(db.session.get(Partnership, p.id), TODAY - timedelta(days=10), None)
        db.session.commit()
        return {"p": p.id, "round": round_.id, "owner": owner.id, "outsider": outsider.id}


def fields(owner_id, **changes) -> actions.ActionFields:
    first, check = actions.default_dates(TODAY)
    data = dict(title="Drempel aanvragen", intended_result="Auto's rijden langzamer in de Kerkstraat.",
                owner_id=owner_id, first_step="Mail aan de wijkmanager", first_step_on=first, check_on=check,
                feedback_sentence="We vragen een drempel aan; in mei horen jullie meer.",
                choice_reason="Veel bewoners noemen het en de gemeente kan snel iets doen.")
    data.update(changes)
    return actions.ActionFields(**data)


def rules(world, data, action=None):
    return actions.check_rules(db.session.get(Partnership, world["p"]), db.session.get(Round, world["round"]),
                               data, TODAY, action=action)


def create(world, data, confirmed=False):
    return actions.create_action(db.session.get(Partnership, world["p"]), db.session.get(Round, world["round"]),
                                 data, None, TODAY, confirmed=confirmed)


def test_defaults_fall_inside_the_agreed_ranges(ctx, world):
    first, check = actions.default_dates(TODAY)
    assert TODAY < first <= TODAY + timedelta(days=14)
    assert TODAY + timedelta(weeks=6) <= check <= TODAY + timedelta(weeks=8)
    assert rules(world, fields(world["owner"])).errors == {}
    assert rules(world, fields(world["owner"])).warnings == {}


def test_owner_is_required_and_must_belong_to_the_partnership(ctx, world):
    assert "Kies een eigenaar" in rules(world, fields(None)).errors["owner_id"]
    assert rules(world, fields(world["outsider"])).errors["owner_id"] == \
        "Kies een eigenaar uit de mensen en contactpersonen van dit wijkverband."
    with pytest.raises(actions.ActionRuleError):
        create(world, fields(world["outsider"]), confirmed=True)
    assert db.session.scalar(db.select(db.func.count(Action.id))) == 0


@pytest.mark.parametrize("first_step_on, message", [
    (TODAY - timedelta(days=1), "in het verleden"),
    (TODAY + timedelta(days=15), "meer dan 2 weken"),
])
def test_first_step_outside_two_weeks_needs_a_confirmation(ctx, world, first_step_on, message):
    data = fields(world["owner"], first_step_on=first_step_on)
    problems = rules(world, data)
    assert message in problems.warnings["first_step_on"]
    with pytest.raises(actions.ActionRuleError):
        create(world, data)
    assert db.session.scalar(db.select(db.func.count(Action.id))) == 0
    action = create(world, data, confirmed=True)
    assert action.first_step_on == first_step_on


def test_check_moment_outside_six_to_eight_weeks_needs_a_confirmation(ctx, world):
    data = fields(world["owner"], check_on=TODAY + timedelta(weeks=10))
    assert "6 tot 8 weken" in rules(world, data).warnings["check_on"]
    assert create(world, data, confirmed=True).check_on == TODAY + timedelta(weeks=10)


def test_check_moment_before_the_first_step_is_never_allowed(ctx, world):
    data = fields(world["owner"], first_step_on=TODAY + timedelta(days=10), check_on=TODAY + timedelta(days=5))
    assert "voor de eerste stap" in rules(world, data).errors["check_on"]
    with pytest.raises(actions.ActionRuleError):
        create(world, data, confirmed=True)
    assert db.session.scalar(db.select(db.func.count(Action.id))) == 0


def test_reason_for_choosing_is_required(ctx, world):
    assert "waarom" in rules(world, fields(world["owner"], choice_reason="  ")).errors["choice_reason"]


def test_a_third_action_needs_a_reason(ctx, world):
    create(world, fields(world["owner"], title="Een"))
    create(world, fields(world["owner"], title="Twee"))
    with pytest.raises(actions.ActionRuleError) as error:
        create(world, fields(world["owner"], title="Drie"))
    assert "al 2 acties" in error.value.problems.errors["over_limit_reason"]
    third = create(world, fields(world["owner"], title="Drie", over_limit_reason="De gemeente betaalt dit jaar mee."))
    db.session.commit()
    assert third.over_limit_reason == "De gemeente betaalt dit jaar mee."
    assert [a.title for a in actions.actions_of_round(db.session.get(Round, world["round"]))] == ["Een", "Twee", "Drie"]
    # the first two stay editable without a reason
    first = db.session.scalar(db.select(Action).where(Action.title == "Een"))
    assert "over_limit_reason" not in rules(world, fields(world["owner"], title="Een!"), action=first).errors


def test_create_stores_every_template_field_and_logs_the_choice(ctx, world):
    data = fields(world["owner"], signal_summary="Hard rijden Kerkstraat", description="Met de gemeente",
                  partners="Gemeente, politie", feasibility=4, impact=5, feedback_owner_id=world["owner"],
                  next_update_on=TODAY + timedelta(days=30))
    action = create(world, data)
    db.session.commit()
    stored = db.session.get(Action, action.id)
    for name in actions.FIELD_NAMES:
        assert getattr(stored, name) == getattr(data, name), name
    assert stored.status == "gepland" and stored.version == 1
    assert [u.text for u in stored.updates] == ["Actie gekozen."]


def test_a_save_based_on_an_old_version_is_refused(ctx, world):
    action = create(world, fields(world["owner"]))
    db.session.commit()
    actions.update_action(action, fields(world["owner"], title="Versie twee"), None, 1, TODAY)
    db.session.commit()
    assert action.version == 2
    with pytest.raises(actions.StaleAction):
        actions.update_action(action, fields(world["owner"], title="Versie van de ander"), None, 1, TODAY)
    db.session.rollback()
    assert db.session.get(Action, action.id).title == "Versie twee"


def test_a_concurrent_save_between_check_and_write_raises_stale_data(ctx, world):
    action = create(world, fields(world["owner"]))
    db.session.commit()
    assert action.version == 1  # loaded by this person
    # someone else's save lands after the version check, before this person's UPDATE (simulated
    # in the same transaction: SQLite allows one writer at a time)
    db.session.execute(update(Action).where(Action.id == action.id).values(version=2, title="De ander"),
                       execution_options={"synchronize_session": False})
    with pytest.raises(StaleDataError):
        actions.update_action(action, fields(world["owner"], title="Ik"), None, 1, TODAY)
    db.session.rollback()
    assert db.session.get(Action, action.id).title != "Ik"


def test_stopping_needs_a_reason_and_is_logged(ctx, world):
    action = create(world, fields(world["owner"]))
    db.session.commit()
    with pytest.raises(actions.ActionRuleError) as error:
        actions.add_update(action, None, "", "gestopt", "")
    assert "waarom de actie stopt" in error.value.problems.errors["stop_reason"]
    db.session.rollback()
    assert db.session.get(Action, action.id).status == "gepland"
    actions.add_update(action, None, "", "gestopt", "De gemeente doet het al zelf.")
    db.session.commit()
    stored = db.session.get(Action, action.id)
    assert (stored.status, stored.stop_reason) == ("gestopt", "De gemeente doet het al zelf.")
    log = db.session.scalars(db.select(ActionUpdate).where(ActionUpdate.action_id == action.id)
                             .order_by(ActionUpdate.id)).all()
    assert (log[-1].status_from, log[-1].status_to, log[-1].text) == ("gepland", "gestopt",
                                                                      "Gestopt: De gemeente doet het al zelf.")


def test_an_update_without_text_or_new_status_is_refused(ctx, world):
    action = create(world, fields(world["owner"]))
    with pytest.raises(actions.ActionRuleError):
        actions.add_update(action, None, "  ", "gepland")


def test_overdue_first_step_and_check_moment(ctx, world):
    action = create(world, fields(world["owner"], first_step_on=TODAY + timedelta(days=3)))
    db.session.commit()
    late = TODAY + timedelta(days=4)
    assert actions.overdue(action, late).first_step
    actions.add_update(action, None, "Mail is verstuurd", "bezig")
    assert not actions.overdue(action, late).first_step
    after_check = action.check_on + timedelta(days=1)
    assert actions.overdue(action, after_check).check
    action.updates.append(ActionUpdate(text="Gecheckt", created_at=datetime.combine(action.check_on, datetime.min.time())))
    assert not actions.overdue(action, after_check).check


def test_owned_actions_put_open_ones_first(ctx, world):
    done = create(world, fields(world["owner"], title="Klaar"))
    actions.add_update(done, None, "", "klaar")
    create(world, fields(world["owner"], title="Open"))
    owner = db.session.get(User, world["owner"])
    assert [a.title for a in actions.actions_owned_by(db.session.get(Partnership, world["p"]), owner)] == ["Open", "Klaar"]
