"""The rest of the tables that point at `users` delete with the account in the
database itself (PostgreSQL), as `tasks` and allauth's tables do: an operator's raw
`DELETE FROM users` removes the account's API tokens, group and permission links and
admin log entries instead of failing."""

from django.db import migrations

from adoption import schema_steps

#: (table, column) of each foreign key to `users` made by Django or a library.
USER_FOREIGN_KEYS = [
    ("users_groups", "user_id"),
    ("users_user_permissions", "user_id"),
    ("django_admin_log", "user_id"),
    ("knox_authtoken", "user_id"),
]


def cascade_user_foreign_keys(apps, schema_editor):
    for table, column in USER_FOREIGN_KEYS:
        schema_steps.cascade_foreign_key(
            schema_editor,
            table=table,
            column=column,
            target="users",
            constraint=f"{table}_{column}_cascade",
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_verified_email_addresses_allauth_cascades"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("knox", "0009_extend_authtoken_field"),
    ]

    operations = [
        migrations.RunPython(cascade_user_foreign_keys, migrations.RunPython.noop),
    ]
