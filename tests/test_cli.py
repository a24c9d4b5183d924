"""Commands scripts depend on: create-user and demo."""
from __future__ import annotations

from tests.conftest import count
from wijkapp.extensions import db
from wijkapp.models import Location, Membership, Partnership, Round, Signal, Source, User


def test_create_user_makes_partnership_user_and_role(app, runner):
    result = runner.invoke(args=["create-user", "--email", "Coord@Example.org", "--password", "lang-genoeg-wachtwoord",
                                 "--role", "coordinator", "--partnership", "noord"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(db.select(User))
        partnership = db.session.scalar(db.select(Partnership))
        assert user.email == "coord@example.org" and user.check_password("lang-genoeg-wachtwoord")
        assert partnership.slug == "noord"
        assert [m.role for m in user.memberships] == ["coordinator"]


def test_create_user_prompts_for_the_password(app, runner):
    result = runner.invoke(args=["create-user", "--email", "h@example.org", "--role", "host", "--partnership", "noord"],
                           input="geheim-wachtwoord-1\ngeheim-wachtwoord-1\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(db.select(User)).check_password("geheim-wachtwoord-1")


def test_create_user_adds_a_second_role(app, runner):
    base = ["create-user", "--email", "p@example.org", "--password", "lang-genoeg-wachtwoord", "--partnership", "noord"]
    runner.invoke(args=base + ["--role", "host"])
    runner.invoke(args=base + ["--role", "professional"])
    with app.app_context():
        assert count(User) == 1
        assert sorted(db.session.scalars(db.select(Membership.role))) == ["host", "professional"]


def test_create_user_refuses_a_short_password_and_a_bad_role(app, runner):
    short = runner.invoke(args=["create-user", "--email", "x@example.org", "--password", "kort",
                                "--role", "host", "--partnership", "noord"])
    assert short.exit_code != 0 and "minimaal 12 tekens" in short.output
    bad_role = runner.invoke(args=["create-user", "--email", "x@example.org", "--password", "lang-genoeg-wachtwoord",
                                   "--role", "baas", "--partnership", "noord"])
    assert bad_role.exit_code != 0
    with app.app_context():
        assert count(User) == 0 and count(Partnership) == 0


def test_demo_is_realistic_and_idempotent(app, runner):
    first = runner.invoke(args=["demo", "--password", "demo-wachtwoord-1"])
    assert first.exit_code == 0, first.output
    with app.app_context():
        partnership = db.session.scalar(db.select(Partnership).where(Partnership.slug == "demo"))
        assert count(Location, Location.partnership_id == partnership.id) >= 3
        assert count(Signal, Signal.partnership_id == partnership.id) >= 150
        assert count(Round, Round.partnership_id == partnership.id) >= 3
        sources = set(db.session.scalars(db.select(Signal.source).distinct()))
        assert sources == {s.value for s in Source}
        rounds_used = set(db.session.scalars(db.select(Signal.round_id).distinct()))
        assert len(rounds_used) >= 3
        coordinator = db.session.scalar(db.select(User).where(User.email == "coordinator@demo.example.org"))
        assert coordinator.check_password("demo-wachtwoord-1")
        signals_before = count(Signal)
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0 and "niets veranderd" in second.output
    with app.app_context():
        assert count(Signal) == signals_before


def test_demo_pages_are_meaningful_for_a_coordinator(app, runner, client, auth):
    runner.invoke(args=["demo", "--password", "demo-wachtwoord-1"])
    auth.login("coordinator@demo.example.org", "demo-wachtwoord-1")
    home = client.get("/p/demo/coordinator/").get_data(as_text=True)
    assert "Ronde 4" in home
    signals = client.get("/p/demo/coordinator/signals").get_data(as_text=True)
    assert "Kerkstraat" in signals
