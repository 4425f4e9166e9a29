#!/usr/bin/env python3
"""`ftpaudit scan --format ndjson|ocsf [--events]`: every line is UTF-8
JSON; ECS lines conform to ecs-schema.json (derived from the ECS
reference); OCSF lines carry their class's required attributes and
consistent uids; both streams say the same as the JSON report, and the
event records of the two streams describe the same events.

Inputs: the demo, a hostile copy of it (quotes, backslashes, invalid
UTF-8, IPv6, a brute force, the vsftpd trap fixture), every fixture under
testdata/, and the demo break-in from a non-address.

  siem_test.py FTPAUDIT SOURCE_ROOT"""
import copy
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import ocsf_check  # noqa: E402
import siemlib  # noqa: E402
from schema_check import Checker  # noqa: E402
from siemlib import check, dig, epoch_ms, is_ip  # noqa: E402

ECS_SEVERITY = {'info': 1, 'low': 21, 'medium': 47, 'high': 73,
                'critical': 99}
OCSF_SEVERITY = {'info': 1, 'low': 2, 'medium': 3, 'high': 4, 'critical': 5}

# What each ECS action becomes in OCSF: (class_uid, activity_id).
OCSF_OF = {'login': (3002, 1), 'logout': (3002, 2), 'upload': (1001, 1),
           'download': (1001, 2), 'delete': (1001, 4), 'rename': (1001, 5),
           'mkdir': (1001, 1), 'rmdir': (1001, 4), 'chmod': (1001, 6),
           'connect': (4001, 1), 'command': (4001, 6), 'none': (4001, 99)}
OCSF_STATUS = {'success': 1, 'failure': 2, 'unknown': 0}


def jsonschema_validator(schema):
    """A validator from the jsonschema package when it is installed (a
    second opinion on the schema), else None."""
    try:
        import jsonschema
    except ImportError:
        return None
    fc = jsonschema.FormatChecker(formats=())
    fc.checks('ip')(is_ip)
    fc.checks('date-time')(lambda s: siemlib.parse_time(s) is not None)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=fc)


def check_ecs_lines(name, docs, checker, second):
    bad = 0
    for i, d in enumerate(docs):
        errs = checker.errors(d)
        if errs:
            bad += 1
            if bad <= 3:
                print(f'  {name} line {i + 1}: {errs[:4]}')
        if second is not None:
            other = [e.message for e in second.iter_errors(d)]
            check(bool(errs) == bool(other),
                  f'{name} line {i + 1}: jsonschema disagrees: {other[:3]}')
    check(bad == 0, f'{name}: {bad} of {len(docs)} lines break the ECS '
                    'schema')


def check_ocsf_lines(name, docs):
    bad = 0
    for i, d in enumerate(docs):
        errs = ocsf_check.errors(d)
        if errs:
            bad += 1
            if bad <= 3:
                print(f'  {name} line {i + 1}: {errs[:4]}')
    check(bad == 0, f'{name}: {bad} of {len(docs)} lines break OCSF')


def split(docs, key):
    """Records before findings: (events, findings), and whether every
    event came before the first finding."""
    kinds = [key(d) for d in docs]
    ev = [d for d, k in zip(docs, kinds) if k == 'event']
    fi = [d for d, k in zip(docs, kinds) if k != 'event']
    first = kinds.index('finding') if 'finding' in kinds else len(kinds)
    return ev, fi, all(k == 'event' for k in kinds[:first]) and \
        all(k == 'finding' for k in kinds[first:])


def ecs_kind(d):
    return 'finding' if dig(d, 'event.kind') == 'alert' else 'event'


def ocsf_kind(d):
    return 'finding' if d.get('class_uid') == 2004 else 'event'


