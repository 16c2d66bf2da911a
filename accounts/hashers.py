"""Verification of the original application's raw bcrypt hashes."""

from __future__ import annotations

from django.contrib.auth.hashers import BCryptPasswordHasher

from adoption.original import BCRYPT_HASH_PREFIXES

#: bcrypt reads at most this many bytes of a password. The original application
#: (passlib) silently cut longer passwords there; bcrypt 5 raises ValueError instead.
BCRYPT_MAX_PASSWORD_BYTES = 72

#: The prefixes of the raw bcrypt hashes the original application stored.
LEGACY_BCRYPT_PREFIXES = BCRYPT_HASH_PREFIXES


class LegacyBCryptPasswordHasher(BCryptPasswordHasher):
    """Verify plain bcrypt hashes (`$2b$12$…`) as the original application wrote them.

    Stored hashes carry no algorithm prefix; `accounts.User.check_password` adds this
    hasher's prefix in memory before checking. Passwords are cut at 72 bytes, as passlib
    did, so a long password matches its old hash instead of raising. Never the first
    hasher: a successful log-in re-hashes the password with the first one.
    """

    algorithm = "bcrypt"

    def encode(self, password: str, salt: bytes) -> str:
        bcrypt = self._load_library()
        data = bcrypt.hashpw(password.encode()[:BCRYPT_MAX_PASSWORD_BYTES], salt)
        return f"{self.algorithm}${data.decode('ascii')}"
