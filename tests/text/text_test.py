#!/usr/bin/env python3
"""Tests of what a person reads: the terminal report, the manual page, the
bash completion and the rule pages.

    text_test.py CHECK FTPAUDIT SOURCE_ROOT

CHECK is one of: report, hostile, man, completion, rules-docs.  Prints one
line per assertion and "N passed, N failed"; exits 0, 1 on a failure, or
77 (skipped) when a tool the check needs is missing.
"""
import json
import os
import pty
import re
import shutil
import subprocess
import sys
import tempfile

PASSED = 0
FAILED = 0


def check(ok, what, detail=""):
    global PASSED, FAILED
    if ok:
        PASSED += 1
        print("ok   " + what)
    else:
        FAILED += 1
        print("FAIL " + what + (": " + detail if detail else ""))


def run(args, env=None, stdin=None):
    """Run with stdout and stderr piped; returns (status, stdout bytes,
    stderr bytes)."""
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       stdin=stdin, env=env, timeout=120)
    return p.returncode, p.stdout, p.stderr


def run_pty(args, env):
    """Run with stdout on a pseudo-terminal (stderr piped); returns
    (status, terminal bytes)."""
    master, slave = pty.openpty()
    p = subprocess.Popen(args, stdout=slave, stderr=subprocess.DEVNULL,
                         stdin=subprocess.DEVNULL, env=env)
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:   # EIO: the other side is closed
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    return p.wait(timeout=120), out


def base_env():
    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    env["TZ"] = "UTC"
    return env


def valid_utf8(data):
    try:
        data.decode("utf-8", "strict")
        return True
    except UnicodeDecodeError:
        return False


def sgr_only(data):
    """The bytes with Select Graphic Rendition sequences (colour) removed:
    what remains must hold no ESC at all."""
    return re.sub(rb"\x1b\[[0-9;]*m", b"", data)


# ---- report: the demo's text report, piped and on a terminal

def check_report(ftpaudit, root):
    demo = os.path.join(root, "testdata", "demo")
    env = base_env()
    status, js, _ = run([ftpaudit, "scan", "-q", "--no-geoip", "--format",
                         "json", demo], env=env)
    report = json.loads(js)
    high = [f for f in report["findings"]
            if f["severity"] in ("high", "critical")]
    check(len(high) >= 1, "the demo has a high or critical finding")
    restore = []
    for f in high:
        for p in f["files"]:
            if p not in restore:
                restore.append(p)
    attackers = sorted({f["source"]["ip"] for f in high if "source" in f})

    status, out, err = run([ftpaudit, "scan", "-q", "--no-geoip",
                            "--format", "text", demo], env=env)
    text = out.decode("utf-8", "replace")
    check(status == 1, "exit status 1 (a finding reached high)",
          str(status))
    check(b"\x1b" not in out, "piped text has no escape byte")
    check(valid_utf8(out), "valid UTF-8")
    check("webmaster" in text, "names the webmaster account")
    for ip in attackers:
        check(ip in text, "names the attacker address " + ip)
    check("203.0.113.77" in attackers,
          "the demo's attacker is 203.0.113.77", str(attackers))
    # The demo's story (README): four files to restore.
    for p in ["/var/www/shop/index.html", "/var/www/shop/about.php",
              "/var/www/shop/js/app.js", "/var/www/shop/images/.cache.php"]:
        check(p in restore, "the JSON report lists " + p + " to restore")
    block = text.split("files to restore", 1)
    check(len(block) == 2, "has a 'files to restore' list")
    tail = block[1] if len(block) == 2 else ""
    listed = [ln.strip() for ln in tail.splitlines()[1:]
              if ln.startswith("    ")]
    for p in restore:
        check(p in listed, "restore list names " + p)
    # Summary first: the ranked list comes before the details.
    summary = text.find("Accounts, most at risk first")
    details = text.find("Compromised accounts")
    check(0 <= summary < details, "summary before the per-account details")
    first_screen = "\n".join(text.splitlines()[:24])
    check("webmaster" in first_screen and "203.0.113.77" in first_screen,
          "account and attacker are on the first screen")
    check("timeline:" in text and "evidence:" in text,
          "timeline with evidence lines")
    check("Off in this run" in text and "country" in text,
          "says the country rules were off (--no-geoip)")

    # Stable when piped: the same bytes twice.
    _, again, _ = run([ftpaudit, "scan", "-q", "--no-geoip", "--format",
                       "text", demo], env=env)
    check(again == out, "piped output is the same on a second run")

    # On a terminal: colour, unless NO_COLOR.
    status, tty = run_pty([ftpaudit, "scan", "-q", "--no-geoip", demo], env)
    check(b"\x1b[" in tty, "colour on a terminal (text is the default)")
    check(b"\x1b" not in sgr_only(tty),
          "only colour sequences on the terminal")
    check(b"webmaster" in tty, "terminal report names the account")
    env_nc = dict(env, NO_COLOR="1")
    status, tty = run_pty([ftpaudit, "scan", "-q", "--no-geoip", demo],
                          env_nc)
    check(b"\x1b" not in tty, "no colour with NO_COLOR")
    check(b"webmaster" in tty, "NO_COLOR report names the account")


