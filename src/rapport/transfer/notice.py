"""What an import of a file made elsewhere tells about it besides its records."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Skip:
    """A card or row that could not be used: where it is, and why."""

    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass(frozen=True)
class Remark:
    """Something read only in part (a birthday without a day, a guessed encoding)."""

    where: str
    text: str

    def __str__(self) -> str:
        return f"{self.where}: {self.text}"
