"""Choose a media type from an HTTP `Accept` header (RFC 9110 section 12.5.1), q-values honoured.

No Accept parser is among the project's dependencies and the job is small: every offered type
gets the quality of the most specific matching range (`type/sub` over `type/*` over `*/*`),
q=0 excludes, ties go to the server's order of preference. A missing or empty header accepts
anything.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float

    def specificity(self, offered: str) -> int:
        """-1 when this range does not match `offered`, else 0 (*/*), 1 (type/*) or 2 (exact)."""
        main, _, sub = offered.partition("/")
        if self.type == "*":
            return 0 if self.subtype == "*" else -1
        if self.type != main:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == sub else -1


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an Accept header; malformed elements are skipped, bad q-values mean q=0."""
    ranges: list[MediaRange] = []
    for element in (header or "").split(","):
        parts = [p.strip() for p in element.split(";")]
        main, slash, sub = parts[0].lower().partition("/")
        if not slash or not main or not sub or (main == "*" and sub != "*"):
            continue
        q = 1.0
        for param in parts[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value.strip())
                except ValueError:
                    q = 0.0
                q = q if 0.0 <= q <= 1.0 else 0.0
        ranges.append(MediaRange(main, sub, q))
    return ranges


def quality(ranges: list[MediaRange], offered: str) -> float:
    best, best_q = -1, 0.0
    for media_range in ranges:
        specificity = media_range.specificity(offered)
        if specificity > best:
            best, best_q = specificity, media_range.q
    return best_q if best >= 0 else 0.0


def negotiate(header: str | None, offered: list[str]) -> str | None:
    """The offered type the client prefers most (first offered on ties), or None when none is acceptable."""
    if header is None or not header.strip():
        return offered[0] if offered else None
    ranges = parse_accept(header)
    scored = [(quality(ranges, media_type), -index, media_type) for index, media_type in enumerate(offered)]
    q, _, media_type = max(scored, default=(0.0, 0, None))
    return media_type if q > 0 else None
