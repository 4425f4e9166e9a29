#!/usr/bin/env python3
"""Hostile input, one case per function (docs/hostile-input.md).

Every input is built here, in a temporary folder, and read with
`ftpaudit parse` and `ftpaudit scan --format json` (html, text, ndjson and
ocsf where names matter).  Each run must end within its time limit with the
documented exit status (0/1 when something was read, 2 only for a usage
error or when no input at all could be read), write valid UTF-8 and valid
JSON/NDJSON, count every file's lines, events, skipped and malformed lines
exactly, and keep every event of the valid lines around the bad ones.

usage: hostile_test.py FTPAUDIT SOURCE_ROOT [CASE...]
"""
import gzip
import html.parser
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import zlib

EXE = SRC = TMP = None
ASAN = False
passed = failed = skipped = 0
CASE = ''

# Peak resident memory allowed to one run (KiB).  The reader keeps a 1 MiB
# window, the pipeline a few batches: nothing near this unless memory grows
# with the input.
RSS_LIMIT_KB = 200 * 1024


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print(f'FAIL [{CASE}] {what}', flush=True)
    return bool(cond)


def skip(what):
    global skipped
    skipped += 1
    print(f'SKIP [{CASE}] {what}', flush=True)


class Run:
    rc = None
    out = b''
    err = b''
    rss_kb = 0
    secs = 0.0
    hung = False

    def errtext(self):
        return self.err.decode('utf-8', 'replace')[-600:]


# Runs each command from a small, fresh process: a child's peak RSS
# (ru_maxrss) counts what it held before exec, so a child forked straight
# from this test, which holds its inputs in memory, would inherit it.
LAUNCHER = r"""
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
_, status, ru = os.wait4(pid, 0)
with open(os.environ["FA_HOSTILE_RESULT"], "w") as f:
    f.write("%d %d" % (os.waitstatus_to_exitcode(status), ru.ru_maxrss))
"""


def kill_group(pid):
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def run(args, stdin=None, env=None, timeout=120, prefix=(), exe=None):
    """Run ftpaudit with args; stdout and stderr go through files (no pipe
    can fill up), the peak RSS of the command alone comes from wait4() in
    the launcher.  stdin is bytes, a path, or None.  A run past its time
    limit is killed (with its process group) and reported as hung."""
    if ASAN:
        timeout *= 4
    r = Run()
    with tempfile.TemporaryFile(dir=TMP) as o, \
            tempfile.TemporaryFile(dir=TMP) as e:
        if isinstance(stdin, bytes):
            inf = tempfile.TemporaryFile(dir=TMP)
            inf.write(stdin)
            inf.seek(0)
        elif isinstance(stdin, str):
            inf = open(stdin, 'rb')
        else:
            inf = subprocess.DEVNULL
        full_env = dict(os.environ)
        full_env.pop('TZ', None)
        full_env['TZ'] = 'UTC'
        if env:
            full_env.update(env)
            for k, v in env.items():
                if v is None:
                    full_env.pop(k)
        result = os.path.join(TMP, 'run-result')
        if os.path.exists(result):
            os.remove(result)
        full_env['FA_HOSTILE_RESULT'] = result
        cmd = [sys.executable, '-c', LAUNCHER] + list(prefix) + \
            [exe or EXE] + list(args)
        t = time.monotonic()
        p = subprocess.Popen(cmd, stdin=inf, stdout=o, stderr=e,
                             env=full_env, start_new_session=True)
        timer = threading.Timer(timeout, kill_group, (p.pid,))
        timer.start()
        p.wait()
        r.hung = not timer.is_alive()
        timer.cancel()
        r.secs = time.monotonic() - t
        try:
            with open(result) as f:
                rc, rss = f.read().split()
            r.rc, r.rss_kb = int(rc), int(rss)
        except (OSError, ValueError):
            r.rc = -signal.SIGKILL if r.hung else None
        if inf is not subprocess.DEVNULL:
            inf.close()
        o.seek(0)
        e.seek(0)
        r.out = o.read()
        r.err = e.read()
    name = ' '.join(str(a) for a in args)[:160]
    if check(not r.hung, f'{name}: finished within {timeout} s'):
        check(r.rc is not None and r.rc >= 0,
              f'{name}: not killed by a signal (exit {r.rc}): '
              f'{r.errtext()}')
    sanitizer = re.search(rb'ERROR: \w+Sanitizer|runtime error:', r.err)
    check(sanitizer is None, f'{name}: no sanitizer report: '
                             f'{r.err[-3000:].decode("utf-8", "replace")}')
    return r


def utf8(data, what):
    try:
        return data.decode('utf-8')
    except UnicodeDecodeError as x:
        check(False, f'{what}: output is not valid UTF-8: {x}')
        return None


def parse(paths, *opts, **kw):
    """ftpaudit parse; returns (Run, events or None)."""
    r = run(['parse'] + list(opts) + list(paths), **kw)
    if r.hung:
        return r, None
    text = utf8(r.out, 'parse')
    events = None
    if text is not None:
        events = []
        for k, line in enumerate(text.splitlines()):
            try:
                ev = json.loads(line)
            except ValueError as x:
                check(False, f'parse: NDJSON line {k + 1} is not JSON: {x}: '
                             f'{line[:200]!r}')
                return r, None
            if not isinstance(ev, dict):
                check(False, f'parse: line {k + 1} is not an object')
                return r, None
            events.append(ev)
        check(text == '' or text.endswith('\n'),
              'parse: output ends with a newline')
    utf8(r.err, 'parse stderr')
    return r, events


def scan(paths, *opts, fmt='json', **kw):
    """ftpaudit scan; returns (Run, document or text).  JSON is checked
    for validity and UTF-8, the others for UTF-8."""
    opts = list(opts)
    if not any(o.startswith('--geoip') or o == '--no-geoip' for o in opts):
        opts.append('--no-geoip')
    r = run(['scan', '--format', fmt] + opts + list(paths), **kw)
    if r.hung:
        return r, None
    text = utf8(r.out, f'scan --format {fmt}')
    utf8(r.err, f'scan --format {fmt} stderr')
    if text is None:
        return r, None
    if fmt == 'json':
        if r.rc == 2 and text == '':
            return r, None
        try:
            doc = json.loads(text)
        except ValueError as x:
            check(False, f'scan json: not JSON: {x}')
            return r, None
        check(isinstance(doc, dict) and 'inputs' in doc,
              'scan json: a report object with inputs')
        return r, doc
    if fmt in ('ndjson', 'ocsf'):
        for k, line in enumerate(text.splitlines()):
            try:
                json.loads(line)
            except ValueError as x:
                check(False, f'scan {fmt}: line {k + 1} is not JSON: {x}')
                return r, None
    return r, text


def ok_status(r, what, want=(0, 1)):
    return check(r.rc in want, f'{what}: exit {r.rc}, want {want}: '
                               f'{r.errtext()}')


def entry(doc, path):
    """The report's inputs[] entry for path (as text, U+FFFD for bytes
    that are not UTF-8)."""
    if doc is None:
        return None
    want = text_of(path)
    for i in doc.get('inputs', []):
        if i.get('path') == want:
            return i
    return None


def counts(doc, path, **want):
    e = entry(doc, path)
    if not check(e is not None, f'inputs has {text_of(path)!r}: '
                 f'{[i.get("path") for i in (doc or {}).get("inputs", [])]}'):
        return None
    got = {k: e.get(k) for k in want}
    check(got == want, f'{os.path.basename(text_of(path))}: counts {got}, '
                       f'want {want}')
    return e


def text_of(s):
    if isinstance(s, bytes):
        return s.decode('utf-8', 'replace')
    return s


def same_text(got, raw):
    """got (from JSON) equals raw bytes decoded with U+FFFD for invalid
    bytes.  Whether one U+FFFD stands for each bad byte or for each
    maximal bad sequence is the writer's choice: runs are compared as
    one."""
    if got is None:
        return False
    want = raw.decode('utf-8', 'replace') if isinstance(raw, bytes) else raw
    return re.sub('\ufffd+', '\ufffd', got) == re.sub('\ufffd+', '\ufffd',
                                                       want)


def nlines(data):
    """Lines the reader counts in data: one per newline, plus an
    unterminated last one."""
    return data.count(b'\n') + (1 if data and not data.endswith(b'\n')
                                else 0)


def stamp(t):
    g = time.gmtime(t)
    return (time.strftime('%a %b ', g) + '%2d' % g.tm_mday +
            time.strftime(' %H:%M:%S %Y', g)).encode()


def vs(t, body):
    """A vsftpd log line (bytes, no newline)."""
    if isinstance(body, str):
        body = body.encode()
    return stamp(t) + b' ' + body


T0 = 1775206800  # Fri 2026-04-03 09:00:00 UTC


def good(n, tag='g', t0=T0, pid0=1000):
    """n distinct successful logins: (user, line)."""
    out = []
    for i in range(n):
        user = f'{tag}{i}'
        out.append((user, vs(t0 + i, f'[pid {pid0 + i}] [{user}] OK LOGIN: '
                                     f'Client "192.0.2.{i % 250 + 1}"')))
    return out


