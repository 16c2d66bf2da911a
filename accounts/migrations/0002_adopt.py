"""Bring `users` to this project's shape: Django's auth columns and tables, time zones,
normalised emails. Runs for real on a fresh database and on the original one alike.
"""

import django.db.models.functions.datetime
import django.db.models.functions.text
import django.utils.timezone
from django.db import migrations, models

from adoption import schema_steps as legacy_schema


def normalise_emails(apps, schema_editor):
    """Store every email trimmed and lower-cased, as the new check constraint requires."""
    schema_editor.execute(
        "UPDATE users SET email = LOWER(TRIM(email)) WHERE email <> LOWER(TRIM(email))"
    )


def convert_timestamps(apps, schema_editor):
    legacy_schema.convert_naive_timestamps(schema_editor, table="users", columns=["created_at"])


def serial_id_to_identity(apps, schema_editor):
    legacy_schema.serial_to_identity(schema_editor, table="users")


def drop_email_pattern_index(apps, schema_editor):
    legacy_schema.drop_pattern_index(schema_editor, table="users", column="email")


def email_index_to_constraint(apps, schema_editor):
    legacy_schema.unique_index_to_constraint(
        schema_editor, table="users", index="ix_users_email", constraint="users_email_key"
    )


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        ('auth', '0012_alter_user_first_name_max_length'),
    ]

    operations = [
        migrations.RunPython(convert_timestamps, migrations.RunPython.noop),
        migrations.RunPython(email_index_to_constraint, migrations.RunPython.noop),
        migrations.RunPython(normalise_emails, migrations.RunPython.noop),
        migrations.AlterModelOptions(
            name='user',
            options={'ordering': ['email'], 'verbose_name': 'user', 'verbose_name_plural': 'users'},
        ),
        migrations.AddField(
            model_name='user',
            name='groups',
            field=models.ManyToManyField(blank=True, help_text='The groups this user belongs to. A user will get all permissions granted to each of their groups.', related_name='user_set', related_query_name='user', to='auth.group', verbose_name='groups'),
        ),
        migrations.AddField(
            model_name='user',
            name='is_active',
            field=models.BooleanField(db_default=True, default=True, help_text='Unselect this instead of deleting the account: it blocks log-in.', verbose_name='active'),
        ),
        migrations.AddField(
            model_name='user',
            name='is_staff',
            field=models.BooleanField(db_default=False, default=False, help_text='Whether the user can log into the admin site.', verbose_name='staff status'),
        ),
        migrations.AddField(
            model_name='user',
            name='is_superuser',
            field=models.BooleanField(db_default=False, default=False, help_text='Whether the user has every permission without them being assigned.', verbose_name='superuser status'),
        ),
        migrations.AddField(
            model_name='user',
            name='last_login',
            field=models.DateTimeField(blank=True, null=True, verbose_name='last login'),
        ),
        migrations.AddField(
            model_name='user',
            name='user_permissions',
            field=models.ManyToManyField(blank=True, help_text='Specific permissions for this user.', related_name='user_set', related_query_name='user', to='auth.permission', verbose_name='user permissions'),
        ),
        migrations.AlterField(
            model_name='user',
            name='created_at',
            field=models.DateTimeField(db_default=django.db.models.functions.datetime.Now(), default=django.utils.timezone.now, editable=False, verbose_name='created'),
        ),
        migrations.AlterField(
            model_name='user',
            name='email',
            field=models.EmailField(error_messages={'unique': 'An account with this email address already exists.'}, max_length=255, unique=True, verbose_name='email address'),
        ),
        migrations.AlterField(
            model_name='user',
            name='password',
            field=models.CharField(db_column='password_hash', max_length=255, verbose_name='password'),
        ),
        migrations.AddConstraint(
            model_name='user',
            constraint=models.CheckConstraint(condition=models.Q(('email', django.db.models.functions.text.Lower(django.db.models.functions.text.Trim('email')))), name='users_email_normalised', violation_error_message='Emails are stored trimmed and lower-cased.'),
        ),
        migrations.RunPython(drop_email_pattern_index, migrations.RunPython.noop),
        migrations.RunPython(serial_id_to_identity, migrations.RunPython.noop),
    ]
