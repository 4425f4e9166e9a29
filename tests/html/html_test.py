#!/usr/bin/env python3
"""The HTML triage report (`ftpaudit scan --format html`) against hostile
logs: user and file names, a log file name and malformed lines carrying
markup, quotes, entities, invalid UTF-8, NUL, control and bidi characters,
plus the demo scenario.

    html_test.py static  FTPAUDIT SRCDIR BUILDDIR
    html_test.py browser FTPAUDIT SRCDIR BUILDDIR

static: the page parses with a tag-balance check, holds only the elements
and attributes the writer uses (no script, no event handler, no URL), shows
every account, file, evidence path, malformed line and "off" note of the
JSON report as text, and the checker itself catches a page with one name
left unescaped.

browser: Debian's chromium, headless, driven over its DevTools pipe with the
standard library only: the page loads with no console message, exception,
dialog or network request besides itself; no element came from the logs;
the hostile names are visible text; nothing overflows sideways; a full-page
screenshot (BUILDDIR/html-report.png), a print-media one
(html-report-print.png) and a PDF (html-report.pdf) are written.  The same
checks must fail on the page with one name left unescaped.  Exit 77 (skip)
when chromium is not installed.
"""
import base64
import datetime
import fcntl
import html.parser
import json
import os
import select
import shutil
import struct
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


def finish():
    print(f'{passed} passed, {failed} failed')
    sys.exit(1 if failed else 0)


# ---- the hostile logs ------------------------------------------------------

U_IMG = '<img/src=x/onerror=alert(1)>'
U_SCRIPT = '</script><script>alert(2)</script>'
U_QUOTE = '"\'&amp;<b>q</b>'
U_BYTES = b'bad\xff\xfe<i>'
HOSTILE_LOG_NAME = '<img src=x onerror=alert(3)>&amp;\'".log'
LONG_NAME = '/var/www/' + 'x' * 300 + '.html'

ATTACKS = [
    # user (bytes), files the intruder rewrites, the script it drops
    (U_IMG.encode(),
     [b'/var/www/<img src=x onerror=alert(1)>.html',
      b'/var/www/a"b\'c&amp;d&lt;.php',
      b'/var/www/</style><script>alert(6)</script>.js'],
     b'/var/www/images/<svg onload=alert(5)>.php'),
    (U_SCRIPT.encode(),
     [b'/var/www/nul\x00byte.html',
      b'/var/www/bad\xff\xfe\xc0\xafutf8.html',
      b'/var/www/ctl\x1b[31mred\x7f.html'],
     b'/var/www/uploads/\xe2\x80\xaegnp.php'),
    (U_QUOTE.encode(), [LONG_NAME.encode()],
     b'/var/www/images/"><script>alert(8)</script>.php'),
    (U_BYTES, [b'/var/www/index.html'], b'/var/www/images/x.php'),
]


def stamp(t):
    """vsftpd's ctime-style stamp."""
    return t.strftime('%a %b ').encode() + f'{t.day:2d}'.encode() + \
        t.strftime(' %H:%M:%S %Y').encode()


def vsftpd(t, user, what):
    return (t, stamp(t) + b' [pid 4242] [' + user + b'] ' + what)


def at(day, hh, mm, ss):
    return datetime.datetime(2026, 11, day, hh, mm, ss)


def login(ip, ok_=True):
    return (b'OK' if ok_ else b'FAIL') + b' LOGIN: Client "' + ip + b'"'


def ok(verb, ip, path, size):
    return (b'OK ' + verb + b': Client "' + ip + b'", "' + path + b'", ' +
            str(size).encode() + b' bytes, 900.00Kbyte/sec')


