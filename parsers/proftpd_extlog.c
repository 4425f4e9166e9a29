/*
 * ProFTPD ExtendedLog (mod_log LogFormat) and Combell's logs/xferlog.
 *
 * ExtendedLog, built-in "default" LogFormat %h %l %u %t "%r" %s %b (also
 * IONOS logs/ftp.log):
 *   205.242.249.195 UNKNOWN u64295958 [19/Jul/2011:08:15:08 -0500] "STOR hokiegeek.net.zip" 226 2555826
 *   127.0.0.66 UNKNOWN - [26/Nov/2026:12:43:00 +0000] "PASS (hidden)" 530 -
 *   127.0.0.10 UNKNOWN alice [26/Nov/2026:12:43:05 +0000] "WRITE 8026d75df02e9efa 0 69" 0 69
 * Named formats of real configs:
 *   auth     e2e proftpd [9177] 127.0.0.66 [26/Nov/2026:12:43:00 +0000] "PASS (hidden)" 530
 *   awstats  [26/Nov/2026:12:42:58 +0000] 127.0.0.10 alice RETR /tmp/e2e/home/alice/public_html/index.html 226 189
 *   allinfo  [26/Nov/2026:12:43:04 +0000] :  bob (127.0.0.20 [127.0.0.20]) : [200], -, SITE CHMOD (/tmp/e2e/home/bob/public_html/notes.txt)
 *   custom   account||READ||-||/outgoing/test.txt            (issue 862)
 * Combell logs/xferlog (not xferlog format; %t %a %u %m "%f" %s %b):
 *   [10/Nov/2023:20:02:34 +0100] 78.20.115.84 stef@jbjokidobe STOR "/data/sites/web/jbjokidobe/.env" 226 997
 *
 * Upstream: proftpd/proftpd doc/modules/mod_log.html (LogFormat variables),
 * modules/mod_log.c, contrib/mod_sftp/auth.c (USER, PASS and
 * USERAUTH_REQUEST dispatch order), contrib/mod_sftp/fxp.c (SFTP requests
 * logged as pseudo-commands); shared docs log-formats.md 4.3 and 4.4.
 *
 * The LogFormat is compiled once in init() into literal and field tokens;
 * each line is matched against it, trying each occurrence of the text after
 * a free-text field (a quoted %r may hold unescaped quotes) until the rest
 * of the format matches.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "registry.h"
#include "strutil.h"
#include "syslog.h"

/* Limits of one compiled LogFormat. */
#define PX_TOK_MAX 48
#define PX_LIT_MAX 512
#define PX_FMT_MAX 1024
/* Built-in formats tried when no --proftpd-logformat is given. */
#define PX_PROG_MAX 6
/* Matching attempts per line before giving up on a pathological line. */
#define PX_STEPS_MAX 4096
/* Sessions followed at once, and what each keeps. */
#define PX_SESS_MAX 64
#define PX_PATH_MAX 1024
#define PX_KEY_MAX 160
#define PX_IP_MAX 64
#define PX_NAME_MAX 128
#define PX_USERQ 4
#define PX_OPEN_MAX 4
#define PX_HANDLE_MAX 64

/* ------------------------------------------------------------------ */
/* LogFormat programs                                                  */

enum px_field {
    PF_LIT = 0,
    PF_CLIENT_IP,   /* %a */
    PF_CLIENT_HOST, /* %h */
    PF_IDENT,       /* %l */
    PF_USER,        /* %u */
    PF_USER_SENT,   /* %U */
    PF_TIME_CLF,    /* %t */
    PF_TIME_ISO,    /* %{iso8601} */
    PF_TIME_EPOCH,  /* %{epoch} */
    PF_TIME_CUSTOM, /* %{strftime}t */
    PF_REQUEST,     /* %r */
    PF_CMD,         /* %m */
    PF_ARGS,        /* %J */
    PF_PATH,        /* %f */
    PF_VPATH,       /* %F */
    PF_RNFR,        /* %w */
    PF_STATUS,      /* %s */
    PF_BYTES,       /* %b */
    PF_SECS,        /* %T */
    PF_MSECS,       /* %{transfer-millisecs} */
    PF_XSTATUS,     /* %{transfer-status} */
    PF_PROTOCOL,    /* %{protocol} */
    PF_PID,         /* %P */
    PF_SERVER,      /* %v */
    PF_VHOST,       /* %V */
    PF_LOCAL_IP,    /* %L */
    PF_EOS,         /* %E */
    PF_FILE_MOD,    /* %{file-modified} */
    PF_FILE_SIZE,   /* %{file-size} */
    PF_SESSION_ID,  /* %{UNIQUE_ID}e, %{note:UNIQUE_ID} (mod_unique_id) */
    PF_OPAQUE,      /* any other variable: free text */
    PF_COUNT
};

/* What a field's text may be. */
enum px_class {
    PC_TOKEN,   /* no space, not empty */
    PC_NUM,     /* "-" or digits, maybe with a '.' */
    PC_FREE,    /* anything, possibly empty */
    PC_TEXT,    /* anything, not empty */
    PC_CMD,     /* a command name: letters, digits, '_', inner spaces */
    PC_CLF,     /* [dd/Mon/yyyy:hh:mm:ss +zzzz] */
    PC_ISO,     /* yyyy-mm-dd hh:mm:ss,mmm */
};

static const uint8_t field_class[PF_COUNT] = {
    [PF_LIT] = PC_FREE,         [PF_CLIENT_IP] = PC_TOKEN,
    [PF_CLIENT_HOST] = PC_TOKEN, [PF_IDENT] = PC_TOKEN,
    [PF_USER] = PC_TEXT,        [PF_USER_SENT] = PC_FREE,
    [PF_TIME_CLF] = PC_CLF,     [PF_TIME_ISO] = PC_ISO,
    [PF_TIME_EPOCH] = PC_NUM,   [PF_TIME_CUSTOM] = PC_FREE,
    [PF_REQUEST] = PC_FREE,     [PF_CMD] = PC_CMD,
    [PF_ARGS] = PC_FREE,        [PF_PATH] = PC_FREE,
    [PF_VPATH] = PC_FREE,       [PF_RNFR] = PC_FREE,
    [PF_STATUS] = PC_NUM,       [PF_BYTES] = PC_NUM,
    [PF_SECS] = PC_NUM,         [PF_MSECS] = PC_NUM,
    [PF_XSTATUS] = PC_TOKEN,    [PF_PROTOCOL] = PC_TOKEN,
    [PF_PID] = PC_NUM,          [PF_SERVER] = PC_FREE,
    [PF_VHOST] = PC_TOKEN,      [PF_LOCAL_IP] = PC_TOKEN,
    [PF_EOS] = PC_FREE,         [PF_FILE_MOD] = PC_TOKEN,
    [PF_FILE_SIZE] = PC_NUM,    [PF_SESSION_ID] = PC_TOKEN,
    [PF_OPAQUE] = PC_FREE,
};

struct px_tok {
    uint8_t field;      /* enum px_field; PF_LIT for text */
    uint16_t off, len;  /* a literal's bytes in px_prog.lit */
};

struct px_prog {
    struct px_tok tok[PX_TOK_MAX];
    size_t ntok;
    char lit[PX_LIT_MAX];
    size_t nlit;
    uint64_t has;       /* bit (1 << field) for each field present */
};

/*
 * The formats tried, in order, when the user gives none; the first that
 * reads a line is kept for the rest of the file.  "write" of Debian's
 * proftpd.conf is the same string as "default".
 */
static const char *const builtin_formats[] = {
    "%h %l %u %t \"%r\" %s %b",                   /* default, write, IONOS */
    "%v [%P] %h %t \"%r\" %s",                    /* auth */
    ("%{iso8601} %a %{protocol} %u %m \"%F\" \"%f\" %s %b %{file-modified} "
     "%{transfer-status} %{transfer-type}"),      /* rich */
    "%t :  %u (%a [%h]) : [%s], %T, %m (%f)",     /* allinfo */
    "%t %h %u %m %f %s %b",                       /* awstats */
};
#define PX_NBUILTIN (sizeof(builtin_formats) / sizeof(builtin_formats[0]))

static const char combell_format[] = "%t %a %u %m \"%f\" %s %b";

struct px_named {
    const char *name;
    uint8_t field;
};

/* %{NAME} variables with a meaning here. */
static const struct px_named brace_names[] = {
    {"iso8601", PF_TIME_ISO},
    {"epoch", PF_TIME_EPOCH},
    {"transfer-millisecs", PF_MSECS},
    {"transfer-status", PF_XSTATUS},
    {"protocol", PF_PROTOCOL},
    {"file-modified", PF_FILE_MOD},
    {"file-size", PF_FILE_SIZE},
    {NULL, 0},
};