def write(path, data):
    with open(path, 'wb') as f:
        f.write(data)
    return path


def mkdir(*parts):
    d = os.path.join(TMP, *parts)
    os.makedirs(d, exist_ok=True)
    return d


def expect_events(events, path, want, what):
    """want: {line number: user}; each must be an event of that file."""
    if events is None:
        check(False, f'{what}: no events to look at')
        return
    got = {}
    for ev in events:
        if ev.get('log', {}).get('file', {}).get('path') == text_of(path):
            got.setdefault(ev['log']['file']['line'], []).append(
                ev.get('user', {}).get('name'))
    missing = [(n, u) for n, u in sorted(want.items())
               if u not in got.get(n, [])]
    check(not missing, f'{what}: events of the valid lines all there '
                       f'(missing {missing[:5]})')


# --------------------------------------------------------------------------
# Cases


def case_garbage_alone():
    """Random bytes in a .log: no supported format, nothing read, exit 2;
    the same bytes gzipped, and a program binary, the same."""
    d = mkdir('garbage')
    data = random.Random(1).randbytes(4000)
    if data[:2] == b'\x1f\x8b':
        data = b'x' + data
    g = write(os.path.join(d, 'garbage.log'), data)
    r, events = parse([g])
    check(r.rc == 2, f'parse of garbage alone exits 2 (got {r.rc})')
    check(events == [], 'parse of garbage alone writes no event')
    check(b'no supported log format' in r.err and
          b'no input could be read' in r.err,
          f'parse says why: {r.errtext()}')
    r, doc = scan([g])
    check(r.rc == 2, f'scan of garbage alone exits 2 (got {r.rc})')
    counts(doc, g, status='unknown-format', format=None, events=0,
           lines=nlines(data), bytes=len(data))

    gz = write(os.path.join(d, 'garbage.log.gz'), gzip.compress(data))
    r, doc = scan([gz])
    check(r.rc == 2, f'scan of gzipped garbage exits 2 (got {r.rc})')
    counts(doc, gz, status='unknown-format', gzip=True, events=0)

    binary = os.path.join(d, 'ftpaudit.log')
    shutil.copy(EXE, binary)
    r, events = parse([binary])
    check(r.rc == 2 and events == [], f'a program binary as a log: exit '
                                      f'{r.rc}, no events')
    r, doc = scan([binary])
    check(r.rc == 2, f'scan of a binary exits 2 (got {r.rc})')
    counts(doc, binary, status='unknown-format', events=0)


def garbage_line(rnd):
    """Random bytes without a newline, never blank."""
    while True:
        n = rnd.randint(1, 300)
        b = bytes(c for c in rnd.randbytes(n) if c != 0x0a)
        if b.strip(b' \t\r'):
            return b


def case_garbage_mixed():
    """Binary garbage between and after valid vsftpd lines: each garbage
    line is one malformed line, every valid line keeps its event."""
    d = mkdir('mixed')
    rnd = random.Random(2)
    g = good(20)
    lines, want = [], {}
    for k, (user, line) in enumerate(g):
        lines.append(line)
        want[len(lines)] = user
        if k == 9:
            lines += [garbage_line(rnd) for _ in range(15)]
    lines += [garbage_line(rnd) for _ in range(15)]
    data = b'\n'.join(lines)          # the last garbage line is unterminated
    path = write(os.path.join(d, 'vsftpd.log'), data)
    r, events = parse([path])
    ok_status(r, 'parse good+garbage', (0,))
    check(events is not None and len(events) == 20,
          f'20 events (got {None if events is None else len(events)})')
    expect_events(events, path, want, 'good+garbage')
    r, doc = scan([path])
    ok_status(r, 'scan good+garbage')
    counts(doc, path, status='read', format='vsftpd', lines=50, events=20,
           skipped=0, malformed=30, bytes=len(data))
    if doc:
        check(doc['totals']['logins'] == 20,
              f"20 logins in totals ({doc['totals']})")
        ex = entry(doc, path) or {}
        check(len(ex.get('malformed_examples', [])) > 0 and
              all(x['line'] not in want for x in ex['malformed_examples']),
              'malformed examples name garbage lines only')


def case_nul_bytes():
    """NUL bytes inside lines: lines stay whole (NUL is data), the JSON
    carries \\u0000, the valid lines around give their events."""
    d = mkdir('nul')
    body = [
        vs(T0, '[pid 1] [alice] OK LOGIN: Client "192.0.2.1"'),
        b'\x00\x00\x00',
        vs(T0 + 2, b'[pid 2] [nul\x00user] FAIL LOGIN: Client "192.0.2.2"'),
        vs(T0 + 3, b'[pid 2] [nul\x00other] FAIL LOGIN: Client "192.0.2.2"'),
        vs(T0 + 4, b'[pid 3] [carol] OK UPLOAD: Client "192.0.2.3", '
                   b'"/www/a\x00b.html", 5 bytes, 1.00Kbyte/sec'),
        vs(T0 + 5, b'[pid\x00 4] [dave] OK LOGIN: Client "192.0.2.4"'),
        b'\x00' + vs(T0 + 6, '[pid 5] [erin] OK LOGIN: Client "192.0.2.5"'),
        vs(T0 + 7, '[pid 6] [frank] OK LOGIN: Client "192.0.2.6"'),
    ]
    data = b'\n'.join(body) + b'\n'
    path = write(os.path.join(d, 'vsftpd.log'), data)
    r, events = parse([path])
    ok_status(r, 'parse NUL lines', (0,))
    expect_events(events, path, {1: 'alice', 3: 'nul\x00user',
                                 4: 'nul\x00other', 5: 'carol', 8: 'frank'},
                  'NUL lines')
    if events is not None:
        up = [e for e in events if e['event']['action'] == 'upload']
        check(len(up) == 1 and up[0].get('file', {}).get('path') ==
              '/www/a\x00b.html', f'NUL in a file name kept: {up}')
        check(not any(e.get('user', {}).get('name') in ('nul', 'dave')
                      for e in events), 'no name cut at a NUL')
    r, doc = scan([path])
    ok_status(r, 'scan NUL lines')
    counts(doc, path, lines=8, events=5, skipped=0, malformed=3)
    if doc:
        # Whole, with the NUL as \u0000 or (as detect.c writes file names
        # in findings) U+FFFD.
        users = sorted(a['user'].replace('\ufffd', '\x00')
                       for a in doc['accounts'])
        check('nul\x00user' in users and 'nul\x00other' in users,
              f'account names are not cut at a NUL (two different '
              f'accounts, not two called "nul"; analysis/detect.c '
              f'fa_detect_add_account copies them with xstrndup): {users}')
    for fmt in ('html', 'text'):
        r, text = scan([path], fmt=fmt)
        ok_status(r, f'scan --format {fmt} NUL lines')
        check(text is not None and '\x00' not in text,
              f'no raw NUL in the {fmt} report')


def valid_upload(t, path_bytes):
    return vs(t, b'[pid 7] [bob] OK UPLOAD: Client "192.0.2.2", "' +
              path_bytes + b'", 5 bytes, 1.00Kbyte/sec')


