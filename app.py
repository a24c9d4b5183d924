"""Entry point for `flask --app app` and `gunicorn app:app`."""
from wijkapp import create_app

app = create_app()