static int letter_field(char c)
{
    switch (c) {
    case 'a': return PF_CLIENT_IP;
    case 'h': return PF_CLIENT_HOST;
    case 'l': return PF_IDENT;
    case 'u': return PF_USER;
    case 'U': return PF_USER_SENT;
    case 't': return PF_TIME_CLF;
    case 'r': return PF_REQUEST;
    case 'm': return PF_CMD;
    case 'J': return PF_ARGS;
    case 'f': return PF_PATH;
    case 'F': return PF_VPATH;
    case 'w': return PF_RNFR;
    case 's': return PF_STATUS;
    case 'b': return PF_BYTES;
    case 'T': return PF_SECS;
    case 'P': return PF_PID;
    case 'v': return PF_SERVER;
    case 'V': return PF_VHOST;
    case 'L': return PF_LOCAL_IP;
    case 'E': return PF_EOS;
    default: return PF_OPAQUE;
    }
}

static bool add_lit(struct px_prog *pg, char c, const char **why)
{
    if (pg->nlit >= PX_LIT_MAX) {
        *why = "LogFormat has too much text";
        return false;
    }
    struct px_tok *last = pg->ntok ? &pg->tok[pg->ntok - 1] : NULL;
    if (last == NULL || last->field != PF_LIT) {
        if (pg->ntok >= PX_TOK_MAX) {
            *why = "LogFormat has too many parts";
            return false;
        }
        last = &pg->tok[pg->ntok++];
        *last = (struct px_tok){PF_LIT, (uint16_t)pg->nlit, 0};
    }
    pg->lit[pg->nlit++] = c;
    last->len++;
    return true;
}

static bool add_field(struct px_prog *pg, int field, const char **why)
{
    if (pg->ntok >= PX_TOK_MAX) {
        *why = "LogFormat has too many parts";
        return false;
    }
    /* Two fields with nothing between them cannot be told apart, unless
     * the first is a stamp of fixed shape. */
    if (pg->ntok > 0) {
        int prev = pg->tok[pg->ntok - 1].field;
        if (prev != PF_LIT && field_class[prev] != PC_CLF &&
            field_class[prev] != PC_ISO) {
            *why = "LogFormat has two variables with no text between them";
            return false;
        }
    }
    pg->tok[pg->ntok++] = (struct px_tok){(uint8_t)field, 0, 0};
    pg->has |= (uint64_t)1 << field;
    return true;
}

static bool name_has(const char *p, size_t n, const char *lit)
{
    size_t k = strlen(lit);
    for (size_t i = 0; i + k <= n; i++) {
        if (strncasecmp(p + i, lit, k) == 0) {
            return true;
        }
    }
    return false;
}

/* The field of "%{name}" followed by *next (which an 'e' or 't' suffix
 * consumes: *used gets 1 then). */
static int brace_field(const char *name, size_t n, char next, size_t *used)
{
    *used = 0;
    for (size_t i = 0; brace_names[i].name != NULL; i++) {
        if (strlen(brace_names[i].name) == n &&
            strncasecmp(name, brace_names[i].name, n) == 0) {
            return brace_names[i].field;
        }
    }
    if (n > 5 && strncasecmp(name, "note:", 5) == 0) {
        return name_has(name, n, "UNIQUE_ID") ? PF_SESSION_ID : PF_OPAQUE;
    }
    if (next == 'e') {
        *used = 1;
        return name_has(name, n, "UNIQUE_ID") ? PF_SESSION_ID : PF_OPAQUE;
    }
    if (next == 't') {
        *used = 1;
        return PF_TIME_CUSTOM;
    }
    return PF_OPAQUE;
}

/* "..." around the whole format, with no bare quote inside: the
 * directive's quoting, not part of the format. */
static bool wrapped(const char *p, const char *end)
{
    if (end - p < 2 || p[0] != '"' || end[-1] != '"') {
        return false;
    }
    for (const char *q = p + 1; q < end - 1; q++) {
        if (*q == '\\' && q + 1 < end - 1) {
            q++;
        } else if (*q == '"') {
            return false;
        }
    }
    return end[-2] != '\\';
}

/*
 * Compile a LogFormat string: the bare format (%h %l ...), the same with
 * the \" escapes of proftpd.conf, in quotes, or a whole
 * 'LogFormat name "..."' directive.  Returns false with *why set.
 */
static bool compile_format(struct px_prog *pg, const char *fmt,
                           const char **why)
{
    memset(pg, 0, sizeof(*pg));
    size_t len = strlen(fmt);
    if (len > PX_FMT_MAX) {
        *why = "LogFormat is too long";
        return false;
    }
    const char *p = fmt;
    const char *end = fmt + len;
    while (p < end && (*p == ' ' || *p == '\t')) {
        p++;
    }
    while (end > p && (end[-1] == ' ' || end[-1] == '\t')) {
        end--;
    }
    /* A whole directive: skip the keyword and the format's name. */
    if (end - p > 10 && strncasecmp(p, "LogFormat", 9) == 0 &&
        (p[9] == ' ' || p[9] == '\t')) {
        p += 9;
        while (p < end && (*p == ' ' || *p == '\t')) {
            p++;
        }
        while (p < end && *p != ' ' && *p != '\t') {
            p++;
        }
        while (p < end && (*p == ' ' || *p == '\t')) {
            p++;
        }
    }
    if (wrapped(p, end)) {
        p++;
        end--;
    }
    while (p < end) {
        char c = *p++;
        if (c == '\\' && p < end && (*p == '"' || *p == '\\')) {
            if (!add_lit(pg, *p++, why)) {
                return false;
            }
            continue;
        }
        if (c != '%') {
            if (!add_lit(pg, c, why)) {
                return false;
            }
            continue;
        }
        if (p >= end) {
            *why = "LogFormat ends with a lone %";
            return false;
        }
        if (*p == '%') {
            p++;
            if (!add_lit(pg, '%', why)) {
                return false;
            }
            continue;
        }
        int field;
        if (*p == '{') {
            const char *close = memchr(p, '}', (size_t)(end - p));
            if (close == NULL) {
                *why = "LogFormat has a %{ without its }";
                return false;
            }
            size_t used;
            char next = close + 1 < end ? close[1] : '\0';
            field = brace_field(p + 1, (size_t)(close - p - 1), next, &used);
            p = close + 1 + used;
        } else {
            field = letter_field(*p++);
        }
        if (!add_field(pg, field, why)) {
            return false;
        }
    }
    if (pg->has == 0) {
        *why = "LogFormat has no % variable";
        return false;
    }
    return true;
}

/* ------------------------------------------------------------------ */
/* Matching a line                                                     */

struct px_vals {
    struct fa_str f[PF_COUNT];   /* first occurrence; ptr NULL if absent */
};

static bool is_digit(char c)
{
    return (unsigned)((unsigned char)c - '0') <= 9;
}

static bool class_ok(int cls, const char *p, size_t n)
{
    switch (cls) {
    case PC_TOKEN:
        return n > 0 && memchr(p, ' ', n) == NULL;
    case PC_NUM: {
        if (n == 1 && p[0] == '-') {
            return true;
        }
        bool dot = false;
        for (size_t i = 0; i < n; i++) {
            if (p[i] == '.' && !dot && i > 0) {
                dot = true;
            } else if (!is_digit(p[i])) {
                return false;
            }
        }
        return n > 0 && n <= 24;
    }
    case PC_TEXT:
        return n > 0;
    case PC_CMD:
        if (n == 0 || p[0] == ' ' || p[n - 1] == ' ') {
            return n == 1 && p[0] == '-';
        }
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)p[i];
            if (!(c == '_' || c == ' ' || c == '-' || is_digit((char)c) ||
                  (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                  c >= 0x80)) {
                return false;
            }
        }
        return true;
    default:
        return true;
    }
}

/* Bytes of an ISO stamp "yyyy-mm-dd hh:mm:ss[,fff]" at p, 0 if none. */
static size_t iso_extent(const char *p, size_t len)
{
    static const char shape[] = "dddd-dd-ddTdd:dd:dd";
    if (len < 19) {
        return 0;
    }
    for (size_t i = 0; i < 19; i++) {
        char s = shape[i];
        if (s == 'd' ? !is_digit(p[i])
                     : s == 'T' ? (p[i] != ' ' && p[i] != 'T') : p[i] != s) {
            return 0;
        }
    }
    size_t i = 19;
    if (i + 1 < len && (p[i] == ',' || p[i] == '.') && is_digit(p[i + 1])) {
        i++;
        while (i < len && is_digit(p[i])) {
            i++;
        }
    }
    return i;
}

struct px_match {
    size_t at[PX_TOK_MAX], n[PX_TOK_MAX];
    unsigned steps;
};

