#!/usr/bin/env python3
"""Golden tests: every testdata/<format>/<case>.log must be detected as
<format> and parse to exactly <case>.events."""
import os
import subprocess
import sys


def main():
    exe, root = os.path.abspath(sys.argv[1]), sys.argv[2]
    passed = failed = 0
    for fmt in sorted(os.listdir(root)):
        d = os.path.join(root, fmt)
        if not os.path.isdir(d) or fmt in ('geoip', 'demo', 'scenario'):
            continue
        for name in sorted(os.listdir(d)):
            if not name.endswith('.log'):
                continue
            case = name[:-4]
            expected = os.path.join(d, case + '.events')
            if not os.path.exists(expected):
                print(f'FAIL {fmt}/{case}: no {case}.events')
                failed += 1
                continue
            extra = []
            args_file = os.path.join(d, case + '.args')
            if os.path.exists(args_file):
                with open(args_file) as f:
                    extra = [a for a in f.read().split('\n') if a]
            det = subprocess.run([exe, 'detect'] + extra + [name], cwd=d,
                                 capture_output=True)
            got_fmt = det.stdout.decode().split('\t')[1] if det.stdout else '?'
            if '--input-format' not in extra and got_fmt != fmt:
                print(f'FAIL {fmt}/{case}: detected as {got_fmt}')
                failed += 1
                continue
            run = subprocess.run([exe, 'parse', '--tz', 'UTC', '--mtime',
                                  '2026-12-31', '-q'] + extra + [name],
                                 cwd=d, capture_output=True)
            with open(expected, 'rb') as f:
                want = f.read()
            if run.stdout != want:
                failed += 1
                print(f'FAIL {fmt}/{case}: output differs')
                got_lines = run.stdout.split(b'\n')
                want_lines = want.split(b'\n')
                for i, (g, w) in enumerate(zip(got_lines, want_lines)):
                    if g != w:
                        print(f'  line {i + 1}\n  want {w[:300]!r}\n  got  {g[:300]!r}')
                        break
                else:
                    print(f'  {len(got_lines)} lines, want {len(want_lines)}')
                continue
            passed += 1
    print(f'{passed} passed, {failed} failed')
    return 1 if failed or passed == 0 else 0


if __name__ == '__main__':
    sys.exit(main())
