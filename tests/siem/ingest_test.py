#!/usr/bin/env python3
"""The ingest pieces in docs/siem/ against real ftpaudit output:

- elasticsearch/index-template.json: a composable template whose mappings
  cover every field the ndjson stream writes, with types the values fit
  (ip, long, float, date, keyword, boolean) and that agree with the ECS
  schema the stream test uses;
- elasticsearch/ingest-pipeline.json: known processors with their
  documented options, reading fields the stream has and writing fields the
  template maps;
- splunk/props.conf + transforms.conf: parse as Splunk .conf (one '=' per
  setting, no continuation lines), routing names resolve, and the regexes
  and time settings do what they claim on every line of real output.

  ingest_test.py FTPAUDIT SOURCE_ROOT"""
import configparser
import datetime
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import siemlib  # noqa: E402
from siemlib import check, dig, epoch_ms, is_ip, leaves  # noqa: E402

TEMPLATE_KEYS = {'index_patterns', 'template', 'priority', 'version',
                 '_meta', 'composed_of', 'data_stream',
                 'allow_auto_create'}
PIPELINE_KEYS = {'description', 'processors', 'on_failure', 'version',
                 '_meta'}
COMMON = {'if', 'tag', 'description', 'ignore_failure', 'on_failure'}
# The options each processor takes (Elasticsearch ingest processor
# reference).
PROCESSORS = {
    'set': {'field', 'value', 'copy_from', 'override',
            'ignore_empty_value', 'media_type'},
    'append': {'field', 'value', 'allow_duplicates', 'media_type'},
    'fingerprint': {'fields', 'target_field', 'salt', 'method',
                    'ignore_missing'},
    'geoip': {'field', 'target_field', 'database_file', 'properties',
              'ignore_missing', 'first_only'},
}
FINGERPRINT_METHODS = {'MD5', 'SHA-1', 'SHA-256', 'SHA-512', 'MurmurHash3'}
GEOIP_PROPERTIES = {'continent_name', 'country_iso_code', 'country_name',
                    'region_iso_code', 'region_name', 'city_name',
                    'location', 'timezone', 'ip'}

PROPS_KEYS = {'SHOULD_LINEMERGE', 'LINE_BREAKER', 'TRUNCATE', 'TIME_PREFIX',
              'TIME_FORMAT', 'MAX_TIMESTAMP_LOOKAHEAD', 'TZ', 'KV_MODE',
              'INDEXED_EXTRACTIONS', 'CHARSET', 'category', 'description',
              'pulldown_type'}
PROPS_CLASSES = ('TRANSFORMS-', 'FIELDALIAS-', 'EVAL-', 'EXTRACT-',
                 'REPORT-', 'LOOKUP-')
TRANSFORMS_KEYS = {'REGEX', 'FORMAT', 'DEST_KEY', 'SOURCE_KEY',
                   'WRITE_META', 'DEFAULT_VALUE', 'LOOKAHEAD'}


def mapping_of(props, path):
    """The mapping of a dotted field in template properties, or None."""
    node = {'properties': props}
    for part in path.split('.'):
        node = node.get('properties', {}).get(part)
        if node is None:
            return None
    return node


def dynamic_mapping(dyn, path, value):
    for entry in dyn:
        (_, t), = entry.items()
        pat = t.get('path_match')
        if pat and re.fullmatch(re.escape(pat).replace(r'\*', '.*'), path):
            want = t.get('match_mapping_type')
            if want == 'string' and not isinstance(value, str):
                continue
            return t['mapping']
    return None


def fits(es_type, v):
    if es_type in ('keyword', 'match_only_text', 'text', 'wildcard'):
        return isinstance(v, str)
    if es_type == 'ip':
        return is_ip(v)
    if es_type in ('long', 'integer'):
        return isinstance(v, int) and not isinstance(v, bool)
    if es_type in ('float', 'double', 'scaled_float'):
        return isinstance(v, (int, float)) and not isinstance(v, bool)
    if es_type == 'date':
        return siemlib.parse_time(v) is not None
    if es_type == 'boolean':
        return isinstance(v, bool)
    return False


