"""WSGI entry point: `flask --app wsgi …` and `gunicorn wsgi:app`."""

from portal import create_app, freeze_start_up_objects

app = create_app()
freeze_start_up_objects()