def long_account():
    """Six weeks of an owner working from ten networks in turn (more
    than the timeline has colours), one session across midnight, a
    holiday, then the same break-in: rows for active days only, the
    holiday marked as a gap."""
    user, out = b'long-term', []
    start = datetime.datetime(2026, 9, 14, 9, 5, 0)
    for n in range(17):
        t = start + datetime.timedelta(days=2 * n + (9 if n > 12 else 0),
                                       hours=n % 6)
        ip = f'198.{18 + n % 10}.{n}.10'.encode()
        out.append(vsftpd(t, user, login(ip)))
        page = f'/var/www/long/page{n}.html'.encode()
        late = n == 8
        for k in range(2):
            t2 = t + datetime.timedelta(minutes=20 + k * 10)
            if late:
                t2 = t.replace(hour=23, minute=50) + \
                    datetime.timedelta(minutes=25 * k)
            out.append(vsftpd(t2, user, ok(b'UPLOAD', ip, page, 3000 + k)))
    bad = b'203.0.113.77'
    t = at(4, 3, 40, 0)
    out.append(vsftpd(t, user, login(bad)))
    for k in range(3):
        f = f'/var/www/long/page{k}.html'.encode()
        out.append(vsftpd(t + datetime.timedelta(seconds=2 + k), user,
                          ok(b'DOWNLOAD', bad, f, 3000)))
        out.append(vsftpd(t + datetime.timedelta(seconds=9 + k), user,
                          ok(b'UPLOAD', bad, f, 3300)))
    out.append(vsftpd(t + datetime.timedelta(seconds=15), user,
                      ok(b'UPLOAD', bad, b'/var/www/long/img/x.php', 700)))
    return out


def hostile_log():
    """The demo's pattern once per hostile user: two days of the owner
    from 198.51.100.23, then a 03:xx login from 203.0.113.77 that
    downloads pages, re-uploads them larger and drops a script."""
    out = long_account()
    own, bad = b'198.51.100.23', b'203.0.113.77'
    for i, (user, files, shell) in enumerate(ATTACKS):
        m = 10 + i
        out.append(vsftpd(at(2, 9, m, 1), user, login(own)))
        out.append(vsftpd(at(2, 9, m, 9), user,
                          ok(b'UPLOAD', own, files[0], 5000)))
        out.append(vsftpd(at(3, 10, m, 1), user, login(own)))
        out.append(vsftpd(at(3, 10, m, 30), user,
                          ok(b'DOWNLOAD', own, files[0], 5000)))
        out.append(vsftpd(at(4, 3, m, 1), user, login(bad, False)))
        out.append(vsftpd(at(4, 3, m, 4), user, login(bad)))
        for k, f in enumerate(files):
            out.append(vsftpd(at(4, 3, m, 5 + k), user,
                              ok(b'DOWNLOAD', bad, f, 4000 + k)))
        for k, f in enumerate(files):
            out.append(vsftpd(at(4, 3, m, 20 + k), user,
                              ok(b'UPLOAD', bad, f, 4400 + k)))
        out.append(vsftpd(at(4, 3, m, 30), user,
                          ok(b'UPLOAD', bad, shell, 900)))
    # Malformed lines carrying markup, NUL and bad bytes.
    t = at(4, 5, 0, 0)
    out.append((t, stamp(t) +
                b' [pid 1] [<img src=x onerror=alert(1)>] OK LOGIN: '
                b'Client "192.0.2.1"'))
    out.append((t, stamp(t) + b' [pid 1] [nul\x00user] OK LOGIN: '
                b'Client "192.0.2.1"'))
    out.sort(key=lambda x: x[0])
    return b'\n'.join(line for _, line in out) + b'\n'


# ---- what the page must show -------------------------------------------------

def shown(s):
    """A log string as the writer shows it: controls as \\xNN, C1 and
    bidi controls as \\uNNNN."""
    out = []
    for ch in s:
        c = ord(ch)
        if (c < 0x20 and ch not in '\t\n') or c == 0x7F:
            out.append('\\x%02X' % c)
        elif 0x80 <= c < 0xA0 or c in (0x200E, 0x200F, 0x061C) or \
                0x202A <= c <= 0x202E or 0x2066 <= c <= 0x2069:
            out.append('\\u%04X' % c)
        else:
            out.append(ch)
    return ''.join(out)


VOID = {'meta', 'br', 'hr', 'col', 'wbr', 'link', 'img', 'input', 'area',
        'base', 'embed', 'source', 'track', 'param'}
