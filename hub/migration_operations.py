"""Migration operations for indexes built without blocking writes on PostgreSQL, and for the
PostgreSQL-only trigram indexes of the admin's search.

The trigram indexes live in the database and not in the models' state. SQLite (development) has
no pg_trgm and no GIN, so it must never see them: not when migrating, and not when it rebuilds a
table for a later migration, which recreates every index the state knows. ``makemigrations``
finds nothing to do on either database.
"""

from django.db import migrations, router
from django.db.migrations.operations.base import Operation


class AddIndexOnPostgres(Operation):
    """``AddIndex`` on PostgreSQL, built ``CONCURRENTLY`` (writes go on while it is built, see
    https://www.postgresql.org/docs/current/sql-createindex.html#SQL-CREATEINDEX-CONCURRENTLY),
    so the migration must be ``atomic = False``, then the table analysed; nothing at all on any
    other database."""

    reversible = True

    def __init__(self, model: str, index):
        self.model = model  # "app_label.ModelName", any app's (auth.User's e-mail included)
        self.index = index

    def deconstruct(self):
        return self.__class__.__qualname__, [], {"model": self.model, "index": self.index}

    def state_forwards(self, app_label, state):
        pass

    def _model(self, schema_editor, state):
        if schema_editor.connection.vendor != "postgresql":
            return None
        model = state.apps.get_model(self.model)
        if not router.allow_migrate_model(schema_editor.connection.alias, model):
            return None
        return model

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if model := self._model(schema_editor, to_state):
            schema_editor.add_index(model, self.index, concurrently=True)
            # The planner's statistics on an indexed expression (UPPER(name)) are gathered by
            # ANALYZE, not by CREATE INDEX; without them it guesses how many rows a fragment
            # matches (https://www.postgresql.org/docs/current/catalog-pg-statistic.html).
            schema_editor.execute(f"ANALYZE {schema_editor.quote_name(model._meta.db_table)}")

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if model := self._model(schema_editor, from_state):
            schema_editor.remove_index(model, self.index, concurrently=True)

    def describe(self):
        return f"Create index {self.index.name} on {self.model} (PostgreSQL only)"

    @property
    def migration_name_fragment(self):
        return self.index.name.lower()


class AddIndexConcurrently(migrations.AddIndex):
    """``AddIndex``, built ``CONCURRENTLY`` on PostgreSQL (the migration must be
    ``atomic = False``); as usual on any other database."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.add_index(model, self.index, concurrently=True)


class RemoveIndexOnPostgres(AddIndexOnPostgres):
    """``AddIndexOnPostgres`` the other way round: drops the index (``CONCURRENTLY``) on
    PostgreSQL, builds it again when the migration is reversed; nothing on any other database."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        super().database_backwards(app_label, schema_editor, to_state, from_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        super().database_forwards(app_label, schema_editor, to_state, from_state)

    def describe(self):
        return f"Drop index {self.index.name} on {self.model} (PostgreSQL only)"


class RunSQLOnPostgres(migrations.RunSQL):
    """``RunSQL`` on PostgreSQL; nothing on any other database."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
