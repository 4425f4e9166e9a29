#!/usr/bin/env python3
"""Write six weeks of a small hosting provider's FTP/SFTP logs, with a
ground truth of which logins were stolen-credential abuse.

    generate.py OUTDIR [--seed N]

OUTDIR/logs/web1/vsftpd.log*   vsftpd native log (logins and transfers)
OUTDIR/logs/web2/xferlog*      ProFTPD TransferLog (transfers only)
OUTDIR/logs/web3/auth.log*     OpenSSH auth.log with internal-sftp lines
OUTDIR/truth.json              the compromises, every address range with
                               its country and ASN (for the test MMDB), the
                               brute-force-only addresses, and every
                               generated session with what it was

Standard library only; the same seed gives the same bytes.  Times are
local to Europe/Brussels (CET, UTC+1 for the whole period, no DST change
inside it); stamps in the logs carry no zone, as on a real server.
See docs/scenario.md for the cast and the attacks.
"""
import argparse
import datetime as dt
import gzip
import ipaddress
import json
import os
import random

START = dt.datetime(2026, 11, 2)       # a Monday, local time
DAYS = 42
UTC_OFFSET = dt.timedelta(hours=1)     # CET
TZ = 'Europe/Brussels'
WDAY = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']
MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep',
       'Oct', 'Nov', 'Dec']

# Address plan: name -> (cidr, country, asn, organisation).  Made up; the
# MMDB built at test time says exactly this.
NETS = {
    # Belgian home and business lines
    'telenet': ('84.192.0.0/14', 'BE', 6848, 'Telenet test'),
    'proximus': ('81.240.0.0/14', 'BE', 5432, 'Proximus test'),
    'voo': ('91.176.0.0/14', 'BE', 12392, 'VOO test'),
    'agency': ('198.51.100.0/24', 'BE', 5432, 'Proximus business test'),
    'office-be': ('212.123.0.0/16', 'BE', 5432, 'Proximus business test'),
    # Belgian mobile (carrier-grade NAT, EU roaming comes home too)
    'orange-mobile': ('37.62.0.0/15', 'BE', 47377, 'Orange Belgium test'),
    'proximus-mobile': ('46.178.0.0/16', 'BE', 5432, 'Proximus test'),
    # Belgian data centres: the deploy runners, and one attacker VPS
    'be-hosting': ('185.40.0.0/16', 'BE', 39923, 'BE datacenter test'),
    'be-vps': ('5.134.0.0/16', 'BE', 44901, 'BelCloud VPS test'),
    # Dutch customers
    'kpn': ('77.160.0.0/14', 'NL', 1136, 'KPN test'),
    'ziggo': ('84.24.0.0/14', 'NL', 33915, 'Ziggo test'),
    # holiday hotels
    'es-hotel': ('83.32.0.0/14', 'ES', 3352, 'Telefonica de Espana test'),
    'it-hotel': ('79.0.0.0/14', 'IT', 3269, 'Telecom Italia test'),
    'pt-hotel': ('85.240.0.0/14', 'PT', 3243, 'MEO test'),
    'ma-hotel': ('41.248.0.0/14', 'MA', 36903, 'Maroc Telecom test'),
    'fr-home': ('90.0.0.0/14', 'FR', 3215, 'Orange France test'),
    # attackers
    'cn': ('203.0.113.0/24', 'CN', 4134, 'Chinanet test'),
    'cn2': ('218.60.0.0/16', 'CN', 4837, 'China Unicom test'),
    'ru': ('192.0.2.0/24', 'RU', 12389, 'Rostelecom test'),
    'ru-host': ('95.213.0.0/16', 'RU', 49505, 'Selectel test'),
    'br': ('177.32.0.0/14', 'BR', 28573, 'Claro test'),
    'vn': ('113.160.0.0/14', 'VN', 7552, 'Viettel test'),
    'in': ('117.192.0.0/14', 'IN', 9829, 'BSNL test'),
    'ua': ('46.200.0.0/16', 'UA', 15895, 'Kyivstar test'),
    'us-host': ('45.55.0.0/16', 'US', 14061, 'DigitalOcean test'),
    'nl-host': ('185.180.0.0/16', 'NL', 49981, 'WorldStream test'),
    'tr': ('78.160.0.0/14', 'TR', 9121, 'Turk Telekom test'),
    # background noise: botnets
    'bot-cn': ('222.186.0.0/16', 'CN', 4134, 'Chinanet test'),
    'bot-br': ('189.0.0.0/14', 'BR', 8167, 'Brasil Telecom test'),
    'bot-vn': ('14.160.0.0/14', 'VN', 45899, 'VNPT test'),
    'bot-id': ('36.64.0.0/14', 'ID', 7713, 'Telkom Indonesia test'),
    'bot-us': ('104.131.0.0/16', 'US', 14061, 'DigitalOcean test'),
    'bot-ru': ('5.188.0.0/16', 'RU', 49453, 'Global Layer test'),
    'bot-in': ('59.88.0.0/14', 'IN', 9829, 'BSNL test'),
}

BOTNETS = ['bot-cn', 'bot-br', 'bot-vn', 'bot-id', 'bot-us', 'bot-ru',
           'bot-in']

SIZES = {'.php': (1500, 26000), '.html': (3000, 30000),
         '.css': (2000, 40000), '.js': (1000, 90000),
         '.jpg': (40000, 900000), '.png': (5000, 200000),
         '.pdf': (60000, 2000000), '.htaccess': (200, 1500),
         '.twig': (400, 6000), '.txt': (100, 3000), '.xml': (500, 20000)}

WORDS = ['bakkerij', 'slagerij', 'tandarts', 'kapsalon', 'fietsen',
         'bloemen', 'garage', 'fotoclub', 'voetbal', 'architect', 'immo',
         'advocaat', 'camping', 'hotel', 'brasserie', 'yoga', 'dierenarts',
         'schilder', 'loodgieter', 'boekhandel', 'wijnhuis', 'chocolade',
         'kinderopvang', 'muziekschool', 'tennisclub', 'atelier',
         'drukkerij', 'notaris', 'bistro', 'zwemclub', 'apotheek', 'optiek']