# ---- hostile: escape sequences in log fields never reach the terminal

HOSTILE_USER = b"evil\x1b[2J\x1b]0;title\x07"


def hostile_log(path):
    """An xferlog (fields split at spaces, so the user name can hold any
    other byte) whose account downloads and re-uploads pages and drops a
    script: a high finding that puts the name, the paths and the reasons
    in every part of the report."""
    u = HOSTILE_USER
    stamp = b"Wed Nov  4 03:17:%02d 2026 1 203.0.113.77 "
    lines = [
        stamp % 45 + b"10302 /var/www/shop/index.html b _ o r " + u +
        b" ftp 0 * c",
        stamp % 46 + b"4410 /var/www/shop/\x1b[31mred\xe2\x80\xaegnp.php"
        b" b _ o r " + u + b" ftp 0 * c",
        stamp % 49 + b"10491 /var/www/shop/index.html b _ i r " + u +
        b" ftp 0 * c",
        stamp % 50 + b"4599 /var/www/shop/\x1b[31mred\xe2\x80\xaegnp.php"
        b" b _ i r " + u + b" ftp 0 * c",
        stamp % 52 + b"18870 /var/www/shop/images/.\x1b]0;t\x07\xc2\x9b"
        b"2Jx\xff.php b _ i r " + u + b" ftp 0 * c",
        # Not a record: its text is quoted in the malformed examples.
        b"\x1b]0;owned\x07\x1b[2J garbage \x9b\xc2\x9b1m",
    ]
    with open(path, "wb") as f:
        f.write(b"\n".join(lines) + b"\n")


def check_hostile(ftpaudit, root):
    env = base_env()
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "xferlog\x1b[5mname")
        hostile_log(log)
        status, js, _ = run([ftpaudit, "scan", "-q", "--no-geoip",
                             "--format", "json", log], env=env)
        report = json.loads(js)
        users = [a["user"] for a in report["accounts"]]
        check(any("\x1b" in u for u in users),
              "the parser kept the hostile user name (test is meaningful)",
              repr(users))
        check(any(f["severity"] in ("high", "critical")
                  for f in report["findings"]),
              "the hostile account is flagged high")

        status, out, err = run([ftpaudit, "scan", "--no-geoip", "--format",
                                "text", log], env=env)
        check(status == 1, "exit status 1", str(status))
        check(b"\x1b" not in out, "no raw ESC in the text report")
        check(b"\x07" not in out, "no raw BEL in the text report")
        check(b"\xc2\x9b" not in out and b"\x9b" not in out,
              "no C1 CSI in the text report")
        check(b"\xe2\x80\xae" not in out,
              "no right-to-left override in the text report")
        check(valid_utf8(out), "the text report is valid UTF-8")
        text = out.decode("utf-8", "replace")
        check("evil\\x1b[2J\\x1b]0;title\\x07" in text,
              "the user name is shown, escaped")
        check("\\u202e" in text or "\\xe2\\x80\\xae" in text,
              "the override is shown escaped")
        check("garbage" in text, "the malformed line is quoted, escaped")
        check(b"\x1b" not in err and b"\x07" not in err,
              "no raw ESC or BEL in the stderr summary")

        # On a terminal, with colour: only our own colour sequences.
        status, tty = run_pty([ftpaudit, "scan", "-q", "--no-geoip", log],
                              env)
        check(b"\x1b[" in tty, "coloured on a terminal")
        rest = sgr_only(tty)
        check(b"\x1b" not in rest and b"\x07" not in rest,
              "on a terminal nothing but colour sequences")
        check(b"evil\\x1b[2J" in tty, "terminal shows the name escaped")


