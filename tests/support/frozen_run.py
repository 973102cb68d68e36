"""Run a Python module under the tests' clock: ``python -m tests.support.frozen_run MODULE ARGS``.

The browser tests start ``streamlit run`` this way, so the app and its embedded sandbox see
the same day as the test that drives them.
"""

from __future__ import annotations

import runpy
import sys

from tests.support.clock import travel


def main() -> None:
    """Start the travel, then run ``sys.argv[1]`` as ``__main__`` with the remaining arguments."""
    module, *arguments = sys.argv[1:]
    travel().start()
    sys.argv = [module, *arguments]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
