"""A case- and accent-insensitive collation for sorting titles on PostgreSQL.

ICU's root locale at strength 1 ("primary") compares base letters only: "apple",
"Apple" and "Äpple" sort together. SQLite gets a Python collation of the same name
on each connection instead (tasks/collation.py), so this migration does nothing there.
"""

from django.db import migrations

CREATE = (
    "CREATE COLLATION IF NOT EXISTS tasks_title_sort "
    "(provider = icu, locale = 'und-u-ks-level1', deterministic = false)"
)
DROP = "DROP COLLATION IF EXISTS tasks_title_sort"


def run_on_postgresql(sql):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("tasks", "0007_due_date_range"),
    ]

    operations = [
        migrations.RunPython(run_on_postgresql(CREATE), run_on_postgresql(DROP)),
    ]