def check_alert(name, a, f):
    """One ECS alert against its finding in the JSON report."""
    what = f'{name} alert {f["rule"]}/{f["user"]}'
    check(a['@timestamp'] == f['first_seen'], f'{what}: @timestamp')
    check(dig(a, 'event.end') == f['last_seen'], f'{what}: event.end')
    check(dig(a, 'event.action') == f['rule'] == dig(a, 'rule.id'),
          f'{what}: event.action and rule.id')
    check(dig(a, 'event.risk_score') == f['score'], f'{what}: risk_score')
    check(dig(a, 'event.severity') == ECS_SEVERITY[f['severity']],
          f'{what}: event.severity {dig(a, "event.severity")}')
    check(dig(a, 'user.name') == (f['user'] or None), f'{what}: user.name')
    check(dig(a, 'host.name') == (f['host'] or None), f'{what}: host.name')
    check(a['message'] == '; '.join(f['reasons']), f'{what}: message')
    src = f.get('source') or {}
    ip = src.get('ip')
    check(dig(a, 'source.address') == ip, f'{what}: source.address')
    if ip and is_ip(ip):
        check(dig(a, 'source.ip') == ip and
              ip in dig(a, 'related.ip', []), f'{what}: source.ip')
    else:
        check(dig(a, 'source.ip') is None and
              dig(a, 'related.ip') is None, f'{what}: no IP field')
    check(dig(a, 'source.geo.country_iso_code') == src.get('country'),
          f'{what}: country')
    check(dig(a, 'source.as.number') == src.get('asn'), f'{what}: ASN')
    check(dig(a, 'source.as.organization.name') == src.get('as_org'),
          f'{what}: AS organization')
    files = f['files']
    check(dig(a, 'file.path') == (files[0] if files else None),
          f'{what}: file.path is the first file')
    check(dig(a, 'ftpaudit.files') == files, f'{what}: ftpaudit.files')
    check(dig(a, 'ftpaudit.rules') == f['rules'], f'{what}: rules')
    check(dig(a, 'ftpaudit.evidence') == f['evidence'], f'{what}: evidence')
    check(dig(a, 'log.file.path') == f['evidence'][0]['file'],
          f'{what}: log.file.path')
    touches = bool(files) or any(f['counts'][k] for k in
                                 ('uploads', 'downloads', 'deletes'))
    want = ['authentication', 'file'] if touches else ['authentication']
    check(dig(a, 'event.category') == want, f'{what}: category')
    check(dig(a, 'event.outcome') ==
          ('failure' if f['rule'] == 'brute-force' else 'success'),
          f'{what}: outcome')
    techs = f['techniques']
    check(dig(a, 'threat.framework') == 'MITRE ATT&CK', f'{what}: framework')
    check(set(dig(a, 'threat.technique.id', [])) ==
          {t.split('.')[0] for t in techs}, f'{what}: technique ids')
    check(set(dig(a, 'threat.technique.subtechnique.id', [])) ==
          {t for t in techs if '.' in t}, f'{what}: subtechnique ids')
    names = dig(a, 'threat.technique.name', [])
    check(len(names) == len(dig(a, 'threat.technique.id', [])) and
          not set(names) & set(techs), f'{what}: technique names {names}')
    check(len(dig(a, 'threat.tactic.id', [])) ==
          len(dig(a, 'threat.tactic.name', [])) > 0, f'{what}: tactics')
    check(dig(a, 'rule.name') not in (None, '', f['rule']) and
          dig(a, 'rule.description') not in (None, '', f['rule']),
          f'{what}: rule name and description')


def check_finding(name, o, a):
    """One OCSF Detection Finding against the ECS alert of the same
    finding."""
    what = f'{name} finding {dig(a, "rule.id")}'
    info = o.get('finding_info', {})
    check(info.get('uid') == dig(a, 'event.id') == dig(o, 'metadata.uid'),
          f'{what}: uid')
    check(o['time'] == epoch_ms(a['@timestamp']) == o.get('start_time') ==
          info.get('first_seen_time'), f'{what}: time')
    check(o.get('end_time') == epoch_ms(dig(a, 'event.end')) ==
          info.get('last_seen_time'), f'{what}: end_time')
    check(o['severity_id'] ==
          OCSF_SEVERITY[dig(a, 'ftpaudit.severity')], f'{what}: severity')
    check(o.get('risk_score') == dig(a, 'event.risk_score'),
          f'{what}: risk_score')
    check(dig(info, 'analytic.uid') == dig(a, 'rule.id') and
          dig(info, 'analytic.name') == dig(a, 'rule.name') and
          info.get('desc') == dig(a, 'rule.description'),
          f'{what}: analytic')
    attacks = info.get('attacks', [])
    check({dig(x, 'technique.uid') for x in attacks} ==
          set(dig(a, 'threat.technique.id', [])), f'{what}: techniques')
    check({dig(x, 'sub_technique.uid') for x in attacks} - {None} ==
          set(dig(a, 'threat.technique.subtechnique.id', [])),
          f'{what}: sub-techniques')
    check([r.get('name') for r in o.get('resources', [])] ==
          dig(a, 'ftpaudit.files'), f'{what}: resources are the files')
    ev = (o.get('evidences') or [{}])[0]
    check(dig(ev, 'actor.user.name') == dig(a, 'user.name'),
          f'{what}: evidence user')
    addr = dig(ev, 'src_endpoint.ip') or dig(ev, 'src_endpoint.hostname')
    check(addr == dig(a, 'source.address') and
          dig(ev, 'src_endpoint.ip') == dig(a, 'source.ip'),
          f'{what}: evidence address')
    check(dig(ev, 'src_endpoint.location.country') ==
          dig(a, 'source.geo.country_iso_code'), f'{what}: evidence country')
    check(o.get('message') == a['message'], f'{what}: message')


