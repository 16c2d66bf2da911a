"""Bring `tasks` to this project's shape: time zones, defaults, constraints, indexes, a
cascading foreign key and the `updated_at` trigger. Runs for real on a fresh database and
on the original one alike.
"""

import django.db.models.deletion
import django.db.models.functions.datetime
import django.db.models.functions.text
import django.db.models.lookups
import django.utils.timezone
import tasks.models
from django.conf import settings
from django.db import migrations, models

from adoption import schema_steps as legacy_schema


def convert_timestamps(apps, schema_editor):
    legacy_schema.convert_naive_timestamps(
        schema_editor, table="tasks", columns=["created_at", "updated_at"]
    )


def cascade_user_foreign_key(apps, schema_editor):
    legacy_schema.cascade_foreign_key(
        schema_editor,
        table="tasks",
        column="user_id",
        target="users",
        constraint="tasks_user_id_fkey",
    )


def serial_id_to_identity(apps, schema_editor):
    legacy_schema.serial_to_identity(schema_editor, table="tasks")


def install_trigger(apps, schema_editor):
    legacy_schema.touch_updated_at_trigger(schema_editor, table="tasks")


def remove_trigger(apps, schema_editor):
    legacy_schema.drop_touch_updated_at_trigger(schema_editor, table="tasks")


class Migration(migrations.Migration):

    dependencies = [
        ('tasks', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(convert_timestamps, migrations.RunPython.noop),
        migrations.AlterModelOptions(
            name='task',
            options={'ordering': ['-created_at', '-id']},
        ),
        migrations.RemoveIndex(
            model_name='task',
            name='ix_tasks_user_id',
        ),
        migrations.AlterField(
            model_name='task',
            name='created_at',
            field=models.DateTimeField(db_default=django.db.models.functions.datetime.Now(), default=django.utils.timezone.now, editable=False, verbose_name='created'),
        ),
        migrations.AlterField(
            model_name='task',
            name='description',
            field=models.TextField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name='task',
            name='due_date',
            field=models.DateField(blank=True, null=True, verbose_name='due date'),
        ),
        migrations.AlterField(
            model_name='task',
            name='status',
            field=models.CharField(choices=[('pending', 'Pending'), ('in_progress', 'In progress'), ('completed', 'Completed')], db_default='pending', default='pending', max_length=50),
        ),
        migrations.AlterField(
            model_name='task',
            name='title',
            field=models.CharField(max_length=200, validators=[tasks.models.validate_not_blank]),
        ),
        migrations.AlterField(
            model_name='task',
            name='updated_at',
            field=models.DateTimeField(db_default=django.db.models.functions.datetime.Now(), default=django.utils.timezone.now, editable=False, verbose_name='updated'),
        ),
        migrations.AlterField(
            model_name='task',
            name='user',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='tasks', to=settings.AUTH_USER_MODEL, verbose_name='owner'),
        ),
        migrations.AddIndex(
            model_name='task',
            index=models.Index(fields=['user', '-created_at', '-id'], name='tasks_user_created_idx'),
        ),
        migrations.AddIndex(
            model_name='task',
            index=models.Index(fields=['user', 'status', '-created_at'], name='tasks_user_status_idx'),
        ),
        migrations.AddIndex(
            model_name='task',
            index=models.Index(fields=['user', 'due_date'], name='tasks_user_due_idx'),
        ),
        migrations.AddConstraint(
            model_name='task',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['pending', 'in_progress', 'completed'])), name='tasks_status_valid', violation_error_message='Unknown status.'),
        ),
        migrations.AddConstraint(
            model_name='task',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.GreaterThan(django.db.models.functions.text.Length(django.db.models.functions.text.Trim('title')), 0), name='tasks_title_not_blank', violation_error_message='The title cannot be blank.'),
        ),
        migrations.RunPython(cascade_user_foreign_key, migrations.RunPython.noop),
        migrations.RunPython(install_trigger, remove_trigger),
        migrations.RunPython(serial_id_to_identity, migrations.RunPython.noop),
    ]
