"""Commands for scripts and operators: create-user and demo (see DESIGN.md's contracts)."""
from __future__ import annotations

import click
from flask import Flask

from wijkapp.extensions import db
from wijkapp.models import Role
from wijkapp.services import accounts

ROLE_NAMES = [role.value for role in Role]


@click.command("create-user")
@click.option("--email", required=True, help="E-mailadres (inlognaam).")
@click.option("--password", default=None, help="Wachtwoord; zonder deze optie wordt erom gevraagd.")
@click.option("--role", required=True, type=click.Choice(ROLE_NAMES), help="Rol in het wijkverband.")
@click.option("--partnership", "slug", required=True, help="Korte naam (slug) van het wijkverband.")
@click.option("--partnership-name", default=None, help="Naam als het wijkverband nog niet bestaat.")
@click.option("--name", default="", help="Naam van de persoon.")
def create_user_command(email, password, role, slug, partnership_name, name):
    """Maak een account aan (of geef een bestaand account een rol) in een wijkverband."""
    from wijkapp.services.passwords import password_problem

    if password is None:
        password = click.prompt("Wachtwoord", hide_input=True, confirmation_prompt=True)
    problem = password_problem(password, email=email, name=name)
    if problem:
        raise click.UsageError(problem)
    partnership = accounts.partnership_by_slug(slug)
    if partnership is None:
        if slug != accounts.slugify(slug):
            raise click.UsageError("Gebruik voor de slug alleen kleine letters, cijfers en streepjes.")
        partnership = accounts.create_partnership(partnership_name or slug.replace("-", " ").title(), slug=slug)
        click.echo(f"Wijkverband '{partnership.name}' ({slug}) aangemaakt.")
    user = accounts.ensure_user(email, password, name=name)
    accounts.grant_role(user, partnership, Role(role))
    db.session.commit()
    click.echo(f"{user.email} is {Role(role).label.lower()} in '{partnership.name}'.")


@click.command("demo")
@click.option("--password", default=None, help="Wachtwoord voor de demo-accounts (anders een willekeurig).")
def demo_command(password):
    """Laad het fictieve demo-wijkverband (slug: demo). Nog een keer draaien verandert niets."""
    from wijkapp.services import demo

    password = demo.load_demo(password=password)
    db.session.commit()
    if password:
        accounts_list = ", ".join(email for email, _name, _role in demo.DEMO_PEOPLE)
        click.echo(f"Demo geladen. Log in met een van deze accounts: {accounts_list}")
        click.echo(f"Wachtwoord: {password}")
    else:
        click.echo("Demo bestond al; niets veranderd.")


def init_app(app: Flask) -> None:
    app.cli.add_command(create_user_command)
    app.cli.add_command(demo_command)
