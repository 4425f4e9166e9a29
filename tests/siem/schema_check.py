"""A small JSON Schema (2020-12) checker, standard library only.

It knows the keywords ecs-schema.json uses and refuses a schema that uses
any other, so a keyword it would silently skip cannot weaken a test.
Formats: "ip" (IPv4 or IPv6 text) and "date-time" (RFC 3339)."""
import re

from siemlib import is_ip, parse_time

ANNOTATIONS = {'$schema', '$id', '$comment', 'title', 'description',
               '$defs', 'default', 'examples'}
KEYWORDS = {'$ref', 'type', 'enum', 'const', 'pattern', 'format', 'minimum',
            'maximum', 'minLength', 'properties', 'required',
            'additionalProperties', 'items', 'minItems', 'uniqueItems',
            'contains', 'allOf', 'anyOf', 'if', 'then', 'else', 'not'}

FORMATS = {
    'ip': is_ip,
    'date-time': lambda s: parse_time(s) is not None,
}


def _type_ok(value, t):
    if t == 'object':
        return isinstance(value, dict)
    if t == 'array':
        return isinstance(value, list)
    if t == 'string':
        return isinstance(value, str)
    if t == 'boolean':
        return isinstance(value, bool)
    if t == 'null':
        return value is None
    if isinstance(value, bool):
        return False
    if t == 'number':
        return isinstance(value, (int, float))
    if t == 'integer':
        return isinstance(value, int) or (isinstance(value, float) and
                                          value.is_integer())
    raise ValueError(f'unknown type {t}')


class Checker:
    def __init__(self, schema):
        self.root = schema
        self._audit(schema, '#')

    def _audit(self, s, where):
        if isinstance(s, bool):
            return
        if not isinstance(s, dict):
            raise ValueError(f'{where}: a schema must be an object')
        for k, v in s.items():
            if k in ANNOTATIONS:
                if k == '$defs':
                    for name, sub in v.items():
                        self._audit(sub, f'{where}/$defs/{name}')
                continue
            if k not in KEYWORDS:
                raise ValueError(f'{where}: keyword {k} not supported')
            if k == 'format' and v not in FORMATS:
                raise ValueError(f'{where}: format {v} not supported')
            if k == 'properties':
                for name, sub in v.items():
                    self._audit(sub, f'{where}/properties/{name}')
            elif k in ('additionalProperties', 'items', 'contains', 'if',
                       'then', 'else', 'not'):
                self._audit(v, f'{where}/{k}')
            elif k in ('allOf', 'anyOf'):
                for i, sub in enumerate(v):
                    self._audit(sub, f'{where}/{k}/{i}')

    def _resolve(self, ref):
        if not ref.startswith('#/'):
            raise ValueError(f'only local $ref: {ref}')
        node = self.root
        for part in ref[2:].split('/'):
            node = node[part]
        return node

    def errors(self, value, schema=None, path='$'):
        """Every violation as 'path: why'; empty when value conforms."""
        s = self.root if schema is None else schema
        if s is True:
            return []
        if s is False:
            return [f'{path}: not allowed']
        out = []
        if '$ref' in s:
            out += self.errors(value, self._resolve(s['$ref']), path)
        if 'type' in s:
            types = s['type'] if isinstance(s['type'], list) else [s['type']]
            if not any(_type_ok(value, t) for t in types):
                return out + [f'{path}: {value!r} is not {"/".join(types)}']
        if 'enum' in s and value not in s['enum']:
            out.append(f'{path}: {value!r} not one of {s["enum"]}')
        if 'const' in s and value != s['const']:
            out.append(f'{path}: {value!r} is not {s["const"]!r}')
        if isinstance(value, str):
            if 'pattern' in s and not re.search(s['pattern'], value):
                out.append(f'{path}: {value!r} does not match '
                           f'{s["pattern"]}')
            if 'format' in s and not FORMATS[s['format']](value):
                out.append(f'{path}: {value!r} is not a {s["format"]}')
            if 'minLength' in s and len(value) < s['minLength']:
                out.append(f'{path}: shorter than {s["minLength"]}')
        if _type_ok(value, 'number'):
            if 'minimum' in s and value < s['minimum']:
                out.append(f'{path}: {value} < {s["minimum"]}')
            if 'maximum' in s and value > s['maximum']:
                out.append(f'{path}: {value} > {s["maximum"]}')
        if isinstance(value, dict):
            props = s.get('properties', {})
            for k in s.get('required', []):
                if k not in value:
                    out.append(f'{path}: {k} is missing')
            for k, v in value.items():
                if k in props:
                    out += self.errors(v, props[k], f'{path}.{k}')
                elif 'additionalProperties' in s:
                    out += self.errors(v, s['additionalProperties'],
                                       f'{path}.{k}')
        if isinstance(value, list):
            if 'items' in s:
                for i, v in enumerate(value):
                    out += self.errors(v, s['items'], f'{path}[{i}]')
            if 'minItems' in s and len(value) < s['minItems']:
                out.append(f'{path}: fewer than {s["minItems"]} items')
            if s.get('uniqueItems'):
                seen = [repr(v) for v in value]
                if len(seen) != len(set(seen)):
                    out.append(f'{path}: items not unique')
            if 'contains' in s and not any(
                    not self.errors(v, s['contains']) for v in value):
                out.append(f'{path}: no item matches "contains"')
        for sub in s.get('allOf', []):
            out += self.errors(value, sub, path)
        if 'anyOf' in s and all(self.errors(value, sub, path)
                                for sub in s['anyOf']):
            out.append(f'{path}: matches none of anyOf')
        if 'not' in s and not self.errors(value, s['not'], path):
            out.append(f'{path}: matches "not"')
        if 'if' in s:
            if not self.errors(value, s['if'], path):
                out += self.errors(value, s.get('then', True), path)
            else:
                out += self.errors(value, s.get('else', True), path)
        return out
