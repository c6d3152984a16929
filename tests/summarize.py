#!/usr/bin/env python3
"""Count test cases across meson test logs and print the closing `tests:` line.

A doctest executable reports its own case counts; a script test may print a line
`cases: P passed, F failed[, S skipped]`; any other test counts as one case by its result.
Exit status is non-zero when anything failed or nothing ran.
"""
import json
import re
import sys

DOCTEST = re.compile(r"\[doctest\] test cases:\s*(\d+) \|\s*(\d+) passed \|\s*(\d+) failed \|\s*(\d+) skipped")
SCRIPT = re.compile(r"^cases: (\d+) passed, (\d+) failed(?:, (\d+) skipped)?$", re.M)

passed = failed = skipped = 0
for path in sys.argv[1:]:
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            t = json.loads(line)
            out = t.get("stdout") or ""
            ok = t.get("result") in ("OK", "EXPECTEDFAIL")
            m = DOCTEST.search(out)
            s = SCRIPT.findall(out)
            if m:
                p, fl, sk = int(m.group(2)), int(m.group(3)), int(m.group(4))
            elif s:
                p, fl, sk = (int(s[-1][0]), int(s[-1][1]), int(s[-1][2] or 0))
            else:
                p, fl, sk = (1, 0, 0) if ok else (0, 1, 0)
                if t.get("result") == "SKIP":
                    p, fl, sk = 0, 0, 1
            if not ok and fl == 0 and t.get("result") != "SKIP":
                fl = 1  # a crash or timeout after the counts were printed still fails
            passed += p
            failed += fl
            skipped += sk

line = f"tests: {passed} passed, {failed} failed"
if skipped:
    line += f", {skipped} skipped"
print(line)
sys.exit(1 if failed or passed == 0 else 0)
