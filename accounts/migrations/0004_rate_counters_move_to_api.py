# The rate counters' model now belongs to the api app (api 0001); the table stays.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0003_rate_counters"),
        ("api", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="RateCounter")],
            database_operations=[],
        ),
    ]