NAMES = ['peeters', 'janssens', 'maes', 'jacobs', 'mertens', 'willems',
         'claes', 'goossens', 'wouters', 'dubois', 'lambert', 'dewit',
         'desmet', 'hermans', 'michiels', 'gent', 'brugge', 'leuven',
         'mechelen', 'aalst', 'hasselt', 'kortrijk', 'namur', 'ieper',
         'lier', 'tienen', 'genk', 'ostende', 'mons', 'dinant']
BOT_USERS = ['admin', 'test', 'ftp', 'user', 'www', 'webmaster', 'root',
             'guest', 'info', 'backup', 'oracle', 'support', 'ftpuser',
             'web', 'demo', 'upload', 'data', 'administrator']


def ext_of(path):
    base = path.rsplit('/', 1)[-1]
    if base.startswith('.') and base.count('.') == 1:
        return base
    return '.' + base.rsplit('.', 1)[-1] if '.' in base else ''


def is_page(path):
    return ext_of(path) in ('.php', '.html', '.js', '.css')


class Rand(random.Random):
    def size(self, path):
        lo, hi = SIZES.get(ext_of(path), (500, 20000))
        return int(lo * (hi / lo) ** self.random())

    def ip(self, net, wide=None):
        """An address in NETS[net]; wide: a fixed /16 inside it."""
        n = ipaddress.ip_network(wide or NETS[net][0])
        return str(n[self.randrange(2, n.num_addresses - 2)])

    def wide16(self, net):
        n = ipaddress.ip_network(NETS[net][0])
        subs = list(n.subnets(new_prefix=16)) if n.prefixlen < 16 else [n]
        return str(self.choice(subs))


# ---------------------------------------------------------------- writers

def stamp_vsftpd(t):
    return (f'{WDAY[t.weekday()]} {MON[t.month - 1]} {t.day:2d} '
            f'{t:%H:%M:%S} {t.year}')


def stamp_xferlog(t):
    return (f'{WDAY[t.weekday()]} {MON[t.month - 1]} {t.day:02d} '
            f'{t:%H:%M:%S} {t.year}')


def stamp_syslog(t):
    return f'{MON[t.month - 1]} {t.day:2d} {t:%H:%M:%S}'


class Server:
    """One machine's log: lines with their local time, sorted at the end."""

    def __init__(self, name, kind, logged_host, rng):
        self.name, self.kind, self.host = name, kind, logged_host
        self.rng = rng
        self.lines = []
        self.seq = 0
        self.pid = {'web1': 3000, 'web2': 5000, 'web3': 7000}[name]

    def next_pid(self, step=3):
        self.pid += step + self.rng.randrange(0, 40)
        if self.pid > 60000:
            self.pid = 1200
        return self.pid

    def add(self, t, text):
        self.seq += 1
        self.lines.append((t, self.seq, text))

    def syslog(self, t, tag, text):
        self.add(t, f'{stamp_syslog(t)} {self.host} {tag}: {text}')


class Session:
    """One client connection: failures, a login and file operations,
    written in the server's format.  Records what it did for truth.json."""

    def __init__(self, srv, user, ip, t, fails=0, login=True,
                 method='password', tag='', truth=None, record=None):
        self.srv, self.user, self.ip, self.t = srv, user, ip, t
        self.rng = srv.rng
        self.start = t
        self.tag = tag
        self.truth = truth
        self.writes = []
        self.port = self.rng.randrange(32768, 61000)
        self.record = record
        self.login = login
        if srv.kind == 'vsftpd':
            self.pid = srv.next_pid()
            srv.add(t, f'{stamp_vsftpd(t)} [pid {self.pid + 1}] CONNECT: '
                       f'Client "{ip}"')
            for _ in range(fails):
                self.wait(self.rng.randrange(3, 12))
                self._v(self.pid, 'FAIL LOGIN', '')
            if login:
                self.wait(self.rng.randrange(1, 4))
                self._v(self.pid, 'OK LOGIN', '')
        elif srv.kind == 'sftp':
            self.pid = srv.next_pid()
            for _ in range(fails):
                self.wait(self.rng.randrange(2, 9))
                srv.syslog(self.t, f'sshd[{self.pid}]',
                           f'Failed password for {user} from {ip} port '
                           f'{self.port} ssh2')
            if login:
                self.wait(self.rng.randrange(1, 3))
                srv.syslog(self.t, f'sshd[{self.pid}]',
                           f'Accepted {method} for {user} from {ip} port '
                           f'{self.port} ssh2')
                srv.syslog(self.t, f'sshd[{self.pid}]',
                           f'pam_unix(sshd:session): session opened for '
                           f'user {user}(uid={1000 + len(user) * 7}) by '
                           f'(uid=0)')
                self.sub = self.pid + 2
                srv.syslog(self.t, f'internal-sftp[{self.sub}]',
                           f'session opened for local user {user} from '
                           f'[{ip}]')
            else:
                srv.syslog(self.t, f'sshd[{self.pid}]',
                           f'Connection closed by authenticating user {user} '
                           f'{ip} port {self.port} [preauth]')

    def wait(self, secs):
        self.t += dt.timedelta(seconds=secs)

    def _v(self, pid, what, rest):
        self.srv.add(self.t, f'{stamp_vsftpd(self.t)} [pid {pid}] '
                             f'[{self.user}] {what}: Client "{self.ip}"'
                             f'{rest}')

    def _xfer(self, path, size, direction, secs):
        mode = 'a' if ext_of(path) in ('.html', '.php', '.css', '.js',
                                       '.txt', '.htaccess') else 'b'
        self.srv.add(self.t, f'{stamp_xferlog(self.t)} {secs} {self.ip} '
                             f'{size} {path} {mode} _ {direction} r '
                             f'{self.user} ftp 0 * c')

    def _duration(self, size):
        rate = self.rng.uniform(300, 2500)
        return rate, int(size / 1024 / rate)

    def get(self, path, size):
        rate, secs = self._duration(size)
        self.wait(secs)
        if self.srv.kind == 'vsftpd':
            self._v(self.pid + 2, 'OK DOWNLOAD',
                    f', "{path}", {size} bytes, {rate:.2f}Kbyte/sec')
        elif self.srv.kind == 'xferlog':
            self._xfer(path, size, 'o', secs)
        else:
            self.srv.syslog(self.t - dt.timedelta(seconds=secs),
                            f'internal-sftp[{self.sub}]',
                            f'open "{path}" flags READ mode 0666')
            self.srv.syslog(self.t, f'internal-sftp[{self.sub}]',
                            f'close "{path}" bytes read {size} written 0')

    def put(self, path, size, via=None):
        """Upload; via: a temporary name renamed over path afterwards
        (WinSCP's .filepart, or a dropper hiding its tracks)."""
        rate, secs = self._duration(size)
        self.wait(secs)
        self.writes.append(path)
        target = via or path
        if self.srv.kind == 'vsftpd':
            self._v(self.pid + 2, 'OK UPLOAD',
                    f', "{target}", {size} bytes, {rate:.2f}Kbyte/sec')
        elif self.srv.kind == 'xferlog':
            self._xfer(target, size, 'i', secs)
        else:
            self.srv.syslog(self.t - dt.timedelta(seconds=secs),
                            f'internal-sftp[{self.sub}]',
                            f'open "{target}" flags WRITE,CREATE,TRUNCATE '
                            f'mode 0644')
            self.srv.syslog(self.t, f'internal-sftp[{self.sub}]',
                            f'close "{target}" bytes read 0 written {size}')
        if via:
            self.rename(via, path, record=False)

    def rm(self, path):
        self.writes.append(path)
        if self.srv.kind == 'vsftpd':
            self._v(self.pid + 2, 'OK DELETE', f', "{path}"')
        elif self.srv.kind == 'xferlog':
            self._xfer(path, 0, 'd', 0)
        else:
            self.srv.syslog(self.t, f'internal-sftp[{self.sub}]',
                            f'remove name "{path}"')

    def mkdir(self, path):
        if self.srv.kind == 'vsftpd':
            self._v(self.pid + 2, 'OK MKDIR', f', "{path}"')
        elif self.srv.kind == 'sftp':
            self.srv.syslog(self.t, f'internal-sftp[{self.sub}]',
                            f'mkdir name "{path}" mode 0755')

    def rename(self, old, new, record=True):
        if record:
            self.writes.append(new)
        if self.srv.kind == 'vsftpd':
            self._v(self.pid + 2, 'OK RENAME', f', "{old} {new}"')
        elif self.srv.kind == 'sftp':
            self.srv.syslog(self.t, f'internal-sftp[{self.sub}]',
                            f'posix-rename old "{old}" new "{new}"')

    def close(self):
        srv = self.srv
        if srv.kind == 'sftp' and self.login:
            self.wait(self.rng.randrange(1, 20))
            srv.syslog(self.t, f'internal-sftp[{self.sub}]',
                       f'session closed for local user {self.user} from '
                       f'[{self.ip}]')
            srv.syslog(self.t, f'sshd[{self.pid}]',
                       f'Received disconnect from {self.ip} port '
                       f'{self.port}:11: disconnected by user')
            srv.syslog(self.t, f'sshd[{self.pid}]',
                       f'Disconnected from user {self.user} {self.ip} port '
                       f'{self.port}')
            srv.syslog(self.t, f'sshd[{self.pid}]',
                       f'pam_unix(sshd:session): session closed for user '
                       f'{self.user}')
        entry = {'server': srv.name, 'host': srv.host, 'user': self.user,
                 'ip': self.ip, 'start': utc(self.start), 'end': utc(self.t),
                 'tag': self.tag, 'login': self.login,
                 'writes': sorted(set(self.writes))}
        if self.record is not None:
            self.record.append(entry)
        if self.truth is not None:
            self.truth['sessions'].append(entry)
        return self.t