# ---- man: the manual page renders cleanly and covers every option

def help_options(ftpaudit, cmd):
    _, out, _ = run([ftpaudit, cmd, "--help"])
    return sorted(set(re.findall(r"(?<![\w-])(--[a-z][a-z-]+)",
                                 out.decode())))


def check_man(ftpaudit, root):
    groff = shutil.which("groff")
    if groff is None:
        print("groff not installed (Debian: groff-base): skipped")
        sys.exit(77)
    page = os.path.join(root, "docs", "ftpaudit.1")
    env = dict(os.environ, LC_ALL="C.UTF-8")
    status, out, err = run([groff, "-man", "-Tutf8", "-ww", page], env=env)
    check(status == 0, "groff exits 0", str(status))
    check(err == b"", "groff -ww prints no warning", err.decode()[:500])
    check(len(out) > 5000, "the page renders to text")
    src = open(page, encoding="utf-8").read()
    rendered = re.sub(r".\x08", "", out.decode("utf-8", "replace"))
    for cmd in ["scan", "parse", "detect", "list-formats", "list-rules"]:
        check(cmd.replace("-", "\\-") in src, "covers the command " + cmd)
    _, top, _ = run([ftpaudit, "--help"])
    for cmd in re.findall(r"^  ([a-z][a-z-]+) {2,}", top.decode(), re.M):
        check(cmd.replace("-", "\\-") in src,
              "covers '" + cmd + "' from ftpaudit --help")
    for cmd in ["scan", "parse", "detect"]:
        for opt in help_options(ftpaudit, cmd):
            check(opt.replace("-", "\\-") in src,
                  "covers " + cmd + " " + opt)
    for word in ["EXIT STATUS", "ENVIRONMENT", "FILES", "EXAMPLES"]:
        check(word in rendered, "has a section " + word)
    for word in ["TZ", "NO_COLOR"]:
        check(re.search(r"^\.B " + word + r"$", src, re.M) is not None,
              "documents the environment variable " + word)


# ---- completion: bash syntax and what TAB offers

def complete(script, ftpaudit, words):
    """COMPREPLY of the completion function for the given words (the last
    one is the word being completed)."""
    env = dict(os.environ)
    env["PATH"] = os.path.dirname(os.path.abspath(ftpaudit)) + ":" + \
        env.get("PATH", "")
    prog = """
. "$1"; shift
COMP_WORDS=("$@")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMP_LINE="$*"
COMP_POINT=${#COMP_LINE}
COMPREPLY=()
_ftpaudit ftpaudit "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\\n' "${COMPREPLY[@]}"
"""
    status, out, err = run(["bash", "-c", prog, "bash", script] + words,
                           env=env)
    return [w for w in out.decode().split("\n") if w]


