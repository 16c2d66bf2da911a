"""The `users` table exactly as the original application created it, and nothing more.

`migrate --fake-initial` marks this migration applied on the original database because the
table exists; every change Django needs lives in 0002 and later, which then run for real.
"""

from django.db import migrations, models

import accounts.models


class Migration(migrations.Migration):
    initial = True

    dependencies: list = []

    operations = [
        migrations.CreateModel(
            name="User",
            fields=[
                ("id", models.AutoField(primary_key=True, serialize=False)),
                ("email", models.CharField(max_length=255, unique=True)),
                ("password", models.CharField(db_column="password_hash", max_length=255)),
                ("created_at", models.DateTimeField()),
            ],
            options={"db_table": "users"},
            managers=[("objects", accounts.models.UserManager())],
        ),
    ]