def schema_types(schema, node=None, prefix=''):
    """(field, 'ip'|'date'|'integer'|'number'|'string') from the ECS
    schema, following $ref."""
    node = schema if node is None else node
    if '$ref' in node:
        ref = node['$ref'][2:].split('/')
        target = schema
        for p in ref:
            target = target[p]
        node = dict(target, **{k: v for k, v in node.items()
                               if k != '$ref'})
    if 'properties' in node:
        for k, sub in node['properties'].items():
            yield from schema_types(schema, sub, f'{prefix}.{k}'
                                    if prefix else k)
        return
    if node.get('format') == 'ip':
        yield prefix, 'ip'
    elif node.get('format') == 'date-time':
        yield prefix, 'date'
    elif node.get('type') in ('integer', 'number'):
        yield prefix, node['type']
    elif 'anyOf' in node and any(x.get('$ref') == '#/$defs/ip'
                                 for x in node['anyOf']):
        yield prefix, 'ip'


def test_template(template, schema, streams):
    check(set(template) <= TEMPLATE_KEYS,
          f'template: unknown keys {set(template) - TEMPLATE_KEYS}')
    pats = template.get('index_patterns')
    check(isinstance(pats, list) and pats and
          all(isinstance(p, str) for p in pats), 'template: index_patterns')
    check(isinstance(template.get('priority'), int), 'template: priority')
    mappings = dig(template, 'template.mappings', {})
    props = mappings.get('properties', {})
    dyn = mappings.get('dynamic_templates', [])
    check(props and dig(props, '@timestamp.type') == 'date',
          'template: @timestamp is a date')
    check(dig(template, 'template.settings', {}).get(
        'index.default_pipeline') == 'ftpaudit',
        'template: documents go through the ftpaudit pipeline')

    # Every field the stream writes is mapped, and its values fit.
    unmapped, misfit = set(), set()
    for doc in streams:
        for path, v in leaves(doc):
            m = mapping_of(props, path) or dynamic_mapping(dyn, path, v)
            if m is None or 'type' not in m:
                unmapped.add(path)
            elif not fits(m['type'], v):
                misfit.add(f'{path}={v!r} as {m["type"]}')
    check(not unmapped, f'template: unmapped fields {sorted(unmapped)}')
    check(not misfit, f'template: values that do not fit '
                      f'{sorted(misfit)[:5]}')

    # The template and the ECS schema agree on types.
    es_of = {'ip': {'ip'}, 'date': {'date'}, 'integer': {'long', 'integer'},
             'number': {'float', 'double', 'scaled_float', 'long'}}
    n = 0
    for field, t in schema_types(schema):
        m = mapping_of(props, field)
        if m is not None and 'type' in m:
            n += 1
            check(m['type'] in es_of[t],
                  f'template: {field} is {m["type"]}, schema says {t}')
    check(n >= 15, f'template and schema share typed fields ({n})')
    return props


def test_pipeline(pipe, props, stream_fields):
    check(set(pipe) <= PIPELINE_KEYS,
          f'pipeline: unknown keys {set(pipe) - PIPELINE_KEYS}')
    procs = pipe.get('processors')
    if not check(isinstance(procs, list) and procs, 'pipeline: processors'):
        return
    made = set()   # fields earlier processors create
    for i, p in enumerate(procs + pipe.get('on_failure', [])):
        if not check(isinstance(p, dict) and len(p) == 1,
                     f'pipeline processor {i}: one type per entry'):
            continue
        (kind, opts), = p.items()
        if not check(kind in PROCESSORS,
                     f'pipeline processor {i}: {kind} is not one this '
                     'test knows'):
            continue
        extra = set(opts) - PROCESSORS[kind] - COMMON
        check(not extra, f'pipeline {kind}: unknown options {extra}')
        reads, writes = [], []
        if kind == 'set' or kind == 'append':
            writes.append(opts['field'])
            for ref in re.findall(r'\{\{\{?\s*([\w.@]+)\s*\}?\}\}',
                                  str(opts.get('value', ''))):
                if not ref.startswith('_ingest'):
                    reads.append(ref)
        elif kind == 'fingerprint':
            reads += opts['fields']
            writes.append(opts.get('target_field', 'fingerprint'))
            check(opts.get('method', 'SHA-1') in FINGERPRINT_METHODS,
                  f'pipeline fingerprint: method {opts.get("method")}')
        elif kind == 'geoip':
            reads.append(opts['field'])
            target = opts.get('target_field', 'geoip')
            for prop in opts.get('properties', []):
                check(prop in GEOIP_PROPERTIES,
                      f'pipeline geoip: property {prop}')
                writes.append(f'{target}.{prop}')
        for f in reads:
            check(f in stream_fields or f in made,
                  f'pipeline {kind} reads {f}, which the stream lacks')
        for f in writes:
            made.add(f)
            check(f == '_id' or mapping_of(props, f) is not None,
                  f'pipeline {kind} writes {f}, which the template lacks')
        cond = opts.get('if', '')
        for ref in re.findall(r'ctx\.([\w?.]+)', cond):
            field = ref.replace('?', '').rstrip('.')
            check(field in stream_fields or field in made or
                  any(s.startswith(field + '.') for s in stream_fields),
                  f'pipeline {kind}: condition reads {field}')