def utc(t):
    return (t - UTC_OFFSET).strftime('%Y-%m-%dT%H:%M:%SZ')


# ---------------------------------------------------------------- sites

def make_site(rng, kind, root):
    """Path -> size of a customer's web space."""
    files = []
    if kind == 'static':
        pages = ['index.html', 'about.html', 'contact.html', 'news.html']
        pages += rng.sample(['gallery.html', 'prices.html', 'team.html',
                             'agenda.html', 'links.html', 'menu.html',
                             'history.html', 'faq.html'], rng.randrange(2, 7))
        files += pages + ['css/style.css', 'js/main.js', 'js/jquery.min.js',
                          'robots.txt']
        files += [f'images/photo{i:02d}.jpg'
                  for i in range(rng.randrange(8, 30))]
        files += ['images/logo.png']
    elif kind == 'php':
        files += ['index.php', 'about.php', 'contact.php', 'news.php',
                  'inc/header.php', 'inc/footer.php', 'inc/db.php',
                  'inc/functions.php', 'css/style.css', 'js/site.js',
                  'robots.txt']
        files += rng.sample(['products.php', 'cart.php', 'search.php',
                             'login.php', 'agenda.php', 'gallery.php',
                             'sitemap.xml'], rng.randrange(2, 6))
        files += [f'images/p{i:03d}.jpg' for i in range(rng.randrange(10, 40))]
    elif kind == 'wordpress':
        theme = rng.choice(['astra', 'twentytwenty', 'flavor', 'hestia'])
        files += ['index.php', 'wp-config.php', 'wp-login.php',
                  'wp-settings.php', 'wp-load.php', 'xmlrpc.php',
                  'wp-cron.php', 'wp-blog-header.php']
        t = f'wp-content/themes/{theme}/'
        files += [t + f for f in ('style.css', 'functions.php', 'header.php',
                                  'footer.php', 'index.php', 'single.php',
                                  'page.php', 'sidebar.php', 'archive.php',
                                  'search.php', '404.php', 'comments.php',
                                  'js/navigation.js', 'js/theme.js')]
        for plugin in rng.sample(['contact-form-7', 'akismet', 'wordfence',
                                  'yoast-seo', 'woocommerce', 'jetpack'], 3):
            p = f'wp-content/plugins/{plugin}/'
            files += [p + f'{plugin}.php', p + 'includes/admin.php',
                      p + 'includes/functions.php', p + 'includes/api.php',
                      p + 'js/scripts.js', p + 'readme.txt']
        files += [f'wp-includes/{n}.php' for n in (
            'functions', 'plugin', 'post', 'query', 'user', 'formatting',
            'general-template', 'link-template', 'class-wp', 'load')]
        files += [f'wp-content/uploads/2026/{m:02d}/img{i:03d}.jpg'
                  for m in (8, 9, 10) for i in range(rng.randrange(3, 12))]
    elif kind == 'app':
        for d, n in (('src/Controller', 30), ('src/Model', 20),
                     ('src/Service', 15), ('templates', 25)):
            files += [f'{d}/{d.split("/")[-1].lower()}{i:02d}.php'
                      for i in range(n)]
        for pkg in ('symfony/http-foundation', 'symfony/routing',
                    'twig/twig', 'monolog/monolog', 'doctrine/dbal',
                    'guzzlehttp/guzzle'):
            files += [f'vendor/{pkg}/src/F{i:02d}.php'
                      for i in range(rng.randrange(15, 30))]
        files += ['public/index.php', 'public/.htaccess', 'composer.json']
        files += [f'public/css/app{i}.css' for i in range(4)]
        files += [f'public/js/app{i}.js' for i in range(7)]
        files += [f'public/img/icon{i:02d}.png' for i in range(20)]
    return {root + f: rng.size(f) for f in files}