def check_event_pair(name, i, e, o):
    """One event in both streams."""
    what = f'{name} event {i + 1}'
    action = dig(e, 'event.action')
    outcome = dig(e, 'event.outcome')
    want = OCSF_OF.get(action)
    if action == 'connect' and outcome == 'failure':
        want = (4001, 5)
    got = (o.get('class_uid'), o.get('activity_id'))
    if not check(got == want, f'{what}: {action} became {got}'):
        return
    check(o['time'] == epoch_ms(e['@timestamp']), f'{what}: time')
    check(o.get('status_id') == OCSF_STATUS[outcome], f'{what}: status')
    check(o.get('raw_data') == dig(e, 'event.original'), f'{what}: raw_data')
    check(dig(o, 'metadata.log_name') == dig(e, 'log.file.path') and
          dig(o, 'unmapped.line') == dig(e, 'log.file.line'),
          f'{what}: where from')
    user = dig(e, 'user.name')
    cls = o['class_uid']
    if cls == 3002:
        got_user = dig(o, 'user.name') or None
        ep = o.get('src_endpoint')
    elif cls == 1001:
        got_user = dig(o, 'actor.user.name')
        ep = dig(o, 'unmapped.src_endpoint')
        check(dig(o, 'file.path', '') == dig(e, 'file.path', ''),
              f'{what}: file path')
        if action == 'rename':
            check(dig(o, 'file_result.path') ==
                  dig(e, 'ftpaudit.target_path'), f'{what}: new name')
    else:
        got_user = dig(o, 'unmapped.user')
        ep = o.get('src_endpoint')
    check(got_user == user, f'{what}: user {got_user!r} != {user!r}')
    addr = dig(e, 'source.ip') or dig(e, 'source.domain')
    got_addr = ep and (ep.get('ip') or ep.get('hostname'))
    check(got_addr == addr, f'{what}: address {got_addr!r} != {addr!r}')
    check((ep or {}).get('port') == dig(e, 'source.port'), f'{what}: port')


def self_tests(checker, second, alert, auth_event):
    """The checks can fail: broken copies of good lines are refused."""
    def broken(doc, path, value):
        d = copy.deepcopy(doc)
        *head, last = path.split('.')
        node = d
        for p in head:
            node = node[p]
        if value is KeyError:
            del node[last]
        else:
            node[last] = value
        return d

    cases = [('source.ip', '999.1.1.1'), ('source.ipp', '10.0.0.1'),
             ('event.type', ['creation']), ('event.risk_score', '85'),
             ('event.severity', 73.5), ('event.kind', 'finding'),
             ('event.category', ['login']), ('@timestamp', '2026-11-04 03'),
             ('threat.technique.id', ['T1565.001']), ('rule.name', KeyError),
             ('related.ip', ['not-an-ip']), ('source.geo.country_iso_code',
                                            'cn')]
    for path, value in cases:
        d = broken(alert, path, value)
        check(checker.errors(d), f'schema refuses {path}={value!r}')
        if second is not None:
            check(not second.is_valid(d),
                  f'jsonschema refuses {path}={value!r}')
    good = copy.deepcopy(alert)
    check(not checker.errors(good), 'an intact alert passes')
    for path, value in [('type_uid', 300202), ('metadata.product',
                                                KeyError),
                        ('user', KeyError), ('time', 1793762264),
                        ('category_uid', 4), ('activity_name', 'Logoff'),
                        ('src_endpoint.ip', '1.2'), ('service', KeyError),
                        ('status', 'Failure'), ('is_alert', True)]:
        d = broken(auth_event, path, value)
        if path == 'service':
            d.pop('dst_endpoint', None)
        check(ocsf_check.errors(d), f'OCSF check refuses {path}={value!r}')
    check(not ocsf_check.errors(auth_event), 'an intact OCSF record passes')


