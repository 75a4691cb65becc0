"""Personal API token keys (pure, no Django): generation, hashing and the shape check.

A key looks like ``xanh_Ab3dE7gH_<43 url-safe characters>``. The part before the second underscore is the *prefix*:
it is stored in clear and shown to people so that they can tell their tokens apart. Only the SHA-256 of the whole key
is stored, so a database leak does not give usable keys. The secret carries 256 bits of randomness, which makes a
fast hash (rather than a password hash) the right choice: there is nothing to brute-force.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

SCHEME = "xanh"
PREFIX_LENGTH = 8
_ALPHABET = (
    "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"  # no 0/O, 1/l/I: people read prefixes aloud
)
_SHAPE = re.compile(rf"^{SCHEME}_([A-Za-z0-9]{{{PREFIX_LENGTH}}})_([A-Za-z0-9_-]{{43}})$")


@dataclass(frozen=True)
class NewKey:
    key: str  # shown once, never stored
    prefix: str
    key_hash: str


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def new_key() -> NewKey:
    prefix = "".join(secrets.choice(_ALPHABET) for _ in range(PREFIX_LENGTH))
    key = f"{SCHEME}_{prefix}_{secrets.token_urlsafe(32)}"
    return NewKey(key=key, prefix=f"{SCHEME}_{prefix}", key_hash=hash_key(key))


def prefix_of(key: str) -> str | None:
    """The displayable prefix of a well-formed key, or None if ``key`` is not shaped like a Xanh token."""
    match = _SHAPE.match(key.strip())
    return f"{SCHEME}_{match.group(1)}" if match else None


def matches(key: str, key_hash: str) -> bool:
    return hmac.compare_digest(hash_key(key), key_hash)