def read_conf(path):
    with open(path, encoding='utf-8') as f:
        text = f.read()
    # Splunk has no continuation lines: an indented line would be glued to
    # the setting above by Python's reader but not by Splunk's.
    check(not any(line[:1] in (' ', '\t') and line.strip()
                  for line in text.splitlines()),
          f'{os.path.basename(path)}: no indented lines')
    cp = configparser.ConfigParser(delimiters=('=',), interpolation=None,
                                   comment_prefixes=('#',), strict=True,
                                   empty_lines_in_values=False)
    cp.optionxform = str
    try:
        cp.read_string(text, source=path)
    except configparser.Error as e:
        check(False, f'{path}: {e}')
        return None
    return cp


def splunk_time(fmt, text):
    """Splunk's reading of a stamp for the formats used here."""
    if fmt == '%s%3N':
        if not re.fullmatch(r'[0-9]{13}', text):
            return None
        return datetime.datetime.fromtimestamp(int(text) / 1000,
                                               datetime.timezone.utc)
    try:
        t = datetime.datetime.strptime(text, fmt)
    except ValueError:
        return None
    return t.replace(tzinfo=datetime.timezone.utc)


def test_splunk(props, trans, raw, fields):
    """raw: {'ecs': [line text], 'ocsf': [...]}; fields: {sourcetype:
    set of field paths seen in those lines}."""
    want = {'ftpaudit:ecs', 'ftpaudit:ecs:alert', 'ftpaudit:ocsf',
            'ftpaudit:ocsf:finding'}
    check(set(props.sections()) == want, f'props: stanzas '
                                         f'{props.sections()}')
    check(set(trans.sections()) == {'ftpaudit_ecs_alert',
                                    'ftpaudit_ocsf_finding'},
          f'transforms: stanzas {trans.sections()}')
    for st in props.sections():
        for k, v in props[st].items():
            check(k in PROPS_KEYS or k.startswith(PROPS_CLASSES),
                  f'props [{st}]: unknown setting {k}')
            if k.startswith('TRANSFORMS-'):
                for name in v.split(','):
                    check(trans.has_section(name.strip()),
                          f'props [{st}]: transform {name} is defined')
            if k.startswith('FIELDALIAS-'):
                pairs = re.findall(r'"([^"]+)"\s+AS\s+(\w+)', v)
                check(pairs and len(pairs) == v.count(' AS '),
                      f'props [{st}] {k}: "field" AS name pairs')
                for src, _ in pairs:
                    check(src.replace('{}', '') in fields[st],
                          f'props [{st}]: alias of {src}, not in output')
            if k.startswith('EVAL-'):
                for src in re.findall(r"'([^']+)'", v):
                    check(src in fields[st],
                          f'props [{st}]: eval reads {src}, not in output')
    for name in trans.sections():
        t = trans[name]
        check(set(t) <= TRANSFORMS_KEYS,
              f'transforms [{name}]: unknown settings')
        if t.get('DEST_KEY') == 'MetaData:Sourcetype':
            target = t.get('FORMAT', '')
            check(target.startswith('sourcetype::') and
                  props.has_section(target[len('sourcetype::'):]),
                  f'transforms [{name}]: routes to a known source type')
        try:
            re.compile(t['REGEX'])
        except (re.error, KeyError) as e:
            check(False, f'transforms [{name}]: REGEX {e}')

    # Index-time behaviour on real lines.
    for st, kind, transform in [
            ('ftpaudit:ecs', 'ecs', 'ftpaudit_ecs_alert'),
            ('ftpaudit:ocsf', 'ocsf', 'ftpaudit_ocsf_finding')]:
        p = props[st]
        prefix = re.compile(p['TIME_PREFIX'])
        look = int(p['MAX_TIMESTAMP_LOOKAHEAD'])
        route = re.compile(trans[transform]['REGEX'])
        other = 'ocsf' if kind == 'ecs' else 'ecs'
        bad_time = bad_route = 0
        for line in raw[kind]:
            doc = json.loads(line)
            m = prefix.search(line)
            t = m and splunk_time(p['TIME_FORMAT'],
                                  line[m.end():m.end() + look])
            if kind == 'ecs':
                truth = siemlib.parse_time(doc['@timestamp'])
                ok = t is not None and int(t.timestamp()) == \
                    int(truth.timestamp())
                finding = dig(doc, 'event.kind') == 'alert'
            else:
                ok = t is not None and \
                    round(t.timestamp() * 1000) == doc['time']
                finding = doc['class_uid'] == 2004
            bad_time += not ok
            bad_route += bool(route.search(line)) != finding
        check(bad_time == 0, f'{st}: TIME_PREFIX/TIME_FORMAT read '
                             f'{bad_time} of {len(raw[kind])} stamps wrong')
        check(bad_route == 0, f'{st}: {transform} routes {bad_route} '
                              'lines wrong')
        check(not any(route.search(x) for x in raw[other]),
              f'{transform} leaves the other stream alone')
        check(len(raw[kind]) > 0 and any(route.search(x)
                                         for x in raw[kind]),
              f'{st}: the sample has findings to route')


