"""Operators' admin for accounts and API tokens.

The user list's task counts are added on the tasks side (tasks.admin), which builds on
this app.

The admin deliberately sees every user and every token: it is for staff, and Django's
model permissions decide what each staff member may do there.
"""

from __future__ import annotations

from allauth.account.decorators import secure_admin_login
from allauth.account.forms import default_token_generator
from allauth.account.internal.flows.password_reset import request_password_reset
from allauth.account.models import EmailAddress
from allauth.core import context
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import BaseUserCreationForm
from django.contrib.auth.forms import (
    UserChangeForm as BaseUserChangeForm,
)
from django.db.models import QuerySet
from django.http import HttpRequest
from knox.admin import AuthTokenAdmin as KnoxAuthTokenAdmin
from knox.models import AuthToken

from accounts.models import User, mark_email_verified

# The admin's log-in is the site's (allauth): password, then the second factor when the
# account has one, with the same lock-outs. A signed-in non-staff user gets a 403.
admin.site.login = secure_admin_login(admin.site.login)

admin.site.site_header = "Todo administration"
admin.site.site_title = "Todo admin"
admin.site.index_title = "Operators"


class UserCreationForm(BaseUserCreationForm):
    """Email and the password twice, checked by the password validators."""

    class Meta:
        model = User
        fields = ("email",)


class UserChangeForm(BaseUserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class EmailAddressInline(admin.TabularInline):
    """The account's address as allauth records it: operators see and set `verified`."""

    model = EmailAddress
    fields = ("email", "verified", "primary")
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserChangeForm
    inlines = (EmailAddressInline,)
    add_form = UserCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            "Permissions",
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        ("Important dates", {"fields": ("created_at", "last_login")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),
    )
    readonly_fields = ("created_at", "last_login")
    list_display = ("email", "is_staff", "is_active", "created_at")
    list_filter = ("is_staff", "is_superuser", "is_active", "groups")
    # Also what the task admin's owner autocomplete searches.
    search_fields = ("email",)
    ordering = ("email",)
    # With a million users an unfiltered COUNT(*) per search is not worth it.
    show_full_result_count = False
    actions = ("deactivate", "send_password_reset")

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else ()  # not on the "add" form

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if not change:  # an account an operator makes counts as verified
            mark_email_verified(obj)

    @admin.action(description="Deactivate selected users", permissions=["change"])
    def deactivate(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        # Operators cannot lock themselves out of the admin by mistake.
        count = queryset.exclude(pk=request.user.pk).update(is_active=False)
        self.message_user(request, f"Deactivated {count} user(s).", messages.SUCCESS)

    @admin.action(
        description="Send a password-reset email to selected users",
        permissions=["change"],
    )
    def send_password_reset(
        self, request: HttpRequest, queryset: QuerySet[User]
    ) -> None:
        # allauth's reset flow: the same email and link as "Forgot your password?",
        # for active users with a usable password only.
        sent = 0
        with context.request_context(request):
            for user in queryset.filter(is_active=True):
                if not user.has_usable_password():
                    continue
                request_password_reset(
                    request, user.email, [user], default_token_generator
                )
                sent += 1
        self.message_user(
            request,
            f"Sent a password-reset email to {sent} user(s); inactive users and "
            "users without a password get none.",
            messages.SUCCESS,
        )


admin.site.unregister(AuthToken)


@admin.register(AuthToken)
class AuthTokenAdmin(KnoxAuthTokenAdmin):
    """API tokens: operators see who holds which and revoke them by deleting.

    Only a digest of each token is stored, so nothing here can reveal a secret; tokens
    are created by their users (settings page or API), never in the admin.
    """

    list_display = ("token_key", "user", "created", "expiry")
    list_filter = ("created", "expiry")
    list_select_related = ("user",)
    search_fields = ("token_key", "user__email")
    fields = ("token_key", "user", "created", "expiry")
    readonly_fields = fields
    ordering = ("-created",)
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
