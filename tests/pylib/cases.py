"""The case runner the python suites share (tests/cli, tests/interop).

A test file's cases are its `case_*` functions, run in definition order, or only those named on
the command line after the binary: `FILE.py PATH/TO/dialtone [CASE...]`. One line per case, and
the last line is `cases: P passed, F failed`.
"""
import sys
import time
import traceback


def run_cases(namespace, after_each=None):
    """Runs the cases of `namespace` (a module's globals); `after_each` runs after every case,
    passed or failed. Returns the exit status: 1 if any case failed, else 0."""
    only = sys.argv[2:]
    cases = [(name, fn) for name, fn in list(namespace.items()) if name.startswith("case_") and callable(fn)]
    passed = failed = 0
    for name, fn in cases:
        if only and name not in only:
            continue
        start = time.monotonic()
        try:
            fn()
            passed += 1
            print(f"ok   {name} ({time.monotonic() - start:.1f}s)", flush=True)
        except Exception:
            failed += 1
            print(f"FAIL {name} ({time.monotonic() - start:.1f}s)", flush=True)
            traceback.print_exc(file=sys.stdout)
        finally:
            if after_each:
                after_each()
    print(f"cases: {passed} passed, {failed} failed", flush=True)
    return 1 if failed else 0
