from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from allauth.account.signals import (
            password_changed,
            password_reset,
            password_set,
        )
        from allauth.mfa.signals import authentication_failed, authenticator_added
        from allauth.usersessions import signals as usersessions_signals
        from django.contrib.auth import user_logged_in

        from accounts import credentials

        for signal in (password_changed, password_set, password_reset):
            signal.connect(credentials.on_password_changed)
        authenticator_added.connect(credentials.on_authenticator_added)
        authentication_failed.connect(credentials.on_mfa_authentication_failed)
        # allauth's own receiver assumes a session: the API's token log-in has none.
        user_logged_in.disconnect(receiver=usersessions_signals.on_user_logged_in)
        user_logged_in.connect(credentials.on_user_logged_in)