static bool match_at(const struct px_prog *pg, size_t ti, const char *s,
                     size_t len, size_t pos, struct px_match *m)
{
    if (++m->steps > PX_STEPS_MAX) {
        return false;
    }
    if (ti == pg->ntok) {
        return pos == len;
    }
    const struct px_tok *t = &pg->tok[ti];
    m->at[ti] = pos;
    if (t->field == PF_LIT) {
        if (len - pos < t->len || memcmp(s + pos, pg->lit + t->off, t->len)) {
            return false;
        }
        m->n[ti] = t->len;
        return match_at(pg, ti + 1, s, len, pos + t->len, m);
    }
    int cls = field_class[t->field];
    if (cls == PC_CLF || cls == PC_ISO) {
        size_t n;
        if (cls == PC_CLF) {
            int64_t us;
            int32_t off;
            n = pos < len && s[pos] == '[' ? fa_stamp_clf(s + pos, len - pos,
                                                          &us, &off)
                                           : 0;
            if (n > 0 && s[pos + n - 1] != ']') {
                n = 0;
            }
        } else {
            n = iso_extent(s + pos, len - pos);
        }
        if (n == 0) {
            return false;
        }
        m->n[ti] = n;
        return match_at(pg, ti + 1, s, len, pos + n, m);
    }
    if (ti + 1 == pg->ntok) {
        m->n[ti] = len - pos;
        return class_ok(cls, s + pos, len - pos);
    }
    /* The next token is text (compile_format saw to it). */
    const struct px_tok *nx = &pg->tok[ti + 1];
    const char *lit = pg->lit + nx->off;
    size_t from = pos;
    for (;;) {
        const char *hit = fa_memmem(s + from, len - from, lit, nx->len);
        if (hit == NULL) {
            return false;
        }
        /* Long scans count too, so a hostile line stays cheap. */
        m->steps += (unsigned)((size_t)(hit - (s + from)) >> 8);
        size_t n = (size_t)(hit - (s + pos));
        if (class_ok(cls, s + pos, n)) {
            m->n[ti] = n;
            if (match_at(pg, ti + 1, s, len, pos + n, m)) {
                return true;
            }
        }
        /* Only free text may hold the separator itself. */
        if (cls != PC_FREE && cls != PC_TEXT && cls != PC_CMD) {
            return false;
        }
        from = (size_t)(hit - s) + 1;
        if (++m->steps > PX_STEPS_MAX) {
            return false;
        }
    }
}

static bool prog_match(const struct px_prog *pg, const char *s, size_t len,
                       struct px_vals *v)
{
    struct px_match m;
    m.steps = 0;
    if (!match_at(pg, 0, s, len, 0, &m)) {
        return false;
    }
    memset(v, 0, sizeof(*v));
    for (size_t i = 0; i < pg->ntok; i++) {
        int f = pg->tok[i].field;
        if (f != PF_LIT && v->f[f].ptr == NULL) {
            v->f[f] = fa_str_make(s + m.at[i], m.n[i]);
        }
    }
    return true;
}

/* A field's value; empty when absent or logged as "-". */
static struct fa_str val(const struct px_vals *v, int f)
{
    struct fa_str s = v->f[f];
    if (s.ptr == NULL || (s.len == 1 && s.ptr[0] == '-')) {
        return FA_STR_NULL;
    }
    return s;
}

/* ------------------------------------------------------------------ */
/* Commands                                                            */

enum px_verb {
    V_OTHER = 0,  /* unknown: a "command" event */
    V_NOISE,      /* FTP housekeeping: skipped */
    V_FTPNOISE,   /* FTP-only housekeeping: also says "not SSH" */
    V_USER, V_PASS, V_STOR, V_RETR, V_DELE, V_RNFR, V_RNTO, V_MKD, V_RMD,
    V_CWD, V_CDUP, V_SITE, V_QUIT, V_EXIT, V_AUTH,
    /* mod_sftp pseudo-commands */
    V_SSHNOISE, V_SSHCMD, V_USERAUTH, V_OPEN, V_READ, V_WRITE, V_CLOSE,
    V_FHANDLE, V_REMOVE, V_RENAME, V_MKDIR, V_RMDIR, V_SETSTAT,
};

struct px_verbname {
    const char *name;
    uint8_t verb;
};

static const struct px_verbname verb_names[] = {
    {"USER", V_USER}, {"PASS", V_PASS}, {"STOR", V_STOR}, {"STOU", V_STOR},
    {"APPE", V_STOR}, {"RETR", V_RETR}, {"DELE", V_DELE}, {"RNFR", V_RNFR},
    {"RNTO", V_RNTO}, {"MKD", V_MKD}, {"XMKD", V_MKD}, {"RMD", V_RMD},
    {"XRMD", V_RMD}, {"CWD", V_CWD}, {"XCWD", V_CWD}, {"CDUP", V_CDUP},
    {"XCUP", V_CDUP}, {"SITE", V_SITE}, {"QUIT", V_QUIT}, {"EXIT", V_EXIT},
    {"AUTH", V_AUTH},
    /* Listing, transfer set-up, feature talk. */
    {"ABOR", V_NOISE}, {"ACCT", V_NOISE}, {"ALLO", V_NOISE},
    {"LIST", V_NOISE}, {"NLST", V_NOISE}, {"MLSD", V_NOISE},
    {"MLST", V_NOISE}, {"MDTM", V_NOISE}, {"MFMT", V_NOISE},
    {"MFCT", V_NOISE}, {"MFF", V_NOISE}, {"SIZE", V_NOISE},
    {"STAT", V_NOISE}, {"PWD", V_NOISE}, {"XPWD", V_NOISE},
    {"REST", V_NOISE}, {"RANG", V_NOISE}, {"NOOP", V_NOISE},
    {"REIN", V_NOISE}, {"SMNT", V_NOISE},
    {"ADAT", V_FTPNOISE}, {"CCC", V_FTPNOISE}, {"CLNT", V_FTPNOISE},
    {"CONF", V_FTPNOISE}, {"CSID", V_FTPNOISE}, {"ENC", V_FTPNOISE},
    {"EPRT", V_FTPNOISE}, {"EPSV", V_FTPNOISE}, {"FEAT", V_FTPNOISE},
    {"HASH", V_FTPNOISE}, {"HELP", V_FTPNOISE}, {"HOST", V_FTPNOISE},
    {"LANG", V_FTPNOISE}, {"LPRT", V_FTPNOISE}, {"LPSV", V_FTPNOISE},
    {"MIC", V_FTPNOISE}, {"MODE", V_FTPNOISE}, {"OPTS", V_FTPNOISE},
    {"PASV", V_FTPNOISE}, {"PBSZ", V_FTPNOISE}, {"PORT", V_FTPNOISE},
    {"PROT", V_FTPNOISE}, {"STRU", V_FTPNOISE}, {"SYST", V_FTPNOISE},
    {"TYPE", V_FTPNOISE},
    /* mod_sftp: SSH transport and SFTP requests. */
    {"USERAUTH_REQUEST", V_USERAUTH}, {"OPEN", V_OPEN}, {"READ", V_READ},
    {"WRITE", V_WRITE}, {"CLOSE", V_CLOSE}, {"FSTAT", V_FHANDLE},
    {"FSETSTAT", V_FHANDLE}, {"REMOVE", V_REMOVE}, {"RENAME", V_RENAME},
    {"MKDIR", V_MKDIR}, {"RMDIR", V_RMDIR}, {"SETSTAT", V_SETSTAT},
    {"SYMLINK", V_SSHCMD}, {"LINK", V_SSHCMD},
    {"KEXINIT", V_SSHNOISE}, {"ECDH_INIT", V_SSHNOISE},
    {"KEXDH_INIT", V_SSHNOISE}, {"KEX_DH_GEX_REQUEST", V_SSHNOISE},
    {"KEX_DH_GEX_INIT", V_SSHNOISE}, {"KEXRSA_SECRET", V_SSHNOISE},
    {"NEWKEYS", V_SSHNOISE}, {"EXT_INFO", V_SSHNOISE},
    {"SERVICE_REQUEST", V_SSHNOISE}, {"CHANNEL_OPEN", V_SSHNOISE},
    {"CHANNEL_REQUEST", V_SSHNOISE}, {"CHANNEL_DATA", V_SSHNOISE},
    {"CHANNEL_EOF", V_SSHNOISE}, {"CHANNEL_CLOSE", V_SSHNOISE},
    {"CHANNEL_WINDOW_ADJUST", V_SSHNOISE}, {"GLOBAL_REQUEST", V_SSHNOISE},
    {"DISCONNECT", V_SSHNOISE}, {"IGNORE", V_SSHNOISE},
    {"DEBUG", V_SSHNOISE}, {"UNIMPLEMENTED", V_SSHNOISE},
    {"INIT", V_SSHNOISE}, {"REALPATH", V_SSHNOISE}, {"LSTAT", V_SSHNOISE},
    {"OPENDIR", V_SSHNOISE}, {"READDIR", V_SSHNOISE},
    {"READLINK", V_SSHNOISE}, {"LOCK", V_SSHNOISE},
    {"UNLOCK", V_SSHNOISE}, {"BLOCK", V_SSHNOISE},
    {"UNBLOCK", V_SSHNOISE},
    {NULL, 0},
};

static bool str_ieq(struct fa_str s, const char *lit)
{
    size_t n = strlen(lit);
    return s.len == n && strncasecmp(s.ptr, lit, n) == 0;
}

static int verb_of(struct fa_str cmd)
{
    if (cmd.len > 5 && strncasecmp(cmd.ptr, "OPTS_", 5) == 0) {
        return V_FTPNOISE;
    }
    for (size_t i = 0; verb_names[i].name != NULL; i++) {
        if (str_ieq(cmd, verb_names[i].name)) {
            return verb_names[i].verb;
        }
    }
    return V_OTHER;
}

/* The first word of s, and the rest after one space. */
static struct fa_str word(struct fa_str s, struct fa_str *rest)
{
    const char *sp = s.len ? memchr(s.ptr, ' ', s.len) : NULL;
    if (sp == NULL) {
        *rest = FA_STR_NULL;
        return s;
    }
    size_t n = (size_t)(sp - s.ptr);
    *rest = fa_str_make(sp + 1, s.len - n - 1);
    return fa_str_make(s.ptr, n);
}

