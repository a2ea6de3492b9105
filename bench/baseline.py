"""The bare baseline the portal is measured against: what Flask and SQLAlchemy alone do on this machine.

    BASELINE_DATABASE_URL=sqlite:////tmp/baseline.sqlite .venv/bin/gunicorn -w 4 'bench.baseline:create_app()'

Three pages, each the least a real page of that kind does: `/hello` (no database), `POST /items` (insert one
row in its own transaction) and `/items` (the 50 newest rows through a small Jinja template). It runs on the same
kind of database as the portal run it is compared with, with the same SQLite settings (portal/database.py), under
gunicorn with the same workers. bench/run.py creates the table and its rows with `create_items`.
"""

import os
from datetime import UTC, datetime

from flask import Flask, render_template_string, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, String, Text, event, insert
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

SEEDED_ITEMS = 10_000


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class Item(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=lambda: datetime.now(UTC))


LIST_PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Items</title></head>
<body>
<h1>The 50 newest items</h1>
<table>
  <thead><tr><th>Number</th><th>Title</th><th>Created</th></tr></thead>
  <tbody>
  {% for item in items %}
    <tr><td>{{ item.id }}</td><td>{{ item.title }}</td><td>{{ item.created_at.strftime("%d %b %Y %H:%M") }}</td></tr>
  {% endfor %}
  </tbody>
</table>
</body>
</html>
"""


def create_app(database_url: str | None = None) -> Flask:
    """The baseline app on `database_url` (default: the BASELINE_DATABASE_URL environment variable)."""
    from config import _database_url

    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = _database_url(database_url or os.environ["BASELINE_DATABASE_URL"])
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True}
    db.init_app(app)
    with app.app_context():
        _configure_sqlite(db.engine)

    @app.get("/hello")
    def hello():
        return "Hello, world"

    @app.post("/items")
    def add_item():
        item = Item(title=request.form.get("title", "")[:200], body=request.form.get("body", ""))
        db.session.add(item)
        db.session.commit()
        return {"id": item.id}, 201

    @app.get("/items")
    def list_items():
        items = db.session.execute(db.select(Item).order_by(Item.id.desc()).limit(50)).scalars()
        return render_template_string(LIST_PAGE, items=items)

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    return app


def _configure_sqlite(engine) -> None:
    """The same pragmas as portal/database.py, so the two are compared on equal terms."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def set_pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def create_items(database_url: str, count: int = SEEDED_ITEMS) -> None:
    """An empty item table with `count` rows, so the list page reads from a table that is not tiny."""
    app = create_app(database_url)
    with app.app_context():
        db.drop_all()
        db.create_all()
        rows = [{"title": f"Item {number}", "body": "Some words about it. " * 10} for number in range(count)]
        db.session.execute(insert(Item), rows)
        db.session.commit()
        db.engine.dispose()