ALLOWED = {'html', 'head', 'meta', 'title', 'style', 'body', 'header',
           'main', 'section', 'footer', 'div', 'span', 'h1', 'h2', 'h3',
           'p', 'b', 'i', 'a', 'code', 'pre', 'ul', 'li', 'dl', 'dt', 'dd',
           'table', 'thead', 'tbody', 'tr', 'th', 'td',
           'svg', 'g', 'line', 'rect', 'path', 'text'}
ALLOWED_ATTRS = {'class', 'id', 'style', 'href', 'lang', 'charset', 'name',
                 'title', 'content', 'http-equiv', 'colspan', 'role',
                 'aria-label', 'width', 'height', 'viewbox', 'x', 'y', 'x1',
                 'y1', 'x2', 'y2', 'rx', 'd', 'fill', 'stroke', 'stroke-width',
                 'stroke-dasharray', 'font-size', 'font-weight',
                 'text-anchor'}


class Checker(html.parser.HTMLParser):
    """Tag balance and an allow-list of elements and attributes; collects
    the text (entities decoded) and what each <pre class=restore> holds."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.problems, self.text = [], [], []
        self.restore, self.in_restore, self.style = [], False, ''
        self.counts = {}

    def _open(self, tag, attrs):
        self.counts[tag] = self.counts.get(tag, 0) + 1
        if tag not in ALLOWED:
            self.problems.append(f'element <{tag}>')
        for k, v in attrs:
            if k not in ALLOWED_ATTRS:
                self.problems.append(f'attribute {k}= on <{tag}>')
            if k == 'href' and not (v or '').startswith('#'):
                self.problems.append(f'link {v!r}')
            if v and ('url(' in v or 'javascript:' in v.lower()):
                self.problems.append(f'{k}={v!r}')

    def handle_starttag(self, tag, attrs):
        self._open(tag, attrs)
        if tag == 'pre' and ('class', 'restore') in attrs:
            self.in_restore = True
            self.restore.append('')
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self._open(tag, attrs)

    def handle_endtag(self, tag):
        if tag in VOID:
            self.problems.append(f'end tag of void <{tag}>')
        elif not self.stack or self.stack[-1] != tag:
            self.problems.append(f'</{tag}> closes <{self.stack[-1:]}>')
            if tag in self.stack:
                while self.stack.pop() != tag:
                    pass
        else:
            self.stack.pop()
        if tag == 'pre':
            self.in_restore = False

    def handle_data(self, data):
        if self.stack and self.stack[-1] == 'style':
            self.style += data
            return
        self.text.append(data)
        if self.in_restore:
            self.restore[-1] += data

    def close(self):
        super().close()
        if self.stack:
            self.problems.append(f'unclosed {self.stack}')


def static_problems(page_bytes):
    """Everything wrong with a page, as a list of strings."""
    probs = []
    try:
        page = page_bytes.decode('utf-8')
    except UnicodeDecodeError as e:
        return [f'not UTF-8: {e}'], None
    c = Checker()
    c.feed(page)
    c.close()
    probs += c.problems
    if not page.startswith('<!DOCTYPE html>'):
        probs.append('no doctype')
    if c.counts.get('style', 0) != 1 or c.counts.get('title', 0) < 1:
        probs.append(f'style/title count {c.counts}')
    if "default-src 'none'" not in page:
        probs.append('no Content-Security-Policy')
    for bad in ('http://', 'https://', '@import', 'url('):
        # The SVG namespace is implied in HTML; no URL is needed anywhere.
        if bad in page:
            probs.append(f'{bad} in the page')
    for marker in ('alert(', 'onerror', 'script'):
        if marker in c.style:
            probs.append(f'log text {marker!r} inside <style>')
    return probs, c


def expected_texts(doc):
    """(what, string) the page must show, from the JSON report."""
    want = []
    for a in doc['accounts']:
        want.append(('user', shown(a['user'])))
    for f in doc['findings']:
        for p in f['files']:
            want.append(('file', shown(p)))
        for e in f['evidence']:
            want.append(('evidence', shown(e['file'])))
        for r in f['reasons']:
            want.append(('reason', shown(r)))
    for i in doc['inputs']:
        want.append(('input', shown(i['path'])))
        for e in i['malformed_examples']:
            want.append(('malformed', shown(e['text'])))
    for o in doc['off']:
        want.append(('off', shown(o)))
    return want


def restore_block(doc, acct):
    """What the account's <pre class=restore> must hold: the files of its
    high/critical findings when it has such with files, else of all its
    findings; each once, in report order."""
    mine = [f for f in doc['findings']
            if f['user'] == acct['user'] and f['host'] == acct['host']]
    high = [f for f in mine
            if f['severity'] in ('high', 'critical') and f['files']]
    out = []
    for f in high or mine:
        for p in f['files']:
            if p not in out:
                out.append(p)
    return ''.join(shown(p) + '\n' for p in out)


def run(exe, fmt, out, *args):
    env = dict(os.environ, SOURCE_DATE_EPOCH='1793865600', TZ='UTC')
    r = subprocess.run([exe, 'scan', '-q', '--format', fmt, '-o', out] +
                       list(args), capture_output=True, env=env)
    return r.returncode, r.stderr.decode('utf-8', 'replace')


def unescape_one(page_bytes):
    """The page with one hostile user name left raw: what a writer that
    forgot to escape would produce.  The checks must catch it."""
    esc = (U_IMG.replace('<', '&lt;').replace('>', '&gt;')).encode()
    check(esc in page_bytes, 'the escaped hostile user is in the page')
    return page_bytes.replace(esc, U_IMG.encode(), 1)


def make_pages(exe, src, tmp):
    """Scan the hostile log plus the demo (with test GeoIP when the MMDB
    writer is there), the demo without GeoIP, and a clean log.  Returns
    [(name, html path, json doc)]."""
    hdir = os.path.join(tmp, 'hostile')
    os.makedirs(hdir)
    with open(os.path.join(hdir, HOSTILE_LOG_NAME), 'wb') as f:
        f.write(hostile_log())
    demo = os.path.join(src, 'testdata', 'demo')
    geo = ['--no-geoip']
    mkdb = os.path.join(src, 'tests', 'tools', 'make-mmdb.pl')
    db = os.path.join(tmp, 'geo.mmdb')
    r = subprocess.run(['perl', mkdb, db, 'geoip2',
                        '203.0.113.0/24=CN:4134:Chinanet <b>test</b>',
                        '198.51.100.0/24=BE:5432:Proximus test',
                        '192.0.2.0/24=RU:12389:Rostelecom test'],
                       capture_output=True)
    if r.returncode == 0:
        geo = ['--geoip', db]
    else:
        print('note: no MMDB writer, hostile run without GeoIP')
    clean = os.path.join(tmp, 'clean.log')
    with open(os.path.join(demo, 'vsftpd.log'), 'rb') as f:
        with open(clean, 'wb') as g:
            g.write(b''.join(f.readlines()[:8]))
    runs = [('hostile', geo + [hdir, demo]),
            ('demo', ['--no-geoip', demo]),
            ('clean', ['--no-geoip', clean])]
    pages = []
    for name, args in runs:
        page = os.path.join(tmp, name + '.html')
        js = os.path.join(tmp, name + '.json')
        rc, err = run(exe, 'html', page, *args)
        check(rc in (0, 1) and 'Sanitizer' not in err and
              'runtime error' not in err,
              f'{name}: scan --format html exit {rc}: {err}')
        rc, err = run(exe, 'json', js, *args)
        check(rc in (0, 1), f'{name}: scan --format json exit {rc}: {err}')
        with open(js, encoding='utf-8') as f:
            pages.append((name, page, json.load(f)))
    return pages


# ---- static ----------------------------------------------------------------

def static(exe, src, tmp):
    for name, path, doc in make_pages(exe, src, tmp):
        with open(path, 'rb') as f:
            page = f.read()
        probs, c = static_problems(page)
        check(not probs, f'{name}: page problems: {probs[:8]}')
        if c is None:
            continue
        text = ''.join(c.text)
        for what, s in expected_texts(doc):
            check(s in text, f'{name}: {what} {s!r} not shown as text')
        flagged = [a for a in doc['accounts'] if a['findings'] > 0]
        blocks = [b for b in (restore_block(doc, a) for a in flagged) if b]
        check(c.restore == blocks,
              f'{name}: restore blocks {c.restore!r} != {blocks!r}')
        restore = '\n'.join(c.restore)
        if name == 'hostile':
            users = {a['user'] for a in flagged}
            for u in (U_IMG, U_SCRIPT, U_QUOTE):
                check(u in users, f'hostile user {u!r} is flagged')
            check(any(u.startswith('bad\ufffd') for u in users),
                  'invalid UTF-8 user is flagged')
            check(LONG_NAME in restore, 'the long file name is listed')
            check(b'\0' not in page, 'no NUL byte in the page')
            check('\\x1B[31mred\\x7F' in restore, 'controls made visible')
            check('\\u202Egnp.php' in restore, 'bidi override visible')
            check(HOSTILE_LOG_NAME in text, 'hostile log file name shown')
            check(page.count(b'<svg') >= 3 * len(flagged),
                  'a timeline and two heat maps per account')
            check(b'stroke-dasharray' in page,
                  'a long timeline draws active days with gaps marked')
            check('other networks' in text, 'networks past the palette')
            check('long-term' in users, 'the long account is flagged')
            bad, _ = static_problems(unescape_one(page))
            check(any('<img>' in p or 'onerror' in p for p in bad),
                  f'the checker catches an unescaped name: {bad[:3]}')
        if name == 'demo':
            check('1 account likely compromised' in text, 'demo headline')
            check('webmaster' in text and '203.0.113.77' in text,
                  'demo account and address')
        if name == 'clean':
            check('No compromise found' in text, 'clean headline')
    finish()


# ---- browser ---------------------------------------------------------------

class Chromium:
    """Headless chromium over --remote-debugging-pipe: JSON messages ended
    by NUL, commands on fd 3, replies and events on fd 4."""

    def __init__(self, exe, tmp):
        cmd_r, self.cmd_w = os.pipe()
        self.res_r, res_w = os.pipe()

        def child():
            # Via fds >= 10 so that dup2 onto 3 and 4 never is a no-op
            # that would leave close-on-exec set.
            a = fcntl.fcntl(cmd_r, fcntl.F_DUPFD, 10)
            b = fcntl.fcntl(res_w, fcntl.F_DUPFD, 10)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.log = open(os.path.join(tmp, 'chromium.log'), 'wb')
        self.proc = subprocess.Popen(
            [exe, '--headless', '--no-sandbox', '--disable-gpu',
             '--disable-quic', '--no-first-run',
             '--disable-background-networking', '--disable-component-update',
             '--disable-sync', '--disable-extensions', '--hide-scrollbars',
             '--mute-audio', '--remote-debugging-pipe',
             '--user-data-dir=' + tempfile.mkdtemp(dir=tmp), 'about:blank'],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log,
            close_fds=False, preexec_fn=child)
        os.close(cmd_r)
        os.close(res_w)
        self.buf, self.events, self.next_id = b'', [], 0
        self.dialogs, self.session = [], None

    def _recv(self, deadline):
        while b'\0' not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.res_r], [], [], left)[0]:
                raise TimeoutError('chromium did not answer')
            chunk = os.read(self.res_r, 1 << 20)
            if not chunk:
                raise EOFError('chromium closed its pipe')
            self.buf += chunk
        msg, self.buf = self.buf.split(b'\0', 1)
        m = json.loads(msg)
        if m.get('method') == 'Page.javascriptDialogOpening':
            # A dialog blocks the page: record it and dismiss it.
            self.dialogs.append(m['params'])
            self._write('Page.handleJavaScriptDialog', {'accept': False},
                        m.get('sessionId'))
        return m

    def _write(self, method, params, session):
        self.next_id += 1
        msg = {'id': self.next_id, 'method': method, 'params': params}
        if session:
            msg['sessionId'] = session
        os.write(self.cmd_w, json.dumps(msg).encode() + b'\0')
        return self.next_id

    def send(self, method, params=None, timeout=30, page=True):
        mid = self._write(method, params or {}, self.session if page else None)
        deadline = time.monotonic() + timeout
        while True:
            m = self._recv(deadline)
            if m.get('id') == mid:
                if 'error' in m:
                    raise RuntimeError(f'{method}: {m["error"]}')
                return m.get('result', {})
            if 'method' in m:
                self.events.append(m)

    def wait(self, method, timeout=30):
        deadline = time.monotonic() + timeout
        while True:
            for m in self.events:
                if m['method'] == method:
                    self.events.remove(m)
                    return m
            m = self._recv(deadline)
            if 'method' in m:
                self.events.append(m)

    def drain(self, seconds):
        deadline = time.monotonic() + seconds
        try:
            while True:
                m = self._recv(deadline)
                if 'method' in m:
                    self.events.append(m)
        except TimeoutError:
            pass

    def open_page(self, width):
        t = self.send('Target.createTarget', {'url': 'about:blank'},
                      page=False)
        s = self.send('Target.attachToTarget',
                      {'targetId': t['targetId'], 'flatten': True},
                      page=False)
        self.session = s['sessionId']
        for domain in ('Page', 'Runtime', 'Log', 'Network'):
            self.send(domain + '.enable')
        self.send('Emulation.setDeviceMetricsOverride',
                  {'width': width, 'height': 900, 'deviceScaleFactor': 1,
                   'mobile': False})

    def load(self, url):
        self.events.clear()
        self.dialogs.clear()
        self.send('Page.navigate', {'url': url})
        self.wait('Page.loadEventFired')
        self.drain(0.5)

    def eval(self, expr):
        r = self.send('Runtime.evaluate',
                      {'expression': expr, 'returnByValue': True})
        return r['result'].get('value')

    def close(self):
        try:
            self.send('Browser.close', page=False, timeout=5)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


PROBE = r'''JSON.stringify({
  title: document.title,
  foreign: document.querySelectorAll(
      'script,img,iframe,object,embed,link,base,form,input,video,audio,'
      + 'svg foreignObject,svg image,svg use,svg a,svg script').length,
  handlers: Array.from(document.querySelectorAll('*')).filter(
      e => Array.from(e.attributes).some(a => /^on/i.test(a.name))).length,
  text: document.body.innerText,
  overflow: document.documentElement.scrollWidth
      - document.documentElement.clientWidth,
  restore: document.querySelectorAll('pre.restore').length,
  svgs: document.querySelectorAll('svg').length
})'''


def page_findings(b, url):
    """Load url; (probe result, [problems]) from what the browser saw."""
    b.load(url)
    probe = json.loads(b.eval(PROBE))
    probs = []
    for m in b.events:
        p = m.get('params', {})
        if m['method'] == 'Runtime.consoleAPICalled':
            probs.append(f'console.{p.get("type")}')
        elif m['method'] == 'Runtime.exceptionThrown':
            probs.append('exception')
        elif m['method'] == 'Log.entryAdded':
            e = p.get('entry', {})
            if e.get('level') in ('error', 'warning'):
                probs.append(f'log {e.get("level")}: {e.get("text")}')
        elif m['method'] == 'Network.requestWillBeSent':
            u = p.get('request', {}).get('url', '')
            if u != url:
                probs.append(f'request {u}')
    probs += [f'dialog {d.get("message")}' for d in b.dialogs]
    if probe['title'] != 'ftpaudit triage report':
        probs.append(f'title {probe["title"]!r}')
    if probe['foreign']:
        probs.append(f'{probe["foreign"]} foreign elements')
    if probe['handlers']:
        probs.append(f'{probe["handlers"]} elements with on* handlers')
    return probe, probs


def png_size(path):
    with open(path, 'rb') as f:
        head = f.read(24)
    if head[:8] != b'\x89PNG\r\n\x1a\n':
        return None
    return struct.unpack('>II', head[16:24])


def screenshot(b, path):
    m = b.send('Page.getLayoutMetrics')
    size = m.get('cssContentSize') or m['contentSize']
    b.send('Emulation.setDeviceMetricsOverride',
           {'width': 1200, 'height': int(size['height']) + 1,
            'deviceScaleFactor': 1, 'mobile': False})
    shot = b.send('Page.captureScreenshot',
                  {'format': 'png', 'captureBeyondViewport': True}, 60)
    with open(path, 'wb') as f:
        f.write(base64.b64decode(shot['data']))
    b.send('Emulation.setDeviceMetricsOverride',
           {'width': 1200, 'height': 900, 'deviceScaleFactor': 1,
            'mobile': False})
    return png_size(path)


def browser(exe, src, build, tmp):
    chrome = os.environ.get('CHROMIUM') or shutil.which('chromium') or \
        shutil.which('chromium-browser')
    if not chrome:
        print('SKIP: chromium is not installed (apt-get install chromium); '
              'the browser check of the HTML report did not run')
        sys.exit(77)
    pages = make_pages(exe, src, tmp)
    b = Chromium(chrome, tmp)
    try:
        b.open_page(1200)
        for name, path, doc in pages:
            url = 'file://' + path
            probe, probs = page_findings(b, url)
            check(not probs, f'{name}: browser saw {probs[:6]}')
            check(probe['overflow'] <= 0,
                  f'{name}: page wider than the window by '
                  f'{probe["overflow"]}px')
            flagged = [a for a in doc['accounts'] if a['findings'] > 0]
            check(probe['svgs'] >= 3 * len(flagged),
                  f'{name}: {probe["svgs"]} SVG drawings')
            if name != 'hostile':
                continue
            for u in (U_IMG, U_SCRIPT, U_QUOTE, HOSTILE_LOG_NAME,
                      '<img src=x onerror=alert(1)>.html',
                      '</style><script>alert(6)</script>.js',
                      '<svg onload=alert(5)>.php'):
                check(u in probe['text'], f'visible as text: {u!r}')
            check(probe['restore'] == len(flagged), 'restore blocks')
            out = os.path.join(build, 'html-report.png')
            dims = screenshot(b, out)
            check(dims is not None and dims[0] == 1200 and dims[1] > 900,
                  f'screenshot {out}: {dims}')
            print('screenshot:', out, dims)
            pdf = b.send('Page.printToPDF', {'printBackground': True}, 60)
            data = base64.b64decode(pdf['data'])
            with open(os.path.join(build, 'html-report.pdf'), 'wb') as f:
                f.write(data)
            check(data.startswith(b'%PDF') and data.count(b'/Type /Page') > 1,
                  'prints to a PDF')
            b.send('Emulation.setEmulatedMedia', {'media': 'print'})
            dims = screenshot(b, os.path.join(build, 'html-report-print.png'))
            check(dims is not None, 'print-media screenshot')
            b.send('Emulation.setEmulatedMedia', {'media': ''})
            # The same checks on the page with one name left unescaped.
            bad = os.path.join(tmp, 'unescaped.html')
            with open(path, 'rb') as f:
                page = f.read()
            with open(bad, 'wb') as f:
                f.write(unescape_one(page))
            _, probs = page_findings(b, 'file://' + bad)
            check(any('foreign' in p for p in probs) and
                  any(p.startswith('log error') or p.startswith('request')
                      for p in probs),
                  f'the browser check catches an unescaped name: {probs}')
    finally:
        b.close()
    finish()


def main():
    mode, exe, src, build = sys.argv[1], os.path.abspath(sys.argv[2]), \
        os.path.abspath(sys.argv[3]), os.path.abspath(sys.argv[4])
    tmp = tempfile.mkdtemp(prefix='ftpaudit-html-')
    try:
        if mode == 'static':
            static(exe, src, tmp)
        elif mode == 'browser':
            browser(exe, src, build, tmp)
        else:
            sys.exit(f'unknown mode {mode}')
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    main()