/* What one line asks: command, arguments, reply. */
struct px_req {
    struct fa_str cmd;      /* command name, Telnet bytes dropped */
    struct fa_str args;     /* its arguments (rest of %r, or %J) */
    struct fa_str text;     /* %r, or %m: the command as logged */
    struct fa_str site;     /* SITE: the sub-command */
    struct fa_str site_args;
    int status;             /* reply code, -1 when "-" or not logged */
    int verb;
};

/* Telnet IP/DM bytes (a raw 0xF2 before ABOR) and other bytes that are no
 * part of a command name. */
static struct fa_str drop_telnet(struct fa_str s)
{
    while (s.len > 0 && ((unsigned char)s.ptr[0] >= 0x80 ||
                         (unsigned char)s.ptr[0] < 0x20)) {
        s.ptr++;
        s.len--;
    }
    return s;
}

static void read_req(const struct px_vals *v, struct px_req *x)
{
    memset(x, 0, sizeof(*x));
    struct fa_str r = val(v, PF_REQUEST);
    struct fa_str m = val(v, PF_CMD);
    struct fa_str rest;
    if (r.len > 0) {
        x->text = r;
        x->cmd = word(drop_telnet(r), &x->args);
    }
    if (m.len > 0) {
        /* %m of a SITE command is "SITE CHMOD". */
        struct fa_str mrest;
        struct fa_str mw = word(drop_telnet(m), &mrest);
        if (x->cmd.len == 0) {
            x->text = m;
            x->cmd = mw;
            x->args = mrest;
        }
    }
    struct fa_str j = val(v, PF_ARGS);
    if (r.len == 0 && j.len > 0) {
        if (x->args.len > 0) {
            /* "SITE CHMOD" from %m, "600 x" from %J */
            x->site = x->args;
            x->site_args = j;
        }
        x->args = j;
    }
    x->verb = verb_of(x->cmd);
    if (x->verb == V_SITE && x->site.len == 0) {
        x->site = word(x->args, &rest);
        x->site_args = rest;
    }
    struct fa_str st = val(v, PF_STATUS);
    uint64_t code;
    x->status = -1;
    if (st.len > 0 && st.len <= 6 && fa_parse_u64(st.ptr, st.len, &code) ==
                                         st.len) {
        x->status = (int)code;
    }
}

/* ------------------------------------------------------------------ */
/* Sessions                                                            */

/* An SFTP file handle between OPEN and CLOSE. */
struct px_open {
    bool used, bound, reported;
    char mode;                 /* 0, 'r' (READ seen) or 'w' (WRITE seen) */
    uint64_t stamp;
    int64_t bytes;
    int64_t time_us;
    int32_t offset;
    enum fa_tzsrc tz_source;
    size_t plen, hlen;
    char path[PX_PATH_MAX];
    char handle[PX_HANDLE_MAX];
};

struct px_sess {
    bool used;
    bool ssh;              /* SSH/SFTP pseudo-commands seen */
    bool quit;             /* QUIT seen since the login */
    bool held;             /* an SSH "PASS" 530 waiting for its method */
    bool rnfr_set, dir_set;
    enum fa_proto proto;
    enum fa_action last_act;   /* SSH: the FTP twin just logged */
    uint64_t last_hash;
    uint64_t stamp;
    uint8_t nuser;
    size_t klen, iplen, ulen, hulen, cwdlen, rnfrlen, dirlen;
    size_t qlen[PX_USERQ];
    char key[PX_KEY_MAX];
    char ip[PX_IP_MAX];
    char user[PX_NAME_MAX];            /* logged-in user */
    char held_user[PX_NAME_MAX];       /* SSH: last USER before PASS */
    char queue[PX_USERQ][PX_NAME_MAX]; /* FTP: USER names awaiting PASS */
    char cwd[PX_PATH_MAX];     /* "" = the login directory */
    char rnfr[PX_PATH_MAX];
    char dir[PX_PATH_MAX];     /* SSH: MKD/RMD path for MKDIR/RMDIR */
    struct px_open open[PX_OPEN_MAX];
};

struct px_state {
    const struct fa_ctx *ctx;
    struct px_prog prog[PX_PROG_MAX];
    size_t nprog;
    int locked;            /* program in use; -1 until a line matches */
    uint64_t tick;
    size_t fin;            /* finish() cursor over sessions */
    struct px_sess sess[PX_SESS_MAX];
    char key[PX_KEY_MAX];
    char pbuf[2][PX_PATH_MAX];
    char ubuf[PX_NAME_MAX];
};

static size_t copy_in(char *dst, size_t cap, struct fa_str s)
{
    size_t n = s.len < cap ? s.len : cap;
    if (n > 0) {
        memcpy(dst, s.ptr, n);
    }
    return n;
}

static struct fa_str view(const char *p, size_t n)
{
    return n ? fa_str_make(p, n) : FA_STR_NULL;
}

static uint64_t hash_str(struct fa_str s)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < s.len; i++) {
        h = (h ^ (unsigned char)s.ptr[i]) * 1099511628211ULL;
    }
    return h;
}

static struct fa_str client_ip(const struct px_vals *v)
{
    struct fa_str ip = val(v, PF_CLIENT_IP);
    if (ip.len == 0) {
        struct fa_str h = val(v, PF_CLIENT_HOST);
        if (fa_is_ip(h)) {
            ip = h;
        }
    }
    return fa_ip_normalize(ip);
}

/* The session key of a line: the mod_unique_id id, else the pid, else
 * client and user.  prelogin: the key the same client had before login
 * (user "-"). */
static size_t make_key(struct px_state *st, const struct px_vals *v,
                       bool prelogin)
{
    char *k = st->key;
    size_t n = 0;
    struct fa_str id = val(v, PF_SESSION_ID);
    struct fa_str pid = val(v, PF_PID);
    struct fa_str ip = v->f[PF_CLIENT_IP].ptr ? v->f[PF_CLIENT_IP]
                                              : v->f[PF_CLIENT_HOST];
    struct fa_str user = v->f[PF_USER];
    if (id.len > 0) {
        k[n++] = 's';
        n += copy_in(k + n, PX_KEY_MAX - n, id);
        return n;
    }
    k[n++] = pid.len > 0 ? 'p' : 'u';
    n += copy_in(k + n, PX_KEY_MAX - n, pid);
    if (n < PX_KEY_MAX) {
        k[n++] = ' ';
    }
    if (ip.ptr != NULL) {
        n += copy_in(k + n, PX_KEY_MAX - n, ip);
    }
    if (pid.len == 0 && user.ptr != NULL && n < PX_KEY_MAX) {
        k[n++] = ' ';
        n += copy_in(k + n, PX_KEY_MAX - n,
                     prelogin ? FA_STR_LIT("-") : user);
    }
    return n;
}

static struct px_sess *sess_find(struct px_state *st, size_t klen)
{
    for (size_t i = 0; i < PX_SESS_MAX; i++) {
        struct px_sess *s = &st->sess[i];
        if (s->used && s->klen == klen && memcmp(s->key, st->key, klen) == 0) {
            s->stamp = ++st->tick;
            return s;
        }
    }
    return NULL;
}

static struct px_sess *sess_new(struct px_state *st, size_t klen,
                                struct fa_str ip)
{
    struct px_sess *s = &st->sess[0];
    for (size_t i = 0; i < PX_SESS_MAX; i++) {
        if (!st->sess[i].used) {
            s = &st->sess[i];
            break;
        }
        if (st->sess[i].stamp < s->stamp) {
            s = &st->sess[i];
        }
    }
    memset(s, 0, sizeof(*s));
    s->used = true;
    s->stamp = ++st->tick;
    s->proto = FA_PROTO_FTP;
    s->klen = klen;
    memcpy(s->key, st->key, klen);
    s->iplen = copy_in(s->ip, PX_IP_MAX, ip);
    return s;
}

/* The session of this line, created when new; a new logged-in session
 * takes over what its client said before login. */
static struct px_sess *sess_get(struct px_state *st, const struct px_vals *v)
{
    size_t klen = make_key(st, v, false);
    struct px_sess *s = sess_find(st, klen);
    if (s != NULL) {
        return s;
    }
    s = sess_new(st, klen, client_ip(v));
    size_t plen = make_key(st, v, true);
    if (plen != klen || memcmp(st->key, s->key, klen) != 0) {
        struct px_sess *pre = sess_find(st, plen);
        if (pre != NULL) {
            s->ssh = pre->ssh;
            s->proto = pre->proto;
        }
    }
    return s;
}

/* The pre-login session of this line's client (the same one unless the
 * key holds the user). */
static struct px_sess *sess_pre(struct px_state *st, const struct px_vals *v,
                                struct px_sess *s, bool create)
{
    size_t plen = make_key(st, v, true);
    if (plen == s->klen && memcmp(st->key, s->key, plen) == 0) {
        return s;
    }
    struct px_sess *pre = sess_find(st, plen);
    if (pre == NULL && create) {
        pre = sess_new(st, plen, client_ip(v));
    }
    return pre;
}

