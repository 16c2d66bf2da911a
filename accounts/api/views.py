"""Account endpoints of the API: register, API tokens (create, revoke), me."""

from __future__ import annotations

from allauth.core import context
from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth import authenticate, user_logged_in, user_logged_out
from drf_spectacular.utils import OpenApiResponse, extend_schema
from knox.models import AuthToken
from rest_framework import exceptions, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import signup, tokens
from accounts.api.authentication import TokenAuthentication
from accounts.api.serializers import (
    AcceptedSerializer,
    RegisterSerializer,
    TokenCreateSerializer,
    TokenSerializer,
    UserSerializer,
)
from accounts.forms import TwoFactorCodeForm
from accounts.models import User, has_verified_email
from api.schema import ERRORS, error_responses
from api.throttling import AnonRateThrottle, ScopedRateThrottle

#: What register answers, for a new address and a taken one alike.
REGISTER_ACCEPTED = (
    "Check your email: a message is on its way to this address. Follow its link to "
    "verify the address, then ask for a token."
)


class RegisterView(APIView):
    """Create an account; its address must be verified (by email) before use.

    The answer is the same whether the address already has an account or not, so the
    endpoint cannot tell anyone who has one: a new address gets a verification link,
    the owner of a taken one an email saying someone tried to sign up with it.
    """

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle, ScopedRateThrottle]
    throttle_scope = "auth"

    @extend_schema(
        request=RegisterSerializer,
        responses={
            202: OpenApiResponse(
                AcceptedSerializer,
                description="Accepted: a verification email (or, for an address that "
                "already has an account, a notice to its owner) is on its way.",
            ),
            **error_responses(400, 415, 429),
        },
        auth=[],
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        email = serializer.validated_data["email"]
        with context.request_context(request._request):
            signup.register(
                request._request,
                email=email,
                password=serializer.validated_data["password"],
            )
        return Response({"detail": REGISTER_ACCEPTED}, status=status.HTTP_202_ACCEPTED)


class TokenView(APIView):
    """API tokens: create one with email and password, or revoke the one used."""

    throttle_scope = "auth"  # for POST only: see get_throttles

    def revoking(self) -> bool:
        # Asked before DRF wraps the request too (by get_authenticators), and during
        # schema generation, when there may be no request yet.
        return getattr(self.request, "method", None) == "DELETE"

    def get_authenticators(self):
        if self.revoking():
            return [TokenAuthentication()]
        return []

    def get_permissions(self):
        if self.revoking():
            return [IsAuthenticated()]
        return [AllowAny()]

    def get_throttles(self):
        if self.revoking():
            return super().get_throttles()
        return [AnonRateThrottle(), ScopedRateThrottle()]

    def get_authenticate_header(self, request: Request) -> str:
        # A 401 (wrong or missing two-factor code) says how to authenticate.
        return "Token"

    @extend_schema(
        description="Create an API token. Tokens are stored only as digests: the key "
        "is shown once, in this response. The account's address must be verified. "
        "With two-factor authentication on, send `code` too (from the authenticator "
        "app, or a recovery code). Repeated failures (passwords and codes) for one "
        "account or from one client are locked out for a while (429 with "
        "Retry-After), as on the log-in page.",
        request=TokenCreateSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(
                ERRORS[400].response,
                description="Missing fields, wrong email or password, or as many "
                "tokens as an account may hold (API_TOKEN_LIMIT): revoke one first.",
            ),
            401: OpenApiResponse(
                ERRORS[401].response,
                description="Two-factor authentication is on and `code` is missing "
                "or not valid.",
            ),
            403: OpenApiResponse(
                ERRORS[403].response,
                description="The account's email address is not verified yet.",
            ),
            **error_responses(415),
            429: OpenApiResponse(
                ERRORS[429].response,
                description="Too many requests, or too many failed log-ins for this "
                "account or from this client: wait for Retry-After seconds.",
            ),
        },
        auth=[],
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        serializer = TokenCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        django_request = request._request
        # Through authenticate() with Django's request, so django-axes counts the
        # failures per account and per client.
        user = authenticate(
            django_request,
            username=serializer.validated_data["email"],
            password=serializer.validated_data["password"],
        )
        if user is None:
            # When django-axes has locked the account or the client out, its
            # middleware answers 429 instead (accounts.lockout.lockout_response).
            raise exceptions.ValidationError(
                {"non_field_errors": ["Unable to log in with the email and password."]}
            )
        if not has_verified_email(user):
            raise exceptions.PermissionDenied(UNVERIFIED)
        if is_mfa_enabled(user):
            check_second_factor(django_request, user, serializer.validated_data)
        try:
            instance, token = tokens.create_token(user)
        except tokens.TokenLimitReached as exc:
            raise exceptions.ValidationError({"non_field_errors": [str(exc)]}) from exc
        user_logged_in.send(sender=user.__class__, request=django_request, user=user)
        data = TokenSerializer({"token": token, "expiry": instance.expiry}).data
        return Response(data)

    @extend_schema(
        description="Revoke the token this request is authenticated with.",
        request=None,
        responses={
            204: OpenApiResponse(description="The token is revoked."),
            **error_responses(401, 429),
        },
        tags=["auth"],
    )
    def delete(self, request: Request) -> Response:
        if not isinstance(request.auth, AuthToken):  # only a token can be revoked
            raise exceptions.NotAuthenticated()
        request.auth.delete()
        user_logged_out.send(
            sender=request.user.__class__, request=request._request, user=request.user
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


UNVERIFIED = (
    "Verify your email address first: follow the link in the email we sent when you "
    "registered (log in on the website to get a new one)."
)
CODE_MISSING = (
    "This account has two-factor authentication: send `code`, a code from your "
    "authenticator app or one of your recovery codes."
)
CODE_WRONG = "That two-factor code is not valid (or was used already)."


def check_second_factor(request, user: User, data: dict) -> None:
    """Refuse (401) unless `data` has a valid TOTP or recovery code for `user`.

    allauth's own form checks it: each code works once, and a wrong one counts as a
    failed log-in for django-axes (accounts.credentials) and for allauth's limit.
    """
    code = data.get("code")
    if not code:
        raise exceptions.AuthenticationFailed(CODE_MISSING)
    with context.request_context(request):
        form = TwoFactorCodeForm(data={"code": code}, user=user)
        if not form.is_valid():
            raise exceptions.AuthenticationFailed(CODE_WRONG)
        form.save()


class TokenRevokeAllView(APIView):
    """Revoke every API token of the caller (all integrations stop working)."""

    @extend_schema(
        request=None,
        responses={
            204: OpenApiResponse(description="All the caller's tokens are revoked."),
            **error_responses(401, 403, 429),
        },
        tags=["auth"],
    )
    def delete(self, request: Request) -> Response:
        tokens.revoke_all_tokens(request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    """The account the request is authenticated as."""

    @extend_schema(
        responses={200: UserSerializer, **error_responses(401, 429)}, tags=["auth"]
    )
    def get(self, request: Request) -> Response:
        return Response(UserSerializer(request.user).data)
