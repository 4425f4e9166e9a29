#!/usr/bin/env python3
"""State across runs (--state): a nightly run over a rotating set reads only
what is new and finds what one run over everything finds; a run killed with
SIGKILL at random points and started again ends with the report of one
uninterrupted run; a damaged, newer or locked state file is a clear error
that leaves the file as it was."""
import fcntl
import gzip
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print('FAIL', what)


def stamp(t):
    return time.strftime('%a %b %d %H:%M:%S %Y', time.gmtime(t)).replace(
        ' 0', '  ', 1) if time.gmtime(t).tm_mday < 10 else \
        time.strftime('%a %b %d %H:%M:%S %Y', time.gmtime(t))


def history(n_accounts, days, seed):
    """Lines of a vsftpd log: ordinary sessions, then one Gumblar-like
    session on account u3 from a new address."""
    rnd = random.Random(seed)
    t0 = 1793520000  # 2026-11-01
    lines = []
    pid = 1000
    for day in range(days):
        for a in range(n_accounts):
            t = t0 + day * 86400 + 8 * 3600 + a * 97 + rnd.randint(0, 3600)
            ip = f'198.51.{a % 200}.{10 + a % 7}'
            user = f'u{a}'
            pid += 3
            lines.append((t, f'[pid {pid}] CONNECT: Client "{ip}"'))
            lines.append((t, f'[pid {pid - 1}] [{user}] OK LOGIN: Client "{ip}"'))
            for k in range(rnd.randint(1, 6)):
                page = rnd.choice(['index.html', 'news.html', 'a.css',
                                   f'img/p{k}.jpg'])
                lines.append((t + 5 + k, f'[pid {pid + 1}] [{user}] OK UPLOAD: '
                              f'Client "{ip}", "/var/www/{user}/{page}", '
                              f'{rnd.randint(100, 90000)} bytes, 10.00Kbyte/sec'))
    t = t0 + days * 86400 + 3 * 3600
    for k, page in enumerate(['index.html', 'about.php', 'js/app.js']):
        lines.append((t + k, f'[pid 9] [u3] OK DOWNLOAD: Client "203.0.113.9", '
                      f'"/var/www/u3/{page}", 1000 bytes, 1.00Kbyte/sec'))
        lines.append((t + 5 + k, f'[pid 9] [u3] OK UPLOAD: Client "203.0.113.9", '
                      f'"/var/www/u3/{page}", 1100 bytes, 1.00Kbyte/sec'))
    lines.sort(key=lambda x: x[0])
    return [f'{stamp(t)} {text}\n' for t, text in lines]


def scan(exe, args, **kw):
    r = subprocess.run([exe, 'scan', '-q', '--no-geoip', '--format', 'json',
                        '--fail-on', 'critical'] + args, capture_output=True,
                       **kw)
    doc = json.loads(r.stdout) if r.stdout.strip() else None
    return r.returncode, doc, r.stderr.decode('utf-8', 'replace')


def essence(doc):
    """What must match between runs: findings and account verdicts."""
    f = sorted((x['rule'], x['score'], x['user'], (x.get('source') or {})
                .get('ip'), x['first_seen'], tuple(x['files']))
               for x in doc['findings'])
    a = sorted((x['user'], x['risk'], x['baseline']['sessions'])
               for x in doc['accounts'])
    return f, a


