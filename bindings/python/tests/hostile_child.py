"""Run by test_hostile.py in a child process: nesting from 0 to 10^6 levels through every entry
point that walks caller data. A crash here (a segmentation fault, a stack overflow abort) is an
exit status the parent sees and reports, rather than a test runner that silently vanished."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

import odeme
from hostile import CONFIG, DEEP_BUDGET, deep_cases

CLIENT = odeme.Client(CONFIG)


@DEEP_BUDGET
@given(depth=st.one_of(st.integers(0, 300), st.integers(0, 10**6)), kind=st.sampled_from(["list", "dict", "tuple", "mixed"]))
@example(depth=0, kind="dict")
@example(depth=126, kind="list")
@example(depth=127, kind="dict")
@example(depth=300_000, kind="dict")
@example(depth=10**6, kind="list")
def deep(depth: int, kind: str) -> None:
    deep_cases(CLIENT, depth, kind)


if __name__ == "__main__":
    deep()
    print("hostile child: survived")
