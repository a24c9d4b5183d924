"""Bundling services: each action stores what it says and logs it; bad input changes nothing."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy.orm.exc import StaleDataError

from tests.conftest import count
from wijkapp.extensions import db
from wijkapp.models import AuditEvent, Bundle, Partnership, Role, Signal, Theme, User
from wijkapp.services import bundling
from wijkapp.services.bundling import BundlingError, StaleFormError


@pytest.fixture
def world(app, make):
    """A partnership with a coordinator, five unbundled signals, and a second partnership."""
    partnership = make.partnership(name="Noord", slug="noord")
    user = make.user(partnership, Role.COORDINATOR)
    texts = ["Ze scheuren door de Kerkstraat", "Drempel graag in de Kerkstraat", "30 km wordt niet gerespecteerd",
             "Afval naast de container", "Zwerfvuil bij de flat"]
    ids = [make.signal(partnership, t).id for t in texts]
    other = make.partnership(name="Zuid", slug="zuid")
    other_signal = make.signal(other, "Elders").id
    with app.app_context():
        yield {"p": db.session.get(Partnership, partnership.id), "user": db.session.get(User, user.id),
               "ids": ids, "other": db.session.get(Partnership, other.id), "other_signal": other_signal}


def snapshot():
    """Everything a bundling action may change, to prove a failed action changed nothing."""
    db.session.expire_all()
    return (
        sorted((b.id, b.name, b.theme_id, b.description, b.merged_into_id, b.version)
               for b in db.session.scalars(db.select(Bundle))),
        sorted((s.id, s.bundle_id) for s in db.session.scalars(db.select(Signal))),
        count(AuditEvent),
    )


def bundle_of(signal_id):
    return db.session.get(Signal, signal_id).bundle_id


def events(bundle):
    return [e.detail for e in db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.object_type == "Bundle", AuditEvent.object_id == bundle.id)
        .order_by(AuditEvent.id))]


def test_create_bundle_with_signals_and_theme(world):
    p, user, ids = world["p"], world["user"], world["ids"]
    verkeer = db.session.scalar(db.select(Theme).where(Theme.partnership_id == p.id, Theme.name == "Verkeer"))
    bundle = bundling.create_bundle(p, user, "  Te hard rijden   Kerkstraat ", theme_id=verkeer.id,
                                    description="Snelheid in de straat", signal_ids=ids[:2])
    db.session.commit()
    assert (bundle.name, bundle.theme_id, bundle.created_by_id) == ("Te hard rijden Kerkstraat", verkeer.id, user.id)
    assert [bundle_of(i) for i in ids] == [bundle.id, bundle.id, None, None, None]
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "bundle_created"))
    assert event.user_id == user.id and event.object_id == bundle.id
    assert "Te hard rijden Kerkstraat" in event.detail and "thema Verkeer" in event.detail
    assert f"#{ids[0]} ‘Ze scheuren door de Kerkstraat’" in event.detail


@pytest.mark.parametrize("name, message", [
    ("", "Geef de bundel een naam (1 tot 120 tekens)."),
    ("   ", "Geef de bundel een naam (1 tot 120 tekens)."),
    ("x" * 200, "Deze naam is te lang (200 tekens). Gebruik maximaal 120 tekens."),
])
def test_bad_names_are_refused(world, name, message):
    before = snapshot()
    with pytest.raises(BundlingError) as error:
        bundling.create_bundle(world["p"], world["user"], name, signal_ids=world["ids"][:1])
    assert error.value.message == message and error.value.field == "name"
    db.session.rollback()
    assert snapshot() == before


def test_name_of_exactly_120_characters_is_fine(world):
    bundle = bundling.create_bundle(world["p"], world["user"], "x" * 120)
    assert len(bundle.name) == 120


def test_duplicate_name_and_foreign_theme_are_refused(world):
    p, user = world["p"], world["user"]
    bundling.create_bundle(p, user, "Afval")
    db.session.commit()
    before = snapshot()
    with pytest.raises(BundlingError, match="Er is al een bundel met deze naam"):
        bundling.create_bundle(p, user, "afval", signal_ids=world["ids"][3:])
    foreign_theme = db.session.scalar(db.select(Theme.id).where(Theme.partnership_id == world["other"].id))
    with pytest.raises(BundlingError, match="Kies een thema uit de lijst"):
        bundling.create_bundle(p, user, "Groen", theme_id=foreign_theme)
    db.session.rollback()
    assert snapshot() == before


def test_signal_of_another_partnership_is_refused_and_nothing_changes(world):
    p, user, ids = world["p"], world["user"], world["ids"]
    bundle = bundling.create_bundle(p, user, "Verkeer", signal_ids=ids[:1])
    db.session.commit()
    before = snapshot()
    with pytest.raises(BundlingError, match="horen niet bij dit wijkverband"):
        bundling.add_signals(p, user, bundle, [ids[1], world["other_signal"]])
    with pytest.raises(BundlingError, match="horen niet bij dit wijkverband"):
        bundling.create_bundle(p, user, "Nieuw", signal_ids=[world["other_signal"]])
    with pytest.raises(BundlingError, match="Kies minstens één signaal"):
        bundling.add_signals(p, user, bundle, [])
    db.session.rollback()
    assert snapshot() == before


def test_bundle_of_another_partnership_is_refused(world):
    foreign = bundling.create_bundle(world["other"], None, "Elders", signal_ids=[world["other_signal"]])
    db.session.commit()
    before = snapshot()
    with pytest.raises(BundlingError, match="hoort niet bij dit wijkverband"):
        bundling.add_signals(world["p"], world["user"], foreign, world["ids"][:1])
    db.session.rollback()
    assert snapshot() == before


def test_add_signals_and_a_signal_bundled_meanwhile_is_stale(world):
    p, user, ids = world["p"], world["user"], world["ids"]
    speed = bundling.create_bundle(p, user, "Te hard rijden", signal_ids=ids[:1])
    trash = bundling.create_bundle(p, user, "Afval")
    db.session.commit()
    version = speed.version
    bundling.add_signals(p, user, speed, ids[1:3], version=version)
    db.session.commit()
    assert [bundle_of(i) for i in ids[:3]] == [speed.id] * 3
    assert speed.version == version + 1
    assert "Aan bundel ‘Te hard rijden’ toegevoegd: 2 signalen" in events(speed)[-1]
    before = snapshot()
    with pytest.raises(StaleFormError, match="net door iemand anders gebundeld"):
        bundling.add_signals(p, user, trash, [ids[2], ids[3]])
    db.session.rollback()
    assert snapshot() == before


def test_edit_bundle_logs_each_change(world):
    p, user = world["p"], world["user"]
    bundle = bundling.create_bundle(p, user, "Hard rijden")
    db.session.commit()
    zorg = db.session.scalar(db.select(Theme).where(Theme.partnership_id == p.id, Theme.name == "Verkeer"))
    bundling.edit_bundle(p, user, bundle, name="Te hard rijden Kerkstraat", theme_id=zorg.id,
                         description="Vooral 's avonds", version=bundle.version)
    db.session.commit()
    assert (bundle.name, bundle.theme_id, bundle.description) == ("Te hard rijden Kerkstraat", zorg.id,
                                                                  "Vooral 's avonds")
    assert events(bundle)[-1] == ("Bundel ‘Te hard rijden Kerkstraat’ gewijzigd: naam ‘Hard rijden’ → "
                                  "‘Te hard rijden Kerkstraat’; thema geen → Verkeer; beschrijving aangepast.")


def test_edit_with_an_old_version_is_stale(world):
    p, user = world["p"], world["user"]
    bundle = bundling.create_bundle(p, user, "Afval", signal_ids=world["ids"][3:4])
    db.session.commit()
    old_version = bundle.version
    bundling.add_signals(p, user, bundle, world["ids"][4:5])  # someone else, meanwhile
    db.session.commit()
    before = snapshot()
    with pytest.raises(StaleFormError, match="Iemand anders heeft deze bundel net veranderd"):
        bundling.edit_bundle(p, user, bundle, name="Zwerfafval", theme_id=None, description="",
                             version=old_version)
    db.session.rollback()
    assert snapshot() == before


def test_move_signals_to_another_bundle(world):
    p, user, ids = world["p"], world["user"], world["ids"]
    a = bundling.create_bundle(p, user, "Verkeer", signal_ids=ids[:4])
    b = bundling.create_bundle(p, user, "Afval")
    db.session.commit()
    bundling.move_signals(p, user, a, [ids[3]], b, version=a.version)
    db.session.commit()
    assert [bundle_of(i) for i in ids[:4]] == [a.id, a.id, a.id, b.id]
    assert "Van bundel ‘Verkeer’ naar ‘Afval’ verplaatst: 1 signaal" in events(a)[-1]
    assert "Uit bundel ‘Verkeer’ naar ‘Afval’ gekomen" in events(b)[-1]


def test_move_bad_input_changes_nothing(world):
    p, user, ids = world["p"], world["user"], world["ids"]
    a = bundling.create_bundle(p, user, "Verkeer", signal_ids=ids[:2])
    b = bundling.create_bundle(p, user, "Afval", signal_ids=ids[3:4])
    foreign = bundling.create_bundle(world["other"], None, "Elders")
    db.session.commit()
    before = snapshot()
    with pytest.raises(BundlingError, match="zitten al in deze bundel"):
        bundling.move_signals(p, user, a, ids[:1], a)
    with pytest.raises(BundlingError, match="hoort niet bij dit wijkverband"):
        bundling.move_signals(p, user, a, ids[:1], foreign)
    with pytest.raises(BundlingError, match="Kies de bundel waar de signalen naartoe gaan"):
        bundling.move_signals(p, user, a, ids[:1], None)
    with pytest.raises(StaleFormError):  # this signal is not (or no longer) in bundle a
        bundling.move_signals(p, user, a, [ids[3]], b)
    with pytest.raises(BundlingError, match="horen niet bij dit wijkverband"):
        bundling.move_signals(p, user, a, [world["other_signal"]], b)
    db.session.rollback()
    assert snapshot() == before


def test_remove_signals_leaves_them_unbundled(world):
    p, user, ids = world["p"], world["user"], world["ids"]
    a = bundling.create_bundle(p, user, "Verkeer", signal_ids=ids[:3])
    db.session.commit()
    bundling.remove_signals(p, user, a, [ids[2]], version=a.version)
    db.session.commit()
    assert [bundle_of(i) for i in ids[:3]] == [a.id, a.id, None]
    assert count(Signal) == 6  # nothing deleted
    assert "weer ongebundeld: 1 signaal: #%d" % ids[2] in events(a)[-1]


def test_split_off_selected_signals(world):
    p, user, ids = world["p"], world["user"], world["ids"]
    a = bundling.create_bundle(p, user, "Van alles", signal_ids=ids)
    db.session.commit()
    new = bundling.split_bundle(p, user, a, ids[3:], name="Afval en zwerfvuil", version=a.version)
    db.session.commit()
    assert [bundle_of(i) for i in ids] == [a.id] * 3 + [new.id] * 2
    assert "afgesplitst naar nieuwe bundel ‘Afval en zwerfvuil’: 2 signalen" in events(a)[-1]
    assert "gemaakt door afsplitsen van ‘Van alles’" in events(new)[-1]


def test_split_bad_input_changes_nothing(world):
    p, user, ids = world["p"], world["user"], world["ids"]
    a = bundling.create_bundle(p, user, "Van alles", signal_ids=ids[:3])
    db.session.commit()
    before = snapshot()
    with pytest.raises(BundlingError, match="Je hebt alle signalen gekozen"):
        bundling.split_bundle(p, user, a, ids[:3], name="Alles")
    with pytest.raises(BundlingError, match="Kies minstens één signaal"):
        bundling.split_bundle(p, user, a, [], name="Niets")
    with pytest.raises(BundlingError, match="Geef de bundel een naam"):
        bundling.split_bundle(p, user, a, ids[:1], name="")
    with pytest.raises(BundlingError, match="Er is al een bundel met deze naam"):
        bundling.split_bundle(p, user, a, ids[:1], name="van alles")
    db.session.rollback()
    assert snapshot() == before


def test_merge_moves_signals_and_keeps_the_record(world):
    p, user, ids = world["p"], world["user"], world["ids"]
    a = bundling.create_bundle(p, user, "Hardrijders", signal_ids=ids[:2])
    b = bundling.create_bundle(p, user, "Te hard rijden", signal_ids=ids[2:3])
    db.session.commit()
    bundling.merge_bundles(p, user, a, b, version=a.version)
    db.session.commit()
    assert [bundle_of(i) for i in ids[:3]] == [b.id] * 3
    assert a.merged_into_id == b.id and count(Bundle) == 2  # nothing deleted
    assert [x.id for x in bundling.active_bundles(p)] == [b.id]
    assert "samengevoegd met ‘Te hard rijden’; 2 signalen verhuisd" in events(a)[-1]
    assert "‘Te hard rijden’ heeft nu 3 signalen" in events(b)[-1]
    assert len(bundling.history(b)) == 4  # both creations and both sides of the merge
    assert bundling.live_bundle(a).id == b.id


def test_merge_bad_input_changes_nothing(world):
    p, user, ids = world["p"], world["user"], world["ids"]
    a = bundling.create_bundle(p, user, "A", signal_ids=ids[:1])
    b = bundling.create_bundle(p, user, "B", signal_ids=ids[1:2])
    c = bundling.create_bundle(p, user, "C", signal_ids=ids[2:3])
    foreign = bundling.create_bundle(world["other"], None, "Elders")
    db.session.commit()
    bundling.merge_bundles(p, user, c, b)
    db.session.commit()
    before = snapshot()
    with pytest.raises(BundlingError, match="niet met zichzelf samenvoegen"):
        bundling.merge_bundles(p, user, a, a)
    with pytest.raises(BundlingError, match="hoort niet bij dit wijkverband"):
        bundling.merge_bundles(p, user, a, foreign)
    with pytest.raises(BundlingError, match="‘C’ is al samengevoegd met ‘B’"):
        bundling.merge_bundles(p, user, a, c)
    with pytest.raises(StaleFormError, match="‘C’ is intussen samengevoegd met ‘B’") as stale:
        bundling.merge_bundles(p, user, c, a)  # a form built before c was merged
    assert stale.value.fresh_bundle_id == b.id
    with pytest.raises(StaleFormError):
        bundling.add_signals(p, user, c, ids[3:4])
    db.session.rollback()
    assert snapshot() == before


def test_concurrent_change_is_caught_by_the_version(app, world):
    """Two requests read the same version; the second write must fail, not silently apply."""
    p, user, ids = world["p"], world["user"], world["ids"]
    a = bundling.create_bundle(p, user, "A", signal_ids=ids[:1])
    b = bundling.create_bundle(p, user, "B")
    db.session.commit()
    a_id, b_id = a.id, b.id
    # The other request merges a into b behind this session's back.
    db.session.execute(db.update(Bundle).where(Bundle.id == a_id)
                       .values(merged_into_id=b_id, version=Bundle.version + 1)
                       .execution_options(synchronize_session=False))
    with pytest.raises(StaleDataError):
        a.name = "A2"  # this session still holds the old version
        db.session.flush()
    db.session.rollback()


def test_rounds_of_a_returning_bundle(app, world, make):
    p, user = world["p"], world["user"]
    from wijkapp.models import Round
    from datetime import date
    db.session.add_all([Round(partnership_id=p.id, number=2, starts_on=date(2030, 1, 1))])
    db.session.commit()
    late = make.signal(p, "Weer te hard", created_at=datetime(2030, 1, 5, 10)).id
    db.session.rollback()  # end this session's read snapshot, so it sees the new signal
    bundle = bundling.create_bundle(p, user, "Te hard", signal_ids=world["ids"][:2] + [late])
    db.session.commit()
    assert [(r.round.number, r.signals) for r in bundling.rounds_of_bundle(bundle)] == [(1, 2), (2, 1)]


def _signal(i, text, source="resident_qr", minutes=0):
    return Signal(id=i, text=text, source=source, created_at=datetime(2026, 5, 1, 12) + timedelta(minutes=minutes))


def test_quotes_prefer_central_signals_from_distinct_sources():
    signals = [
        _signal(1, "Ze rijden te hard in de Kerkstraat", "resident_qr"),
        _signal(2, "Kerkstraat: auto's rijden veel te hard", "resident_qr", 1),
        _signal(3, "Hard rijden Kerkstraat, kinderen spelen daar", "host_conversation"),
        _signal(4, "Mijn kat is weg", "resident_qr", 5),
        _signal(5, "Patiënten zeggen dat ze in de Kerkstraat te hard rijden", "professional_micro"),
    ]
    quotes = bundling.representative_quotes(signals, limit=3)
    assert {q.source for q in quotes} == {"resident_qr", "host_conversation", "professional_micro"}
    assert 4 not in [q.id for q in quotes]
    assert bundling.representative_quotes([]) == []
    assert [q.id for q in bundling.representative_quotes(signals[:1])] == [1]