def main():
    exe = os.path.abspath(sys.argv[1])
    tmp = tempfile.mkdtemp()
    lines = history(40, 20, 7)
    third = len(lines) // 3

    # --- one run over everything, as the reference
    full = os.path.join(tmp, 'full')
    os.mkdir(full)
    with open(os.path.join(full, 'vsftpd.log'), 'w') as f:
        f.writelines(lines)
    rc, ref, err = scan(exe, [full])
    check(rc in (0, 1) and ref is not None, f'reference run: {rc} {err}')
    ref_e = essence(ref)
    check(any(x[0] == 'stolen-credential-login' and x[3] == '203.0.113.9'
              for x in ref_e[0]), 'reference finds the intruder')

    # --- nightly runs over a rotating set: x.log -> x.log.1 -> x.log.2.gz
    night = os.path.join(tmp, 'night')
    os.mkdir(night)
    st = os.path.join(tmp, 'night.state')
    log = os.path.join(night, 'vsftpd.log')
    with open(log, 'w') as f:
        f.writelines(lines[:third])
    rc, d1, err = scan(exe, ['--state', st, night])
    check(rc in (0, 1), f'night 1: {err}')
    with open(log, 'a') as f:            # the live file grows, then rotates
        f.writelines(lines[third:third + 100])
    os.rename(log, log + '.1')
    with open(log, 'w') as f:
        f.writelines(lines[third + 100:2 * third])
    rc, d2, err = scan(exe, ['--state', st, night])
    read2 = {os.path.basename(i['path']): i['lines'] for i in d2['inputs']}
    check(read2.get('vsftpd.log.1') == 100,
          f'night 2 reads only the new tail of the rotated file: {read2}')
    with open(log + '.1', 'rb') as f, gzip.open(log + '.2.gz', 'wb') as g:
        g.write(f.read())
    os.remove(log + '.1')
    os.rename(log, log + '.1')
    with open(log, 'w') as f:
        f.writelines(lines[2 * third:])
    rc, d3, err = scan(exe, ['--state', st, night])
    read3 = {os.path.basename(i['path']): i['lines'] for i in d3['inputs']}
    check(read3.get('vsftpd.log.2.gz', 0) == 0 and
          read3.get('vsftpd.log.1', 0) == 0,
          f'night 3 reads nothing twice: {read3}')
    nights = d1['findings'] + d2['findings'] + d3['findings']
    union = sorted((x['rule'], x['user'], (x.get('source') or {}).get('ip'),
                    x['first_seen']) for x in nights)
    want = sorted((x[0], x[2], x[3], x[4]) for x in ref_e[0])
    check(union == want, f'nights find what one run finds:\n {union}\n {want}')
    check(essence(d3)[1] == ref_e[1], 'baselines equal after three nights')
    rc, d4, err = scan(exe, ['--state', st, night])
    check(d4['findings'] == [] and sum(i['events'] for i in d4['inputs']) == 0,
          'a run with nothing new reports nothing')

    # --- damaged, future and locked state files: clear errors, untouched
    good = open(st, 'rb').read()
    for name, data in (('truncated', good[:len(good) // 2]),
                       ('flipped', good[:60] + bytes([good[60] ^ 1]) + good[61:]),
                       ('garbage', b'\x00' * 64),
                       ('future', good[:20] + (99).to_bytes(4, 'little') +
                        good[24:])):
        bad = os.path.join(tmp, name + '.state')
        with open(bad, 'wb') as f:
            f.write(data)
        rc, _, err = scan(exe, ['--state', bad, night])
        check(rc == 2 and 'state' in err, f'{name} state: exit {rc}: {err}')
        check(open(bad, 'rb').read() == data, f'{name} state left untouched')
    lockf = open(st + '.lock', 'a')
    fcntl.flock(lockf, fcntl.LOCK_EX | fcntl.LOCK_NB)
    rc, _, err = scan(exe, ['--state', st, night])
    check(rc == 2 and 'in use' in err, f'locked state: {rc} {err}')
    fcntl.flock(lockf, fcntl.LOCK_UN)
    lockf.close()
    check(open(st, 'rb').read() == good, 'locked state left untouched')

    # --- SIGKILL at random points, then finish: same report as one run
    big = os.path.join(tmp, 'big')
    os.mkdir(big)
    blines = history(300, 40, 5)
    half = len(blines) // 2
    with open(os.path.join(big, 'vsftpd.log.1'), 'w') as f:
        f.writelines(blines[:half])
    with gzip.open(os.path.join(big, 'vsftpd.log.2.gz'), 'wt') as f:
        pass  # an empty older rotation
    with open(os.path.join(big, 'vsftpd.log'), 'w') as f:
        f.writelines(blines[half:])
    t = time.monotonic()
    rc, bref, err = scan(exe, [big])
    runtime = time.monotonic() - t
    bref_e = essence(bref)
    kills = int(os.environ.get('FA_KILLS', '100'))
    ks = os.path.join(tmp, 'kill.state')
    rnd = random.Random(11)
    done_early = resumed = 0
    cmd = [exe, 'scan', '-q', '--no-geoip', '--format', 'json', '--fail-on',
           'critical', '--state', ks, '--checkpoint', '0', big]
    for k in range(kills):
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        time.sleep(rnd.uniform(0.0, runtime * 1.2))
        if p.poll() is None:
            p.send_signal(signal.SIGKILL)
        p.wait()
        if p.returncode in (0, 1):
            done_early += 1
            os.remove(ks)    # finished: start over so kills land mid-run
            continue
        if not os.path.exists(ks):
            continue         # killed before the first checkpoint
        with open(ks, 'rb') as f:
            head = f.read(40)
        if len(head) == 40 and int.from_bytes(head[36:40], 'little') == 0:
            # Killed after its final save: that run wrote its report and
            # its findings count as reported.  Start over.
            done_early += 1
            os.remove(ks)
            continue
        # Every few kills, finish from a copy: the state loads and the
        # resumed run ends with the report of one uninterrupted run.
        if k % 5 == 4 or k == kills - 1:
            shutil.copy(ks, ks + '.copy')
            rc, doc, err = scan(exe, ['--state', ks + '.copy', big])
            check(rc in (0, 1) and doc is not None,
                  f'kill {k}: state loads and the run finishes: {rc} {err}')
            if doc is not None:
                resumed += 1
                got = essence(doc)
                check(got == bref_e, f'kill {k}: resumed report equals one '
                      f'run:\n  got  {got[0]}\n  want {bref_e[0]}')
            os.remove(ks + '.copy')
    print(f'{kills} kills, {resumed} resumed to the end, {done_early} runs '
          f'had finished before their kill; one run takes {runtime:.2f} s')

    # --- a state file refuses stamps outside 1970..9999, give or take a
    # day: a log of the first hour of 1970 read east of UTC is before the
    # epoch, and its state must load again
    early = os.path.join(tmp, 'early.log')
    with open(early, 'w') as f:
        f.write('Thu Jan  1 00:00:05 1970 [pid 1] [bob] OK LOGIN: Client '
                '"192.0.2.7"\n'
                'Thu Jan  1 00:00:09 1970 [pid 1] [bob] OK UPLOAD: Client '
                '"192.0.2.7", "/www/a.php", 5 bytes, 1.00Kbyte/sec\n')
    es = os.path.join(tmp, 'early.state')
    for run in (1, 2):
        rc, doc, err = scan(exe, ['--tz', 'Europe/Brussels', '--state', es,
                                  early])
        check(rc in (0, 1) and doc is not None,
              f'1970 east of UTC, run {run}: the state loads: {rc} {err}')
    print(f'{passed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
