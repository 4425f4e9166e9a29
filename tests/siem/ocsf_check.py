"""Checks of OCSF 1.x records: the base event's required attributes, the
uid arithmetic, the enums and captions, and each class's required
attributes, for the four classes ftpaudit writes.  Taken from the OCSF
schema (events/base_event.json, the class files and the enums they
include); standard library only."""
import re

from siemlib import is_ip

CATEGORIES = {1: 'System Activity', 2: 'Findings',
              3: 'Identity & Access Management', 4: 'Network Activity'}

# class_uid: category, caption, activity captions (0 Unknown and 99 Other
# are valid for every class).
CLASSES = {
    1001: (1, 'File System Activity', {
        1: 'Create', 2: 'Read', 3: 'Update', 4: 'Delete', 5: 'Rename',
        6: 'Set Attributes', 7: 'Set Security', 8: 'Get Attributes',
        9: 'Get Security', 10: 'Encrypt', 11: 'Decrypt', 12: 'Mount',
        13: 'Unmount', 14: 'Open'}),
    2004: (2, 'Detection Finding', {1: 'Create', 2: 'Update', 3: 'Close'}),
    3002: (3, 'Authentication', {
        1: 'Logon', 2: 'Logoff', 3: 'Authentication Ticket',
        4: 'Service Ticket Request', 5: 'Service Ticket Renew',
        6: 'Preauth'}),
    4001: (4, 'Network Activity', {
        1: 'Open', 2: 'Close', 3: 'Reset', 4: 'Fail', 5: 'Refuse',
        6: 'Traffic', 7: 'Listen'}),
}

SEVERITIES = {0: 'Unknown', 1: 'Informational', 2: 'Low', 3: 'Medium',
              4: 'High', 5: 'Critical', 6: 'Fatal', 99: 'Other'}
STATUS = {0: 'Unknown', 1: 'Success', 2: 'Failure', 99: 'Other'}
FINDING_STATUS = {0: 'Unknown', 1: 'New', 2: 'In Progress',
                  3: 'Suppressed', 4: 'Resolved', 99: 'Other'}
FILE_TYPES = {0: 'Unknown', 1: 'Regular File', 2: 'Folder',
              3: 'Character Device', 4: 'Block Device', 5: 'Local Socket',
              6: 'Named Pipe', 7: 'Symbolic Link', 99: 'Other'}
DEVICE_TYPES = {0: 'Unknown', 1: 'Server', 2: 'Desktop', 3: 'Laptop',
                4: 'Tablet', 5: 'Mobile', 6: 'Virtual', 7: 'IOT',
                8: 'Browser', 9: 'Firewall', 10: 'Switch', 11: 'Hub',
                99: 'Other'}

# The attributes each class defines in OCSF 1.3 (base event first); a
# name outside these is a typo or an attribute of another version.
BASE = {'activity_id', 'activity_name', 'category_name', 'category_uid',
        'class_name', 'class_uid', 'count', 'duration', 'end_time',
        'enrichments', 'message', 'metadata', 'observables', 'raw_data',
        'severity', 'severity_id', 'start_time', 'status', 'status_code',
        'status_detail', 'status_id', 'time', 'timezone_offset',
        'type_name', 'type_uid', 'unmapped'}
CLASS_ATTRS = {
    1001: {'actor', 'device', 'file', 'file_result', 'access_mask',
           'component', 'connection_uid', 'create_mask', 'file_diff'},
    2004: {'finding_info', 'evidences', 'resources', 'risk_score',
           'risk_level', 'risk_level_id', 'confidence', 'confidence_id',
           'confidence_score', 'impact', 'impact_id', 'impact_score',
           'remediation', 'vulnerabilities', 'malware', 'device'},
    3002: {'user', 'is_remote', 'service', 'src_endpoint', 'dst_endpoint',
           'session', 'auth_protocol', 'auth_protocol_id', 'logon_type',
           'logon_type_id', 'is_mfa', 'is_new_logon', 'logon_process',
           'actor', 'certificate'},
    4001: {'src_endpoint', 'dst_endpoint', 'connection_info', 'traffic',
           'proxy', 'tls', 'app_name', 'url'},
}

# 2000-01-01 .. 2100-01-01 in milliseconds: a stamp in seconds or
# microseconds falls outside.
TIME_MIN, TIME_MAX = 946684800000, 4102444800000


