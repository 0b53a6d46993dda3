"""Which module defines each command, so that a run imports only the one it needs.

``rapport show ann`` imports the people commands alone. ``--help``, a mistyped command,
the completion of a command's name, and anyone reading the app's commands (the tests, the
docs) import them all, in the order below, which is the order of the panels in ``--help``.
A test keeps this table and the commands in step; a command missing from it still runs,
after every module is imported.
"""

import importlib
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

import typer
from typer.models import CommandInfo, TyperInfo

COMMANDS: dict[str, tuple[str, ...]] = {
    "people": ("add", "edit", "people", "show"),
    "journal": ("log", "stage", "timeline"),
    "craft": ("heard", "outcomes"),
    "commitments": (
        "promise",
        "expect",
        "done",
        "broke",
        "release",
        "problem",
        "resolve",
        "gesture",
        "snooze",
    ),
    "reports": ("due", "brief", "ledger", "pipeline"),
    "transfer": ("export", "import"),
    "fixing": ("amend", "delete", "reopen", "open", "undo", "history"),
    "finding": ("search", "merge", "forget"),
    "admin": ("backup", "copy", "db"),
    "demo": ("demo",),
}
MODULES = tuple(f"{__package__}.{name}" for name in COMMANDS)
# The root's options that take a value: the word after them names no command.
_VALUED = ("--db",)
Command = TypeVar("Command", bound=Callable[..., Any])


def import_all() -> None:
    for module in MODULES:
        importlib.import_module(module)


def module_of(word: str | None) -> str | None:
    for name, words in COMMANDS.items():
        if word in words:
            return f"{__package__}.{name}"
    return None


def command_word(args: Sequence[str]) -> str | None:
    """The command a command line names (its first word that is no option nor option value)."""
    after_valued = False
    for word in args:
        if word == "--":
            return None
        if after_valued:
            after_valued = False
        elif word in _VALUED:
            after_valued = True
        elif not word.startswith("-"):
            return word
    return None


def needed_command(args: Sequence[str], complete_var: str) -> str | None:
    """The one command this run needs, if it is in the table; None: it needs them all.

    When the shell asks for completions, the words come from its variables, and the
    command's name counts only once it is typed in full (a word follows it).
    """
    if not os.environ.get(complete_var):
        word = command_word(args)
    elif "COMP_WORDS" in os.environ and "COMP_CWORD" in os.environ:
        try:
            before = int(os.environ["COMP_CWORD"])
        except ValueError:
            return None
        word = command_word(os.environ["COMP_WORDS"].split()[1:before])
    elif "_TYPER_COMPLETE_ARGS" in os.environ:
        line = os.environ["_TYPER_COMPLETE_ARGS"]
        words = line.split()[1:]
        word = command_word(words if line.endswith(" ") else words[:-1])
    else:
        return None
    return word if module_of(word) is not None else None


class Root(typer.Typer):
    """The root app, whose commands register as their modules are imported.

    Whoever reads its commands gets them all, unless a run has said, through ``only``,
    which one it needs. Registering a command reads nothing.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._adding = 0
        self._only: str | None = None
        self._complete = False
        super().__init__(*args, **kwargs)

    @property
    def registered_commands(self) -> list[CommandInfo]:
        self._import_all()
        if self._only is not None and not self._adding:
            named = [info for info in self._commands if _name(info) == self._only]
            return named or self._commands
        return self._commands

    @registered_commands.setter
    def registered_commands(self, value: list[CommandInfo]) -> None:
        self._commands = value

    @property
    def registered_groups(self) -> list[TyperInfo]:
        self._import_all()
        return self._groups

    @registered_groups.setter
    def registered_groups(self, value: list[TyperInfo]) -> None:
        self._groups = value

    def command(self, *args: Any, **kwargs: Any) -> Callable[[Command], Command]:
        register = super().command(*args, **kwargs)

        def adding(function: Command) -> Command:
            self._adding += 1
            try:
                return register(function)
            finally:
                self._adding -= 1

        return adding

    def add_typer(self, *args: Any, **kwargs: Any) -> None:
        self._adding += 1
        try:
            super().add_typer(*args, **kwargs)
        finally:
            self._adding -= 1

    @contextmanager
    def only(self, word: str) -> Iterator[None]:
        """Within it, the app has the command ``word`` alone (or its module's, for a group)."""
        module = module_of(word)
        if module is not None:
            importlib.import_module(module)
        self._only = word
        try:
            yield
        finally:
            self._only = None

    def _import_all(self) -> None:
        if self._adding or self._only is not None or self._complete:
            return
        self._complete = True
        import_all()
        # In the order of the modules, whichever was imported first.
        rank = {module: i for i, module in enumerate(MODULES)}
        self._commands.sort(
            key=lambda info: rank.get(getattr(info.callback, "__module__", ""), len(rank))
        )


def _name(info: CommandInfo) -> str | None:
    if info.name:
        return info.name
    function = getattr(info.callback, "__name__", "")
    return function.lower().replace("_", "-")
