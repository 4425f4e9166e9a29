#define _GNU_SOURCE /* memmem */
#include "strutil.h"

#include <arpa/inet.h>
#include <string.h>

const char *fa_memmem_long(const char *p, size_t len, const char *needle,
                           size_t nlen)
{
    return memmem(p, len, needle, nlen);
}

const char *fa_memrmem(const char *p, size_t len, const char *needle,
                       size_t nlen)
{
    if (nlen == 0 || nlen > len) {
        return NULL;
    }
    for (size_t i = len - nlen + 1; i-- > 0;) {
        if (p[i] == needle[0] && memcmp(p + i, needle, nlen) == 0) {
            return p + i;
        }
    }
    return NULL;
}

size_t fa_parse_u64(const char *p, size_t len, uint64_t *out)
{
    /* Up to 19 digits always fit: no overflow check in this loop. */
    size_t short_len = len < 19 ? len : 19;
    uint64_t v = 0;
    size_t i = 0;
    for (; i < short_len; i++) {
        unsigned d = (unsigned char)p[i] - '0';
        if (d > 9) {
            *out = v;
            return i;
        }
        v = v * 10 + d;
    }
    /* Past 19 digits the value may not fit: saturate then. */
    for (; i < len; i++) {
        unsigned d = (unsigned char)p[i] - '0';
        if (d > 9) {
            break;
        }
        v = v <= (UINT64_MAX - d) / 10 ? v * 10 + d : UINT64_MAX;
    }
    *out = v;
    return i;
}

struct fa_str fa_ip_unmapped(struct fa_str ip)
{
    static const char pre[] = "::ffff:";
    size_t n = sizeof(pre) - 1;
    if (ip.len > n && ip.len <= n + 15 && ip.ptr[0] == ':' &&
        strncasecmp(ip.ptr, pre, n) == 0 &&
        memchr(ip.ptr + n, '.', ip.len - n) != NULL) {
        return (struct fa_str){ip.ptr + n, ip.len - n};
    }
    return ip;
}

bool fa_is_ip(struct fa_str s)
{
    /* inet_pton is strict: "999.1.1.1" or "1.2" are not addresses, and a
     * SIEM rejects a whole document whose ip field does not parse. */
    char buf[64];
    unsigned char bin[16];
    if (s.len < 2 || s.len >= sizeof(buf)) {
        return false;
    }
    /* The dotted quad without inet_pton, which wants a copy: this runs
     * for every event (twice with NDJSON out). */
    if (fa_ipv4_parse(s.ptr, s.len, NULL)) {
        return true;
    }
    /* Every IPv6 text form has a ':'. */
    if (memchr(s.ptr, ':', s.len) == NULL) {
        return false;
    }
    memcpy(buf, s.ptr, s.len);
    buf[s.len] = '\0';
    return inet_pton(AF_INET6, buf, bin) == 1;
}

struct fa_str fa_trim(struct fa_str s)
{
    while (s.len > 0 && (s.ptr[0] == ' ' || s.ptr[0] == '\t')) {
        s.ptr++;
        s.len--;
    }
    while (s.len > 0 && (s.ptr[s.len - 1] == ' ' || s.ptr[s.len - 1] == '\t')) {
        s.len--;
    }
    return s;
}
