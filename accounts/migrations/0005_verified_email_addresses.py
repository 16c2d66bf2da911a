"""Every account that exists before email verification counts as verified.

Accounts made before this change, and those of an adopted database (adopt_database runs
`migrate`), were never asked to verify their address: they get a verified, primary
allauth EmailAddress row, so that they keep logging in and taking API tokens as before.
"""

from django.db import migrations


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
        ("accounts", "0004_rate_counters_move_to_api"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [
        migrations.RunPython(verify_existing_addresses, migrations.RunPython.noop),
    ]
