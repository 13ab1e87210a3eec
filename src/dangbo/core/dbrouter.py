"""Reads of heavy reports and exports off a PostgreSQL streaming replica (issue 14).

With `DATABASE_REPLICA_URL` set, settings.py adds the database alias "replica" and this router:
the statistics and their exports read through `reports_db()` (the replica then, "default"
otherwise); every other read, every write and every migration stays on "default". A replica is
read-only (hot standby), so a write routed there would fail loudly — none is: `db_for_write` is
always "default" and `allow_migrate` is False for the replica.
"""

from django.db import connections

REPLICA = "replica"


def reports_db() -> str:
    """The alias heavy reports read from: the replica when configured, else "default"."""
    return REPLICA if REPLICA in connections.settings else "default"


class ReplicaRouter:
    """Writes and migrations on "default" only; reads stay where the query asks (default by default)."""

    def db_for_read(self, model, **hints):
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA
