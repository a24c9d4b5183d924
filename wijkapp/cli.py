"""Commands for scripts and operators: create-user and demo (see DESIGN.md's contracts),
retention, backup and restore (run by cron or by hand)."""
from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext

from wijkapp.extensions import db
from wijkapp.models import Role
from wijkapp.services import accounts

ROLE_NAMES = [role.value for role in Role]


@click.command("create-user")
@with_appcontext
@click.option("--email", required=True, help="E-mailadres (inlognaam).")
@click.option("--password", default=None, help="Wachtwoord; zonder deze optie wordt erom gevraagd.")
@click.option("--role", required=True, type=click.Choice(ROLE_NAMES), help="Rol in het wijkverband.")
@click.option("--partnership", "slug", required=True, help="Korte naam (slug) van het wijkverband.")
@click.option("--partnership-name", default=None, help="Naam als het wijkverband nog niet bestaat.")
@click.option("--name", default="", help="Naam van de persoon.")
@click.option("--instance-admin", is_flag=True,
              help="Maak deze persoon ook beheerder: die maakt in de browser meer wijkverbanden aan.")
def create_user_command(email, password, role, slug, partnership_name, name, instance_admin):
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
    if instance_admin:
        user.is_instance_admin = True
    db.session.commit()
    click.echo(f"{user.email} is {Role(role).label.lower()} in '{partnership.name}'"
               + (" en beheerder van deze Wijkapp." if instance_admin else "."))


@click.command("demo")
@with_appcontext
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


@click.command("send-mail")
@with_appcontext
def send_mail_command():
    """Verstuur berichten aan bewoners die klaarstaan (voor cron, bijvoorbeeld elke 5 minuten)."""
    from wijkapp.services import notify

    report = notify.send_pending()
    if report.not_configured:
        click.echo(f"SMTP_HOST is niet ingesteld; {report.waiting} bericht(en) blijven in de wachtrij.")
        return
    click.echo(f"Verstuurd: {report.sent}. Niet gelukt (later opnieuw): {report.failed}.")


@click.command("retention")
@with_appcontext
@click.option("--dry-run", is_flag=True, help="Alleen tellen, niets wissen.")
def retention_command(dry_run):
    """Wis contactgegevens van bewoners die over de bewaartermijn zijn (voor cron; nog eens draaien kan altijd)."""
    from wijkapp.services import privacy

    result = privacy.apply_retention(dry_run=dry_run)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    verb = "zou wissen" if dry_run else "gewist"
    click.echo(f"Contactgegevens {verb}: {result.total} "
               f"({result.after_feedback} na het bericht, {result.max_age} na de maximale termijn).")
    for slug, number in result.per_partnership.items():
        click.echo(f"  {slug}: {number}")


@click.command("backup")
@with_appcontext
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(path):
    """Maak een backup van de hele database in PATH (kan terwijl de app draait)."""
    from wijkapp.services import backup

    try:
        backup.backup(db.engine, path)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backup gemaakt: {path} ({path.stat().st_size} bytes).")


@click.command("restore")
@with_appcontext
@click.argument("path", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--yes", is_flag=True, help="Niet om bevestiging vragen.")
def restore_command(path, yes):
    """Zet de backup in PATH terug. Alles wat nu in de database staat, wordt vervangen."""
    from wijkapp.services import backup

    if not yes:
        click.confirm(f"Alles in de database wordt vervangen door {path}. Doorgaan?", abort=True)
    db.session.remove()
    try:
        backup.restore(db.engine, path)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backup teruggezet uit {path}.")


def init_app(app: Flask) -> None:
    for command in (create_user_command, demo_command, retention_command, backup_command, restore_command,
                    send_mail_command):
        app.cli.add_command(command)
