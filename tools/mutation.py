"""Run mutmut over a seeded sample of the mutants (or all of them) and report per module; `nox -s mutation` runs it.

It runs in a folder `nox -s mutation` has laid out for mutmut (the package under `src/`, `[tool.mutmut]` in
`pyproject.toml`), and does in turn what `mutmut run` would do in one go, so that a sample can be drawn between:

1. generate every mutant of the modules `only_mutate` names (mutmut's own code, imported from the pinned mutmut:
   the mutants' names are in the `.meta` file it writes beside each mutated module);
2. pick `--sample N` of them with `random.Random(--seed)` (all of them without `--sample`), sorted first, so that
   the same tree, N and seed pick the same mutants on any machine;
3. `mutmut run <names>`: mutmut collects which tests reach each function once, then runs each picked mutant
   against only the tests that reach its function, stopping at the first failure;
4. read each mutant's verdict back from the `.meta` files and print the kills per module, the overall ratio and
   every mutant not killed (`mutmut show <name>` in that folder prints its diff); exit 1 below `--target`.

A mutant counts as killed when a test failed or timed out under it (a timeout is how a mutant that makes a loop
endless is caught); `no tests` (no test reaches the function) and `survived` count against the ratio.
"""

from __future__ import annotations

import argparse
import compileall
import importlib
import json
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

KILLED = {"killed", "timeout"}
# mutmut's exit codes of a mutant's test run, as `mutmut results` names them (mutmut/stats.py).
STATUS = {1: "killed", 3: "killed", 0: "survived", 5: "no tests", 33: "no tests", 34: "skipped", 36: "timeout",
          37: "caught by type check", -24: "timeout", 24: "timeout", 152: "timeout", 255: "timeout",
          -11: "segfault", -9: "segfault"}  # fmt: skip


def generate(max_children: int) -> dict[str, str]:
    """Every mutant of the modules to mutate, by name, with the module (a path under src/) it is in."""
    main = importlib.import_module("mutmut.__main__")
    files = importlib.import_module("mutmut.utils.file_utils")
    Path("mutants").mkdir(exist_ok=True)
    files.copy_src_dir()
    files.copy_also_copy_files()
    main.create_mutants(max_children)
    # The mutated modules hold every mutant of every function (megabytes of source): compiled once here, a test's
    # `python -m pan123_oss` subprocess starts in about a second instead of recompiling them for eight.
    compileall.compile_dir("mutants/src", quiet=1, workers=max_children)
    return {name: module for module, codes in _verdicts().items() for name in codes}


def _verdicts() -> dict[str, dict[str, int | None]]:
    """Each mutated module's mutants and their exit codes (None: not run yet), from mutmut's `.meta` files."""
    out: dict[str, dict[str, int | None]] = {}
    for meta in sorted(Path("mutants").glob("src/**/*.py.meta")):
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        out[meta.relative_to("mutants").as_posix().removesuffix(".meta")] = codes
    return out


def pick(names: list[str], sample: int | None, seed: int) -> list[str]:
    """`sample` of the names drawn with `seed` (all of them when `sample` is None or not smaller)."""
    ordered = sorted(names)
    if sample is None or sample >= len(ordered):
        return ordered
    return sorted(random.Random(seed).sample(ordered, sample))  # noqa: S311 - a reproducible draw, no secret


def report(picked: list[str], module_of: dict[str, str], target: float) -> int:
    """Print kills per module, the overall ratio and every mutant not killed; 1 below the target, else 0."""
    status = {name: STATUS.get(code, "suspicious") if code is not None else "not checked"
              for codes in _verdicts().values() for name, code in codes.items()}  # fmt: skip
    tried: Counter[str] = Counter()
    killed: Counter[str] = Counter()
    survivors = []
    for name in picked:
        module = module_of[name]
        tried[module] += 1
        if status[name] in KILLED:
            killed[module] += 1
        else:
            survivors.append(f"  {status[name]}: {name}")
    for module in sorted(tried):
        print(f"{module}: {killed[module]} of {tried[module]} killed ({killed[module] / tried[module]:.0%})")
    if survivors:
        print(f"not killed ({len(survivors)}; `mutmut show <name>` prints one):")
        print("\n".join(survivors))
    total, dead = sum(tried.values()), sum(killed.values())
    ratio = dead / total if total else 1.0
    print(f"mutation: {dead} of {total} mutants killed ({ratio:.1%}), target {target:.0%}")
    return 0 if ratio >= target else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sample", type=int, help="how many mutants to run (default: all)")
    parser.add_argument("--seed", type=int, default=1, help="the seed the sample is drawn with")
    parser.add_argument("--target", type=float, default=0.9, help="the least ratio of mutants killed")
    parser.add_argument("--max-children", type=int, default=2, help="mutants run at once")
    args = parser.parse_args(argv)
    module_of = generate(args.max_children)
    picked = pick(list(module_of), args.sample, args.seed)
    print(f"mutation: running {len(picked)} of the {len(module_of)} mutants of {len(set(module_of.values()))} modules")
    if not picked:
        return 0
    command = ["mutmut", "run", "--max-children", str(args.max_children), *picked]
    # The session's own mutmut, on its PATH; the names are the mutants mutmut itself wrote.
    run = subprocess.run(command, capture_output=True, text=True, errors="replace", check=False)  # noqa: S603
    if run.returncode != 0:
        # mutmut says why (a test failing without any mutant, say) on its stdout, among its progress lines.
        print(*run.stdout.splitlines()[-40:], run.stderr, sep="\n", file=sys.stderr)
        print(f"mutmut run failed with exit code {run.returncode}", file=sys.stderr)
        return 2
    return report(picked, module_of, args.target)


if __name__ == "__main__":
    sys.exit(main())
