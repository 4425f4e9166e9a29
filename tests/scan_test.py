#!/usr/bin/env python3
"""End-to-end checks of `ftpaudit scan` on the demo logs: the compromised
account, its attacker address with country and ASN from real MMDB files
built here, the files to restore, exit statuses, and clear errors for bad
databases, zones and config files."""
import json
import os
import subprocess
import sys
import tempfile

passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print('FAIL', what)


def scan(exe, *args):
    r = subprocess.run([exe, 'scan', '-q', '--format', 'json'] + list(args),
                       capture_output=True)
    doc = None
    if r.stdout:
        doc = json.loads(r.stdout.decode('utf-8'))
    return r.returncode, doc, r.stderr.decode('utf-8', 'replace')


def main():
    exe, src = os.path.abspath(sys.argv[1]), sys.argv[2]
    demo = os.path.join(src, 'testdata', 'demo')
    mkdb = os.path.join(src, 'tests', 'tools', 'make-mmdb.pl')
    tmp = tempfile.mkdtemp()
    nets = ['203.0.113.0/24=CN:4134:Chinanet test',
            '198.51.100.0/24=JP:2516:KDDI test',
            '192.0.2.0/24=RU:12389:Rostelecom test']
    dbs = {}
    for schema in ('geoip2', 'flat', 'country', 'asn'):
        path = os.path.join(tmp, schema + '.mmdb')
        subprocess.run(['perl', mkdb, path, schema] + nets, check=True)
        dbs[schema] = path

    # One GeoIP2-style database holding both.
    rc, doc, err = scan(exe, '--geoip', dbs['geoip2'], demo)
    check(rc == 1, f'exit 1 when a high finding exists (got {rc}: {err})')
    top = doc['findings'][0]
    check(top['user'] == 'webmaster', 'top finding is webmaster')
    check(top['severity'] in ('high', 'critical'), 'top finding is high')
    check(top['rule'] == 'stolen-credential-login', 'verdict rule')
    check(top['source'] == {'ip': '203.0.113.77', 'country': 'CN',
                            'asn': 4134, 'as_org': 'Chinanet test'},
          f"source {top['source']}")
    check(set(top['files']) == {'/var/www/shop/index.html',
                                '/var/www/shop/about.php',
                                '/var/www/shop/js/app.js',
                                '/var/www/shop/images/.cache.php'},
          f"files {top['files']}")
    check('download-reupload' in top['rules'] and
          'webshell-drop' in top['rules'], f"rules {top['rules']}")
    check(any(e['line'] == 11 for e in top['evidence']),
          'evidence names the login line')
    check(doc['accounts'][0]['user'] == 'webmaster' and
          doc['accounts'][0]['verdict'] == 'likely stolen-credential login',
          'account verdict')
    check(doc['inputs'][0]['format'] == 'vsftpd', 'input format reported')
    check(doc['off'] == [], f"nothing off with geo: {doc['off']}")
    brute = [f for f in doc['findings'] if f['rule'] == 'brute-force']
    check(all(f['severity'] == 'info' for f in brute),
          'brute force is never more than info')

    # Country and ASN from two databases of other schemas.
    rc, doc, _ = scan(exe, '--geoip', dbs['country'], '--geoip', dbs['asn'],
                      demo)
    check(doc['findings'][0]['source']['country'] == 'CN' and
          doc['findings'][0]['source']['asn'] == 4134, 'country + asn dbs')
    rc, doc, _ = scan(exe, '--geoip', dbs['flat'], demo)
    check(doc['findings'][0]['source']['country'] == 'CN',
          'top-level country_code schema')

    # Without GeoIP the report says so; --fail-on moves the exit status.
    rc, doc, _ = scan(exe, '--no-geoip', demo)
    check(any('geoip' in o for o in doc['off']), 'geo off is reported')
    check(doc['findings'][0]['source']['country'] is None, 'no country')
    rc, doc, _ = scan(exe, '--no-geoip', '--fail-on', 'critical', demo)
    crit = any(f['severity'] == 'critical' for f in doc['findings'])
    check(rc == (1 if crit else 0),
          f'--fail-on critical: exit {rc} with critical={crit}')
    rc, doc, _ = scan(exe, '--no-geoip', '--fail-on', 'medium', demo)
    check(rc == 1, f'--fail-on medium gives 1 (got {rc})')

    # Clear errors, never a silent run.
    bad = os.path.join(tmp, 'bad.mmdb')
    with open(bad, 'wb') as f:
        f.write(b'\0' * 4096)
    rc, doc, err = scan(exe, '--geoip', bad, demo)
    check(rc == 2 and 'GeoIP database' in err, f'corrupt mmdb: {rc} {err}')
    with open(dbs['geoip2'], 'rb') as f:
        head = f.read()
    trunc = os.path.join(tmp, 'trunc.mmdb')
    with open(trunc, 'wb') as f:
        f.write(head[: len(head) // 2])
    rc, _, err = scan(exe, '--geoip', trunc, demo)
    check(rc == 2, f'truncated mmdb gives 2 (got {rc})')
    rc, _, err = scan(exe, '--tz', 'Mars/Olympus', demo)
    check(rc == 2 and 'time zone' in err, 'unknown zone')
    cfg = os.path.join(tmp, 'c.json')
    with open(cfg, 'w') as f:
        f.write('{"fail_mni": 3}')
    rc, _, err = scan(exe, '--config', cfg, demo)
    check(rc == 2 and 'fail_mni' in err, 'config typo is an error')
    with open(cfg, 'w') as f:
        f.write('{"reupload_window": 2, "weights": {"webshell-drop": 0}}')
    rc, doc, err = scan(exe, '--no-geoip', '--config', cfg, demo)
    check(rc == 0 or doc['findings'][0]['score'] < 85,
          'config thresholds take effect')
    rc, _, err = scan(exe, os.path.join(tmp, 'missing.log'))
    check(rc == 2, 'no input at all gives 2')

    # Findings wait in a spool file under TMPDIR, deleted at once; with no
    # usable TMPDIR they wait in memory: the same report either way, and
    # nothing left behind.
    spool = os.path.join(tmp, 'spool')
    os.mkdir(spool)
    outs = []
    for tmpdir in (spool, os.path.join(tmp, 'no-such-dir')):
        env = dict(os.environ, TMPDIR=tmpdir)
        for fmt in ('json', 'ndjson'):
            r = subprocess.run([exe, 'scan', '-q', '--tz', 'UTC', '--format',
                                fmt, '--geoip', dbs['geoip2'], demo],
                               capture_output=True, env=env)
            outs.append((r.returncode, r.stdout))
    check(outs[0] == outs[2] and outs[1] == outs[3] and
          outs[0][0] == 1 and b'webmaster' in outs[0][1],
          'report the same with and without a spool file')
    check(os.listdir(spool) == [], 'spool file removed')

    # Many accounts: two threads print them in blocks of 32 (the second
    # from the end, through a scratch file under TMPDIR); without a usable
    # TMPDIR one thread prints them all.  The same bytes either way, every
    # account once, in rank order.
    many = os.path.join(tmp, 'many.log')
    with open(many, 'w') as f:
        for i in range(211):
            t = f'Thu Nov 26 {8 + i // 60:02d}:{i % 60:02d}:00 2026'
            f.write(f'{t} [pid {i + 2}] [site{i:03d}] OK LOGIN: Client '
                    f'"10.{i % 7}.{i}.{i % 5 + 1}"\n')
            for k in range(i % 9):
                f.write(f'{t} [pid {i + 2}] [site{i:03d}] OK UPLOAD: Client '
                        f'"10.{i % 7}.{i}.{i % 5 + 1}", "/www/p{k}.html", '
                        f'{100 + k} bytes, 10.00Kbyte/sec\n')
    outs = []
    # The second thread's share fixed at 0, 4 and 7 of the 7 blocks, then
    # as the two threads meet; last, one thread (no scratch file).
    for split in ('7', '3', '0', ''):
        env = dict(os.environ, TMPDIR=spool, FTPAUDIT_ACCOUNTS_SPLIT=split)
        r = subprocess.run([exe, 'scan', '-q', '--tz', 'UTC', '--no-geoip',
                            many], capture_output=True, env=env)
        outs.append(r.stdout)
    env = dict(os.environ, TMPDIR=os.path.join(tmp, 'no-such-dir'))
    r = subprocess.run([exe, 'scan', '-q', '--tz', 'UTC', '--no-geoip',
                        many], capture_output=True, env=env)
    doc = json.loads(r.stdout.decode('utf-8'))
    users = [a['user'] for a in doc['accounts']]
    check(all(o == r.stdout for o in outs),
          'accounts printed by two threads in any shares, or one: same')
    check(sorted(users) == [f'site{i:03d}' for i in range(211)],
          f'every account once ({len(users)})')
    check(os.listdir(spool) == [], 'scratch file removed')
    print(f'{passed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