def main():
    exe, src = sys.argv[1], sys.argv[2]
    s = siemlib.Setup(exe, src)
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, 'ecs-schema.json'), encoding='utf-8') as f:
        schema = json.load(f)
    checker = Checker(schema)
    second = jsonschema_validator(schema)
    if second is None:
        print('note: python3-jsonschema not installed; the built-in '
              'checker alone judges the ECS lines')

    runs = {'demo': [s.demo], 'hostile': [s.hostile],
            'fixtures': [s.testdata]}
    seen = {}
    for name, paths in runs.items():
        report = s.report(*paths)
        nd = s.lines('ndjson', *paths, events=True)
        oc = s.lines('ocsf', *paths, events=True)
        if nd is None or oc is None:
            continue
        check_ecs_lines(name + ' ndjson', nd, checker, second)
        check_ocsf_lines(name + ' ocsf', oc)
        nd_ev, nd_fi, order1 = split(nd, ecs_kind)
        oc_ev, oc_fi, order2 = split(oc, ocsf_kind)
        check(order1 and order2, f'{name}: events come before findings')
        check(len(nd_ev) == len(oc_ev) == report['totals']['events'],
              f'{name}: one event record per event ({len(nd_ev)}, '
              f'{len(oc_ev)}, {report["totals"]["events"]})')
        check(len(nd_fi) == len(oc_fi) == len(report['findings']),
              f'{name}: one record per finding')
        for a, f in zip(nd_fi, report['findings']):
            check_alert(name, a, f)
        for o, a in zip(oc_fi, nd_fi):
            check_finding(name, o, a)
        for i, (e, o) in enumerate(zip(nd_ev, oc_ev)):
            check_event_pair(name, i, e, o)
        ids = [dig(a, 'event.id') for a in nd_fi]
        check(len(set(ids)) == len(ids), f'{name}: finding ids are unique')
        seen[name] = (report, nd_fi, oc_fi, oc_ev)

        # Without --events only the findings are written.
        only = s.lines('ndjson', *paths)
        check(only is not None and
              [dig(a, 'event.id') for a in only] == ids,
              f'{name}: ndjson without --events is the alerts alone')
        only = s.lines('ocsf', *paths)
        check(only is not None and
              [dig(o, 'finding_info.uid') for o in only] == ids,
              f'{name}: ocsf without --events is the findings alone')

    if 'demo' in seen:
        report, alerts, findings, _ = seen['demo']
        a = alerts[0]
        check(dig(a, 'user.name') == 'webmaster' and
              dig(a, 'rule.id') == 'stolen-credential-login' and
              dig(a, 'event.severity') in (73, 99), 'demo: the break-in alert')
        check(dig(a, 'source.geo.country_iso_code') == 'CN' and
              dig(a, 'source.as.number') == 4134 and
              dig(a, 'source.as.organization.name') == 'Chinanet test',
              'demo: GeoIP and ASN in the alert')
        check(dig(findings[0], 'evidences')[0]['src_endpoint'] ==
              {'ip': '203.0.113.77', 'location': {'country': 'CN'},
               'autonomous_system': {'number': 4134,
                                     'name': 'Chinanet test'}},
              'demo: GeoIP and ASN in the OCSF evidence')
        # Same logs, same ids: a SIEM can drop a re-sent finding.
        again = s.lines('ndjson', s.demo)
        check(again is not None and [dig(x, 'event.id') for x in again] ==
              [dig(x, 'event.id') for x in alerts], 'demo: ids are stable')

    if 'hostile' in seen:
        report, alerts, findings, oc_ev = seen['hostile']
        user = siemlib.HOSTILE_USER.decode('utf-8', 'replace')
        mine = [a for a in alerts if dig(a, 'event.action') ==
                'stolen-credential-login']
        check(len(mine) == 1, 'hostile: the break-in is still found')
        if mine:
            a = mine[0]
            check(dig(a, 'user.name') == user and '"' in user and
                  '\ufffd' in user, f'hostile: user {dig(a, "user.name")!r}')
            check(dig(a, 'source.ip') == siemlib.HOSTILE_IP and
                  dig(a, 'source.geo.country_iso_code') == 'NL' and
                  dig(a, 'source.as.organization.name') ==
                  'KPN "quoted" \\ org', 'hostile: IPv6 source with geo')
            check(any('"' in p and '\ufffd' in p
                      for p in dig(a, 'ftpaudit.files')),
                  'hostile: the quoted, invalid path is listed')
        brute = [a for a in alerts if dig(a, 'rule.id') == 'brute-force']
        check(len(brute) == 1, 'hostile: brute force alert')
        if brute:
            b = brute[0]
            check(dig(b, 'event.outcome') == 'failure' and
                  dig(b, 'event.category') == ['authentication'] and
                  dig(b, 'event.severity') == 1 and
                  dig(b, 'threat.technique.id') == ['T1110'] and
                  dig(b, 'threat.tactic.id') == ['TA0006'] and
                  dig(b, 'source.ip') == siemlib.BRUTE_IP,
                  'hostile: brute force is a failed authentication, T1110')
        names = {dig(o, 'user.name') for o in oc_ev
                 if o['class_uid'] == 3002}
        check(any('\ufffd' in n and '"' in n for n in names),
              'hostile: invalid bytes reach OCSF as U+FFFD')

    if 'fixtures' in seen:
        _, _, _, oc_ev = seen['fixtures']
        got = {(o['class_uid'], o['activity_id']) for o in oc_ev}
        for want in [(3002, 1), (3002, 2), (1001, 1), (1001, 2), (1001, 4),
                     (1001, 5), (1001, 6), (4001, 1), (4001, 5),
                     (4001, 6)]:
            check(want in got, f'fixtures: OCSF {want} written')
        renames = [o for o in oc_ev if o['activity_id'] == 5 and
                   o['class_uid'] == 1001]
        check(renames and all('file_result' in o for o in renames
                              if o['status_id'] == 1),
              'fixtures: renames carry the new name')
        folders = [o for o in oc_ev if o['class_uid'] == 1001 and
                   dig(o, 'file.type_id') == 2]
        check(folders, 'fixtures: mkdir/rmdir are folders')

    # A client "address" that is none must not reach an IP field.
    report = s.report(s.badip)
    nd = s.lines('ndjson', s.badip)
    oc = s.lines('ocsf', s.badip)
    if nd and oc:
        check_ecs_lines('badip ndjson', nd, checker, second)
        check_ocsf_lines('badip ocsf', oc)
        for a, f in zip(nd, report['findings']):
            check_alert('badip', a, f)
        check(dig(nd[0], 'source.address') == '999.1.1.1' and
              dig(nd[0], 'source.domain') == '999.1.1.1' and
              dig(nd[0], 'source.ip') is None, 'badip: address, not ip')
        check(dig(oc[0], 'evidences')[0]['src_endpoint'] ==
              {'hostname': '999.1.1.1'}, 'badip: OCSF hostname, not ip')

    # No finding, no line.
    quiet = os.path.join(s.tmp, 'quiet.log')
    with open(os.path.join(s.demo, 'vsftpd.log'), 'rb') as f:
        head = b''.join(f.readlines()[:4])
    with open(quiet, 'wb') as f:
        f.write(head)
    for fmt in ('ndjson', 'ocsf'):
        rc, out, err = s.run(fmt, quiet)
        check(rc == 0 and out == b'', f'{fmt}: nothing for a quiet log')

    if 'demo' in seen:
        auth = next(o for o in seen['demo'][3] if o['class_uid'] == 3002)
        self_tests(checker, second, seen['demo'][1][0], auth)
    return siemlib.summary()


if __name__ == '__main__':
    sys.exit(main())