def site_pages(site):
    return sorted(p for p in site if is_page(p) and '/vendor/' not in p
                  and '/wp-includes/' not in p)


# ---------------------------------------------------------------- cast

class Account:
    def __init__(self, rng, srv, user, persona, kind):
        self.srv, self.user, self.persona, self.kind = srv, user, persona, kind
        if srv.kind == 'vsftpd':
            self.root = '/httpdocs/'
        elif srv.kind == 'xferlog':
            self.root = f'/home/sites/{user}/public_html/'
        else:
            self.root = f'/var/www/{user}/htdocs/'
        self.site = make_site(rng, kind, self.root)
        self.isp = rng.choice(['telenet'] * 4 + ['proximus'] * 4 +
                              ['voo'] * 2)
        if rng.random() < 0.1:
            self.isp = rng.choice(['kpn', 'ziggo', 'fr-home'])
        self.wide = rng.wide16(self.isp)
        self.home_ip = rng.ip(self.isp, self.wide)
        self.office_ip = rng.ip('office-be')
        self.mobile = rng.random() < 0.35
        self.developer = False
        self.agency = False
        self.holiday = None          # (first day, days, net)
        self.colleague = False       # someone at the office during it
        self.typo_rate = rng.uniform(0.02, 0.08)
        self.night_deploy = None     # runner address

    def image_dir(self):
        if self.kind == 'wordpress':
            return self.root + 'wp-content/uploads/2026/'
        if self.kind == 'app':
            return self.root + 'public/img/'
        return self.root + 'images/'


def make_cast(rng, servers):
    layout = [('web1', 30), ('web2', 14), ('web3', 16)]
    personas = (['office'] * 16 + ['home'] * 20 + ['night'] * 6 +
                ['rare'] * 18)
    rng.shuffle(personas)
    used = set()
    accounts = []
    for srv_name, count in layout:
        for _ in range(count):
            while True:
                user = f'{rng.choice(WORDS)}-{rng.choice(NAMES)}'
                if user not in used:
                    used.add(user)
                    break
            kind = rng.choice(['static'] * 3 + ['php'] * 3 +
                              ['wordpress'] * 4)
            accounts.append(Account(rng, servers[srv_name], user,
                                    personas.pop(), kind))
    # Two sites deployed by a CI runner every night (one FTP, one SFTP).
    for name in ('web1', 'web3'):
        a = next(x for x in accounts if x.srv.name == name and
                 x.persona == 'office' and x.night_deploy is None)
        a.kind = 'app'
        a.site = make_site(rng, 'app', a.root)
        a.night_deploy = rng.ip('be-hosting')
        a.developer = True
    # Developers who fetch a file, edit it for minutes and put it back.
    for a in rng.sample([x for x in accounts if x.persona in
                         ('office', 'home', 'night')], 8):
        a.developer = True
    # The web agency: one office address, fifteen customers, from day one.
    candidates = [x for x in accounts if x.night_deploy is None]
    for a in rng.sample(candidates, 15):
        a.agency = True
        a.persona = 'rare'
    # Holidays abroad: photos and news from a hotel.
    hol = [x for x in accounts if not x.agency and x.night_deploy is None
           and x.persona in ('home', 'office')]
    for a, net in zip(rng.sample(hol, 5), ['es-hotel', 'it-hotel',
                                            'pt-hotel', 'ma-hotel',
                                            'es-hotel']):
        a.holiday = (rng.randrange(15, 30), rng.randrange(6, 11), net)
    away = [a for a in accounts if a.holiday]
    next((a for a in away if a.persona == 'office'), away[0]).colleague = True
    return accounts


# ---------------------------------------------------------------- habits

def session_times(rng, a, day):
    """Local start times of the owner's own sessions on that day."""
    date = START + dt.timedelta(days=day)
    weekend = date.weekday() >= 5
    out = []

    def at(h0, h1, where):
        secs = int(rng.uniform(h0, h1) * 3600)
        out.append((date + dt.timedelta(seconds=secs), where))

    if a.holiday and a.holiday[0] <= day < a.holiday[0] + a.holiday[1]:
        if rng.random() < 0.55:
            at(18.5, 23.5, 'holiday')
        if a.colleague and not weekend and rng.random() < 0.6:
            at(9, 17, 'office')
        return out
    p = a.persona
    if p == 'office':
        if not weekend and rng.random() < 0.6:
            for _ in range(rng.choice([1, 1, 2])):
                at(8.5, 17.5, 'office')
        if rng.random() < 0.08:
            at(19, 22.5, 'home')
    elif p == 'home':
        if rng.random() < (0.5 if weekend else 0.3):
            if weekend:
                at(9.5, 22, 'home')
            else:
                at(18, 23.3, 'home')
    elif p == 'night':
        if rng.random() < 0.45:
            at(21.5, 26.8, 'home')
    elif p == 'rare':
        if rng.random() < (0.06 if a.agency else 0.13):
            at(9, 21.5, rng.choice(['home', 'home', 'office']))
    return out


def owner_ip(rng, a, where):
    if where == 'office':
        return a.office_ip
    if where == 'holiday':
        if not hasattr(a, 'hotel_ip') or rng.random() < 0.15:
            a.hotel_ip = rng.ip(a.holiday[2])
        return a.hotel_ip
    if a.mobile and rng.random() < 0.08:
        return rng.ip(rng.choice(['orange-mobile', 'proximus-mobile']))
    return a.home_ip


def bump(rng, size):
    return max(200, size + rng.randrange(-400, 900))


