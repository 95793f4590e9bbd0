"""Entry point for `python -m desktopchat`, the `desktopchat` script and the frozen bundle."""

import sys


def main() -> int:
    # Imported here so `--version` and errors in argument parsing stay cheap.
    from desktopchat.app import run

    return run(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
