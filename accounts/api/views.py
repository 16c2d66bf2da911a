"""Account endpoints of the API: register, API tokens (create, revoke), me."""

from __future__ import annotations

from django.contrib.auth import authenticate, user_logged_in, user_logged_out
from django.db import IntegrityError, transaction
from drf_spectacular.utils import OpenApiResponse, extend_schema
from knox.models import AuthToken
from rest_framework import exceptions, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import tokens
from accounts.api.authentication import TokenAuthentication
from accounts.api.serializers import (
    RegisterSerializer,
    TokenCreateSerializer,
    TokenSerializer,
    UserSerializer,
)
from api.schema import ERRORS, error_responses
from api.throttling import AnonRateThrottle, ScopedRateThrottle


class RegisterView(APIView):
    """Create an account. Its password must pass the site's password rules."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle, ScopedRateThrottle]
    throttle_scope = "auth"

    @extend_schema(
        request=RegisterSerializer,
        responses={201: UserSerializer, **error_responses(400, 415, 429)},
        auth=[],
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            with transaction.atomic():
                user = serializer.save()
        except IntegrityError as exc:  # the same email, registered a moment ago
            raise exceptions.ValidationError(
                {"email": ["An account with this email address already exists."]}
            ) from exc
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)


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

    @extend_schema(
        description="Create an API token. Tokens are stored only as digests: the key "
        "is shown once, in this response. Repeated failures for one account or from "
        "one client are locked out for a while (429 with Retry-After), as on the "
        "log-in page.",
        request=TokenCreateSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(
                ERRORS[400].response,
                description="Missing fields, wrong email or password, or as many "
                "tokens as an account may hold (API_TOKEN_LIMIT): revoke one first.",
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