def case_long_line():
    """A 10 MB line between valid lines (plain, gzip, standard input), a
    line of exactly 64 KiB (read) and one byte more (cut, malformed), an
    unterminated 10 MB last line, and a 10 MB first line (detection still
    works)."""
    d = mkdir('long')
    limit = 64 * 1024
    frame = len(valid_upload(T0 + 3, b''))   # the line around the path
    exact = valid_upload(T0 + 3, b'/' + b'E' * (limit - frame - 1))
    check(len(exact) == limit, f'fixture: exact line is {len(exact)} bytes')
    over = valid_upload(T0 + 4, b'/' + b'O' * (limit - frame))
    check(len(over) == limit + 1, f'fixture: long line is {len(over)} bytes')
    body = [
        vs(T0, '[pid 1] [alice] OK LOGIN: Client "192.0.2.1"'),
        valid_upload(T0 + 1, b'/' + b'A' * (10 * 1024 * 1024)),
        vs(T0 + 2, '[pid 2] [carol] OK LOGIN: Client "192.0.2.3"'),
        exact,
        over,
        vs(T0 + 5, '[pid 3] [dave] OK LOGIN: Client "192.0.2.4"'),
        b'z' * (10 * 1024 * 1024),
    ]
    data = b'\n'.join(body)
    want = {1: 'alice', 3: 'carol', 4: 'bob', 6: 'dave'}
    plain = write(os.path.join(d, 'vsftpd.log'), data)
    gz = write(os.path.join(d, 'other.log.gz'), gzip.compress(data, 1))
    for path, stdin in ((plain, None), (gz, None), ('-', plain)):
        what = 'stdin' if stdin else os.path.basename(path)
        r, events = parse([path], stdin=stdin)
        ok_status(r, f'parse {what}', (0,))
        check(r.rss_kb < RSS_LIMIT_KB, f'parse {what}: peak RSS '
                                       f'{r.rss_kb} KiB')
        expect_events(events, path, want, f'long lines ({what})')
        if events is not None:
            up = [e for e in events if e['event']['action'] == 'upload']
            check(len(up) == 1 and len(up[0]['file']['path']) ==
                  limit - frame,
                  f'{what}: the 64 KiB line is read whole')
        r, doc = scan([path], stdin=stdin)
        ok_status(r, f'scan {what}')
        counts(doc, path, lines=7, events=4, skipped=0, malformed=3,
               bytes=len(data))
        ex = (entry(doc, path) or {}).get('malformed_examples', [])
        check([x['line'] for x in ex] == [2, 5, 7] and
              all(len(x['text']) <= 1024 for x in ex),
              f'{what}: examples are the cut lines, shortened: '
              f'{[(x["line"], len(x["text"])) for x in ex]}')

    first = b'\n'.join([b'Q' * (10 * 1024 * 1024)] +
                       [line for _, line in good(3)]) + b'\n'
    path = write(os.path.join(d, 'first.log'), first)
    r, doc = scan([path])
    ok_status(r, 'scan with a 10 MB first line')
    counts(doc, path, format='vsftpd', lines=4, events=3, malformed=1)

    # Nothing but one 10 MB line: not a log, but not empty either.
    path = write(os.path.join(d, 'only.log'), b'Q' * (10 * 1024 * 1024))
    r, doc = scan([path])
    e = entry(doc, path) or {}
    check(r.rc == 2 and e.get('status') == 'unknown-format' and
          e.get('lines') == 1,
          f'a file of one 10 MB line is no supported format, not empty '
          f'(parsers/input.c open_next_file: a sample of cut lines only '
          f'is taken for blank): exit {r.rc}, {e}')

    # The same 64 KiB record with CRLF: the CR is no part of the line.
    path = write(os.path.join(d, 'crlf.log'), exact + b'\r\n' +
                 good(1)[0][1] + b'\r\n')
    r, doc = scan([path])
    ok_status(r, 'scan a 64 KiB CRLF line')
    e = entry(doc, path) or {}
    check((e.get('lines'), e.get('events'), e.get('malformed')) == (2, 2, 0),
          f'a 64 KiB record ending in CRLF is read like the same with LF '
          f'(parsers/reader.c fa_reader_next measures the line with its '
          f'CR): {e}')


def case_crlf():
    """CRLF line ends: the CR is not part of any field; a CR inside a
    file name stays; a blank CRLF line is skipped; the last line may end
    in a lone CR.  Plain, gzip and xferlog."""
    d = mkdir('crlf')
    body = [line for _, line in good(5)]
    body.append(vs(T0 + 10, '[pid 9] [u9] OK UPLOAD: Client "192.0.2.9", '
                            '"/www/a.html", 5 bytes, 1.00Kbyte/sec'))
    body.append(vs(T0 + 11, b'[pid 9] [u9] OK UPLOAD: Client "192.0.2.9", '
                            b'"/www/b\rc.html", 5 bytes, 1.00Kbyte/sec'))
    body.append(b'')
    data = b''.join(line + b'\r\n' for line in body) + vs(
        T0 + 12, '[pid 10] [u10] OK LOGIN: Client "192.0.2.10"\r')
    plain = write(os.path.join(d, 'vsftpd.log'), data)
    gz = write(os.path.join(d, 'other.log.gz'), gzip.compress(data))
    for path in (plain, gz):
        what = os.path.basename(path)
        r, events = parse([path])
        ok_status(r, f'parse {what}', (0,))
        want = {i + 1: f'g{i}' for i in range(5)}
        want.update({6: 'u9', 7: 'u9', 9: 'u10'})
        expect_events(events, path, want, f'CRLF {what}')
        if events is not None:
            check(not any(e['event']['original'].endswith('\r') or
                          '\r' in e.get('user', {}).get('name', '') or
                          '\r' in e.get('source', {}).get('ip', '')
                          for e in events), f'{what}: no CR left in fields')
            paths = [e['file']['path'] for e in events if 'file' in e]
            check(paths == ['/www/a.html', '/www/b\rc.html'],
                  f'{what}: file names {paths}')
        r, doc = scan([path])
        ok_status(r, f'scan {what}')
        counts(doc, path, lines=9, events=8, skipped=1, malformed=0,
               bytes=len(data))
    xf = write(os.path.join(d, 'xferlog'),
               b'Fri Dec 11 10:22:44 2026 0 192.0.2.1 100 /www/a.html b _ '
               b'i r kim ftp 0 * c\r\nFri Dec 11 10:22:45 2026 0 192.0.2.1 '
               b'200 /www/b.html b _ o r kim ftp 0 * c\r\n')
    r, events = parse([xf])
    ok_status(r, 'parse CRLF xferlog', (0,))
    check(events is not None and
          [(e['user']['name'], e['file']['path'], e['event']['outcome'])
           for e in events] == [('kim', '/www/a.html', 'success'),
                                ('kim', '/www/b.html', 'success')],
          f'CRLF xferlog read: {events}')


# Names that must come through every writer intact (JSON) or escaped (HTML,
# text).  The account names have no space or control byte: vsftpd refuses
# a login for those (parsers/vsftpd.c), so they cannot open a session.
HOSTILE_USER = b'</script><img/src=x/onerror=alert(1)>"\\\xff\xfe'
HOSTILE_FILES = [
    b'/www/<img src=x onerror=alert(1)>.php',
    b'/www/</script><script>alert(2)</script>.html',
    b'/www/q"uo\\te\'s.html',
    b'/www/bad\xff\xfe\xc0\xafutf8.html',
    b'/www/ctl\x01\x1b[31mred\x7f.html',
    b'/www/bidi\xe2\x80\xaelmth.html',
    b'/www/c1\xc2\x9b31m.html',
]
FAILED_USERS = [b'esc\x1b]0;pwned\x07', b'ctl\x01\x08\x7f', b'tab\tuser',
                b'{"json":1}', b'&amp;<b>bold</b>']


def gumblar(user, files, attacker='203.0.113.9', home='198.51.100.10',
            days=8, t0=T0):
    """vsftpd lines: a week of the owner's daily sessions from home, then
    a night session from attacker that downloads each file and uploads it
    back larger within seconds."""
    out = []
    pid = 100
    for day in range(days):
        t = t0 + day * 86400
        out.append((t, b'[pid %d] CONNECT: Client "%s"' %
                    (pid, home.encode())))
        out.append((t + 1, b'[pid %d] [%s] OK LOGIN: Client "%s"' %
                    (pid, user, home.encode())))
        out.append((t + 30, b'[pid %d] [%s] OK UPLOAD: Client "%s", '
                            b'"/www/news.html", 1000 bytes, 9.00Kbyte/sec' %
                    (pid + 1, user, home.encode())))
        pid += 3
    t = t0 + days * 86400 + 18 * 3600
    a = attacker.encode()
    out.append((t, b'[pid 9] [%s] OK LOGIN: Client "%s"' % (user, a)))
    for k, f in enumerate(files):
        out.append((t + 2 + k, b'[pid 9] [%s] OK DOWNLOAD: Client "%s", "%s",'
                               b' 1000 bytes, 1.00Kbyte/sec' % (user, a, f)))
        out.append((t + 4 + k, b'[pid 9] [%s] OK UPLOAD: Client "%s", "%s", '
                               b'1100 bytes, 1.00Kbyte/sec' % (user, a, f)))
    out.sort(key=lambda x: x[0])
    return [vs(t, b) for t, b in out]