def check_completion(ftpaudit, root):
    bash = shutil.which("bash")
    if bash is None:
        print("bash not installed: skipped")
        sys.exit(77)
    script = os.path.join(root, "docs", "completion", "ftpaudit.bash")
    status, out, err = run([bash, "-n", script])
    check(status == 0 and err == b"", "bash -n accepts the script",
          err.decode())
    status, out, err = run([bash, "-c", '. "$1" && complete -p ftpaudit',
                            "bash", script])
    check(b"-F _ftpaudit" in out and b"ftpaudit" in out,
          "registers a completion for ftpaudit", out.decode())
    check(complete(script, ftpaudit, ["ftpaudit", "sc"]) == ["scan"],
          "ftpaudit sc<TAB> completes to scan")
    check(complete(script, ftpaudit, ["ftpaudit", "list-f"]) ==
          ["list-formats"], "ftpaudit list-f<TAB> completes to list-formats")
    everything = complete(script, ftpaudit, ["ftpaudit", ""])
    _, top, _ = run([ftpaudit, "--help"])
    for cmd in re.findall(r"^  ([a-z][a-z-]+) {2,}", top.decode(), re.M):
        check(cmd in everything, "offers the command " + cmd)
    for cmd in ["scan", "parse", "detect"]:
        offered = complete(script, ftpaudit, ["ftpaudit", cmd, "--"])
        for opt in help_options(ftpaudit, cmd):
            check(opt in offered, "offers " + cmd + " " + opt)
    check(sorted(complete(script, ftpaudit,
                          ["ftpaudit", "scan", "--format", ""])) ==
          sorted(["text", "json", "html", "ndjson", "ocsf"]),
          "--format values")
    check(complete(script, ftpaudit, ["ftpaudit", "scan", "--format", "=",
                                      "nd"]) == ["ndjson"],
          "--format=nd<TAB> completes to ndjson")
    check(sorted(complete(script, ftpaudit,
                          ["ftpaudit", "scan", "--fail-on", ""])) ==
          sorted(["info", "low", "medium", "high", "critical"]),
          "--fail-on values")
    _, fmts, _ = run([ftpaudit, "list-formats"])
    names = [ln.split()[0] for ln in fmts.decode().splitlines() if ln]
    offered = complete(script, ftpaudit,
                       ["ftpaudit", "parse", "--input-format", ""])
    for n in names:
        check(n in offered, "--input-format offers " + n)
    with tempfile.TemporaryDirectory() as tmp:
        for name in ["vsftpd.log", "vsftpd.log.1.gz", "other.txt"]:
            open(os.path.join(tmp, name), "w").close()
        got = complete(script, ftpaudit,
                       ["ftpaudit", "scan", os.path.join(tmp, "vsftpd")])
        check(sorted(os.path.basename(g) for g in got) ==
              ["vsftpd.log", "vsftpd.log.1.gz"], "completes input files",
              str(got))


# ---- rules-docs: a page per rule, with the rule's weight

def check_rules_docs(ftpaudit, root):
    status, out, _ = run([ftpaudit, "list-rules"])
    check(status == 0, "list-rules runs")
    rules = []
    for ln in out.decode().splitlines():
        parts = ln.split()
        if len(parts) >= 2:
            rules.append((parts[0], parts[1]))
    check(len(rules) >= 10, "list-rules lists the rules", str(len(rules)))
    for rid, weight in rules:
        page = os.path.join(root, "docs", "rules", rid + ".md")
        if not os.path.exists(page):
            check(False, "docs/rules/%s.md exists" % rid)
            continue
        text = open(page, encoding="utf-8").read()
        check(text.startswith("# " + rid), rid + ": page title is the id")
        row = re.search(r"^\| (novelty|correlation|action) \| (\d+)",
                        text, re.M)
        check(row is not None and row.group(2) == weight,
              rid + ": documents the default weight " + weight,
              row.group(0) if row else "no class/weight row")
        for heading in ["## What it detects", "## When it fires",
                        "## Tuning"]:
            check(heading in text, rid + ": has '" + heading + "'")
    for name in ["nightly.md"]:
        text = open(os.path.join(root, "docs", name), encoding="utf-8").read()
        for word in ["--state", "OnCalendar", "cron", "| 2 |"]:
            check(word in text, name + " mentions " + word)


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        return 2
    what, ftpaudit, root = sys.argv[1:]
    checks = {
        "report": check_report,
        "hostile": check_hostile,
        "man": check_man,
        "completion": check_completion,
        "rules-docs": check_rules_docs,
    }
    checks[what](ftpaudit, root)
    print("%d passed, %d failed" % (PASSED, FAILED))
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