static void queue_push(struct px_sess *s, struct fa_str user)
{
    if (s->nuser == PX_USERQ) {
        memmove(s->queue[0], s->queue[1], sizeof(s->queue[0]) * (PX_USERQ - 1));
        memmove(s->qlen, s->qlen + 1, sizeof(s->qlen[0]) * (PX_USERQ - 1));
        s->nuser--;
    }
    s->qlen[s->nuser] = copy_in(s->queue[s->nuser], PX_NAME_MAX, user);
    s->nuser++;
}

static void queue_drop(struct px_sess *s, size_t i)
{
    for (size_t k = i; k + 1 < s->nuser; k++) {
        memcpy(s->queue[k], s->queue[k + 1], s->qlen[k + 1]);
        s->qlen[k] = s->qlen[k + 1];
    }
    s->nuser--;
}

/*
 * The USER a PASS answers.  Parallel sessions of one client share a
 * pre-login session when no pid is logged: with different names waiting
 * the answer is unknown (empty) rather than a guess.
 */
static struct fa_str queue_take(struct px_state *st, struct px_sess *s,
                                struct fa_str known)
{
    if (known.len > 0) {
        for (size_t i = 0; i < s->nuser; i++) {
            if (s->qlen[i] == known.len &&
                memcmp(s->queue[i], known.ptr, known.len) == 0) {
                queue_drop(s, i);
                break;
            }
        }
        return known;
    }
    if (s->nuser == 0) {
        return FA_STR_NULL;
    }
    bool same = true;
    for (size_t i = 1; i < s->nuser; i++) {
        same = same && s->qlen[i] == s->qlen[0] &&
               memcmp(s->queue[i], s->queue[0], s->qlen[0]) == 0;
    }
    size_t n = same ? copy_in(st->ubuf, PX_NAME_MAX,
                              view(s->queue[0], s->qlen[0]))
                    : 0;
    queue_drop(s, 0);
    return view(st->ubuf, n);
}

/* ------------------------------------------------------------------ */
/* Paths                                                               */

/* Add one component to out[0..*n); "." is dropped and ".." goes up (not
 * past "/"; a relative path keeps leading ".."). */
static bool push_comp(char *out, size_t cap, size_t *n, bool abs,
                      const char *c, size_t clen)
{
    size_t start = abs ? 1 : 0;
    if (clen == 0 || (clen == 1 && c[0] == '.')) {
        return true;
    }
    if (clen == 2 && c[0] == '.' && c[1] == '.') {
        size_t k = *n;
        while (k > start && out[k - 1] != '/') {
            k--;
        }
        bool up = *n - k == 2 && out[k] == '.' && out[k + 1] == '.';
        if (*n > start && !up) {
            *n = k > start ? k - 1 : start;
            return true;
        }
        if (abs) {
            return true;
        }
    }
    size_t sep = *n > start ? 1 : 0;
    if (*n + sep + clen >= cap) {
        return false;
    }
    if (sep) {
        out[(*n)++] = '/';
    }
    memcpy(out + *n, c, clen);
    *n += clen;
    return true;
}

static bool push_path(char *out, size_t cap, size_t *n, bool abs,
                      const char *p, size_t len)
{
    size_t i = 0;
    while (i < len) {
        size_t j = i;
        while (j < len && p[j] != '/') {
            j++;
        }
        if (!push_comp(out, cap, n, abs, p + i, j - i)) {
            return false;
        }
        i = j + 1;
    }
    return true;
}

/*
 * rel read from base (a session's CWD; "" is the login directory), with
 * "//", "." and ".." resolved, into out.  Returns the length; 0 with
 * *ok false when it does not fit.  "~" and "~/x" are the login directory.
 */
static size_t path_join(char *out, size_t cap, const char *base, size_t blen,
                        struct fa_str rel, bool *ok)
{
    const char *r = rel.ptr;
    size_t rlen = rel.len;
    *ok = true;
    if (rlen > 0 && r[0] == '~' && (rlen == 1 || r[1] == '/')) {
        blen = 0;
        r++;
        rlen--;
    }
    bool abs = rlen > 0 && r[0] == '/';
    if (!abs) {
        abs = blen > 0 && base[0] == '/';
    }
    size_t n = 0;
    if (abs) {
        out[n++] = '/';
    }
    if ((rlen == 0 || r[0] != '/') &&
        !push_path(out, cap, &n, abs, base, blen)) {
        *ok = false;
        return 0;
    }
    if (!push_path(out, cap, &n, abs, r, rlen)) {
        *ok = false;
        return 0;
    }
    return n;
}

/* The path a command names, into st->pbuf[slot]: %f (the server's real
 * path) when logged, else %F, else the argument read from the CWD. */
static struct fa_str op_path(struct px_state *st, const struct px_vals *v,
                             const struct px_sess *s, struct fa_str arg,
                             int slot)
{
    struct fa_str f = val(v, PF_PATH);
    if (f.len > 0) {
        return f;
    }
    f = val(v, PF_VPATH);
    if (f.len > 0) {
        return f;
    }
    if (arg.len == 0) {
        return FA_STR_NULL;
    }
    bool ok;
    size_t n = path_join(st->pbuf[slot], PX_PATH_MAX, s->cwd, s->cwdlen, arg,
                         &ok);
    if (!ok) {
        return arg;   /* too long to rebuild: as the client sent it */
    }
    if (n == 0) {
        st->pbuf[slot][n++] = '.';
    }
    return fa_str_make(st->pbuf[slot], n);
}

static void set_cwd(struct px_sess *s, struct fa_str arg)
{
    char tmp[PX_PATH_MAX];
    bool ok;
    size_t n = path_join(tmp, sizeof(tmp), s->cwd, s->cwdlen, arg, &ok);
    if (ok) {
        memcpy(s->cwd, tmp, n);
        s->cwdlen = n;
    }
}

/* ------------------------------------------------------------------ */
/* SFTP handles                                                        */

static struct px_open *open_add(struct px_sess *s, struct fa_str path,
                                uint64_t stamp)
{
    struct px_open *o = &s->open[0];
    for (size_t i = 0; i < PX_OPEN_MAX; i++) {
        if (!s->open[i].used) {
            o = &s->open[i];
            break;
        }
        if (s->open[i].stamp < o->stamp) {
            o = &s->open[i];
        }
    }
    memset(o, 0, sizeof(*o));
    o->used = true;
    o->stamp = stamp;
    o->bytes = -1;
    o->plen = copy_in(o->path, PX_PATH_MAX, path);
    return o;
}

/* The open file a handle or path names; bind: an unknown handle names the
 * newest file opened without one (READ/WRITE/FSTAT after OPEN). */
static struct px_open *open_find(struct px_sess *s, struct fa_str handle,
                                 struct fa_str path, bool bind)
{
    struct px_open *best = NULL;
    for (size_t i = 0; i < PX_OPEN_MAX; i++) {
        struct px_open *o = &s->open[i];
        if (!o->used) {
            continue;
        }
        if (handle.len > 0 && o->bound && o->hlen == handle.len &&
            memcmp(o->handle, handle.ptr, handle.len) == 0) {
            return o;
        }
        if (path.len > 0 && o->plen == path.len &&
            memcmp(o->path, path.ptr, path.len) == 0 &&
            (best == NULL || o->stamp > best->stamp)) {
            best = o;
        }
    }
    if (best != NULL || !bind || handle.len == 0) {
        return best;
    }
    for (size_t i = 0; i < PX_OPEN_MAX; i++) {
        struct px_open *o = &s->open[i];
        if (o->used && !o->bound && (best == NULL || o->stamp > best->stamp)) {
            best = o;
        }
    }
    if (best != NULL) {
        best->bound = true;
        best->hlen = copy_in(best->handle, PX_HANDLE_MAX, handle);
    }
    return best;
}

/* ------------------------------------------------------------------ */
/* Events                                                              */

static int64_t num(struct fa_str s)
{
    uint64_t n;
    if (s.len == 0 || s.len > 19 || fa_parse_u64(s.ptr, s.len, &n) != s.len) {
        return -1;
    }
    return (int64_t)n;
}

static bool set_time(const struct px_state *st, const struct px_vals *v,
                     struct fa_event *ev)
{
    struct fa_str t;
    if ((t = v->f[PF_TIME_CLF]).ptr != NULL) {
        if (fa_stamp_clf(t.ptr, t.len, &ev->time_us, &ev->utc_offset) == 0) {
            return false;
        }
        ev->tz_source = FA_TZ_EXPLICIT;
        return true;
    }
    if ((t = v->f[PF_TIME_ISO]).ptr != NULL) {
        return fa_stamp_iso(st->ctx, t.ptr, t.len, &ev->time_us,
                            &ev->utc_offset, &ev->tz_source) == t.len;
    }
    if ((t = v->f[PF_TIME_EPOCH]).ptr != NULL) {
        uint64_t sec;
        size_t n = fa_parse_u64(t.ptr, t.len, &sec);
        if (n == 0 || sec > 253402300799ULL) {
            return false;
        }
        ev->time_us = (int64_t)sec * 1000000;
        ev->utc_offset = 0;
        ev->tz_source = FA_TZ_EXPLICIT;
        return true;
    }
    if ((t = v->f[PF_TIME_CUSTOM]).ptr != NULL) {
        if (fa_stamp_clf(t.ptr, t.len, &ev->time_us, &ev->utc_offset) > 0) {
            ev->tz_source = FA_TZ_EXPLICIT;
            return true;
        }
        if (fa_stamp_iso(st->ctx, t.ptr, t.len, &ev->time_us,
                         &ev->utc_offset, &ev->tz_source) > 0) {
            return true;
        }
    }
    ev->time_us = st->ctx->mtime * 1000000;
    ev->utc_offset = 0;
    ev->tz_source = FA_TZ_NONE;
    return true;
}

