"""The ``paraphrase-studio`` command: one entry point, one subcommand per package.

Each subcommand imports its package only when chosen, so ``paraphrase`` starts without
torch and ``app`` without the export tool chain.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

#: subcommand -> (module with add_arguments/run, help)
SUBCOMMANDS = {
    "paraphrase": ("models.cli", "paraphrase text with the installed model"),
    "export": ("export.cli", "build a model bundle (ONNX, int8) from base weights and an adapter"),
    "app": ("paraphrase_studio.app_command", "start the desktop app"),
    "bench": ("bench.cli", "benchmark the installed model against PyTorch, optimum and llama.cpp"),
}
#: subcommand -> (module with its own ``main(argv)`` and parser, help): arguments pass through.
PASSTHROUGH = {
    "distill": ("distill.cli", "prepare teacher data and train a student adapter (see: distill --help)"),
    "evaluate": ("distill.evaluate", "measure paraphrase quality of bundles and teachers (see: evaluate --help)"),
}


def build_parser() -> argparse.ArgumentParser:
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


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] in PASSTHROUGH:  # its own parser handles everything after the name
        return _run_passthrough(argv[0], argv[1:])
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