class Tags(html.parser.HTMLParser):
    """Collects tags, attributes and text of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.attrs = []
        self.text = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [a for a, _ in attrs]

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        self.text.append(data)


def no_controls(text, what, allow='\n'):
    bad = sorted({'%02x' % ord(c) for c in text
                  if (ord(c) < 0x20 and c not in allow) or ord(c) == 0x7f or
                  0x80 <= ord(c) < 0xa0 or c in '\u202a\u202b\u202c\u202d'
                  '\u202e\u2066\u2067\u2068\u2069'})
    check(not bad, f'{what}: no raw control or bidi characters (found {bad})')


def case_names():
    """Invalid UTF-8, control and bidi characters and JSON/HTML
    metacharacters in user names, file names and the log's own file name:
    JSON round-trips them (U+FFFD for invalid bytes), HTML escapes them,
    text and the stderr summary never pass a control character."""
    d = mkdir('names')
    log = os.path.join(d.encode(), b'x"<img src=x onerror=alert(3)>\xff'
                                   b'\x1b[1m.log')
    lines = gumblar(HOSTILE_USER, HOSTILE_FILES)
    t = T0 + 20 * 86400
    for k, u in enumerate(FAILED_USERS):
        lines.append(vs(t + k, b'[pid 77] [%s] FAIL LOGIN: Client '
                               b'"192.0.2.77"' % u))
    data = b'\n'.join(lines) + b'\n'
    write(log, data)
    r, events = parse([log])
    ok_status(r, 'parse hostile names', (0,))
    if events is not None:
        check(len(events) == len(lines), f'{len(events)} events of '
                                         f'{len(lines)} lines')
        got_files = {e['file']['path'] for e in events if 'file' in e}
        for f in HOSTILE_FILES:
            check(any(same_text(g, f) for g in got_files),
                  f'parse keeps file name {f!r}')
        got_users = {e.get('user', {}).get('name') for e in events}
        for u in [HOSTILE_USER] + FAILED_USERS:
            check(any(same_text(g, u) for g in got_users),
                  f'parse keeps user name {u!r}')
        check(all(same_text(e['log']['file']['path'], log) for e in events),
              'log.file.path is the file name with U+FFFD')
    no_controls(r.err.decode('utf-8', 'replace'), 'parse stderr summary')

    r, doc = scan([log])
    ok_status(r, 'scan hostile names')
    counts(doc, log, lines=len(lines), events=len(lines), malformed=0)
    if doc:
        top = [f for f in doc['findings'] if f['severity'] in
               ('high', 'critical')]
        if check(len(top) == 1 and same_text(top[0]['user'], HOSTILE_USER),
                 f'one high finding for the hostile user: '
                 f'{[(f["user"], f["severity"]) for f in doc["findings"]]}'):
            f = top[0]
            check(f['source']['ip'] == '203.0.113.9', 'attacker address')
            for raw in HOSTILE_FILES:
                check(any(same_text(g, raw) for g in f['files']),
                      f'finding lists {raw!r}')
            check(len(f['files']) == len(HOSTILE_FILES),
                  f"no other file to restore: {f['files']}")
            check(all(same_text(e['file'], log) for e in f['evidence']),
                  'evidence names the log file (U+FFFD for its bad byte)')
        users = [a['user'] for a in doc['accounts']]
        for u in FAILED_USERS:
            check(any(same_text(g, u) for g in users),
                  f'account {u!r} listed as it is')

    r, page = scan([log], fmt='html')
    ok_status(r, 'scan --format html hostile names')
    if page is not None:
        p = Tags()
        p.feed(page)
        p.close()
        check(not {'script', 'img', 'iframe', 'object', 'embed'} &
              set(p.tags), f'no injected element: {sorted(set(p.tags))}')
        check(not [a for a in p.attrs if a.startswith('on')],
              'no event-handler attribute')
        text = ''.join(p.text)
        check('<img src=x onerror=alert(1)>.php' in text and
              '</script><script>alert(2)</script>' in text and
              '</script><img/src=x/onerror=alert(1)>"\\' in text,
              'the hostile names are shown as text')
        no_controls(page, 'html report', allow='\n\t')
    for fmt in ('text', 'ndjson', 'ocsf'):
        r, out = scan([log], fmt=fmt)
        ok_status(r, f'scan --format {fmt} hostile names')
        if out is not None:
            if fmt == 'text':
                no_controls(out, 'text report')
                check('onerror=alert(1)>.php' in out,
                      'text report names the files')
            else:
                check(any('onerror=alert(1)' in line
                          for line in out.splitlines()),
                      f'{fmt} alert names the account')
        no_controls(r.err.decode('utf-8', 'replace'),
                    f'scan --format {fmt} stderr summary')


def case_forged():
    """Forged records inside client text: a vsftpd user name holding a
    whole login record, a file name holding ', 999 bytes, ...': one event
    per line, the real one; no login of admin.  An xferlog anonymous
    password holding the fixed fields: the event carries the
    'ambiguous' note (docs/parsers/xferlog.md)."""
    d = mkdir('forged')
    body = [
        b'[pid 1] [x] [admin] OK LOGIN: Client "1.2.3.4"] FAIL LOGIN: '
        b'Client "203.0.113.5"',
        b'[pid 1] [x] [admin] OK LOGIN: Client "1.2.3.4"] OK LOGIN: '
        b'Client "203.0.113.5"',
        b'[pid 2] [x] [admin] OK LOGIN: Client "1.2.3.4"] CONNECT: '
        b'Client "203.0.113.5"',
        b'[pid 3] [ivan] OK UPLOAD: Client "203.0.113.5", "/www/a.html", '
        b'999 bytes, 1.00Kbyte/sec", 5 bytes, 2.00Kbyte/sec',
        b'[pid 3] [ivan] OK DOWNLOAD: Client "203.0.113.5", "/www/c.html", '
        b'7 bytes, 1.00Kbyte/sec"] [admin] OK LOGIN: Client "1.2.3.4", '
        b'8 bytes, 3.00Kbyte/sec',
        b'[pid 3] [ivan] OK MKDIR: Client "203.0.113.5", "/www/Fri Apr  3 '
        b'19:20:23 2026 [pid 1] [admin] OK LOGIN: Client "1.2.3.4""',
        b'[pid 3] [ivan] FAIL LOGIN: Client "203.0.113.5", "x"] [admin] OK '
        b'LOGIN: Client "1.2.3.4"',
        b'[pid 4] [ivan] OK LOGIN: Client "203.0.113.5"',
    ]
    data = b'\n'.join(vs(T0 + k, b) for k, b in enumerate(body)) + b'\n'
    path = write(os.path.join(d, 'vsftpd.log'), data)
    r, events = parse([path])
    ok_status(r, 'parse forged lines', (0,))
    if events is not None:
        per_line = {}
        for e in events:
            per_line.setdefault(e['log']['file']['line'], []).append(e)
        check(all(len(v) == 1 for v in per_line.values()),
              'never two events from one line')
        check(not any(e.get('user', {}).get('name') in ('admin', 'x') or
                      e.get('source', {}).get('ip') == '1.2.3.4'
                      for e in events), 'no event of admin or 1.2.3.4')
        e1 = per_line.get(1, [{}])[0]
        check(e1.get('event', {}).get('outcome') == 'failure' and
              e1.get('user', {}).get('name') ==
              'x] [admin] OK LOGIN: Client "1.2.3.4"' and
              e1.get('source', {}).get('ip') == '203.0.113.5',
              f'line 1 is the failed login of the long name: {e1}')
        e4 = per_line.get(4, [{}])[0]
        check(e4.get('file') == {'path': '/www/a.html", 999 bytes, '
                                         '1.00Kbyte/sec', 'size': 5},
              f'line 4: the forged size stays in the file name: '
              f'{e4.get("file")}')
        e5 = per_line.get(5, [{}])[0]
        check(e5.get('file', {}).get('size') == 8 and
              e5.get('user', {}).get('name') == 'ivan',
              f'line 5: the real tail counts: {e5.get("file")}')
        check(8 in per_line and
              per_line[8][0]['event']['action'] == 'login',
              'the valid login after the forged lines is there')
    r, doc = scan([path])
    ok_status(r, 'scan forged lines')
    if doc:
        users = {a['user'] for a in doc['accounts']}
        check('admin' not in users and 'x' not in users,
              f'no account admin or x: {users}')
        check(doc['totals']['logins'] == 1,
              f"one successful login in totals: {doc['totals']}")
        e = entry(doc, path) or {}
        check(e.get('lines') == len(body) and
              e.get('events', 0) + e.get('malformed', 0) +
              e.get('skipped', 0) == len(body),
              f'every line is an event, skipped or malformed: {e}')

    # The same trick in the other formats whose lines carry client text.
    others = {
        'auth.log': (b'Apr  3 19:00:00 gw sshd[700]: Server listening on '
                     b'0.0.0.0 port 22.\n'
                     b'Apr  3 19:00:01 gw sshd[701]: Invalid user x from '
                     b'1.2.3.4 port 22 from 203.0.113.5 port 5050\n'
                     b'Apr  3 19:00:02 gw sshd[701]: Failed password for '
                     b'invalid user admin from 1.2.3.4 port 22 ssh2 from '
                     b'203.0.113.5 port 5050 ssh2\n'
                     b'Apr  3 19:00:03 gw sshd[703]: Accepted password for '
                     b'kim from 192.0.2.55 port 5055 ssh2\n', 'kim'),
        'pure-ftpd.log': (b'Apr  3 19:00:00 ftp1 pure-ftpd: (?@203.0.113.5) '
                          b'[INFO] New connection from 203.0.113.5\n'
                          b'Apr  3 19:00:01 ftp1 pure-ftpd: (?@203.0.113.5) '
                          b'[WARNING] Authentication failed for user '
                          b'[admin@1.2.3.4) [INFO] admin is now logged in]\n'
                          b'Apr  3 19:00:03 ftp1 pure-ftpd: (?@192.0.2.55) '
                          b'[INFO] kim is now logged in\n', 'kim'),
        'proftpd.log': (b'2026-03-14 09:15:40,503 ftp1 proftpd[4421] '
                        b'ftp.example.org (203.0.113.5[203.0.113.5]): FTP '
                        b'session opened.\n'
                        b'2026-03-14 09:15:41,611 ftp1 proftpd[4421] '
                        b'ftp.example.org (203.0.113.5[203.0.113.5]): USER '
                        b'x (1.2.3.4[1.2.3.4]): USER admin: Login '
                        b'successful.: no such user found from 203.0.113.5 '
                        b'[203.0.113.5] to 192.0.2.1:21\n'
                        b'2026-03-14 09:15:42,611 ftp1 proftpd[4422] '
                        b'ftp.example.org (192.0.2.55[192.0.2.55]): USER kim:'
                        b' Login successful.\n', 'kim'),
    }
    for name, (data, owner) in others.items():
        path = write(os.path.join(d, name), data)
        r, events = parse([path])
        ok_status(r, f'parse forged {name}', (0,))
        if events is None:
            continue
        ok = [e for e in events if e['event']['action'] == 'login' and
              e['event']['outcome'] == 'success']
        check([e['user']['name'] for e in ok] == [owner],
              f'{name}: the one real login only: '
              f'{[(e["user"]["name"], e.get("source")) for e in ok]}')
        check(not any(e.get('source', {}).get('ip') == '1.2.3.4'
                      for e in events), f'{name}: nothing from 1.2.3.4')
        nums = [e['log']['file']['line'] for e in events]
        check(len(nums) == len(set(nums)), f'{name}: one event per line')

    xf = write(os.path.join(d, 'xferlog'),
               b'Fri Dec 11 10:22:44 2026 1 203.0.113.148 7 /pub/f b _ o a '
               b'x ftp 0 * c b _ i r root ftp 0 * c\n')
    r, events = parse([xf])
    ok_status(r, 'parse forged xferlog', (0,))
    check(events is not None and len(events) == 1 and
          'ambiguous' in events[0].get('ftpaudit', {}).get('detail', ''),
          f'the ambiguous xferlog line says so: {events}')


def gz_decode_bytewise(data):
    """What zlib inflates from data before it stops (fed one byte at a
    time, so an error loses nothing decoded before it), and the error."""
    d = zlib.decompressobj(16 + 15)
    out = []
    for i in range(len(data)):
        try:
            out.append(d.decompress(data[i:i + 1]))
        except zlib.error as x:
            return b''.join(out), str(x)
        if d.eof:
            break
    return b''.join(out), None if d.eof else 'truncated'


def expect_gz(path, orig, zdata, word):
    """The file's counts follow from what zlib can decode; every complete
    line that matches the original is an event; message has word."""
    dec, _ = gz_decode_bytewise(zdata)
    lines = nlines(dec)
    same = 0
    while same < min(len(dec), len(orig)) and dec[same] == orig[same]:
        same += 1
    intact = orig[:same].count(b'\n')
    r, events = parse([path])
    ok_status(r, f'parse {os.path.basename(path)}', (0,))
    if events is not None:
        nums = {e['log']['file']['line'] for e in events}
        check(all(n in nums for n in range(1, intact + 1)),
              f'{os.path.basename(path)}: the {intact} intact lines before '
              f'the damage are all events')
        origs = set(orig.decode().splitlines())
        # zlib finds damage inside a member only at its check sum, so lines
        # inflated just before the error may be garbled; ftpaudit cannot
        # take them back, but its warning must say so.
        damaged = [e for e in events if e['event']['original'] not in origs]
        warned = b'may be damaged' in (r.err or b'')
        check(not damaged or warned,
              f'{os.path.basename(path)}: damaged text ({len(damaged)} '
              f'events) comes with a warning that says so')
    r, doc = scan([path])
    ok_status(r, f'scan {os.path.basename(path)}')
    # An inflater may keep back the last byte or so of a stream cut short
    # (ISA-L keeps one at most, zlib none): the bytes read may fall short
    # of zlib's by a few, the lines are those of the bytes read, and the
    # intact lines are all events (checked above).
    got = (entry(doc, path) or {}).get('bytes')
    if isinstance(got, int) and len(dec) - 8 <= got <= len(dec):
        lines = nlines(dec[:got])
        dec = dec[:got]
    e = counts(doc, path, status='read', gzip=True, lines=lines,
               bytes=len(dec))
    if e:
        check(e['events'] + e['malformed'] + e['skipped'] == lines and
              e['events'] >= intact, f'counts add up: {e}')
        check(word in e.get('message', ''),
              f'message says {word!r}: {e.get("message")}')


def big_log(n, seed):
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        user = f'u{rnd.randint(0, 60)}'
        out.append(vs(T0 + i, f'[pid {1000 + i}] [{user}] OK LOGIN: Client '
                              f'"192.0.2.{rnd.randint(1, 250)}"'))
    return b'\n'.join(out) + b'\n'


def case_gzip_truncated():
    """A .gz cut short keeps what was read and says so; a .gz cut inside
    its header, alone, has nothing that could be read (exit 2)."""
    d = mkdir('gztrunc')
    orig = big_log(20000, 3)
    z = gzip.compress(orig)
    for frac in (0.5, 0.9):
        cut = z[:int(len(z) * frac)]
        path = write(os.path.join(d, f'cut{int(frac * 100)}.log.gz'), cut)
        expect_gz(path, orig, cut, 'truncated')
    head = write(os.path.join(d, 'header.log.gz'), z[:6])
    r, doc = scan([head])
    e = entry(doc, head) or {}
    check('truncated' in e.get('message', ''),
          f'header-only gzip says truncated: {e}')
    check(r.rc == 2 and e.get('status') != 'read',
          f'a gzip file cut inside its header, alone: nothing could be '
          f'read, exit 2 (got {r.rc}, status {e.get("status")})')
    r, events = parse([head])
    check(r.rc == 2, f'parse of that file alone exits 2 (got {r.rc})')
    r, events = parse([head, write(os.path.join(d, 'ok.log'), orig[:2000])])
    ok_status(r, 'parse with one good file beside it', (0,))


def case_gzip_corrupt():
    """Bytes flipped in the middle of the deflate stream, in the header and
    in the trailer: what came before stays, the damage is named."""
    d = mkdir('gzcorrupt')
    orig = big_log(20000, 4)
    z = gzip.compress(orig)
    b = bytearray(z)
    for k in range(len(z) // 2, len(z) // 2 + 16):
        b[k] ^= 0xff
    path = write(os.path.join(d, 'mid.log.gz'), bytes(b))
    expect_gz(path, orig, bytes(b), 'corrupt')
    b = bytearray(z)
    b[-6] ^= 0x01                        # CRC-32 in the trailer
    path = write(os.path.join(d, 'crc.log.gz'), bytes(b))
    expect_gz(path, orig, bytes(b), 'corrupt')
    b = bytearray(z)
    b[3] = 0xe0                          # reserved header flags
    path = write(os.path.join(d, 'flags.log.gz'), bytes(b))
    r, doc = scan([path, write(os.path.join(d, 'ok.log'), orig[:2000])])
    ok_status(r, 'scan bad header + good file')
    e = entry(doc, path) or {}
    check(e.get('events') == 0 and 'corrupt' in e.get('message', ''),
          f'bad gzip header: no events, says corrupt: {e}')
    counts(doc, os.path.join(d, 'ok.log'), status='read',
           lines=nlines(orig[:2000]))


def case_gzip_bomb():
    """A .gz that expands 1000 times (100 MB), one that is 100 MB of one
    repeated valid line, and one of many valid 60 KB lines: counts exact,
    peak memory bounded."""
    d = mkdir('bomb')
    first = vs(T0, '[pid 1] [alice] OK LOGIN: Client "192.0.2.1"') + b'\n'
    last = vs(T0 + 1, '[pid 2] [bob] OK LOGIN: Client "192.0.2.2"') + b'\n'
    run_len = 100 * 1024 * 1024
    co = zlib.compressobj(9, zlib.DEFLATED, 16 + 15)
    z = co.compress(first)
    chunk = b'A' * (1024 * 1024)
    for _ in range(run_len // len(chunk)):
        z += co.compress(chunk)
    z += co.compress(b'\n' + last) + co.flush()
    path = write(os.path.join(d, 'run.log.gz'), z)
    total = len(first) + run_len + 1 + len(last)
    check(total / len(z) > 900, f'fixture: ratio {total / len(z):.0f}')
    r, events = parse([path])
    ok_status(r, 'parse 1000x gzip', (0,))
    check(r.rss_kb < RSS_LIMIT_KB, f'parse 1000x gzip: peak RSS '
                                   f'{r.rss_kb} KiB')
    check(events is not None and len(events) == 2, 'both valid lines read')
    r, doc = scan([path])
    ok_status(r, 'scan 1000x gzip')
    check(r.rss_kb < RSS_LIMIT_KB, f'scan 1000x gzip: peak RSS '
                                   f'{r.rss_kb} KiB')
    counts(doc, path, lines=3, events=2, malformed=1, bytes=total)

    line = vs(T0 + 5, '[pid 3] [carol] OK DOWNLOAD: Client "192.0.2.3", '
                      '"/www/index.html", 100 bytes, 1.00Kbyte/sec') + b'\n'
    n = (100 * 1024 * 1024) // len(line)
    co = zlib.compressobj(9, zlib.DEFLATED, 16 + 15)
    block = line * 10000
    parts = [co.compress(block) for _ in range(n // 10000)]
    parts.append(co.compress(line * (n % 10000)))
    parts.append(co.flush())
    path = write(os.path.join(d, 'repeat.log.gz'), b''.join(parts))
    r = run(['parse', '-q', '-o', os.devnull, path], timeout=300)
    print(f'  parse of 100 MB of one line: {r.secs:.1f} s, peak RSS '
          f'{r.rss_kb >> 10} MiB')
    ok_status(r, 'parse 100 MB of one line', (0,))
    check(r.rss_kb < RSS_LIMIT_KB, f'parse 100 MB of one line: peak RSS '
                                   f'{r.rss_kb} KiB')
    r, doc = scan([path], timeout=300)
    print(f'  scan of 100 MB of one line: {r.secs:.1f} s, peak RSS '
          f'{r.rss_kb >> 10} MiB')
    ok_status(r, 'scan 100 MB of one line')
    check(r.rss_kb < RSS_LIMIT_KB, f'scan 100 MB of one line: peak RSS '
                                   f'{r.rss_kb} KiB')
    counts(doc, path, lines=n, events=n, malformed=0, skipped=0,
           bytes=n * len(line))

    # Valid lines just under the 64 KiB cut, one session uploading the
    # same file again and again: every event carries a long path (and for
    # parse its original line too).  Memory must not grow with the events
    # a batch holds, nor with the times a session names one file.
    co = zlib.compressobj(9, zlib.DEFLATED, 16 + 15)
    parts, size = [], 0
    for i in range(4000):
        ln = valid_upload(T0 + i, b'/www/' + b'P' * 60000 + b'.html') + b'\n'
        size += len(ln)
        parts.append(co.compress(ln))
    parts.append(co.flush())
    path = write(os.path.join(d, 'wide.log.gz'), b''.join(parts))
    r = run(['parse', '-q', '-o', os.devnull, path], timeout=300)
    ok_status(r, 'parse 4000 lines of 60 KB', (0,))
    check(r.rss_kb < RSS_LIMIT_KB, f'parse 4000 valid 60 KB lines '
                                   f'({size >> 20} MB): peak RSS {r.rss_kb} '
                                   f'KiB (cmd/pipeline.c batches)')
    r, doc = scan([path], timeout=300)
    ok_status(r, 'scan 4000 lines of 60 KB')
    check(r.rss_kb < RSS_LIMIT_KB, f'scan 4000 uploads of one 60 KB file '
                                   f'name in one session: peak RSS '
                                   f'{r.rss_kb} KiB (analysis/detect.c '
                                   f'keeps a copy of the name per '
                                   f'operation)')
    counts(doc, path, lines=4000, events=4000, malformed=0)


def case_endless_session():
    """One login that never goes idle and uploads 30000 files with distinct
    4 KB names (117 MB of names, a tiny .gz): the session is judged in
    parts, so scan's memory stays far below the names' size; every event
    is counted and every part of the session is judged."""
    d = mkdir('endless')
    co = zlib.compressobj(6, zlib.DEFLATED, 16 + 15)
    parts = [co.compress(vs(T0, '[pid 7] [bob] OK LOGIN: Client "192.0.2.2"')
                         + b'\n')]
    n = 30000
    for i in range(n):
        name = b'/www/' + b'N' * 4000 + b'%06d.html' % i
        parts.append(co.compress(valid_upload(T0 + 1 + i, name) + b'\n'))
    parts.append(co.flush())
    path = write(os.path.join(d, 'endless.log.gz'), b''.join(parts))
    r, doc = scan([path], timeout=300)
    ok_status(r, 'scan one endless session')
    counts(doc, path, lines=n + 1, events=n + 1, malformed=0)
    # AddressSanitizer keeps freed blocks in quarantine (256 MB): the
    # memory bound is only seen without it.
    check(ASAN or r.rss_kb < 64 * 1024,
          f'scan of {n} uploads with 4 KB names in one session: peak RSS '
          f'{r.rss_kb} KiB (analysis/detect.c judges a session every '
          f'SESSION_OPS operations or SESSION_BYTES of names)')
    sessions = (doc or {}).get('totals', {}).get('sessions', 0)
    check(sessions >= 8, f'the endless session was judged in parts: '
                         f'{sessions} sessions')


def case_empty():
    """An empty file, an empty gzip member and a file of blank lines are
    read (status empty, exit 0), alone or beside others."""
    d = mkdir('empty')
    empty = write(os.path.join(d, 'empty.log'), b'')
    egz = write(os.path.join(d, 'empty2.log.gz'), gzip.compress(b''))
    blank = write(os.path.join(d, 'blank.log'), b'\n \n\t\r\n')
    for path, n in ((empty, 0), (egz, 0), (blank, 3)):
        r, events = parse([path])
        check(r.rc == 0 and events == [], f'parse {os.path.basename(path)} '
                                          f'alone: exit {r.rc}, no events')
        r, doc = scan([path])
        check(r.rc == 0, f'scan {os.path.basename(path)} alone: exit {r.rc}')
        counts(doc, path, status='empty', lines=n, events=0, malformed=0)
    g = write(os.path.join(d, 'vsftpd.log'),
              b'\n'.join(line for _, line in good(3)) + b'\n')
    r, doc = scan([empty, egz, blank, g])
    ok_status(r, 'scan empties beside a log')
    counts(doc, g, status='read', events=3)


def nobody_prefix():
    """A command prefix that drops to nobody, and a copy of the binary
    nobody can run; None when that cannot be done here."""
    if os.geteuid() != 0:
        return (), EXE
    setpriv = shutil.which('setpriv')
    if setpriv is None:
        return None, None
    exe = os.path.join(TMP, 'ftpaudit-nobody')
    if not os.path.exists(exe):
        shutil.copy(EXE, exe)
        os.chmod(exe, 0o755)
    prefix = (setpriv, '--reuid=65534', '--regid=65534', '--clear-groups')
    r = run(['--version'], prefix=prefix, exe=exe)
    if r.rc != 0:
        return None, None
    return prefix, exe


def case_unreadable():
    """A dangling symbolic link given directly, a file without read
    permission and a folder that cannot be listed: named unreadable with a
    reason; alone exit 2, beside a good file exit 0 and its events."""
    d = mkdir('unreadable')
    os.chmod(TMP, 0o755)
    os.chmod(d, 0o755)
    g = write(os.path.join(d, 'good.log'),
              b'\n'.join(line for _, line in good(4)) + b'\n')
    os.chmod(g, 0o644)
    dangling = os.path.join(d, 'dangling.log')
    os.symlink(os.path.join(d, 'nowhere'), dangling)
    r, events = parse([dangling])
    check(r.rc == 2 and events == [], f'dangling link alone: exit {r.rc}')
    r, doc = scan([dangling, g])
    ok_status(r, 'dangling link beside a good file')
    e = counts(doc, dangling, status='unreadable', events=0)
    check(e is not None and e.get('message'), 'the reason is given')
    counts(doc, g, status='read', events=4)

    prefix, exe = nobody_prefix()
    if prefix is None:
        skip('cannot drop to nobody (no setpriv): permission cases not run')
        return
    if prefix:
        os.chmod(TMP, 0o755)
    locked = write(os.path.join(d, 'locked.log'), b'\n'.join(
        line for _, line in good(2)) + b'\n')
    os.chmod(locked, 0)
    sub = mkdir('unreadable', 'closed')
    write(os.path.join(sub, 'inner.log'), b'x\n')
    os.chmod(sub, 0)
    try:
        r, events = parse([locked], prefix=prefix, exe=exe)
        check(r.rc == 2 and events == [] and b'Permission denied' in r.err,
              f'chmod 000 file alone (as nobody): exit {r.rc}: '
              f'{r.errtext()}')
        r, doc = scan([locked, sub, g], prefix=prefix, exe=exe)
        ok_status(r, 'unreadable file and folder beside a good file')
        e = counts(doc, locked, status='unreadable', events=0)
        check(e is not None and 'Permission denied' in e.get('message', ''),
              f'file message: {e}')
        e = counts(doc, sub, status='unreadable')
        check(e is not None and 'cannot list' in e.get('message', ''),
              f'folder message: {e}')
        counts(doc, g, status='read', events=4)
    finally:
        os.chmod(sub, 0o755)
        os.chmod(locked, 0o644)


def case_symlink_loop():
    """Folders with symbolic-link loops (a/b -> .., a/c -> ., a link to
    itself): each file is read once, the walk ends.  A file deeper than the
    walk goes is not lost silently."""
    d = mkdir('loop')
    a = mkdir('loop', 'a')
    x = write(os.path.join(d, 'x.log'), good(2, 'x')[0][1] + b'\n' +
              good(2, 'x')[1][1] + b'\n')
    y = write(os.path.join(a, 'y.log'), good(1, 'y')[0][1] + b'\n')
    os.symlink('..', os.path.join(a, 'b'))
    os.symlink('.', os.path.join(a, 'c'))
    os.symlink('self', os.path.join(d, 'self'))
    r, events = parse([d], timeout=60)
    ok_status(r, 'parse a looping folder', (0,))
    check(events is not None and
          sorted(e['user']['name'] for e in events) == ['x0', 'x1', 'y0'],
          f'each event once: {[e["user"]["name"] for e in events or []]}')
    r, doc = scan([d], timeout=60)
    ok_status(r, 'scan a looping folder')
    if doc:
        read = [i['path'] for i in doc['inputs'] if i['status'] == 'read']
        check(len(read) == 2, f'two files read: {read}')
    counts(doc, x, lines=2, events=2)
    counts(doc, y, lines=1, events=1)

    # Not a loop, but the same folder twice: a link beside its target.
    os.symlink(a, os.path.join(d, 'again'))
    r, events = parse([d], timeout=60)
    ok_status(r, 'parse a folder holding a link to its subfolder', (0,))
    check(events is not None and
          sorted(e['user']['name'] for e in events) == ['x0', 'x1', 'y0'],
          f'a file reached twice through a link is read once (parsers/'
          f'input.c add_dir keeps only the folders above, not every one '
          f'seen): {[e["user"]["name"] for e in events or []]}')

    deep = [mkdir('deep')]
    for k in range(40):
        deep.append(os.path.join(deep[-1], 'd%d' % k))
    os.makedirs(deep[-1])
    z = write(os.path.join(deep[-1], 'z.log'), good(1, 'z')[0][1] + b'\n')
    r, doc = scan([deep[0]])
    e = entry(doc, z)
    check(e is not None,
          'a log 40 folders deep is read or listed with a reason, not '
          f'dropped without a word (parsers/input.c add_dir): exit {r.rc}, '
          f'inputs {[i["path"][-30:] for i in (doc or {}).get("inputs", [])]}')


def case_fifo():
    """A FIFO inside a folder is skipped (never waited on); a FIFO given
    directly is read to its writer's end, plain and gzip, with lines split
    across writes."""
    d = mkdir('fifo')
    g = write(os.path.join(d, 'a.log'),
              b'\n'.join(line for _, line in good(3)) + b'\n')
    fifo = os.path.join(d, 'p.log')
    os.mkfifo(fifo)
    r, doc = scan([d], timeout=30)
    ok_status(r, 'scan a folder with a FIFO')
    counts(doc, fifo, status='not-a-file', events=0)
    counts(doc, g, status='read', events=3)
    r, events = parse([d], timeout=30)
    ok_status(r, 'parse a folder with a FIFO', (0,))

    direct = os.path.join(TMP, 'direct.fifo')
    os.mkfifo(direct)
    data = b'\n'.join(line for _, line in good(50, 'f')) + b'\n'
    for payload, gz in ((data, False), (gzip.compress(data), True)):
        for cmd in ('parse', 'scan'):
            def writer():
                with open(direct, 'wb') as w:
                    for k in range(0, len(payload), 97):
                        w.write(payload[k:k + 97])
                        w.flush()
                        if k % 970 == 0:
                            time.sleep(0.01)
            th = threading.Thread(target=writer, daemon=True)
            th.start()
            if cmd == 'parse':
                r, events = parse([direct], timeout=30)
                ok_status(r, f'parse a FIFO (gzip={gz})', (0,))
                check(events is not None and len(events) == 50,
                      f'FIFO (gzip={gz}): 50 events')
            else:
                r, doc = scan([direct], timeout=30)
                ok_status(r, f'scan a FIFO (gzip={gz})')
                counts(doc, direct, status='read', gzip=gz, lines=50,
                       events=50, bytes=len(data))
            th.join(10)
            if th.is_alive():
                check(False, 'the FIFO writer finished')
                # unblock it so the test can go on
                with open(direct, 'rb') as f:
                    f.read()


def case_timestamps():
    """Stamps that jump backwards and far into the future: parse keeps
    each as written; scan does not crash and sessions stay sane (one
    future or past stamp does not cut other accounts' sessions)."""
    d = mkdir('time')
    rows = [
        ('2026-04-03T19:00:01Z', 'Fri Apr  3 19:00:01 2026',
         '[pid 1] [alice] OK LOGIN: Client "192.0.2.1"'),
        ('1970-01-01T00:00:00Z', 'Thu Jan  1 00:00:00 1970',
         '[pid 2] [alice] OK UPLOAD: Client "192.0.2.1", "/b.html", 5 bytes, '
         '1.00Kbyte/sec'),
        ('2026-04-01T10:00:00Z', 'Wed Apr  1 10:00:00 2026',
         '[pid 3] [alice] OK LOGIN: Client "192.0.2.2"'),
        ('2099-04-03T19:00:05Z', 'Fri Apr  3 19:00:05 2099',
         '[pid 4] [alice] OK LOGIN: Client "192.0.2.3"'),
        ('2026-04-03T19:00:06Z', 'Fri Apr  3 19:00:06 2026',
         '[pid 5] [alice] OK UPLOAD: Client "192.0.2.1", "/e.html", 5 bytes, '
         '1.00Kbyte/sec'),
        ('9999-12-31T23:59:59Z', 'Fri Dec 31 23:59:59 9999',
         '[pid 6] [alice] OK LOGIN: Client "192.0.2.4"'),
        ('2026-04-03T19:00:07Z', 'Fri Apr  3 19:00:07 2026',
         '[pid 7] [bob] OK LOGIN: Client "192.0.2.5"'),
    ]
    path = write(os.path.join(d, 'vsftpd.log'), '\n'.join(
        f'{s} {b}' for _, s, b in rows).encode() + b'\n')
    r, events = parse([path])
    ok_status(r, 'parse jumping stamps', (0,))
    check(events is not None and
          [e['@timestamp'] for e in events] == [w for w, _, _ in rows],
          f'stamps kept: {[e["@timestamp"] for e in events or []]}')
    r, doc = scan([path])
    ok_status(r, 'scan jumping stamps')
    counts(doc, path, lines=len(rows), events=len(rows), malformed=0)

    # One stamp far ahead (2099) or a day ahead, then alice's session goes
    # idle while bob is in the middle of his: bob's session must stay one.
    for name, odd in (('future', 'Fri Apr  3 10:00:00 2099'),
                      ('clock-back', 'Sat Apr  4 10:00:00 2026')):
        body = [
            f'{odd} [pid 1] [carol] OK LOGIN: Client "192.0.2.3"',
            'Fri Apr  3 10:00:00 2026 [pid 2] [alice] OK LOGIN: Client '
            '"192.0.2.1"',
            'Fri Apr  3 11:00:00 2026 [pid 3] [bob] OK LOGIN: Client '
            '"192.0.2.2"',
            'Fri Apr  3 11:00:05 2026 [pid 3] [bob] OK DOWNLOAD: Client '
            '"192.0.2.2", "/www/index.html", 10 bytes, 1.00Kbyte/sec',
            'Fri Apr  3 11:00:06 2026 [pid 2] [alice] OK UPLOAD: Client '
            '"192.0.2.1", "/www/a.html", 10 bytes, 1.00Kbyte/sec',
            'Fri Apr  3 11:00:10 2026 [pid 3] [bob] OK UPLOAD: Client '
            '"192.0.2.2", "/www/index.html", 11 bytes, 1.00Kbyte/sec',
        ]
        path = write(os.path.join(d, name + '.log'),
                     '\n'.join(body).encode() + b'\n')
        r, doc = scan([path])
        ok_status(r, f'scan {name}')
        if doc:
            # carol 1, alice 2 (an hour idle), bob 1.
            check(doc['totals']['sessions'] == 4,
                  f'{name}: 4 sessions, bob\'s not cut by alice\'s idle '
                  f'end (analysis/detect.c sweep uses the latest stamp '
                  f'seen): {doc["totals"]}')

    # The same in a real case: a Gumblar session is found with or without
    # one 2099 line early in the log.
    lines = gumblar(b'webmaster', [b'/www/index.html', b'/www/about.php',
                                   b'/www/js/app.js'])
    attack = next(k for k, ln in enumerate(lines) if b'203.0.113.9' in ln)
    t_att = T0 + 8 * 86400 + 18 * 3600
    other = [vs(t_att - 3600, '[pid 50] [owner2] OK LOGIN: Client '
                              '"198.51.100.20"'),
             vs(t_att + 3, '[pid 51] [owner2] OK UPLOAD: Client '
                           '"198.51.100.20", "/www/x.html", 10 bytes, '
                           '1.00Kbyte/sec')]
    base = lines[:attack] + [other[0]] + lines[attack:attack + 3] + \
        [other[1]] + lines[attack + 3:]
    plain = write(os.path.join(d, 'gumblar.log'), b'\n'.join(base) + b'\n')
    odd = write(os.path.join(d, 'gumblar-2099.log'), b'\n'.join(
        base[:3] + [b'Fri Apr  3 10:00:00 2099 [pid 1] [carol] OK LOGIN: '
                    b'Client "192.0.2.3"'] + base[3:]) + b'\n')
    verdicts = {}
    for path in (plain, odd):
        r, doc = scan([path])
        ok_status(r, f'scan {os.path.basename(path)}')
        if doc:
            verdicts[path] = sorted((f['user'], f['severity'])
                                    for f in doc['findings']
                                    if f['severity'] in ('high', 'critical'))
    check(verdicts.get(plain) and verdicts.get(plain) == verdicts.get(odd),
          f'one 2099 stamp does not hide the attack: {verdicts.get(plain)} '
          f'vs {verdicts.get(odd)}')


def make_mmdb(path, *nets):
    tool = os.path.join(SRC, 'tests', 'tools', 'make-mmdb.pl')
    try:
        r = subprocess.run(['perl', tool, path, 'geoip2'] + list(nets),
                           capture_output=True)
    except OSError:
        return False
    return r.returncode == 0


def case_mmdb():
    """--geoip of a gzip file, a text file, half an MMDB, an empty file, a
    folder, a missing file, an MMDB with a damaged tree: a clear error,
    exit 2, no report.  Hostile strings inside a valid MMDB are text like
    any other."""
    d = mkdir('mmdb')
    g = write(os.path.join(d, 'vsftpd.log'), b'\n'.join(
        gumblar(b'webmaster', [b'/www/index.html', b'/www/a.php'])) + b'\n')
    geo = os.path.join(d, 'geo.mmdb')
    if not make_mmdb(geo, '203.0.113.0/24=CN:4134:ZZZZZZZZZZZZ',
                     '198.51.100.0/24=BE:5432:Home net'):
        skip('perl MaxMind::DB::Writer missing: MMDB cases not run')
        return
    good_db = open(geo, 'rb').read()
    meta = good_db.rfind(b'\xab\xcd\xefMaxMind.com')
    bad = {
        'gzip': gzip.compress(good_db),
        'text': b'this is not a database\n' * 40,
        'half': good_db[:len(good_db) // 2],
        'empty': b'',
        'tree': bytes(c ^ 0x5a for c in good_db[:meta - 64]) +
        good_db[meta - 64:],
    }
    for name, data in bad.items():
        path = write(os.path.join(d, name + '.mmdb'), data)
        r, doc = scan([g], '--geoip', path)
        check(r.rc == 2 and r.out == b'' and b'GeoIP' in r.err and
              path.encode() in r.err,
              f'--geoip {name}: exit {r.rc}, a clear error: {r.errtext()}')
    for name, path in (('folder', d), ('missing', os.path.join(d, 'no.mmdb'))):
        r, doc = scan([g], '--geoip', path)
        check(r.rc == 2 and r.out == b'' and b'GeoIP' in r.err,
              f'--geoip {name}: exit {r.rc}: {r.errtext()}')

    # Same length, so the record stays valid: markup, a quote, a control
    # byte and bytes that are not UTF-8 as the operator's name.
    hostile = b'<i>"\x1b\xff</i>\\&'
    assert len(hostile) == 12
    i = good_db.find(b'ZZZZZZZZZZZZ')
    path = write(os.path.join(d, 'hostile.mmdb'),
                 good_db[:i] + hostile + good_db[i + 12:])
    r, doc = scan([g], '--geoip', path)
    ok_status(r, 'scan with hostile MMDB strings')
    if doc and doc['findings']:
        src = doc['findings'][0].get('source', {})
        check(same_text(src.get('as_org'), hostile) and
              src.get('country') == 'CN',
              f'operator name from the MMDB round-trips: {src}')
    r, page = scan([g], '--geoip', path, fmt='html')
    ok_status(r, 'html with hostile MMDB strings')
    if page is not None:
        p = Tags()
        p.feed(page)
        check('<i>"' not in page and '<i>"' in ''.join(p.text),
              'the operator name is text in the HTML report')
        no_controls(page, 'html report', allow='\n\t')
    r, out = scan([g], '--geoip', path, fmt='text')
    ok_status(r, 'text with hostile MMDB strings')
    if out is not None:
        no_controls(out, 'text report')


def case_state():
    """--state of a truncated file, a newer version, a gzip file and a
    FIFO: a clear error, exit 2, the file untouched, no hang."""
    d = mkdir('state')
    g = write(os.path.join(d, 'vsftpd.log'),
              b'\n'.join(line for _, line in good(10)) + b'\n')
    st = os.path.join(d, 'good.state')
    r, doc = scan([g], '--state', st)
    if not check(r.rc in (0, 1) and os.path.exists(st),
                 f'a first run writes the state: {r.errtext()}'):
        return
    data = open(st, 'rb').read()
    magic = b'FTPAUDIT-STATE\n\x00'
    version_ok = data[:16] == magic and \
        int.from_bytes(data[20:24], sys.byteorder) == 2
    check(version_ok, 'fixture: state header is magic, BOM, version 2 '
                      '(analysis/state.h)')
    variants = {
        'truncated': data[:len(data) // 2],
        'flipped': data[:-10] + bytes([data[-10] ^ 0x20]) + data[-9:],
        'future': data[:20] + (3).to_bytes(4, sys.byteorder) + data[24:],
        'gzip': gzip.compress(data),
    }
    for name, bad in variants.items():
        path = write(os.path.join(d, name + '.state'), bad)
        r, doc = scan([g], '--state', path)
        check(r.rc == 2 and b'state' in r.err,
              f'{name} state: exit {r.rc}, a clear error: {r.errtext()}')
        if name == 'future':
            check(b'version' in r.err, 'the error names the version')
        check(open(path, 'rb').read() == bad, f'{name} state untouched')
    fifo = os.path.join(d, 'fifo.state')
    os.mkfifo(fifo)
    r, doc = scan([g], '--state', fifo, timeout=10)
    check(r.rc == 2 and not r.hung,
          f'a FIFO as --state is refused, not waited on (analysis/state.c '
          f'fa_state_load opens it for reading): exit {r.rc}, '
          f'hung={r.hung}')


def case_timezone():
    """An unknown --tz is a usage error (exit 2, named); an unknown $TZ
    is not: the run goes on in UTC and the report's 'off' says so.  A file
    that is not a zone is no zone."""
    d = mkdir('tz')
    g = write(os.path.join(d, 'vsftpd.log'),
              b'\n'.join(line for _, line in good(3)) + b'\n')
    for cmd in ('parse', 'scan'):
        args = [cmd, '--tz', 'Nowhere/Atlantis', g]
        if cmd == 'scan':
            args[1:1] = ['--no-geoip', '--format', 'json']
        r = run(args)
        check(r.rc == 2 and r.out == b'' and b'Nowhere/Atlantis' in r.err,
              f'{cmd} --tz Nowhere/Atlantis: exit {r.rc}: {r.errtext()}')
    r, doc = scan([g], env={'TZ': 'Nowhere/Atlantis'})
    ok_status(r, 'scan with TZ=Nowhere/Atlantis')
    if doc:
        check(any('time zone unknown' in o for o in doc['off']),
              f"off says the zone was unknown: {doc['off']}")
        check(doc['timezone'] == 'UTC', f"timezone: {doc['timezone']}")
    r, events = parse([g], env={'TZ': 'Nowhere/Atlantis'})
    ok_status(r, 'parse with TZ=Nowhere/Atlantis', (0,))
    check(events is not None and len(events) == 3, 'parse reads on in UTC')

    r = run(['parse', '--tz', 'x' * 5000, g])
    check(r.rc == 2, f'a 5000-byte zone name: exit {r.rc}')
    notzone = write(os.path.join(d, 'notazone'), b'Europe/Brussels\n')
    r = run(['parse', '--tz', notzone, g])
    check(r.rc == 2, f'--tz of a file that is not a zone (TZif): exit '
                     f'{r.rc}, want 2 (parsers/timeconv.c zone_file_exists '
                     f'accepts any file): {r.errtext()}')
    r, doc = scan([g], env={'TZ': notzone})
    ok_status(r, 'scan with TZ= a file that is not a zone')
    if doc:
        check(any('time zone unknown' in o for o in doc['off']),
              f"TZ= a file that is not a zone: off says unknown: "
              f"{doc['off']}, timezone {doc['timezone']!r}")


CASES = [
    case_garbage_alone, case_garbage_mixed, case_nul_bytes, case_long_line,
    case_crlf, case_names, case_forged, case_gzip_truncated,
    case_gzip_corrupt, case_gzip_bomb, case_endless_session, case_empty,
    case_unreadable,
    case_symlink_loop, case_fifo, case_timestamps, case_mmdb, case_state,
    case_timezone,
]


def main():
    global EXE, SRC, TMP, ASAN, CASE, failed
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    EXE = os.path.abspath(sys.argv[1])
    SRC = os.path.abspath(sys.argv[2])
    only = set(sys.argv[3:])
    with open(EXE, 'rb') as f:
        ASAN = b'__asan_init' in f.read()
    TMP = tempfile.mkdtemp(prefix='ftpaudit-hostile-')
    try:
        for fn in CASES:
            CASE = fn.__name__[5:]
            if only and CASE not in only:
                continue
            t = time.monotonic()
            before, before_ok = failed, passed
            try:
                fn()
            except Exception:
                check(False, 'the test itself raised:\n' +
                      traceback.format_exc())
            print(f'{CASE}: {"ok" if failed == before else "FAILED"} '
                  f'({passed - before_ok} checks passed, {failed - before} '
                  f'failed, {time.monotonic() - t:.1f} s)', flush=True)
    finally:
        for root, dirs, _ in os.walk(TMP):
            for x in dirs:
                p = os.path.join(root, x)
                if not os.path.islink(p):
                    os.chmod(p, 0o755)
        shutil.rmtree(TMP, ignore_errors=True)
    if skipped:
        print(f'{skipped} sub-cases skipped (see SKIP above)')
    print(f'{passed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