static bool is_anon(struct fa_str u)
{
    return str_ieq(u, "anonymous") || str_ieq(u, "ftp");
}

/* Fields every event of the line shares. */
static void base_event(const struct px_vals *v, const struct px_sess *s,
                       struct fa_event *ev)
{
    ev->daemon = FA_DAEMON_PROFTPD;
    ev->ip = client_ip(v);
    if (ev->ip.len == 0 && s->iplen > 0) {
        ev->ip = fa_str_make(s->ip, s->iplen);
    }
    ev->host = val(v, PF_VHOST);
    if (ev->host.len == 0) {
        ev->host = val(v, PF_SERVER);
    }
    int64_t pid = num(val(v, PF_PID));
    ev->pid = pid > 0 && pid <= UINT32_MAX ? (uint32_t)pid : 0;
    ev->session = val(v, PF_SESSION_ID);
    ev->user = val(v, PF_USER);
    if (ev->user.len == 0 && s->ulen > 0) {
        ev->user = fa_str_make(s->user, s->ulen);
    }
    ev->anonymous = is_anon(ev->user);
    struct fa_str proto = val(v, PF_PROTOCOL);
    if (str_ieq(proto, "ftp")) {
        ev->proto = FA_PROTO_FTP;
    } else if (str_ieq(proto, "ftps")) {
        ev->proto = FA_PROTO_FTPS;
    } else if (str_ieq(proto, "scp")) {
        ev->proto = FA_PROTO_SCP;
    } else if (str_ieq(proto, "sftp") || str_ieq(proto, "ssh2")) {
        ev->proto = FA_PROTO_SFTP;
    } else {
        ev->proto = s->ssh ? FA_PROTO_SFTP : s->proto;
    }
}

static enum fa_outcome ftp_outcome(int status)
{
    if (status >= 100 && status < 400) {
        return FA_OUT_SUCCESS;
    }
    if (status >= 400 && status < 600) {
        return FA_OUT_FAILURE;
    }
    return FA_OUT_UNKNOWN;
}

/* mod_sftp logs 0 (or the FTP twin's code) for a request that worked. */
static enum fa_outcome sftp_outcome(int status)
{
    if (status == 0 || (status >= 200 && status < 400)) {
        return FA_OUT_SUCCESS;
    }
    return status < 0 ? FA_OUT_UNKNOWN : FA_OUT_FAILURE;
}

/* %{transfer-status} overrides the reply code of a transfer. */
static void xfer_status(const struct px_vals *v, struct fa_event *ev)
{
    struct fa_str x = val(v, PF_XSTATUS);
    if (str_ieq(x, "success")) {
        ev->outcome = FA_OUT_SUCCESS;
    } else if (str_ieq(x, "failed") || str_ieq(x, "cancelled") ||
               str_ieq(x, "timeout")) {
        ev->outcome = FA_OUT_FAILURE;
        ev->detail = x;
    }
}

/* SSH sessions log an FTP twin (DELE, RNTO, MKD ...) next to the SFTP
 * request (REMOVE, RENAME, MKDIR ...): the second of the pair is dropped. */
static bool ssh_twin(struct px_sess *s, enum fa_action act, struct fa_str path)
{
    if (!s->ssh) {
        return false;
    }
    uint64_t h = hash_str(path);
    if (s->last_act == act && (path.len == 0 || s->last_hash == h)) {
        s->last_act = FA_ACT_NONE;
        return true;
    }
    s->last_act = act;
    s->last_hash = h;
    return false;
}

static enum fa_status file_event(struct px_sess *s, const struct px_vals *v,
                                 struct fa_event *ev, enum fa_action act,
                                 struct fa_str path, enum fa_outcome outcome)
{
    if (ssh_twin(s, act, path)) {
        return FA_SKIP;
    }
    ev->action = act;
    ev->path = path;
    ev->outcome = outcome;
    if (outcome == FA_OUT_FAILURE && ev->detail.len == 0) {
        ev->detail = v->f[PF_STATUS];
    }
    return FA_OK;
}

static void new_login(struct px_sess *s, struct px_sess *pre,
                      struct fa_str user)
{
    s->cwdlen = 0;
    s->rnfr_set = s->dir_set = s->quit = false;
    s->last_act = FA_ACT_NONE;
    memset(s->open, 0, sizeof(s->open));
    if (pre != NULL && pre != s) {
        s->ssh = pre->ssh;
        s->proto = pre->proto;
    }
    s->ulen = copy_in(s->user, PX_NAME_MAX, user);
}

static enum fa_status do_pass(struct px_state *st, const struct px_vals *v,
                              const struct px_req *x, struct px_sess *s,
                              struct fa_event *ev)
{
    struct px_sess *pre = sess_pre(st, v, s, false);
    struct fa_str user = val(v, PF_USER);
    if (x->status < 200 || (x->status >= 300 && x->status < 400) ||
        x->status >= 600) {
        return FA_SKIP;   /* no reply logged, or "332 need account" */
    }
    if (x->status < 300) {
        if (!s->ssh && pre != NULL) {
            user = queue_take(st, pre, user);
        }
        if (user.len == 0) {
            user = val(v, PF_USER_SENT);
        }
        if (user.len == 0 && s->ssh) {
            user = view(s->held_user, s->hulen);
        }
        new_login(s, pre, user);
        base_event(v, s, ev);
        ev->action = FA_ACT_LOGIN;
        ev->outcome = FA_OUT_SUCCESS;
        ev->user = view(s->user, s->ulen);
        ev->anonymous = ev->anonymous || is_anon(val(v, PF_USER_SENT));
        return FA_OK;
    }
    uint64_t args = ((uint64_t)1 << PF_REQUEST) | ((uint64_t)1 << PF_ARGS);
    if (s->ssh && (st->prog[st->locked].has & args) != 0) {
        /* Decided by the USERAUTH_REQUEST logged next (mod_sftp auth.c
         * logs PASS first): a public-key probe or a "none" query is no
         * password guess.  A format without the arguments never shows
         * the method: the 530 counts then. */
        s->held = true;
        return FA_SKIP;
    }
    if (pre != NULL) {
        user = queue_take(st, pre, user);
    }
    if (user.len == 0) {
        user = val(v, PF_USER_SENT);
    }
    base_event(v, s, ev);
    ev->action = FA_ACT_LOGIN;
    ev->outcome = FA_OUT_FAILURE;
    ev->user = user;
    ev->anonymous = is_anon(user);
    ev->detail = v->f[PF_STATUS];
    return FA_OK;
}

static enum fa_status do_userauth(const struct px_vals *v,
                                  const struct px_req *x, struct px_sess *s,
                                  struct fa_event *ev)
{
    s->ssh = true;
    if (!s->held) {
        return FA_SKIP;
    }
    s->held = false;
    struct fa_str method;
    struct fa_str user = word(x->args, &method);
    method = word(method, &(struct fa_str){0});
    if (method.len > 0 && !str_ieq(method, "password") &&
        !str_ieq(method, "keyboard-interactive")) {
        return FA_SKIP;
    }
    base_event(v, s, ev);
    ev->action = FA_ACT_LOGIN;
    ev->outcome = FA_OUT_FAILURE;
    if (user.len > 0) {
        ev->user = user;
    } else if (ev->user.len == 0) {
        ev->user = view(s->held_user, s->hulen);
    }
    ev->anonymous = is_anon(ev->user);
    ev->detail = method.len > 0 ? method : FA_STR_LIT("530");
    return FA_OK;
}

static enum fa_status do_transfer(struct px_state *st,
                                  const struct px_vals *v,
                                  const struct px_req *x, struct px_sess *s,
                                  struct fa_event *ev)
{
    struct fa_str path = op_path(st, v, s, x->args, 0);
    base_event(v, s, ev);
    ev->action = x->verb == V_STOR ? FA_ACT_UPLOAD : FA_ACT_DOWNLOAD;
    ev->outcome = ftp_outcome(x->status);
    if (ev->outcome == FA_OUT_FAILURE) {
        ev->detail = v->f[PF_STATUS];
    }
    xfer_status(v, ev);
    ev->path = path;
    ev->bytes = num(val(v, PF_BYTES));
    if (s->ssh) {
        /* The SFTP handle this twin stands for needs no event at CLOSE. */
        struct px_open *o = open_find(s, FA_STR_NULL, path, false);
        if (o != NULL) {
            o->reported = true;
        }
    }
    return FA_OK;
}

