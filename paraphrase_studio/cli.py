"""The ``paraphrase-studio`` command: one entry point, one subcommand per package.

Each subcommand imports its package only when chosen, so ``paraphrase`` starts without
torch and ``app`` without the export tool chain.

Ctrl-C (SIGINT) ends any subcommand with "paraphrase-studio: interrupted" and exit status
130, never a traceback, from the moment :func:`main` runs: building the parser imports the
runtime (numpy, onnxruntime; Ctrl-C is held until those imports finish, see
:func:`interrupts_held`), then the model loads and input is read, and all of it is
inside :func:`main`. What runs before it cannot be covered from here: the interpreter's own
start-up (a SIGINT that arrives before Python installs its handler kills the process by
the signal, which a shell also reports as 130) and the import of this package and module.
That is why this module imports only what the interpreter has usually loaded already
(argparse, logging, signal and typing, ~25 ms together, are imported inside :func:`main`
or not at all), and why the package must not import the runtime
(``tests/runtime/test_cli_contract.py`` checks both).
"""

from __future__ import annotations

import importlib
import sys
from contextlib import contextmanager

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~10 ms; see above)
if TYPE_CHECKING:
    import argparse
    from collections.abc import Iterator

#: subcommand -> (module with add_arguments/run, help)
SUBCOMMANDS = {
    "paraphrase": ("models.cli", "paraphrase text with the installed model"),
    "score": ("models.score_cli", "score how well candidates keep their sources' meaning (source<TAB>candidate lines)"),
    "phrases": ("models.phrases_cli", "alternatives for a word or phrase in its sentence (TEXT --span START:END, or -i)"),
    "models": ("models.models_cli", "list the built students, their modes and measured figures (--all: every one)"),
    "export": ("export.cli", "build a model bundle (ONNX, 4-bit projections with the adapter beside them) from base weights and an adapter"),
    "app": ("paraphrase_studio.app_command", "start the desktop app"),
    "bench": ("bench.cli", "benchmark the installed model against PyTorch, optimum and llama.cpp"),
}
#: subcommand -> (module with its own ``main(argv)`` and parser, help): arguments pass through.
PASSTHROUGH = {
    "distill": ("distill.cli", "prepare teacher data and train a student adapter (see: distill --help)"),
    "evaluate": ("distill.evaluate", "measure paraphrase quality of bundles and teachers (see: evaluate --help)"),
}


def build_parser() -> argparse.ArgumentParser:
    import argparse  # here, not at the top: see the module docstring

    parser = argparse.ArgumentParser(prog="paraphrase-studio", description="Offline paraphrasing for writers.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module_name, help_text) in SUBCOMMANDS.items():
        sub_parser = sub.add_parser(name, help=help_text, description=help_text)
        module = _optional_module(module_name)
        if module is None:
            sub_parser.set_defaults(_missing=module_name)
            sub_parser.add_argument("rest", nargs=argparse.REMAINDER)
            continue
        module.add_arguments(sub_parser)
        sub_parser.set_defaults(_module=module, _parser=sub_parser)
    for name, (_, help_text) in PASSTHROUGH.items():
        sub.add_parser(name, help=help_text, add_help=False)  # listed in --help; main() dispatches it
    return parser


def _run_passthrough(name: str, rest: list[str]) -> int:
    module_name = PASSTHROUGH[name][0]
    try:
        with interrupts_held():
            module = importlib.import_module(module_name)
    except ImportError as exc:
        print(f"paraphrase-studio: '{name}' needs the export extra: "
              f"pip install 'paraphrase-studio[export]' ({exc})", file=sys.stderr)
        return 2
    return int(module.main(rest) or 0)


def _optional_module(name: str):  # noqa: ANN202 - a module or None
    """Import the subcommand's argument module; its heavy work is imported later by ``run``."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name and name.startswith(exc.name.split(".")[0]) or exc.name == name:
            return None
        raise


#: Exit status after Ctrl-C (128 + SIGINT), as shells report a process the signal ended.
EXIT_INTERRUPTED = 130
#: A closed pipe (``… | head -1``): 128 + SIGPIPE, what a shell reports for a filter killed by it.
EXIT_BROKEN_PIPE = 141


@contextmanager
def interrupts_held() -> Iterator[None]:
    """Hold Ctrl-C until the block ends, then raise :class:`KeyboardInterrupt`.

    For imports: numpy turns a KeyboardInterrupt raised inside its C-extension import into
    an ImportError ("Importing the numpy C-extensions failed … could not import module
    'datetime'"), which then surfaces as a traceback and exit 1. The imports take a few
    tenths of a second, so Ctrl-C takes effect that much later. Where Ctrl-C is not
    Python's default (ignored, as in a background job, or a host's own handler) or outside
    the main thread (where signals cannot be handled), the block runs unchanged.
    """
    import signal  # here, not at the top: see the module docstring

    received: list[int] = []
    previous = None
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        try:
            previous = signal.signal(signal.SIGINT, lambda signum, frame: received.append(signum))
        except ValueError:  # not the main thread
            previous = None
    if previous is None:
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if received:
        raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Run one subcommand; Ctrl-C anywhere in it exits 130 with one line on stderr."""
    try:
        return _main(argv)
    except KeyboardInterrupt:
        print("paraphrase-studio: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (``… | head -1``): stop quietly, as a Unix filter does. Python would
        # otherwise print a traceback, and again at exit when it flushes stdout; pointing stdout at
        # /dev/null first stops the second one (the recipe in Python's signal docs).
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE


def _main(argv: list[str] | None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] in PASSTHROUGH:  # its own parser handles everything after the name
        return _run_passthrough(argv[0], argv[1:])
    import logging  # here, not at the top: see the module docstring

    with interrupts_held():  # the subcommands' modules import the runtime (numpy, onnxruntime)
        parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    if args.command is None:
        parser.print_help()
        return 2
    if getattr(args, "_missing", None):
        print(f"paraphrase-studio: '{args.command}' is not available in this installation "
              f"({args._missing} is missing)", file=sys.stderr)
        return 2
    return int(args._module.run(args, args._parser) or 0)


if __name__ == "__main__":
    sys.exit(main())
