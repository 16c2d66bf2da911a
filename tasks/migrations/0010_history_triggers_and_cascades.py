"""In the database itself: the triggers that write the history of every task, and
foreign keys that delete an account's trash and history with it (PostgreSQL).

Apart from 0004, whose foreign keys Django creates only when that migration ends.
"""

from django.db import migrations

from adoption import schema_steps
from tasks import history


def cascade_user_foreign_keys(apps, schema_editor):
    # As for tasks: deleting an account in the database itself removes its trash and
    # the history of its tasks.
    for table in ("tasks_trash", "task_events"):
        schema_steps.cascade_foreign_key(
            schema_editor,
            table=table,
            column="user_id",
            target="users",
            constraint=f"{table}_user_id_fkey",
        )


def install_triggers(apps, schema_editor):
    history.install_triggers(schema_editor)


def remove_triggers(apps, schema_editor):
    history.remove_triggers(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ("tasks", "0009_trash_and_history"),
    ]

    operations = [
        migrations.RunPython(cascade_user_foreign_keys, migrations.RunPython.noop),
        migrations.RunPython(install_triggers, remove_triggers),
    ]
