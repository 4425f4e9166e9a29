#!/usr/bin/env python3
"""Corpus test: every real sample under ../shared/corpus is detected as its
format, and at least 99% of its lines that carry a login, a failed login or
a file operation become events.

The expectations live in tests/corpus/*.tsv, one row per file:
    path (relative to the corpus) TAB format TAB regex TAB extra arguments
The regex picks the lines that must yield an event; extra arguments (for
example --proftpd-logformat=...) are split on ' --'.  Files that ftpaudit
does not read on purpose are listed in tests/corpus/unsupported.tsv with
the reason.  Skips (exit 77) when the corpus is not there, as in a user's
clone."""
import json
import os
import re
import subprocess
import sys

SKIP = 77


def load_rows(tsv_dir):
    rows, unsupported = [], {}
    for name in sorted(os.listdir(tsv_dir)):
        if not name.endswith('.tsv'):
            continue
        with open(os.path.join(tsv_dir, name), encoding='utf-8') as f:
            for n, line in enumerate(f, 1):
                line = line.rstrip('\n')
                if not line or line.startswith('#'):
                    continue
                cols = line.split('\t')
                if name == 'unsupported.tsv':
                    unsupported[cols[0]] = cols[1] if len(cols) > 1 else ''
                    continue
                while len(cols) < 4:
                    cols.append('')
                rows.append((name, n, cols[0], cols[1], cols[2], cols[3]))
    return rows, unsupported


def split_args(extra):
    extra = extra.strip()
    if not extra:
        return []
    parts = re.split(r' (?=--)', extra)
    return [p for p in parts if p]


def main():
    exe, corpus, tsv_dir = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3]
    if not os.path.isdir(corpus):
        print(f'corpus {corpus} not found: skipped')
        return SKIP
    rows, unsupported = load_rows(tsv_dir)
    listed = {r[2] for r in rows} | set(unsupported)
    failed = passed = 0
    total_relevant = total_hit = 0
    for root, _, files in os.walk(corpus):
        for fn in files:
            rel = os.path.relpath(os.path.join(root, fn), corpus)
            if fn.endswith('.md'):
                continue
            if rel not in listed:
                print(f'FAIL {rel}: not listed in tests/corpus/*.tsv')
                failed += 1
    for tsv, n, rel, fmt, regex, extra in rows:
        path = os.path.join(corpus, rel)
        args = split_args(extra)
        if not os.path.exists(path):
            print(f'FAIL {rel} ({tsv}:{n}): file missing')
            failed += 1
            continue
        det = subprocess.run([exe, 'detect'] + args + [path],
                             capture_output=True)
        got = det.stdout.decode('utf-8', 'replace').split('\t')
        got_fmt = got[1] if len(got) > 1 else '?'
        ok = True
        if got_fmt != fmt:
            print(f'FAIL {rel}: detected as {got_fmt}, want {fmt}')
            ok = False
        run = subprocess.run([exe, 'parse', '--tz', 'UTC', '-q'] + args +
                             [path], capture_output=True)
        lines_with_events = set()
        for out in run.stdout.splitlines():
            ev = json.loads(out)
            lines_with_events.add(ev['log']['file']['line'])
        relevant = []
        if regex:
            pat = re.compile(regex.encode('utf-8'))
            with open(path, 'rb') as f:
                for i, line in enumerate(f.read().split(b'\n'), 1):
                    if pat.search(line):
                        relevant.append((i, line))
        missed = [(i, l) for i, l in relevant if i not in lines_with_events]
        hit = len(relevant) - len(missed)
        total_relevant += len(relevant)
        total_hit += hit
        share = hit / len(relevant) if relevant else 1.0
        status = 'ok' if share >= 0.99 else 'LOW'
        print(f'{status:4} {rel}: {got_fmt}, {hit}/{len(relevant)} relevant '
              f'lines became events')
        for i, l in missed[:10]:
            print(f'     missed line {i}: {l[:160]!r}')
        if share < 0.99:
            ok = False
        if ok:
            passed += 1
        else:
            failed += 1
    if total_relevant:
        print(f'overall: {total_hit}/{total_relevant} relevant lines '
              f'({100.0 * total_hit / total_relevant:.2f}%)')
    print(f'{passed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
