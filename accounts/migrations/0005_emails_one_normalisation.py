"""Store every email in the one normalised spelling of accounts.emails.

Addresses stored before were only trimmed and lower-cased: one with a Unicode domain
(ann@bücher.de) or an invisible character would no longer be found at log-in, where
the address typed is normalised (ann@xn--bcher-kva.de). Only addresses with
characters outside ASCII can change. Two accounts that become one spelling stop the
migration, changing nothing, with both named: an operator must merge or rename them.
"""

from django.db import migrations

from accounts.emails import normalize_email


def normalise_emails(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    db = schema_editor.connection.alias
    users = User.objects.using(db)
    changes = {}
    for pk, email in users.filter(email__regex=r"[^\x00-\x7f]").values_list(
        "pk", "email"
    ):
        if normalize_email(email) != email:
            changes[pk] = normalize_email(email)
    if not changes:
        return
    clashes = users.filter(email__in=changes.values()).exclude(pk__in=changes)
    taken = dict(clashes.values_list("email", "pk"))
    seen = {}
    for pk, email in changes.items():
        other = taken.get(email) or seen.get(email)
        if other is not None:
            raise RuntimeError(
                f"Users {other} and {pk} have the same email once normalised "
                f"({email}): merge or rename one of them, then migrate again."
            )
        seen[email] = pk
    for pk, email in changes.items():
        users.filter(pk=pk).update(email=email)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_rate_counters_move_to_api")]

    operations = [
        migrations.RunPython(normalise_emails, migrations.RunPython.noop, elidable=True)
    ]
