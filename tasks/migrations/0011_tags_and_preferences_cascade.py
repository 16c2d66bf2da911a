"""Tags, their links to tasks and the reminder preferences delete with their account
or task in the database itself (PostgreSQL), as `tasks` does: a raw `DELETE FROM users`
or `DELETE FROM tasks` still works, and leaves nothing behind."""

from django.db import migrations

from adoption import schema_steps

#: (table, column, referenced table)
FOREIGN_KEYS = [
    ("tags", "user_id", "users"),
    ("task_preferences", "user_id", "users"),
    ("task_tags", "task_id", "tasks"),
    ("task_tags", "tag_id", "tags"),
]


def cascade_foreign_keys(apps, schema_editor):
    for table, column, target in FOREIGN_KEYS:
        schema_steps.cascade_foreign_key(
            schema_editor,
            table=table,
            column=column,
            target=target,
            constraint=f"{table}_{column}_cascade",
        )


class Migration(migrations.Migration):
    dependencies = [
        ("tasks", "0010_history_triggers_and_cascades"),
    ]

    operations = [
        migrations.RunPython(cascade_foreign_keys, migrations.RunPython.noop),
    ]