static enum fa_status do_close(struct px_state *st, const struct px_vals *v,
                               const struct px_req *x, struct px_sess *s,
                               struct fa_event *ev)
{
    struct fa_str rest;
    struct fa_str handle = word(x->args, &rest);
    struct px_open *o = open_find(s, handle, val(v, PF_PATH), false);
    if (o == NULL) {
        return FA_SKIP;   /* a directory handle, or opened before the log */
    }
    o->used = false;
    if (o->reported || o->mode == 0) {
        return FA_SKIP;
    }
    base_event(v, s, ev);
    ev->action = o->mode == 'w' ? FA_ACT_UPLOAD : FA_ACT_DOWNLOAD;
    ev->outcome = sftp_outcome(x->status);
    if (ev->outcome == FA_OUT_UNKNOWN) {
        ev->outcome = FA_OUT_SUCCESS;   /* closed: the transfer ended */
    } else if (ev->outcome == FA_OUT_FAILURE) {
        ev->detail = v->f[PF_STATUS];
    }
    xfer_status(v, ev);
    size_t n = copy_in(st->pbuf[0], PX_PATH_MAX, view(o->path, o->plen));
    ev->path = view(st->pbuf[0], n);
    int64_t b = num(val(v, PF_BYTES));
    ev->bytes = b >= 0 ? b : o->bytes;
    return FA_OK;
}

static void do_data(const struct px_vals *v, const struct px_req *x,
                    struct px_sess *s, const struct fa_event *ev)
{
    struct fa_str rest;
    struct fa_str handle = word(x->args, &rest);
    struct px_open *o = open_find(s, handle, val(v, PF_PATH), true);
    if (o == NULL) {
        return;
    }
    if (x->verb == V_READ) {
        o->mode = o->mode ? o->mode : 'r';
    } else if (x->verb == V_WRITE) {
        o->mode = 'w';
    }
    int64_t b = num(val(v, PF_BYTES));
    if (b > o->bytes) {
        o->bytes = b;
    }
    o->time_us = ev->time_us;
    o->offset = ev->utc_offset;
    o->tz_source = ev->tz_source;
}

/* SFTP RENAME "old new": split where the new absolute path starts. */
static void split_rename(struct fa_str args, struct fa_str *from,
                         struct fa_str *to)
{
    const char *sp = fa_memmem(args.ptr, args.len, " /", 2);
    if (sp == NULL) {
        sp = args.len ? memchr(args.ptr, ' ', args.len) : NULL;
    }
    if (sp == NULL) {
        *from = args;
        *to = FA_STR_NULL;
        return;
    }
    *from = fa_str_make(args.ptr, (size_t)(sp - args.ptr));
    *to = fa_str_make(sp + 1, args.len - from->len - 1);
}

static enum fa_status do_site(struct px_state *st, const struct px_vals *v,
                              const struct px_req *x, struct px_sess *s,
                              struct fa_event *ev)
{
    base_event(v, s, ev);
    if (!str_ieq(x->site, "CHMOD")) {
        ev->action = FA_ACT_COMMAND;
        ev->outcome = ftp_outcome(x->status);
        ev->detail = x->text;
        return FA_OK;
    }
    struct fa_str file;
    struct fa_str mode = word(x->site_args, &file);
    ev->action = FA_ACT_CHMOD;
    ev->outcome = ftp_outcome(x->status);
    ev->path = op_path(st, v, s, file, 0);
    ev->detail = mode;
    return FA_OK;
}

static enum fa_status dispatch(struct px_state *st, const struct px_vals *v,
                               const struct px_req *x, struct px_sess *s,
                               struct fa_event *ev)
{
    int status = x->status;
    bool prelogin = val(v, PF_USER).len == 0;
    struct fa_str path;
    struct fa_str proto = val(v, PF_PROTOCOL);
    if (proto.len > 0) {
        s->ssh = str_ieq(proto, "ssh2") || str_ieq(proto, "sftp") ||
                 str_ieq(proto, "scp");
    }
    switch (x->verb) {
    case V_USER:
        if (s->ssh) {
            s->hulen = copy_in(s->held_user, PX_NAME_MAX, x->args);
        } else {
            queue_push(sess_pre(st, v, s, true), x->args);
        }
        return FA_SKIP;
    case V_PASS:
        return do_pass(st, v, x, s, ev);
    case V_USERAUTH:
        return do_userauth(v, x, s, ev);
    case V_STOR:
    case V_RETR:
        return do_transfer(st, v, x, s, ev);
    case V_DELE:
        base_event(v, s, ev);
        path = op_path(st, v, s, x->args, 0);
        ev->bytes = num(val(v, PF_BYTES));
        return file_event(s, v, ev, FA_ACT_DELETE, path, ftp_outcome(status));
    case V_RNFR:
        path = op_path(st, v, s, x->args, 0);
        if (ftp_outcome(status) != FA_OUT_FAILURE) {
            s->rnfrlen = copy_in(s->rnfr, PX_PATH_MAX, path);
            s->rnfr_set = true;
            return FA_SKIP;
        }
        s->rnfr_set = false;
        base_event(v, s, ev);
        return file_event(s, v, ev, FA_ACT_RENAME, path, FA_OUT_FAILURE);
    case V_RNTO:
        base_event(v, s, ev);
        ev->path2 = op_path(st, v, s, x->args, 1);
        path = s->rnfr_set ? view(s->rnfr, s->rnfrlen) : val(v, PF_RNFR);
        s->rnfr_set = false;
        return file_event(s, v, ev, FA_ACT_RENAME, path, ftp_outcome(status));
    case V_MKD:
    case V_RMD:
        path = op_path(st, v, s, x->args, 0);
        if (s->ssh && status < 0) {
            /* mod_sftp's twin, without a reply: MKDIR/RMDIR has it. */
            s->dirlen = copy_in(s->dir, PX_PATH_MAX, path);
            s->dir_set = true;
            return FA_SKIP;
        }
        base_event(v, s, ev);
        return file_event(s, v, ev,
                          x->verb == V_MKD ? FA_ACT_MKDIR : FA_ACT_RMDIR,
                          path, ftp_outcome(status));
    case V_CWD:
        if (ftp_outcome(status) == FA_OUT_SUCCESS) {
            set_cwd(s, x->args);
        }
        return FA_SKIP;
    case V_CDUP:
        if (ftp_outcome(status) == FA_OUT_SUCCESS) {
            set_cwd(s, FA_STR_LIT(".."));
        }
        return FA_SKIP;
    case V_SITE:
        return do_site(st, v, x, s, ev);
    case V_QUIT:
    case V_EXIT:
        if ((x->verb == V_EXIT && s->quit) || (prelogin && s->ulen == 0)) {
            return FA_SKIP;   /* no login to end */
        }
        s->quit = true;
        base_event(v, s, ev);
        ev->action = FA_ACT_LOGOUT;
        ev->outcome = FA_OUT_SUCCESS;
        return FA_OK;
    case V_AUTH:
        if (status >= 200 && status < 400) {
            sess_pre(st, v, s, true)->proto = FA_PROTO_FTPS;
            s->proto = FA_PROTO_FTPS;
        }
        s->ssh = false;
        return FA_SKIP;
    case V_FTPNOISE:
        if (prelogin) {
            s->ssh = false;   /* an FTP client, whatever came before */
        }
        return FA_SKIP;
    case V_NOISE:
        return FA_SKIP;
    case V_SSHNOISE:
        s->ssh = true;
        return FA_SKIP;
    case V_OPEN:
        s->ssh = true;
        path = op_path(st, v, s, x->args, 0);
        if (path.len > 0) {
            struct px_open *o = open_add(s, path, ++st->tick);
            o->time_us = ev->time_us;
            o->offset = ev->utc_offset;
            o->tz_source = ev->tz_source;
        }
        return FA_SKIP;
    case V_READ:
    case V_WRITE:
    case V_FHANDLE:
        s->ssh = true;
        do_data(v, x, s, ev);
        return FA_SKIP;
    case V_CLOSE:
        s->ssh = true;
        return do_close(st, v, x, s, ev);
    case V_REMOVE:
        s->ssh = true;
        path = op_path(st, v, s, x->args, 0);
        base_event(v, s, ev);
        return file_event(s, v, ev, FA_ACT_DELETE, path, sftp_outcome(status));
    case V_RENAME: {
        s->ssh = true;
        struct fa_str from, to;
        split_rename(x->args, &from, &to);
        struct fa_str pf = val(v, PF_PATH);
        path = from.len > 0 ? op_path(st, v, s, from, 0) : pf;
        base_event(v, s, ev);
        ev->path2 = to.len > 0 ? op_path(st, v, s, to, 1) : FA_STR_NULL;
        if (pf.len > 0 && from.len > 0) {
            path = from;   /* %f would name both: keep the two as sent */
            ev->path2 = to;
        }
        return file_event(s, v, ev, FA_ACT_RENAME, path, sftp_outcome(status));
    }
    case V_MKDIR:
    case V_RMDIR:
        s->ssh = true;
        path = op_path(st, v, s, x->args, 0);
        if (path.len == 0 && s->dir_set) {
            path = view(s->dir, s->dirlen);
        }
        s->dir_set = false;
        base_event(v, s, ev);
        return file_event(s, v, ev,
                          x->verb == V_MKDIR ? FA_ACT_MKDIR : FA_ACT_RMDIR,
                          path, sftp_outcome(status));
    case V_SETSTAT:
        s->ssh = true;
        path = op_path(st, v, s, x->args, 0);
        if (path.len == 0) {
            return FA_SKIP;
        }
        base_event(v, s, ev);
        ev->action = FA_ACT_CHMOD;
        ev->outcome = sftp_outcome(status);
        ev->path = path;
        return FA_OK;
    case V_SSHCMD:
        s->ssh = true;
        /* fall through */
    default:
        if (x->cmd.len == 0) {
            return FA_SKIP;
        }
        base_event(v, s, ev);
        ev->action = FA_ACT_COMMAND;
        ev->outcome = ftp_outcome(status);
        ev->detail = x->text;
        return FA_OK;
    }
}

