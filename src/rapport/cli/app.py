"""The root app, its global options, and the one error boundary."""

import gc
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from rapport import __version__
from rapport.cli.wiring import Root
from rapport.errors import RapportError

if TYPE_CHECKING:
    from sqlmodel import Session

    from rapport.config import Config
    from rapport.store import Journal

HELP = """\
A relationship journal: log every conversation, keep your promises,
and see each morning who needs your attention and why.

[bold]Examples[/bold]

  rapport add "Ann Lee" --company Acme --stage friend
  rapport log ann "Called about the renewal" --mood pleased
  rapport timeline ann
"""


def fail(message: str, code: int = 2) -> NoReturn:
    """Print one line on stderr and leave with ``code``."""
    sys.stderr.write(f"rapport: {message}\n")
    raise typer.Exit(code)


class Boundary(TyperGroup):
    """Turns every mistake into one line on stderr and an exit status.

    The core's RapportError is caught around each command; mistakes in the
    command line itself (a missing option, a bad choice) around the whole run.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from rapport.cli.args import name_placeholders

        name_placeholders(self)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        _text_as_typed(self)
        args = _arranged(list(sys.argv[1:] if args is None else args), "rapport")
        run = {
            "args": args,
            "prog_name": prog_name,
            "complete_var": complete_var,
            "windows_expand_args": windows_expand_args,
            **extra,
        }
        if not standalone_mode:
            return super().main(standalone_mode=False, **run)
        _refuse_undecodable(sys.argv[1:] if args is None else args)
        try:
            code = super().main(standalone_mode=False, **run)
        except typer.Abort:
            sys.stderr.write("rapport: aborted\n")
            sys.exit(1)
        except Exception as exc:
            # The command-line parser's errors, known by their shape: typer keeps its own copy.
            if not (hasattr(exc, "format_message") and hasattr(exc, "exit_code")):
                raise
            ctx = getattr(exc, "ctx", None)
            hint = f" (see: {ctx.command_path} --help)" if ctx is not None else ""
            message = str(exc.format_message()).replace("Value error, ", "").rstrip(".")
            message = message[:1].lower() + message[1:]
            sys.stderr.write(f"rapport: {message}{hint}\n")
            sys.exit(exc.exit_code)
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except RapportError as exc:
            if _debug(ctx):
                raise
            if exc.unsaved:
                sys.stderr.write(f"rapport: not saved; here is what you typed:\n{exc.unsaved}\n")
            fail(exc.message, exc.exit_code)
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:
            if _debug(ctx) or type(exc).__module__.startswith("typer"):
                raise
            if isinstance(exc, BrokenPipeError):
                raise typer.Exit(1) from exc
            fail(f"internal error: {type(exc).__name__}: {exc} (run with --debug for details)", 1)


def _refuse_undecodable(args: Sequence[str]) -> None:
    """Arguments the terminal gave in another encoding than UTF-8: one line, before anything."""
    for arg in args:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            raw = arg.encode("utf-8", "surrogateescape")
            sys.stderr.write(
                f"rapport: an argument is not UTF-8 text ({raw!r}); nothing was done\n"
            )
            sys.exit(2)


SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")
_GLOBAL_FLAGS = ("--debug", "--version")


def _arranged(args: list[str], prog: str) -> list[str]:
    """The command line with the root's options first, wherever they were typed.

    ``rapport due --db x`` means ``rapport --db x due``; ``--show-completion zsh``
    prints the script for zsh, not for the shell it runs under.
    """
    for flag in ("--show-completion", "--install-completion"):
        shell = _shell_after(args, flag)
        if shell is not None:
            _completion(flag, shell, prog)
    front: list[str] = []
    rest: list[str] = []
    seen_command = False
    i = 0
    while i < len(args):
        word = args[i]
        if word == "--":
            rest.extend(args[i:])
            break
        if seen_command and word in _GLOBAL_FLAGS:
            front.append(word)
        elif seen_command and word == "--db" and i + 1 < len(args):
            front.extend(args[i : i + 2])
            i += 1
        elif seen_command and word.startswith("--db="):
            front.append(word)
        else:
            if not word.startswith("-") and not (rest and rest[-1] == "--db"):
                seen_command = True
            rest.append(word)
        i += 1
    return front + rest


def _shell_after(args: list[str], flag: str) -> str | None:
    for i, word in enumerate(args):
        if word.startswith(flag + "="):
            return word.partition("=")[2]
        if word == flag and i + 1 < len(args) and args[i + 1] in SHELLS:
            return args[i + 1]
    return None


def _completion(flag: str, shell: str, prog: str) -> NoReturn:
    from typer._completion_shared import get_completion_script, install

    if shell not in SHELLS:
        fail(f"unknown shell '{shell}' (shells: {', '.join(SHELLS)})")
    complete_var = f"_{prog.replace('-', '_').upper()}_COMPLETE"
    if flag == "--show-completion":
        sys.stdout.write(
            get_completion_script(prog_name=prog, complete_var=complete_var, shell=shell) + "\n"
        )
    else:
        _, path = install(shell=shell, prog_name=prog, complete_var=complete_var)
        sys.stderr.write(f"rapport: {shell} completion installed in {path}\n")
    sys.exit(0)


def _text_as_typed(group: Any) -> None:
    """Take text options, text arguments and flags as given, without a validator for each.

    typer builds a pydantic validator for every parameter it processes, even one
    left out, which imports pydantic on --help and on every press of Tab. Text and
    flags need none: the command line already hands over text, a flag is a bool.
    """
    commands = [group]
    while commands:
        command = commands.pop()
        commands.extend(getattr(command, "commands", {}).values())
        for param in command.params:
            _as_given(param)
        # --help is made when first asked for; completion processes it in every command.
        command.get_help_option = _help_as_given(command.get_help_option)


def _help_as_given(make: Any) -> Any:
    def get_help_option(ctx: Any) -> Any:
        option = make(ctx)
        if option is not None:
            _as_given(option)
        return option

    return get_help_option


def _as_given(param: Any) -> None:
    """Mark one text parameter or flag to be taken as given (see ``_text_as_typed``).

    Should typer's internals move, the parameter is left as typer made it.
    """
    described = getattr(param, "type_descriptor", None)
    if described is None or getattr(param, "_runtime_param", False) is not None:
        return
    try:
        from typer._coercion import PassThroughRuntimeParam
    except ImportError:  # pragma: no cover
        return
    info = described.parameter_info
    text = (
        described.annotation is str
        and described.file_annotation is None
        and info.parser is None
        and not param.multiple
        and param.nargs == 1
    )
    # A flag is True, False or unset, never text to parse (unless read from a variable).
    flag = described.annotation is bool and getattr(param, "is_flag", False)
    if text or (flag and not param.envvar):
        param._runtime_param = PassThroughRuntimeParam(
            annotation=described.annotation, parameter_info=info
        )


def _debug(ctx: Any) -> bool:
    state = getattr(ctx, "obj", None)
    return bool(getattr(state, "debug", False)) or bool(os.environ.get("RAPPORT_DEBUG"))


@dataclass
class State:
    """What every command shares: the journal it works on and the time it is."""

    db: str | None = None
    debug: bool = False
    command: str = ""
    _journal: "Journal | None" = field(default=None, repr=False)
    _config: "Config | None" = field(default=None, repr=False)

    @property
    def target(self) -> str:
        from rapport.config import default_journal

        return self.db or default_journal()

    @property
    def config(self) -> "Config":
        if self._config is None:
            from rapport.config import load_config

            config = load_config()
            # A fresh rapport.dates reads the locale's order; it is imported by the commands
            # that read dates, so that those that do not skip loading it.
            if config.date_order is not None or "rapport.dates" in sys.modules:
                from rapport.dates import use_date_order

                use_date_order(config.date_order)
            # The names in [due] and [ledger] are the registries' own: checked by them, now,
            # so that a misspelt one is named whatever the command.
            if "due" in config.raw:
                from rapport.core.terms import Weights

                Weights.from_config(config.raw["due"])
            if "ledger" in config.raw:
                from rapport.core.ledger import LedgerWeights

                LedgerWeights.from_config(config.raw["ledger"])
            self._config = config
        return self._config

    @property
    def journal(self) -> "Journal":
        if self._journal is None:
            from rapport.store import open_journal

            self._journal = open_journal(self.target, busy_timeout=self.config.busy_timeout)
            self._journal.on_write = self._record
        return self._journal

    def _record(self, session: "Session") -> None:
        """Every write a command makes goes into the change log, as one change."""
        from rapport.core.changes import record

        record(
            session,
            self.command,
            author=self.config.author,
            now=self.now(),
            keep=self.config.history_keep,
        )

    def zone(self) -> tzinfo:
        from rapport.zones import local_zone

        return local_zone(self.config.timezone)

    def now(self) -> datetime:
        """The current time in the user's zone; ``RAPPORT_NOW`` pins it (for demos and tests)."""
        pinned = os.environ.get("RAPPORT_NOW")
        if pinned:
            moment = datetime.fromisoformat(pinned)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=self.zone())
            return moment.astimezone(self.zone())
        return datetime.now(self.zone())

    def today(self) -> date:
        return self.now().date()


def _version(value: bool) -> None:
    if value:
        typer.echo(f"rapport {__version__}")
        raise typer.Exit()


app = Root(
    cls=Boundary,
    help=HELP,
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="RAPPORT_DB",
            help="Journal file or SQLAlchemy URL (default: rapport.db in your data folder).",
            show_default=False,
        ),
    ] = None,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks instead of one-line errors.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    ctx.obj = State(db=db, debug=debug, command=ctx.invoked_subcommand or "")


def state(ctx: typer.Context) -> State:
    """What the command shares; asked for as its work begins, its imports done."""
    obj = ctx.find_root().obj
    assert isinstance(obj, State)
    if not gc.isenabled():
        # main() held the collector off while rapport loaded: from here on it collects what
        # the command makes, leaving aside the start-up's objects, which live until exit.
        gc.freeze()
        gc.enable()
    return obj