def do_plan(rng, s, a, plan, now_day):
    """The file operations of one legitimate session."""
    site = a.site
    pages = site_pages(site)
    if plan == 'browse' or not pages:
        s.wait(rng.randrange(5, 120))
    elif plan == 'edit':
        picks = rng.sample(pages, min(len(pages), rng.choice([1, 1, 2, 3])))
        for p in picks:
            s.wait(rng.randrange(2, 30))
            s.get(p, site[p])
        for p in picks:
            s.wait(rng.randrange(180, 1100))   # minutes in the editor
            site[p] = bump(rng, site[p])
            s.put(p, site[p])
    elif plan == 'quickfix':
        p = rng.choice(pages)
        s.get(p, site[p])
        s.wait(rng.randrange(25, 58))          # a typo, fixed at once
        site[p] = bump(rng, site[p])
        s.put(p, site[p])
    elif plan == 'update':
        for p in rng.sample(pages, min(len(pages), rng.randrange(1, 4))):
            s.wait(rng.randrange(3, 60))
            site[p] = bump(rng, site[p])
            s.put(p, site[p])
    elif plan in ('images', 'photos'):
        d = a.image_dir()
        if a.kind == 'wordpress':
            d += f'{(START + dt.timedelta(days=now_day)).month:02d}/'
        elif plan == 'photos':
            d += 'holiday/'
        for i in range(rng.randrange(2, 14)):
            s.wait(rng.randrange(2, 25))
            p = f'{d}img{now_day:02d}{i:02d}{rng.randrange(100):02d}.jpg'
            site[p] = rng.size(p)
            s.put(p, site[p])
        news = [p for p in pages if 'news' in p or p.endswith('index.php')
                or p.endswith('index.html')]
        if news and rng.random() < 0.6:
            p = news[0]
            site[p] = bump(rng, site[p])
            s.put(p, site[p])
    elif plan == 'newpage':
        ext = '.html' if a.kind == 'static' else '.php'
        p = a.root + rng.choice(['promo', 'actie', 'nieuws', 'vacature',
                                 'event', 'info']) + f'{now_day}{ext}'
        site[p] = rng.size(p)
        s.put(p, site[p])
    elif plan == 'backup':
        for p in sorted(site):
            s.wait(rng.randrange(0, 2))
            s.get(p, site[p])
    elif plan == 'cleanup':
        imgs = [p for p in site if p.endswith('.jpg')]
        for p in rng.sample(imgs, min(len(imgs), rng.randrange(1, 5))):
            s.wait(rng.randrange(1, 10))
            s.rm(p)
            del site[p]
    elif plan == 'deploy':
        for p in sorted(site):
            if rng.random() < 0.05:
                site[p] = bump(rng, site[p])
            s.wait(rng.choice([0, 0, 1]))
            s.put(p, site[p])


def pick_plan(rng, a, where):
    if where == 'holiday':
        return rng.choice(['photos', 'photos', 'update', 'browse'])
    plans = ['browse', 'update', 'update', 'images', 'images', 'newpage',
             'cleanup', 'edit']
    if a.developer:
        plans += ['edit'] * 5 + ['quickfix']
    if rng.random() < 0.03:
        return 'backup'
    return rng.choice(plans)


# ---------------------------------------------------------------- scenario

