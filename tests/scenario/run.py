#!/usr/bin/env python3
"""The six-week hosting scenario: generate the logs (generate.py), build
the test MMDB, run `ftpaudit scan` on the folder and score its verdicts
against the ground truth.

    run.py FTPAUDIT SRCROOT [--keep DIR] [--seed N] [-v]

A finding of severity high or critical is the "likely stolen-credential
login" verdict.  It is a true alarm when a compromise of the ground truth
has the same user, host and source address and overlapping times; every
other high finding is a false alarm.  Precision: true alarms / all alarms.
Recall: compromises with at least one true alarm / all compromises.  Both
must reach 0.95.  Also checked: every path an attacker wrote is in the
`files` of the alarms for that compromise; addresses that only ever
failed to log in never make more than an info finding; every input file
is read with its expected format and no malformed line; the generator
gives the same bytes for the same seed.
"""
import argparse
import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generate  # noqa: E402

SLACK = dt.timedelta(seconds=120)
ALARM = ('high', 'critical')
SEVERITIES = ['info', 'low', 'medium', 'high', 'critical']
# The rule each kind of compromise must fire (besides where it came from).
EXPECT_RULE = {
    'gumblar': 'download-reupload', 'gumblar-rotating': 'download-reupload',
    'gumblar-sftp': 'download-reupload', 'webshell': 'webshell-drop',
    'webshell-sftp': 'webshell-drop', 'credential-stuffing': 'cross-account',
    'brute-force-success': 'fail-then-success',
    'brute-force-success-sftp': 'fail-then-success',
    'night-rewrite': 'bulk-rewrite', 'night-rewrite-sftp': 'bulk-rewrite',
}


def lookalike(tag):
    """The benign habit a generator session tag stands for."""
    if tag.startswith('agency-'):
        return 'web agency'
    if tag == 'deploy-runner':
        return 'deploy runner'
    if tag.startswith('owner-forgot'):
        return 'forgotten password'
    if tag.startswith('owner-holiday') or tag.endswith('-holiday'):
        return 'holiday abroad'
    if tag.endswith('-mobile'):
        return 'mobile tethering'
    if tag.startswith('owner-'):
        return 'owner (' + tag.split('-')[-1] + ')'
    return tag


passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print('FAIL', what)
    return cond


def when(s):
    return dt.datetime.strptime(s[:19], '%Y-%m-%dT%H:%M:%S')


def overlaps(a0, a1, b0, b1):
    return a0 <= b1 + SLACK and b0 <= a1 + SLACK


def source_ip(f):
    return (f.get('source') or {}).get('ip')


def matches(f, c):
    """Does finding f belong to compromise c?"""
    if f['user'] != c['user'] or (f['host'] or '') != (c['host'] or ''):
        return False
    ip = source_ip(f)
    f0, f1 = when(f['first_seen']), when(f['last_seen'])
    return any(s['ip'] == ip and overlaps(f0, f1, when(s['start']),
                                          when(s['end']))
               for s in c['sessions'])


def explain(f, sessions):
    """What the generator says the flagged session was."""
    f0, f1 = when(f['first_seen']), when(f['last_seen'])
    tags = sorted({s['tag'] for s in sessions
                   if s['user'] == f['user'] and s['ip'] == source_ip(f)
                   and overlaps(f0, f1, when(s['start']), when(s['end']))})
    return ', '.join(tags) or 'unknown session'


def tree_hash(root):
    h = hashlib.sha256()
    for d, dirs, files in sorted(os.walk(root)):
        dirs.sort()
        for name in sorted(files):
            p = os.path.join(d, name)
            h.update(os.path.relpath(p, root).encode())
            with open(p, 'rb') as fh:
                h.update(fh.read())
    return h.hexdigest()