def main():
    exe, src = sys.argv[1], sys.argv[2]
    s = siemlib.Setup(exe, src)
    here = os.path.dirname(os.path.abspath(__file__))
    docs = os.path.join(src, 'docs', 'siem')
    with open(os.path.join(here, 'ecs-schema.json'), encoding='utf-8') as f:
        schema = json.load(f)
    loaded = {}
    for name in ('index-template.json', 'ingest-pipeline.json'):
        try:
            with open(os.path.join(docs, 'elasticsearch', name),
                      encoding='utf-8') as f:
                loaded[name] = json.load(f)
            check(isinstance(loaded[name], dict), f'{name}: an object')
        except (OSError, ValueError) as e:
            check(False, f'{name}: {e}')

    raw = {'ecs': [], 'ocsf': []}
    for paths in ([s.demo], [s.hostile], [s.testdata], [s.badip]):
        events = paths[0] != s.badip
        for fmt, kind in (('ndjson', 'ecs'), ('ocsf', 'ocsf')):
            rc, out, err = s.run(fmt, *paths, events=events)
            check(rc in (0, 1), f'scan {fmt}: exit {rc}: {err}')
            raw[kind] += out.decode('utf-8').splitlines()
    streams = {k: [json.loads(x) for x in v] for k, v in raw.items()}
    fields = {k: {p for d in v for p, _ in leaves(d)}
              for k, v in streams.items()}

    if 'index-template.json' in loaded:
        props = test_template(loaded['index-template.json'], schema,
                              streams['ecs'])
        if 'ingest-pipeline.json' in loaded:
            test_pipeline(loaded['ingest-pipeline.json'], props,
                          fields['ecs'])

    pconf = read_conf(os.path.join(docs, 'splunk', 'props.conf'))
    tconf = read_conf(os.path.join(docs, 'splunk', 'transforms.conf'))
    if pconf and tconf:
        by_st = {
            'ftpaudit:ecs': fields['ecs'],
            'ftpaudit:ecs:alert': {
                p for d in streams['ecs']
                if dig(d, 'event.kind') == 'alert' for p, _ in leaves(d)},
            'ftpaudit:ocsf': fields['ocsf'],
            'ftpaudit:ocsf:finding': {
                p for d in streams['ocsf'] if d['class_uid'] == 2004
                for p, _ in leaves(d)},
        }
        test_splunk(pconf, tconf, raw, by_st)
    check(epoch_ms('2026-11-04T03:17:44.9999Z') == 1793762264999,
          'stamps are read to the millisecond, rounded down')
    return siemlib.summary()


if __name__ == '__main__':
    sys.exit(main())
