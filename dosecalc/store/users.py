"""Local users with roles, and password hashes by scrypt (a memory-hard KDF in Python's standard library).

Hash format: ``scrypt$<n>$<r>$<p>$<salt b64>$<hash b64>``; the parameters travel with the hash so they can
be raised later without breaking existing accounts. Comparison is constant-time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["MIN_PASSWORD_LENGTH", "Role", "User", "check_password", "hash_password"]

MIN_PASSWORD_LENGTH = 8
_N, _R, _P = 2**14, 8, 1


class Role(StrEnum):
    PHARMACIST = "pharmacist"
    NURSE = "nurse"
    PHYSICIAN = "physician"
    ADMINISTRATOR = "administrator"


@dataclass(frozen=True, slots=True)
class User:
    id: int
    username: str
    full_name: str
    role: Role


def hash_password(password: str) -> str:
    """A salted scrypt hash.

    >>> check_password("correct horse", hash_password("correct horse"))
    True
    """
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    encoded = [base64.b64encode(part).decode("ascii") for part in (salt, digest)]
    return f"scrypt${_N}${_R}${_P}${encoded[0]}${encoded[1]}"


def check_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), dklen=len(expected)
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)
