"""Review of agency mentions that the resolver cannot match (pure Python, no Django).

A plan names a body that is not in the unit's catalogue ("Trung tâm Khuyến nông tỉnh"). The officer decides once
per import what the mention means: an existing agency of the unit (``map``) or a new agency to add to the unit's
catalogue (``new``); no decision leaves it unresolved. Decisions live in the import draft under
``agency_decisions``, keyed by :func:`mention_key`, so the same name in ten tasks is decided once.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher
from typing import Any

from xanh.agencies.matching import AgencyEntry, AgencyMatcher, fold

__all__ = [
    "ACTIONS",
    "Candidate",
    "Unresolved",
    "mention_key",
    "rank_candidates",
    "unresolved_mentions",
]

ACTIONS = ("map", "new")
ROLES = (("lead", "chủ trì"), ("coordinating", "phối hợp"))


def mention_key(mention: str) -> str:
    """Case-, diacritic- and punctuation-insensitive key of a mention ("Trung tâm khuyến nông tỉnh" ≡ "TRUNG TÂM …")."""
    return fold(mention)


@dataclass(frozen=True, slots=True)
class Candidate:
    key: str
    name: str
    score: float


@dataclass(slots=True)
class Unresolved:
    """One distinct unresolved mention of the draft and the tasks (index, id, role) that use it."""

    mention: str
    key: str
    tasks: list[tuple[int, str, str]] = field(default_factory=list)
    decision: dict[str, Any] | None = None


def _weights(entries: Sequence[AgencyEntry]) -> dict[str, float]:
    """Inverse document frequency of name tokens: "sở" and "tỉnh" say little, "nông" says more."""
    df: Counter[str] = Counter()
    for entry in entries:
        df.update(set(fold(entry.name).split()))
    n = len(entries) or 1
    return {token: math.log((n + 1) / (count + 0.5)) for token, count in df.items()}


def rank_candidates(
    mention: str, matcher: AgencyMatcher, limit: int = 5, on: date | None = None
) -> list[Candidate]:
    """The catalogue agencies most likely meant by ``mention``, best first (at most ``limit``).

    Agencies the matcher finds inside the mention come first ("Trung tâm … thuộc Sở Tài chính" → Sở Tài chính),
    then agencies sharing rare words with it, with the string similarity as tie-breaker. A mention names one
    body, so collectives ("Các sở, ban, ngành") count half; bodies no longer existing on ``on`` are left out.
    """
    entries = [e for e in matcher.entries if on is None or e.valid_on(on) or e.valid_to is None]
    if not entries:
        return []
    weights = _weights(entries)
    default_weight = math.log(len(entries) + 1) + 1
    words = set(fold(mention).split())
    total = sum(weights.get(w, default_weight) for w in words) or 1.0
    folded = fold(mention)
    scores: dict[str, float] = {}
    resolved = matcher.resolve(mention)
    if resolved is not None:
        scores[resolved.key] = 3.0
    for found in matcher.find_all(mention):
        scores[found.key] = max(scores.get(found.key, 0.0), 2.0)
    for entry in entries:
        best = 0.0
        for text in (entry.name, *entry.aliases):
            other = fold(text)
            shared = words & set(other.split())
            if not shared:
                continue
            overlap = sum(weights.get(w, default_weight) for w in shared) / total
            ratio = SequenceMatcher(None, folded, other, autojunk=False).ratio()
            best = max(best, overlap + 0.25 * ratio)
        if entry.kind == "collective":
            best /= 2
        if best >= 0.2:
            scores[entry.key] = max(scores.get(entry.key, 0.0), best)
    names = {entry.key: entry.name for entry in entries}
    scores = {key: score for key, score in scores.items() if key in names}
    ranked = sorted(scores.items(), key=lambda pair: (-pair[1], names[pair[0]]))
    return [Candidate(key, names[key], round(score, 3)) for key, score in ranked[:limit]]


def unresolved_mentions(
    tasks: Iterable[Mapping[str, Any]],
    resolves: Callable[[str], bool],
    decisions: Mapping[str, Any] | None = None,
) -> list[Unresolved]:
    """Every distinct lead/coordinating mention that ``resolves`` rejects, in document order, with its tasks."""
    decisions = decisions or {}
    found: dict[str, Unresolved] = {}
    cache: dict[str, bool] = {}
    for index, task in enumerate(tasks):
        for role, _label in ROLES:
            for mention in task.get(role) or []:
                key = mention_key(mention)
                if not key:
                    continue
                if key not in cache:
                    cache[key] = resolves(mention)
                if cache[key]:
                    continue
                item = found.get(key)
                if item is None:
                    decision = decisions.get(key)
                    item = found[key] = Unresolved(
                        mention=mention, key=key, decision=dict(decision) if decision else None
                    )
                item.tasks.append((index, str(task.get("id") or index + 1), role))
    return list(found.values())
