"""Alembic environment: always run on the connection DoseCalc passes in (one transaction, its engine)."""

from __future__ import annotations

from alembic import context

from dosecalc.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - DoseCalc always passes its connection
    raise RuntimeError("run migrations through dosecalc.store.db.migrate")
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
context.run_migrations()
