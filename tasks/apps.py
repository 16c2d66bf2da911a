from django.apps import AppConfig
from django.db.backends.signals import connection_created


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = "Tasks"

    def ready(self) -> None:
        from tasks import collation

        collation.connect()
        from tasks.history import define_sqlite_functions

        connection_created.connect(define_sqlite_functions)