def _int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def _endpoint(ep, where, errs):
    if not isinstance(ep, dict) or not ep:
        errs.append(f'{where}: not a non-empty object')
        return
    if 'ip' in ep and not is_ip(ep['ip']):
        errs.append(f'{where}.ip: {ep["ip"]!r} is not an IP address')
    if 'port' in ep and not (_int(ep['port']) and 0 <= ep['port'] <= 65535):
        errs.append(f'{where}.port: {ep["port"]!r}')
    for k in ('hostname', 'svc_name'):
        if k in ep and not isinstance(ep[k], str):
            errs.append(f'{where}.{k}: not a string')
    if not {'ip', 'hostname', 'svc_name', 'port'} & set(ep):
        errs.append(f'{where}: neither address nor name')
    loc = ep.get('location')
    if loc is not None and not re.fullmatch(r'[A-Z]{2}',
                                            str(loc.get('country'))):
        errs.append(f'{where}.location.country: {loc!r}')
    asys = ep.get('autonomous_system')
    if asys is not None and 'number' in asys and not _int(asys['number']):
        errs.append(f'{where}.autonomous_system.number: not an integer')


def _caption(doc, id_key, name_key, table, errs):
    v = doc.get(id_key)
    if not _int(v) or v not in table:
        errs.append(f'{id_key}: {v!r} not in the enum')
    elif name_key in doc and doc[name_key] != table[v]:
        errs.append(f'{name_key}: {doc[name_key]!r} is not {table[v]!r}')


def _file(f, where, errs):
    if not isinstance(f, dict):
        errs.append(f'{where}: not an object')
        return
    if not isinstance(f.get('name'), str):
        errs.append(f'{where}.name: required string')
    _caption(f, 'type_id', 'type', FILE_TYPES, errs)
    if 'size' in f and not (_int(f['size']) and f['size'] >= 0):
        errs.append(f'{where}.size: {f["size"]!r}')


