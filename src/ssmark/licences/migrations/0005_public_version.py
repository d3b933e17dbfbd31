"""The public data version: one row whose token changes, in the same transaction, with any
change to what the public pages show (licence rows, status changes, organisation names).
Written by database triggers, so bulk updates, imports and the admin cannot bypass it.
The token is a fresh value each time (a sequence on PostgreSQL, random() on SQLite), never a
counter that a rolled-back transaction could bring back to an earlier value."""

from django.db import migrations, models

# (table, events) whose changes the public pages show.
WATCHED = [
    ("licences_licence", ("INSERT", "UPDATE", "DELETE")),
    ("licences_statuschange", ("INSERT", "UPDATE", "DELETE")),
    ("accounts_organisation", ("UPDATE",)),
]

PG_FORWARD = """
CREATE SEQUENCE IF NOT EXISTS licences_public_token;
CREATE OR REPLACE FUNCTION licences_bump_public_version() RETURNS trigger AS $$
BEGIN
  INSERT INTO licences_publicversion (id, token) VALUES (1, nextval('licences_public_token'))
  ON CONFLICT (id) DO UPDATE SET token = EXCLUDED.token;
  RETURN NULL;
END $$ LANGUAGE plpgsql;
"""

SQLITE_UPSERT = (
    "INSERT INTO licences_publicversion (id, token) VALUES (1, random()) "
    "ON CONFLICT(id) DO UPDATE SET token = excluded.token;"
)


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute(PG_FORWARD)
            for table, events in WATCHED:
                cursor.execute(
                    f"CREATE TRIGGER {table}_public AFTER {' OR '.join(events)} ON {table} "
                    "FOR EACH STATEMENT EXECUTE FUNCTION licences_bump_public_version()"
                )
        elif vendor == "sqlite":
            for table, events in WATCHED:
                for event in events:
                    cursor.execute(
                        f"CREATE TRIGGER {table}_public_{event.lower()} AFTER {event} ON {table} "
                        f"BEGIN {SQLITE_UPSERT} END"
                    )
        else:  # pragma: no cover - the project supports these two
            raise RuntimeError(f"no public-version triggers for {vendor}")
        cursor.execute("INSERT INTO licences_publicversion (id, token) VALUES (1, 1)")


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        for table, events in WATCHED:
            if vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_public ON {table}")
            else:
                for event in events:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {table}_public_{event.lower()}")
        if vendor == "postgresql":
            cursor.execute("DROP FUNCTION IF EXISTS licences_bump_public_version()")
            cursor.execute("DROP SEQUENCE IF EXISTS licences_public_token")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("licences", "0004_registry_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="PublicVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("token", models.BigIntegerField(default=0)),
            ],
            options={
                "verbose_name": "public data version",
                "verbose_name_plural": "public data version",
            },
        ),
        migrations.RunPython(forward, backward),
    ]