/* ------------------------------------------------------------------ */
/* The parser interface                                                */

static bool blank_line(const char *p, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (p[i] != ' ' && p[i] != '\t') {
            return false;
        }
    }
    return true;
}

static bool match_line(struct px_state *st, const char *p, size_t len,
                       struct px_vals *v)
{
    if (st->locked >= 0) {
        return prog_match(&st->prog[st->locked], p, len, v);
    }
    for (size_t i = 0; i < st->nprog; i++) {
        if (prog_match(&st->prog[i], p, len, v)) {
            st->locked = (int)i;
            return true;
        }
    }
    return false;
}

static enum fa_status px_parse(void *state, const struct fa_line *l,
                               struct fa_event *out, const char **why)
{
    struct px_state *st = state;
    if (st->nprog == 0) {
        *why = "no LogFormat";
        return FA_INVALID;
    }
    if (blank_line(l->ptr, l->len)) {
        return FA_SKIP;
    }
    struct px_vals v;
    if (!match_line(st, l->ptr, l->len, &v)) {
        *why = st->locked >= 0 ? "line does not match the LogFormat"
                               : "line matches no known LogFormat (give "
                                 "--proftpd-logformat)";
        return FA_INVALID;
    }
    if (!set_time(st, &v, out)) {
        *why = "bad time stamp";
        return FA_INVALID;
    }
    struct px_req x;
    read_req(&v, &x);
    struct px_sess *s = sess_get(st, &v);
    if (s->held && x.verb != V_USERAUTH) {
        /* The PASS 530 held for its USERAUTH_REQUEST got none: it was an
         * FTP failure after all.  Report it, then read this line again. */
        s->held = false;
        base_event(&v, s, out);
        out->action = FA_ACT_LOGIN;
        out->outcome = FA_OUT_FAILURE;
        out->user = view(s->held_user, s->hulen);
        out->anonymous = is_anon(out->user);
        out->detail = FA_STR_LIT("530");
        out->proto = s->proto;
        return FA_AGAIN;
    }
    return dispatch(st, &v, &x, s, out);
}

static enum fa_status px_finish(void *state, struct fa_event *out)
{
    struct px_state *st = state;
    for (; st->fin < PX_SESS_MAX; st->fin++) {
        struct px_sess *s = &st->sess[st->fin];
        if (!s->used) {
            continue;
        }
        for (size_t i = 0; i < PX_OPEN_MAX; i++) {
            struct px_open *o = &s->open[i];
            if (!o->used || o->reported || o->mode == 0) {
                continue;
            }
            /* Opened and read or written, never closed in the log. */
            o->used = false;
            out->time_us = o->time_us;
            out->utc_offset = o->offset;
            out->tz_source = o->tz_source;
            out->daemon = FA_DAEMON_PROFTPD;
            out->proto = FA_PROTO_SFTP;
            out->action = o->mode == 'w' ? FA_ACT_UPLOAD : FA_ACT_DOWNLOAD;
            out->outcome = FA_OUT_UNKNOWN;
            out->ip = view(s->ip, s->iplen);
            out->user = view(s->user, s->ulen);
            size_t n = copy_in(st->pbuf[0], PX_PATH_MAX,
                               view(o->path, o->plen));
            out->path = view(st->pbuf[0], n);
            out->bytes = o->bytes;
            return FA_OK;
        }
    }
    return FA_SKIP;
}

static int px_init(void *state, const struct fa_ctx *ctx, const char **why)
{
    struct px_state *st = state;
    st->ctx = ctx;
    st->locked = -1;
    if (ctx->logformat != NULL) {
        if (!compile_format(&st->prog[0], ctx->logformat, why)) {
            return -1;
        }
        st->nprog = 1;
        st->locked = 0;
        return 0;
    }
    for (size_t i = 0; i < PX_NBUILTIN; i++) {
        if (!compile_format(&st->prog[i], builtin_formats[i], why)) {
            return -1;
        }
    }
    st->nprog = PX_NBUILTIN;
    return 0;
}

static int combell_init(void *state, const struct fa_ctx *ctx,
                        const char **why)
{
    struct px_state *st = state;
    st->ctx = ctx;
    if (!compile_format(&st->prog[0], combell_format, why)) {
        return -1;
    }
    st->nprog = 1;
    st->locked = 0;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Detection                                                           */

/* A line a ProFTPD ExtendedLog of this program would write: it matches,
 * and its command (when logged) is one ProFTPD knows. */
static bool probe_line(const struct px_prog *pg, const struct fa_line *l)
{
    struct px_vals v;
    if (!prog_match(pg, l->ptr, l->len, &v)) {
        return false;
    }
    if ((pg->has & ((1u << PF_REQUEST) | (1u << PF_CMD))) == 0) {
        return true;
    }
    struct px_req x;
    read_req(&v, &x);
    return x.verb != V_OTHER;
}

/* 0 below half the lines; 72..95 from half to all. */
static int fraction_score(size_t good, size_t n)
{
    if (n == 0 || good * 2 < n) {
        return 0;
    }
    return 50 + (int)(45 * good / n);
}

/* Any line with a CLF stamp and a quoted known command followed by a
 * reply code: a custom LogFormat with %t and "%r". */
static bool generic_line(const struct fa_line *l)
{
    const char *p = l->ptr;
    size_t len = l->len;
    const char *b = memchr(p, '[', len);
    int64_t us;
    int32_t off;
    if (b == NULL || fa_stamp_clf(b, len - (size_t)(b - p), &us, &off) == 0) {
        return false;
    }
    const char *q = memchr(b, '"', len - (size_t)(b - p));
    if (q == NULL) {
        return false;
    }
    struct fa_str rest = fa_str_make(q + 1, len - (size_t)(q + 1 - p));
    const char *close = fa_memmem(rest.ptr, rest.len, "\" ", 2);
    if (close == NULL) {
        return false;
    }
    struct fa_str r = fa_str_make(rest.ptr, (size_t)(close - rest.ptr));
    struct fa_str args;
    struct fa_str cmd = word(drop_telnet(r), &args);
    return verb_of(cmd) != V_OTHER && close + 2 < p + len &&
           (is_digit(close[2]) || close[2] == '-');
}

static int px_probe(const struct fa_line *l, size_t n)
{
    struct px_prog pg, cb;
    const char *why;
    if (!compile_format(&cb, combell_format, &why)) {
        return 0;
    }
    int best = 0;
    for (size_t k = 0; k < PX_NBUILTIN; k++) {
        if (!compile_format(&pg, builtin_formats[k], &why)) {
            continue;
        }
        size_t good = 0;
        for (size_t i = 0; i < n; i++) {
            struct px_vals v;
            /* Combell's quoted paths also fit the awstats layout. */
            if (probe_line(&pg, &l[i]) &&
                !prog_match(&cb, l[i].ptr, l[i].len, &v)) {
                good++;
            }
        }
        int score = fraction_score(good, n);
        if (score > best) {
            best = score;
        }
    }
    if (best == 0) {
        size_t good = 0;
        for (size_t i = 0; i < n; i++) {
            good += generic_line(&l[i]);
        }
        best = fraction_score(good, n) > 0 ? 40 : 0;
    }
    return best;
}

static int combell_probe(const struct fa_line *l, size_t n)
{
    struct px_prog pg;
    const char *why;
    if (!compile_format(&pg, combell_format, &why)) {
        return 0;
    }
    size_t good = 0;
    for (size_t i = 0; i < n; i++) {
        struct px_vals v;
        if (probe_line(&pg, &l[i]) && prog_match(&pg, l[i].ptr, l[i].len, &v) &&
            v.f[PF_PATH].len > 0 && v.f[PF_PATH].ptr[0] == '/') {
            good++;
        }
    }
    return fraction_score(good, n);
}

const struct fa_parser fa_parser_proftpd_extended = {
    .name = "proftpd-extended",
    .summary = "ProFTPD ExtendedLog (default or --proftpd-logformat), IONOS ftp.log",
    .state_size = sizeof(struct px_state),
    .probe_lines = 20,
    .probe = px_probe,
    .init = px_init,
    .parse = px_parse,
    .finish = px_finish,
};

const struct fa_parser fa_parser_combell = {
    .name = "combell",
    .summary = "Combell logs/xferlog command log",
    .state_size = sizeof(struct px_state),
    .probe_lines = 20,
    .probe = combell_probe,
    .init = combell_init,
    .parse = px_parse,
    .finish = px_finish,
};