def line(f):
    src = f.get('source') or {}
    return (f"{f['severity']:8} {f['score']:3} {f['user']}@"
            f"{f['host'] or '-'} {src.get('ip')} {src.get('country')} "
            f"AS{src.get('asn')} {f['first_seen']} rules="
            f"{','.join(f['rules'])}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('ftpaudit')
    ap.add_argument('srcroot')
    ap.add_argument('--keep', help='generate into this folder and keep it')
    ap.add_argument('--seed', type=int, default=20261102)
    ap.add_argument('-v', '--verbose', action='store_true',
                    help='also list every finding of medium and above')
    args = ap.parse_args()
    exe = os.path.abspath(args.ftpaudit)
    tmp = tempfile.mkdtemp(prefix='ftpaudit-scenario-')
    out = args.keep or os.path.join(tmp, 'scenario')
    try:
        if args.keep and os.path.exists(out):
            # Only ever replace an earlier scenario (or an empty folder).
            if os.listdir(out) and not os.path.exists(
                    os.path.join(out, 'truth.json')):
                print(f'{out}: not empty and not a scenario folder')
                return 2
            shutil.rmtree(out)
        os.makedirs(out)
        truth = generate.generate(out, args.seed)
        again = os.path.join(tmp, 'again')
        os.makedirs(again)
        generate.generate(again, args.seed)
        check(tree_hash(out) == tree_hash(again),
              'the generator gives the same bytes for the same seed')

        db = os.path.join(tmp, 'scenario.mmdb')
        subprocess.run(['perl', os.path.join(args.srcroot, 'tests', 'tools',
                                             'make-mmdb.pl'), db, 'geoip2']
                       + truth['networks'], check=True)
        report = os.path.join(out, 'report.json')
        cmd = [exe, 'scan', '-q', '--format', 'json', '--tz',
               truth['timezone'], '--geoip', db, '-o', report,
               os.path.join(out, 'logs')]
        print('$', ' '.join(cmd))
        r = subprocess.run(cmd, capture_output=True)
        check(r.returncode == 1, f'scan exits 1 (an alarm was raised): '
              f'{r.returncode} {r.stderr.decode(errors="replace")}')
        with open(report, encoding='utf-8') as fh:
            doc = json.load(fh)
        return evaluate(truth, doc, args.verbose)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def evaluate(truth, doc, verbose):
    expect = {'web1': 'vsftpd', 'web2': 'xferlog', 'web3': 'openssh'}
    for f in doc['inputs']:
        server = f['path'].replace('\\', '/').split('/')[-2]
        check(f['status'] == 'read' and f['format'] == expect.get(server)
              and f['malformed'] == 0,
              f"{f['path']}: read as {expect.get(server)} without malformed "
              f"lines ({f['status']}, {f['format']}, {f['malformed']})")

    comps = truth['compromises']
    alarms = [f for f in doc['findings'] if f['severity'] in ALARM]
    true_alarms, false_alarms = [], []
    found = {c['id']: [] for c in comps}
    for f in alarms:
        hit = [c for c in comps if matches(f, c)]
        for c in hit:
            found[c['id']].append(f)
        (true_alarms if hit else false_alarms).append(f)
    misses = [c for c in comps if not found[c['id']]]
    precision = len(true_alarms) / len(alarms) if alarms else 0.0
    recall = (len(comps) - len(misses)) / len(comps) if comps else 0.0

    t = doc['totals']
    print(f"scenario: {len(truth['accounts'])} accounts, "
          f"{len(truth['sessions'])} sessions, {t['events']} events, "
          f"{t['failed_logins']} failed logins, {len(comps)} compromises")
    print(f'alarms (high/critical): {len(alarms)}, true {len(true_alarms)}, '
          f'false {len(false_alarms)}')
    print(f'precision {precision:.3f}  recall {recall:.3f}')
    for f in false_alarms:
        print('false alarm:', line(f))
        print('    was:', explain(f, truth['sessions']))
        for r in f['reasons']:
            print('    -', r)
    for c in misses:
        print(f"missed: {c['id']} {c['user']}@{c['host'] or c['server']} "
              f"{c['start']} {', '.join(c['ips'])}: {c['what']}")
        near = [f for f in doc['findings'] if matches(f, c)]
        for f in near:
            print('    best finding:', line(f))
            for r in f['reasons']:
                print('    -', r)
        if not near:
            print('    no finding at all')
    if verbose:
        for f in doc['findings']:
            if f['severity'] in ('medium', 'high', 'critical'):
                print('finding:', line(f), '|',
                      explain(f, truth['sessions']))

    check(precision >= 0.95, f'precision {precision:.3f} >= 0.95')
    check(recall >= 0.95, f'recall {recall:.3f} >= 0.95')

    # The customer must be told every file to restore.
    for c in comps:
        if not found[c['id']]:
            continue
        listed = {p for f in found[c['id']] for p in f['files']}
        lost = [w for w in c['writes'] if w not in listed]
        check(not lost, f"{c['id']}: files lists every path the attacker "
              f"wrote (missing {lost})")
        check(all(f['rule'] == 'stolen-credential-login'
                  for f in found[c['id']]), f"{c['id']}: verdict rule")

    # Each alarm names what the attacker did, not only where from.
    for c in comps:
        want = EXPECT_RULE[c['kind']]
        fired = {r for f in found[c['id']] for r in f['rules']}
        check(not found[c['id']] or want in fired,
              f"{c['id']}: the alarm names {want} (rules {sorted(fired)})")

    # The benign look-alikes, by what the generator says they were.
    worst = {}
    for f in doc['findings']:
        if f['rule'] == 'brute-force' or any(matches(f, c) for c in comps):
            continue
        for tag in explain(f, truth['sessions']).split(', '):
            group = lookalike(tag)
            rank = SEVERITIES.index(f['severity'])
            worst[group] = max(worst.get(group, 0), rank)
    for group in sorted(worst):
        print(f'benign {group}: worst finding '
              f'{SEVERITIES[worst[group]]}')
    for group, cap in (('web agency', 'low'), ('deploy runner', 'medium'),
                       ('holiday abroad', 'medium'),
                       ('mobile tethering', 'medium')):
        check(worst.get(group, 0) <= SEVERITIES.index(cap),
              f'{group} stays at or below {cap}')

    # Guessing that never succeeds is information, never more.
    brute = set(truth['brute_force_only_ips'])
    over = [f for f in doc['findings']
            if source_ip(f) in brute and f['severity'] != 'info']
    check(not over, 'addresses that only failed stay at info: ' +
          '; '.join(line(f) for f in over))
    bf = [f for f in doc['findings'] if f['rule'] == 'brute-force']
    check(bf and all(f['severity'] == 'info' for f in bf),
          f'brute-force findings exist ({len(bf)}) and are all info')
    print(f'{passed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