class Scenario:
    def __init__(self, seed):
        self.rng = Rand(seed)
        self.seed = seed
        self.servers = {
            'web1': Server('web1', 'vsftpd', '', Rand(seed + 1)),
            'web2': Server('web2', 'xferlog', '', Rand(seed + 2)),
            'web3': Server('web3', 'sftp', 'web3', Rand(seed + 3)),
        }
        self.accounts = make_cast(self.rng, self.servers)
        self.plans = []      # (local time, order, callable)
        self.sessions = []   # every session, for explaining results
        self.truth = []
        self.brute_ips = set()
        self.agency_ip = '198.51.100.10'

    def plan(self, t, fn):
        self.plans.append((t, len(self.plans), fn))

    def owner_session(self, a, t, where, plan=None, fails=None, tag=None):
        rng = self.rng
        ip = owner_ip(rng, a, where)
        if fails is None:
            fails = rng.choice([1, 1, 2]) if rng.random() < a.typo_rate else 0
        plan = plan or pick_plan(rng, a, where)
        tag = tag or f'owner-{where}-{plan}'
        if ip.startswith(('37.62.', '37.63.', '46.178.')):
            tag += '-mobile'

        def run():
            s = Session(a.srv, a.user, ip, t, fails=fails, tag=tag,
                        record=self.sessions)
            do_plan(rng, s, a, plan, (t - START).days)
            s.close()
        self.plan(t, run)

    def habits(self):
        rng = self.rng
        for day in range(DAYS):
            date = START + dt.timedelta(days=day)
            for a in self.accounts:
                if rng.random() < 0.07:          # DHCP lease renewed
                    a.home_ip = rng.ip(a.isp, a.wide)
                for t, where in session_times(rng, a, day):
                    self.owner_session(a, t, where)
                if a.night_deploy and date.weekday() < 5:
                    t = date + dt.timedelta(hours=2,
                                            seconds=rng.randrange(0, 2400))
                    self.deploy(a, t)
            if date.weekday() < 5 and day not in (9,):   # Nov 11: holiday
                self.agency_day(day, date)
        # One owner forgot the password: six tries, then support reset it.
        a = next(x for x in self.accounts if x.srv.kind == 'vsftpd'
                 and x.persona == 'home' and not x.holiday)
        self.owner_session(a, START + dt.timedelta(days=16, hours=20,
                                                   minutes=12),
                           'home', plan='update', fails=6,
                           tag='owner-forgot-password')

    def deploy(self, a, t):
        def run():
            s = Session(a.srv, a.user, a.night_deploy, t,
                        method='publickey', tag='deploy-runner',
                        record=self.sessions)
            do_plan(self.rng, s, a, 'deploy', (t - START).days)
            s.close()
        self.plan(t, run)

    def agency_day(self, day, date):
        rng = self.rng
        clients = [a for a in self.accounts if a.agency]
        t = date + dt.timedelta(hours=rng.uniform(8.7, 10))
        for a in rng.sample(clients, rng.randrange(2, 7)):
            plan = rng.choice(['edit', 'edit', 'update', 'images', 'newpage',
                               'browse'])
            st = t

            def run(a=a, st=st, plan=plan):
                s = Session(a.srv, a.user, self.agency_ip, st,
                            tag=f'agency-{plan}', record=self.sessions)
                do_plan(rng, s, a, plan, day)
                s.close()
            self.plan(st, run)
            t += dt.timedelta(minutes=rng.randrange(10, 80))
            if t.hour >= 18:
                break

    # --------------------------------------------------------- noise

    def botnets(self):
        rng = self.rng
        web1 = [a.user for a in self.accounts if a.srv.name == 'web1']
        web3 = [a.user for a in self.accounts if a.srv.name == 'web3']
        for day in range(DAYS):
            date = START + dt.timedelta(days=day)
            for _ in range(rng.randrange(4, 12)):        # FTP guessers
                ip = rng.ip(rng.choice(BOTNETS))
                t = date + dt.timedelta(seconds=rng.randrange(0, 86000))
                users = BOT_USERS + rng.sample(web1, 3)
                self.plan(t, lambda ip=ip, t=t, users=users:
                          self.guess('web1', ip, t, users,
                                     rng.randrange(3, 40)))
            for _ in range(rng.randrange(8, 20)):        # SSH guessers
                ip = rng.ip(rng.choice(BOTNETS))
                t = date + dt.timedelta(seconds=rng.randrange(0, 86000))
                users = BOT_USERS + rng.sample(web3, 3)
                self.plan(t, lambda ip=ip, t=t, users=users:
                          self.guess('web3', ip, t, users,
                                     rng.randrange(2, 30)))
        # A botnet against one account: 40 addresses, a few tries each,
        # every evening for a week.  It never gets in; the owner does.
        target = next(a for a in self.accounts if a.srv.name == 'web1'
                      and a.persona in ('home', 'night') and not a.agency)
        self.hammered = target.user
        for day in range(8, 15):
            date = START + dt.timedelta(days=day, hours=19)
            for _ in range(40):
                ip = rng.ip(rng.choice(BOTNETS))
                t = date + dt.timedelta(seconds=rng.randrange(0, 4 * 3600))
                self.plan(t, lambda ip=ip, t=t:
                          self.guess('web1', ip, t, [target.user],
                                     rng.randrange(2, 5)))
        # Password spraying: one address, every account once or twice.
        for srv, users, day in (('web1', web1, 10), ('web1', web1, 24),
                                ('web3', web3, 16), ('web1', web1, 31),
                                ('web3', web3, 36)):
            ip = rng.ip(rng.choice(BOTNETS))
            t = START + dt.timedelta(days=day, hours=rng.uniform(1, 23))
            for u in users:
                t += dt.timedelta(seconds=rng.randrange(20, 120))
                self.plan(t, lambda ip=ip, t=t, u=u, srv=srv:
                          self.guess(srv, ip, t, [u], rng.choice([1, 2])))

    def guess(self, name, ip, t, users, tries):
        srv = self.servers[name]
        rng = self.rng
        self.brute_ips.add(ip)
        pid = srv.next_pid()
        port = rng.randrange(32768, 61000)
        user = rng.choice(users)
        for i in range(tries):
            if rng.random() < 0.3:
                user = rng.choice(users)
            if srv.kind == 'vsftpd':
                if i % 3 == 0:
                    pid = srv.next_pid()
                    srv.add(t, f'{stamp_vsftpd(t)} [pid {pid + 1}] CONNECT: '
                               f'Client "{ip}"')
                srv.add(t, f'{stamp_vsftpd(t)} [pid {pid}] [{user}] FAIL '
                           f'LOGIN: Client "{ip}"')
            else:
                if i % 4 == 0:
                    pid = srv.next_pid()
                    port = rng.randrange(32768, 61000)
                real = user not in BOT_USERS or user == 'root'
                if real:
                    srv.syslog(t, f'sshd[{pid}]',
                               f'Failed password for {user} from {ip} port '
                               f'{port} ssh2')
                else:
                    srv.syslog(t, f'sshd[{pid}]',
                               f'Invalid user {user} from {ip} port {port}')
                    srv.syslog(t, f'sshd[{pid}]',
                               f'Failed password for invalid user {user} '
                               f'from {ip} port {port} ssh2')
            t += dt.timedelta(seconds=rng.randrange(2, 15))

    def cron(self):
        srv = self.servers['web3']
        for day in range(DAYS):
            for h in range(24):
                t = START + dt.timedelta(days=day, hours=h, minutes=17)
                pid = srv.next_pid()
                srv.syslog(t, f'CRON[{pid}]', 'pam_unix(cron:session): '
                           'session opened for user root(uid=0) by (uid=0)')
                srv.syslog(t + dt.timedelta(seconds=1), f'CRON[{pid}]',
                           'pam_unix(cron:session): session closed for user '
                           'root')

    # --------------------------------------------------------- attacks

    def victim(self, server, exclude, kinds=None, persona=None):
        pool = [a for a in self.accounts if a.srv.name == server and
                a.user not in exclude and a.night_deploy is None and
                not a.holiday and a.user != self.hammered and
                (kinds is None or a.kind in kinds) and
                (persona is None or a.persona in persona)]
        a = self.rng.choice(pool)
        exclude.add(a.user)
        return a

    def entry(self, kind, a, what):
        e = {'id': f'{kind}-{len(self.truth) + 1}', 'kind': kind,
             'server': a.srv.name, 'host': a.srv.host, 'user': a.user,
             'what': what, 'sessions': []}
        self.truth.append(e)
        return e

    def attack(self, a, ip, t, entry, fn, fails=0, method='password'):
        def run():
            s = Session(a.srv, a.user, ip, t, fails=fails, truth=entry,
                        method=method, tag='attack-' + entry['kind'],
                        record=self.sessions)
            fn(s)
            s.close()
        self.plan(t, run)

    def gumblar(self, s, a, n, fast=(1, 4)):
        """Fetch pages and scripts, put them back a little larger within
        seconds: the injected <script>/<iframe>."""
        rng = self.rng
        pages = site_pages(a.site)
        first = [p for p in pages if p.endswith(('index.php', 'index.html'))]
        picks = (first[:1] + rng.sample([p for p in pages
                                         if p not in first[:1]], n - 1))
        for p in picks:
            s.wait(rng.randrange(0, 2))
            s.get(p, a.site[p])
        for p in picks:
            s.wait(rng.randrange(*fast))
            a.site[p] += rng.randrange(180, 620)
            s.put(p, a.site[p])

    def attacks(self):
        rng = self.rng
        used = set()
        D = lambda day, h, m: START + dt.timedelta(days=day, hours=h,
                                                    minutes=m)

        # 1. Gumblar in the first week, while every account still learns.
        a = self.victim('web1', used, ('static', 'php'))
        e = self.entry('gumblar', a, 'single Chinese address fetches three '
                       'pages and re-uploads them larger within seconds '
                       '(account still learning)')
        self.attack(a, rng.ip('cn'), D(3, 13, 41), e,
                    lambda s, a=a: self.gumblar(s, a, 3))

        # 2. Gumblar rotating addresses every few seconds.
        a = self.victim('web1', used, ('php', 'wordpress'))
        e = self.entry('gumblar-rotating', a, 'six addresses in six '
                       'countries, each fetching and re-uploading a file '
                       'within seconds, one after the other')
        t = D(17, 4, 10)
        for net in ('cn2', 'br', 'vn', 'in', 'ua', 'us-host'):
            self.attack(a, rng.ip(net), t, e,
                        lambda s, a=a: self.gumblar(s, a, rng.choice([1, 2])))
            t += dt.timedelta(seconds=rng.randrange(25, 50))

        # 3. Gumblar on the transfer-only server (no login lines at all).
        a = self.victim('web2', used)
        e = self.entry('gumblar', a, 'Russian address, four pages fetched '
                       'and re-uploaded larger; the log has transfers only')
        self.attack(a, rng.ip('ru'), D(20, 11, 5), e,
                    lambda s, a=a: self.gumblar(s, a, 4))

        # 4. Gumblar over SFTP.
        a = self.victim('web3', used, ('static', 'php', 'wordpress'))
        e = self.entry('gumblar-sftp', a, 'Brazilian address over SFTP, '
                       'three files read and written back larger')
        self.attack(a, rng.ip('br'), D(23, 20, 47), e,
                    lambda s, a=a: self.gumblar(s, a, 3))

        # 5. Web shell dropped into the images folder from a Russian host.
        a = self.victim('web1', used, ('static', 'php'))
        e = self.entry('webshell', a, 'new .php in images/ from a Russian '
                       'hosting network at 2 a.m.')

        def shell5(s, a=a):
            s.wait(4)
            p = a.root + 'images/thumbs.php'
            a.site[p] = 14211
            s.put(p, 14211)
        self.attack(a, rng.ip('ru-host'), D(19, 2, 14), e, shell5)

        # 6. .htaccess and a script in uploads, transfer-only log.
        a = self.victim('web2', used, ('wordpress',))
        e = self.entry('webshell', a, 'new .htaccess and a .php in '
                       'wp-content/uploads from a Dutch VPS, transfer log '
                       'only')

        def shell6(s, a=a):
            for p, n in ((a.root + '.htaccess', 812),
                         (a.root + 'wp-content/uploads/2026/11/wp-cache.php',
                          23110)):
                s.wait(rng.randrange(2, 9))
                a.site[p] = n
                s.put(p, n)
        self.attack(a, rng.ip('nl-host'), D(27, 16, 30), e, shell6)

        # 7. Credential stuffing: one address, five accounts, minutes.
        ip = rng.ip('us-host')
        t = D(25, 22, 10)
        for i in range(7):
            a = self.victim('web1', used)
            if i in (2, 5):        # stale password: fails, nothing more
                self.plan(t, lambda a=a, t=t, ip=ip: Session(
                    a.srv, a.user, ip, t, fails=1, login=False,
                    tag='stuffing-failed', record=self.sessions).close())
                used.discard(a.user)
            else:
                e = self.entry('credential-stuffing', a, 'one US hosting '
                               'address logs into five accounts within '
                               'minutes' + (', drops a script' if i in (1, 4)
                                            else ', only looks'))

                def stuff(s, a=a, i=i):
                    s.wait(rng.randrange(3, 20))
                    if i in (1, 4):
                        p = a.image_dir() + ('11/' if a.kind == 'wordpress'
                                             else '') + 'cache-img.php'
                        a.site[p] = 9012
                        s.put(p, 9012)
                self.attack(a, ip, t, e, stuff)
            t += dt.timedelta(seconds=rng.randrange(60, 200))

        # 8. Brute force from one address that finally gets in.
        a = self.victim('web1', used, ('wordpress',))
        ip = rng.ip('vn')
        e = self.entry('brute-force-success', a, 'one Vietnamese address '
                       'guesses for an hour, gets in, drops a script in '
                       'uploads and rewrites index.php')
        t = D(29, 0, 50)
        for _ in range(16):
            self.plan(t, lambda a=a, t=t, ip=ip: Session(
                a.srv, a.user, ip, t, fails=3, login=False,
                tag='attack-brute', record=None).close())
            t += dt.timedelta(seconds=rng.randrange(150, 260))

        def brute8(s, a=a):
            s.wait(5)
            p = a.root + 'wp-content/uploads/2026/12/sx.php'
            s.mkdir(a.root + 'wp-content/uploads/2026/12')
            a.site[p] = 30122
            s.put(p, 30122)
            p = a.root + 'index.php'
            a.site[p] += 350
            s.put(p, a.site[p])
        self.attack(a, ip, t, e, brute8, fails=2)

        # 9. The same over SSH, then a script renamed into place.
        a = self.victim('web3', used)
        ip = rng.ip('cn')
        e = self.entry('brute-force-success-sftp', a, 'one Chinese address '
                       'guesses SSH passwords, gets in, uploads a temp file '
                       'and renames it to a .php in the uploads folder')
        t = D(32, 3, 2)
        for _ in range(10):
            self.plan(t, lambda a=a, t=t, ip=ip: Session(
                a.srv, a.user, ip, t, fails=4, login=False,
                tag='attack-brute', record=None).close())
            t += dt.timedelta(seconds=rng.randrange(30, 90))

        def brute9(s, a=a):
            s.wait(3)
            d = a.image_dir() + ('12/' if a.kind == 'wordpress' else '')
            s.put(d + 'upd.php', 40961, via=a.root + '.tmp8812')
        self.attack(a, ip, t, e, brute9, fails=1)

        # 10. Same country, new provider, 3 a.m.: mirror then rewrite.
        a = self.victim('web1', used, ('wordpress',), ('office', 'rare'))
        e = self.entry('night-rewrite', a, 'Belgian VPS (a provider the '
                       'account never used) at 3 a.m. fetches the site, then '
                       'minutes later overwrites 30+ pages')
        self.attack(a, rng.ip('be-vps'), D(35, 3, 12), e,
                    lambda s, a=a: self.rewrite(s, a, 40))

        # 11. The same over SFTP with a smaller site.
        a = self.victim('web3', used, ('php', 'wordpress'),
                        ('office', 'home', 'rare'))
        e = self.entry('night-rewrite-sftp', a, 'Belgian address of another '
                       'provider at 3 a.m., SFTP, fetches pages and rewrites '
                       'them a few minutes later')
        other = 'voo' if a.isp != 'voo' else 'telenet'
        self.attack(a, rng.ip(other), D(38, 3, 40), e,
                    lambda s, a=a: self.rewrite(s, a, 15))

        # 12. Gumblar against a customer of the agency, in office hours.
        pool = [x for x in self.accounts if x.agency and x.user not in used
                and x.kind != 'app' and x.srv.kind != 'xferlog']
        a = self.rng.choice(pool)
        used.add(a.user)
        e = self.entry('gumblar', a, 'agency customer, two Ukrainian '
                       'addresses a minute apart at 10 a.m., pages '
                       're-uploaded larger')
        for k, ip in enumerate((rng.ip('ua'), rng.ip('ua'))):
            self.attack(a, ip, D(30, 10, 15 + k), e,
                        lambda s, a=a: self.gumblar(s, a, 2))

        # 13. Hidden script at the site root over SFTP, plus an include.
        a = self.victim('web3', used, ('php', 'wordpress'))
        e = self.entry('webshell-sftp', a, 'Turkish address over SFTP drops '
                       'a hidden .php at the root and re-uploads index.php '
                       'with an include within seconds')

        def shell13(s, a=a):
            p = a.root + '.config.php'
            s.put(p, 6100)
            a.site[p] = 6100
            self.gumblar(s, a, 1, fast=(2, 6))
        self.attack(a, rng.ip('tr'), D(33, 14, 2), e, shell13)

    def rewrite(self, s, a, n):
        rng = self.rng
        pages = [p for p in site_pages(a.site) if not p.endswith('.css')]
        picks = rng.sample(pages, min(n, len(pages)))
        for p in picks:
            s.wait(rng.randrange(0, 2))
            s.get(p, a.site[p])
        s.wait(rng.randrange(150, 300))
        for p in picks:
            s.wait(rng.randrange(0, 2))
            a.site[p] += rng.randrange(300, 1500)
            s.put(p, a.site[p])

    # --------------------------------------------------------- output

    def run(self):
        self.habits()
        self.botnets()
        self.attacks()
        self.cron()
        for t, _, fn in sorted(self.plans, key=lambda x: (x[0], x[1])):
            fn()

    def write(self, out):
        logs = os.path.join(out, 'logs')
        end = START + dt.timedelta(days=DAYS)
        # Weekly rotation on Monday mornings.
        cuts = [START + dt.timedelta(days=7 * k, hours=6, minutes=25)
                for k in range(1, DAYS // 7)]
        for srv in self.servers.values():
            d = os.path.join(logs, srv.name)
            os.makedirs(d, exist_ok=True)
            lines = sorted(srv.lines, key=lambda x: (x[0], x[1]))
            lines = [x for x in lines if x[0] < end]
            chunks = []
            lo = START
            for hi in cuts + [end]:
                chunks.append(([x[2] for x in lines if lo <= x[0] < hi], hi))
                lo = hi
            base = {'vsftpd': 'vsftpd.log', 'xferlog': 'xferlog',
                    'sftp': 'auth.log'}[srv.kind]
            n = len(chunks)
            for k, (text, hi) in enumerate(chunks):
                age = n - 1 - k          # 0 = current file
                if srv.kind == 'sftp':   # dateext
                    name = base if age == 0 else \
                        f'{base}-{hi:%Y%m%d}'
                else:
                    name = base if age == 0 else f'{base}.{age}'
                body = ''.join(x + '\n' for x in text).encode()
                path = os.path.join(d, name)
                if age >= 2:             # delaycompress
                    path += '.gz'
                    with open(path, 'wb') as f:
                        with gzip.GzipFile(filename='', mode='wb', fileobj=f,
                                           mtime=0) as g:
                            g.write(body)
                else:
                    with open(path, 'wb') as f:
                        f.write(body)
                mt = (min(hi, end) - UTC_OFFSET).replace(
                    tzinfo=dt.timezone.utc).timestamp()
                os.utime(path, (mt, mt))
        for e in self.truth:
            e['ips'] = sorted({s['ip'] for s in e['sessions']})
            e['start'] = min(s['start'] for s in e['sessions'])
            e['end'] = max(s['end'] for s in e['sessions'])
            e['writes'] = sorted({w for s in e['sessions']
                                  for w in s['writes']})
        doc = {
            'seed': self.seed, 'timezone': TZ,
            'start': utc(START), 'end': utc(end),
            'networks': [f'{v[0]}={v[1]}:{v[2]}:{v[3]}'
                         for v in NETS.values()],
            'compromises': self.truth,
            'brute_force_only_ips': sorted(self.brute_ips),
            'agency_ip': self.agency_ip,
            'accounts': [{'server': a.srv.name, 'host': a.srv.host,
                          'user': a.user, 'persona': a.persona,
                          'site': a.kind, 'developer': a.developer,
                          'agency': a.agency,
                          'holiday': list(a.holiday) if a.holiday else None,
                          'deploy_runner': a.night_deploy}
                         for a in self.accounts],
            'sessions': sorted(self.sessions,
                               key=lambda s: (s['start'], s['server'],
                                              s['user'], s['ip'])),
        }
        with open(os.path.join(out, 'truth.json'), 'w') as f:
            json.dump(doc, f, indent=1, sort_keys=True)
            f.write('\n')
        return doc


def generate(out, seed=20261102):
    sc = Scenario(seed)
    sc.run()
    return sc.write(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('outdir')
    ap.add_argument('--seed', type=int, default=20261102)
    args = ap.parse_args()
    doc = generate(args.outdir, args.seed)
    print(f"{len(doc['accounts'])} accounts, {len(doc['sessions'])} "
          f"sessions, {len(doc['compromises'])} compromises")


if __name__ == '__main__':
    main()
