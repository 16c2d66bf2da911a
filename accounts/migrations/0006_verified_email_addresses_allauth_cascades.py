"""Every account that exists before email verification counts as verified.

Accounts made before this change, and those of an adopted database (adopt_database runs
`migrate`), were never asked to verify their address: they get a verified, primary
allauth EmailAddress row, so that they keep logging in and taking API tokens as before.

allauth's tables that point at `users` get ON DELETE CASCADE in the database (on
PostgreSQL), as `tasks` has: an operator's raw `DELETE FROM users` still works.
"""

from django.db import migrations

from adoption import schema_steps

#: (table, column, referenced table, name of the new constraint)
USER_FOREIGN_KEYS = [
    ("account_emailaddress", "user_id", "users", "account_emailaddress_user_cascade"),
    (
        "account_emailconfirmation",
        "email_address_id",
        "account_emailaddress",
        "account_emailconfirmation_address_cascade",
    ),
    ("mfa_authenticator", "user_id", "users", "mfa_authenticator_user_cascade"),
    (
        "usersessions_usersession",
        "user_id",
        "users",
        "usersessions_usersession_user_cascade",
    ),
]


def cascade_user_foreign_keys(apps, schema_editor):
    for table, column, target, constraint in USER_FOREIGN_KEYS:
        schema_steps.cascade_foreign_key(
            schema_editor, table=table, column=column, target=target, constraint=constraint
        )


def verify_existing_addresses(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    db = schema_editor.connection.alias
    have = EmailAddress.objects.using(db).values("user_id")
    missing = User.objects.using(db).exclude(pk__in=have).values_list("pk", "email")
    batch = []
    for user_id, email in missing.iterator(chunk_size=2000):
        batch.append(EmailAddress(user_id=user_id, email=email, verified=True, primary=True))
        if len(batch) >= 2000:
            EmailAddress.objects.using(db).bulk_create(batch)
            batch = []
    EmailAddress.objects.using(db).bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_emails_one_normalisation"),
        ("account", "0009_emailaddress_unique_primary_email"),
        ("mfa", "0003_authenticator_type_uniq"),
        ("usersessions", "0001_initial"),
    ]

    operations = [
        # Constraints first: PostgreSQL cannot alter a table with rows just written.
        migrations.RunPython(cascade_user_foreign_keys, migrations.RunPython.noop),
        migrations.RunPython(verify_existing_addresses, migrations.RunPython.noop),
    ]
