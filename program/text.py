"""Small text helpers shared by the apps."""


def lines(text: str) -> list[str]:
    """Operators and users type lists one item per line; blank lines are dropped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
