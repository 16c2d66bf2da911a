# The rate counters' model moved here from accounts; its table stays as it is
# (created by accounts 0003): this migration changes the project's state only.

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("accounts", "0003_rate_counters"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="RateCounter",
                    fields=[
                        ("key", models.CharField(max_length=255, primary_key=True, serialize=False)),
                        ("window_number", models.BigIntegerField()),
                        ("hits", models.PositiveIntegerField()),
                        ("previous_hits", models.PositiveIntegerField()),
                        ("expires_at", models.BigIntegerField(db_index=True)),
                    ],
                    options={
                        "verbose_name": "API rate counter",
                        "db_table": "api_rate_counters",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
