"""Shared pieces of the SIEM stream tests: the inputs (the demo, a hostile
copy of it, every fixture), GeoIP databases built here, running scans,
and small helpers.  Standard library only."""
import datetime
import ipaddress
import json
import os
import atexit
import re
import shutil
import subprocess
import tempfile

passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print('FAIL', what)
    return cond


def summary():
    print(f'{passed} passed, {failed} failed')
    return 1 if failed else 0


def is_ip(s):
    if not isinstance(s, str):
        return False
    try:
        ipaddress.ip_address(s)
        return True
    except ValueError:
        return False


_RFC3339 = re.compile(r'^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})'
                      r'(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$')


def parse_time(s):
    """An RFC 3339 stamp as an aware datetime, None when it is not one."""
    if not isinstance(s, str):
        return None
    m = _RFC3339.match(s)
    if not m:
        return None
    frac = m.group(7) or ''
    text = s[:19] + (frac[:7] if frac else '')
    zone = m.group(8)
    text += '+00:00' if zone == 'Z' else zone
    try:
        return datetime.datetime.fromisoformat(text)
    except ValueError:
        return None


_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def epoch_ms(s):
    """Whole milliseconds since the epoch (rounded down), as OCSF has."""
    t = parse_time(s)
    if t is None:
        return None
    return (t - _EPOCH) // datetime.timedelta(milliseconds=1)


def leaves(obj, prefix=''):
    """(dotted path, value) of every scalar in a document; array elements
    share their array's path."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from leaves(v, prefix + '.' + k if prefix else k)
    elif isinstance(obj, list):
        for v in obj:
            yield from leaves(v, prefix)
    else:
        yield prefix, obj


def dig(doc, path, default=None):
    for part in path.split('.'):
        if not isinstance(doc, dict) or part not in doc:
            return default
        doc = doc[part]
    return doc


# The attacker's addresses in the hostile copy, and what GeoIP says.
HOSTILE_IP = '2001:db8::77'
BRUTE_IP = '2001:db8::66'
HOSTILE_USER = b'we"b\\ma\xffst\xc3\x28er<x>'
HOSTILE_PATH = b'/var/www/shop/in"dex\xfe.html'
GEO_NETS = ['203.0.113.0/24=CN:4134:Chinanet test',
            '198.51.100.0/24=JP:2516:KDDI test',
            '192.0.2.0/24=RU:12389:Rostelecom test',
            '2001:db8::/32=NL:1136:KPN "quoted" \\ org']


class Setup:
    """Inputs and databases in a temporary folder."""

    def __init__(self, exe, src):
        self.exe = os.path.abspath(exe)
        self.src = src
        self.tmp = tempfile.mkdtemp(prefix='ftpaudit-siem-')
        atexit.register(shutil.rmtree, self.tmp, True)
        self.demo = os.path.join(src, 'testdata', 'demo')
        self.testdata = os.path.join(src, 'testdata')
        self.hostile = os.path.join(self.tmp, 'hostile.log')
        self.badip = os.path.join(self.tmp, 'badip.log')
        self._write_logs()
        self.mmdb = os.path.join(self.tmp, 'geo.mmdb')
        subprocess.run(['perl', os.path.join(src, 'tests', 'tools',
                                             'make-mmdb.pl'),
                        self.mmdb, 'geoip2'] + GEO_NETS, check=True)

    def _write_logs(self):
        with open(os.path.join(self.demo, 'vsftpd.log'), 'rb') as f:
            demo = f.read()
        # The demo break-in with quotes, backslashes and invalid UTF-8 in
        # the user and a path, from an IPv6 address; then a brute force
        # with hostile names, and the parser fixture full of traps.
        text = (demo.replace(b'[webmaster]', b'[' + HOSTILE_USER + b']')
                .replace(b'/var/www/shop/index.html', HOSTILE_PATH)
                .replace(b'203.0.113.77', HOSTILE_IP.encode()))
        for i in range(25):
            name = b'adm"in\xc0\xaf' if i % 2 else b'r\\oot\xed\xa0\x80'
            text += (b'Thu Nov  5 01:%02d:%02d 2026 [pid %d] [%s] FAIL '
                     b'LOGIN: Client "%s"\n'
                     % (i // 6, (i * 7) % 60, 3000 + i, name,
                        BRUTE_IP.encode()))
        with open(os.path.join(self.src, 'testdata', 'vsftpd',
                               'hostile.log'), 'rb') as f:
            text += f.read()
        with open(self.hostile, 'wb') as f:
            f.write(text)
        # The break-in from an address that is no address: it must not
        # reach an IP field.
        with open(self.badip, 'wb') as f:
            f.write(demo.replace(b'203.0.113.77', b'999.1.1.1'))

    def run(self, fmt, *paths, events=False, geo=True):
        """Scan; returns (exit status, stdout bytes, stderr text)."""
        args = [self.exe, 'scan', '-q', '--tz', 'UTC', '--format', fmt]
        args += ['--geoip', self.mmdb] if geo else ['--no-geoip']
        if events:
            args.append('--events')
        r = subprocess.run(args + list(paths), capture_output=True)
        err = r.stderr.decode('utf-8', 'replace')
        # Sanitizer builds report on stderr; ASan's exit status 1 would
        # pass for "found something".
        check('Sanitizer' not in err and 'runtime error:' not in err,
              f'scan {fmt} {paths}: {err[:2000]}')
        return r.returncode, r.stdout, err

    def lines(self, fmt, *paths, events=False, geo=True):
        """Scan and parse the stream: a list of documents, or None (and a
        failed check) when a line is not UTF-8 or not JSON."""
        rc, out, err = self.run(fmt, *paths, events=events, geo=geo)
        what = f'{fmt} {" ".join(os.path.basename(p) for p in paths)}'
        if not check(rc in (0, 1), f'{what}: exit {rc}: {err}'):
            return None
        check(out.endswith(b'\n') or out == b'', f'{what}: ends with \\n')
        docs = []
        for n, raw in enumerate(out.split(b'\n')[:-1], 1):
            try:
                text = raw.decode('utf-8')
            except UnicodeDecodeError as e:
                check(False, f'{what} line {n}: not UTF-8: {e}')
                return None
            try:
                doc = json.loads(text)
            except ValueError as e:
                check(False, f'{what} line {n}: not JSON: {e}')
                return None
            if not check(isinstance(doc, dict), f'{what} line {n}: object'):
                return None
            docs.append(doc)
        return docs

    def report(self, *paths, geo=True):
        rc, out, err = self.run('json', *paths, geo=geo)
        return json.loads(out.decode('utf-8'))