def errors(doc):
    """Every violation of one OCSF record; empty when it conforms."""
    errs = []
    for k in ('class_uid', 'category_uid', 'activity_id', 'type_uid',
              'time', 'severity_id', 'metadata'):
        if k not in doc:
            errs.append(f'{k} is missing')
    if errs:
        return errs
    cls, act = doc['class_uid'], doc['activity_id']
    if cls not in CLASSES:
        return [f'class_uid {cls!r} is not one ftpaudit writes']
    cat, cname, acts = CLASSES[cls]
    if not _int(act) or act not in set(acts) | {0, 99}:
        errs.append(f'activity_id {act!r} not in the {cname} enum')
    elif act in acts and doc.get('activity_name') != acts[act]:
        errs.append(f'activity_name {doc.get("activity_name")!r}')
    elif act == 99 and not doc.get('activity_name'):
        errs.append('activity 99 (Other) needs activity_name')
    if doc['type_uid'] != cls * 100 + act:
        errs.append(f'type_uid {doc["type_uid"]} != {cls} * 100 + {act}')
    if doc.get('type_name') != f'{cname}: {doc.get("activity_name")}':
        errs.append(f'type_name {doc.get("type_name")!r}')
    if doc['category_uid'] != cat:
        errs.append(f'category_uid {doc["category_uid"]} for class {cls}')
    if doc.get('class_name') != cname:
        errs.append(f'class_name {doc.get("class_name")!r}')
    if doc.get('category_name') != CATEGORIES.get(cat):
        errs.append(f'category_name {doc.get("category_name")!r}')
    for k in ('time', 'start_time', 'end_time'):
        if k in doc and not (_int(doc[k]) and
                             TIME_MIN <= doc[k] < TIME_MAX):
            errs.append(f'{k}: {doc[k]!r} is not epoch milliseconds')
    _caption(doc, 'severity_id', 'severity', SEVERITIES, errs)
    if 'status_id' in doc:
        _caption(doc, 'status_id', 'status',
                 FINDING_STATUS if cls == 2004 else STATUS, errs)
    if 'timezone_offset' in doc and not (
            _int(doc['timezone_offset']) and
            -1440 <= doc['timezone_offset'] <= 1440):
        errs.append(f'timezone_offset {doc["timezone_offset"]!r}')
    md = doc['metadata']
    if not isinstance(md, dict):
        return errs + ['metadata: not an object']
    if not re.fullmatch(r'1\.[0-9]+\.[0-9]+', str(md.get('version'))):
        errs.append(f'metadata.version {md.get("version")!r} is not 1.x')
    prod = md.get('product')
    if not isinstance(prod, dict):
        errs.append('metadata.product is missing')
    else:
        for k in ('name', 'vendor_name', 'version'):
            if not isinstance(prod.get(k), str) or not prod[k]:
                errs.append(f'metadata.product.{k} is missing')
    extra = set(doc) - BASE - CLASS_ATTRS[cls]
    if extra:
        errs.append(f'attributes not in {cname}: {sorted(extra)}')
    for k in ('src_endpoint', 'dst_endpoint'):
        if k in doc:
            _endpoint(doc[k], k, errs)
    if 'unmapped' in doc and not isinstance(doc['unmapped'], dict):
        errs.append('unmapped: not an object')

    if cls == 3002:
        user = doc.get('user')
        if not isinstance(user, dict) or not isinstance(user.get('name'),
                                                        str):
            errs.append('user (required) with a name')
        if 'service' not in doc and 'dst_endpoint' not in doc:
            errs.append('Authentication needs service or dst_endpoint')
        if 'service' in doc and not isinstance(
                doc['service'].get('name'), str):
            errs.append('service.name')
    elif cls == 1001:
        actor = doc.get('actor')
        if not isinstance(actor, dict) or not (
                {'user', 'process', 'app_name', 'session'} & set(actor)):
            errs.append('actor (required) with a user, process, app or '
                        'session')
        dev = doc.get('device')
        if not isinstance(dev, dict):
            errs.append('device is required')
        else:
            _caption(dev, 'type_id', 'type', DEVICE_TYPES, errs)
        if 'file' not in doc:
            errs.append('file is required')
        else:
            _file(doc['file'], 'file', errs)
        if 'file_result' in doc:
            _file(doc['file_result'], 'file_result', errs)
    elif cls == 4001:
        if 'src_endpoint' not in doc and 'dst_endpoint' not in doc:
            errs.append('Network Activity needs src_endpoint or '
                        'dst_endpoint')
        ci = doc.get('connection_info')
        if ci is not None and not _int(ci.get('direction_id')):
            errs.append('connection_info.direction_id is required')
    elif cls == 2004:
        info = doc.get('finding_info')
        if not isinstance(info, dict):
            errs.append('finding_info is required')
        else:
            if not isinstance(info.get('uid'), str) or not info['uid']:
                errs.append('finding_info.uid is required')
            if not isinstance(info.get('title'), str):
                errs.append('finding_info.title')
            for k in ('first_seen_time', 'last_seen_time'):
                if k in info and not (_int(info[k]) and
                                      TIME_MIN <= info[k] < TIME_MAX):
                    errs.append(f'finding_info.{k}: {info[k]!r}')
            for a in info.get('attacks', []):
                if not {'technique', 'sub_technique', 'tactic'} & set(a):
                    errs.append('attack: technique, sub_technique or '
                                'tactic needed')
                t = a.get('technique', {})
                if 'uid' in t and not re.fullmatch(r'T[0-9]{4}', t['uid']):
                    errs.append(f'attack technique uid {t["uid"]!r}')
                s = a.get('sub_technique', {})
                if 'uid' in s and not re.fullmatch(r'T[0-9]{4}\.[0-9]{3}',
                                                   s['uid']):
                    errs.append(f'attack sub_technique uid {s["uid"]!r}')
                ta = a.get('tactic', {})
                if 'uid' in ta and not re.fullmatch(r'TA[0-9]{4}',
                                                    ta['uid']):
                    errs.append(f'attack tactic uid {ta["uid"]!r}')
        for i, e in enumerate(doc.get('evidences', [])):
            if not {'actor', 'src_endpoint', 'dst_endpoint', 'file',
                    'process', 'device', 'url', 'query'} & set(e):
                errs.append(f'evidences[{i}]: no artifact')
            for k in ('src_endpoint', 'dst_endpoint'):
                if k in e:
                    _endpoint(e[k], f'evidences[{i}].{k}', errs)
        if 'risk_score' in doc and not _int(doc['risk_score']):
            errs.append('risk_score: an integer')
    return errs
