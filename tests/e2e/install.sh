#!/bin/sh
# Install what the end-to-end tests need (Debian 12, as root):
#   tests/e2e/install.sh
# Idempotent and quick (well under a second) when everything is there.
#
# * apt-installs ProFTPD (+ mod_sftp), OpenSSH, rsyslog and the clients;
# * unpacks vsftpd and Pure-FTPd from their .debs into $FTPAUDIT_E2E_ROOT
#   (default /var/lib/ftpaudit-e2e) without installing them: the three
#   FTP servers all "Conflicts: ftp-server", so apt would keep only one.
#   When another ftp-server package is already installed, ProFTPD is
#   unpacked the same way instead, so that nothing gets removed;
# * nothing is started: /usr/sbin/policy-rc.d (exit 101) is put in place
#   for the duration of the install when it is missing, so no postinst
#   starts a daemon on :21 or :22;
# * creates the test users e2e-alice and e2e-bob (GECOS marks them as
#   ours; a same-named user this script did not create is never touched)
#   and copies the PAM files of the unpacked servers when /etc/pam.d has
#   none.
# Exit status: 0 ready, 77 not root (the suite counts that as skipped),
# 1 anything failed.
set -eu

if [ "$(id -u)" -ne 0 ]; then
    echo "e2e install: needs root (apt-get, useradd, PAM files): skipped" >&2
    exit 77
fi

ROOT=${FTPAUDIT_E2E_ROOT:-/var/lib/ftpaudit-e2e}
GECOS="ftpaudit e2e test user"
USERS="e2e-alice e2e-bob"

# Packages apt installs.  The libraries are what the unpacked vsftpd and
# pure-ftpd binaries link against beyond what the others pull in.
PKGS="openssh-server openssh-sftp-server openssh-client lftp curl sshpass
rsyslog libwrap0 libsodium23 libcap2 libpam-modules libpam-runtime
libmaxmind-db-writer-perl python3 perl"
PROFTPD_PKGS="proftpd-core proftpd-mod-crypto"

installed()
{
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"
}

# ProFTPD through apt unless that would remove another ftp-server package
# (or FTPAUDIT_E2E_UNPACK_PROFTPD=1 asks to unpack it anyway).
unpack_proftpd=${FTPAUDIT_E2E_UNPACK_PROFTPD:-0}
if ! installed proftpd-core; then
    for other in vsftpd pure-ftpd pure-ftpd-mysql pure-ftpd-postgresql \
                 pure-ftpd-ldap; do
        if installed "$other"; then
            unpack_proftpd=1
        fi
    done
    [ "$unpack_proftpd" = 1 ] || PKGS="$PKGS $PROFTPD_PKGS"
elif [ "$unpack_proftpd" != 1 ]; then
    PKGS="$PKGS proftpd-mod-crypto"
fi

# A tree unpacked earlier would take precedence over the installed one.
if [ "$unpack_proftpd" != 1 ] && [ -e "$ROOT/proftpd" ]; then
    rm -rf "${ROOT:?}/proftpd"
fi

missing=""
for p in $PKGS; do
    installed "$p" || missing="$missing $p"
done

need_unpack()
{
    # $1: folder under $ROOT, $2: a file the unpacked tree must hold
    [ ! -e "$ROOT/$1/$2" ]
}
unpack=""
need_unpack vsftpd usr/sbin/vsftpd && unpack="$unpack vsftpd"
need_unpack pure-ftpd usr/sbin/pure-ftpd && unpack="$unpack pure-ftpd"
if [ "$unpack_proftpd" = 1 ] &&
    need_unpack proftpd usr/lib/proftpd/mod_sftp.so; then
    unpack="$unpack proftpd"
fi

created_policy=""
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup()
{
    if [ -n "$created_policy" ]; then
        rm -f /usr/sbin/policy-rc.d
    fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

if [ -n "$missing" ] || [ -n "$unpack" ]; then
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\n# ftpaudit e2e install: start no daemon\nexit 101\n' \
            >/usr/sbin/policy-rc.d
        chmod 755 /usr/sbin/policy-rc.d
        created_policy=1
    fi
    export DEBIAN_FRONTEND=noninteractive
    # An old or absent package list makes install and download fail.
    echo "e2e install: apt-get update" >&2
    apt-get update -qq
fi

if [ -n "$missing" ]; then
    echo "e2e install: apt-get install$missing" >&2
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# The unpacked servers: download the .debs, extract them, check that every
# library they link against is there.
deb_unpack()
{
    name=$1
    shift
    mkdir -p "$ROOT/debs"
    # apt downloads as _apt when that user may write the folder.
    if getent passwd _apt >/dev/null; then
        chown _apt "$ROOT/debs"
    fi
    rm -rf "${ROOT:?}/$name.new"
    mkdir -p "$ROOT/$name.new"
    for pkg in "$@"; do
        rm -f "$ROOT/debs/${pkg}_"*.deb
        (cd "$ROOT/debs" && apt-get download -qq "$pkg" >/dev/null)
        dpkg-deb -x "$ROOT/debs/${pkg}_"*.deb "$ROOT/$name.new"
    done
    rm -rf "${ROOT:?}/${name:?}"
    mv "$ROOT/$name.new" "$ROOT/$name"
}

lib_deps()
{
    # Library packages a .deb depends on, without version constraints and
    # without the ftp-server glue (debconf, adduser, ucf, ...).
    for deb in "$@"; do
        dpkg-deb -f "$deb" Depends
    done | tr ',' '\n' | sed -e 's/([^)]*)//g' -e 's/|.*//' -e 's/ //g' |
        grep -E '^lib' | sort -u
}

mkdir -p "$ROOT"
chmod 755 "$ROOT"
for name in $unpack; do
    echo "e2e install: unpacking $name" >&2
    case $name in
    vsftpd) deb_unpack vsftpd vsftpd ;;
    pure-ftpd) deb_unpack pure-ftpd pure-ftpd pure-ftpd-common ;;
    proftpd)
        deb_unpack proftpd proftpd-core proftpd-mod-crypto
        libs=""
        for p in $(lib_deps "$ROOT/debs/proftpd-core_"*.deb \
                            "$ROOT/debs/proftpd-mod-crypto_"*.deb); do
            installed "$p" || libs="$libs $p"
        done
        if [ -n "$libs" ]; then
            echo "e2e install: apt-get install$libs" >&2
            # shellcheck disable=SC2086
            apt-get install -y -qq --no-install-recommends $libs >/dev/null
        fi
        ;;
    esac
done

for bin in "$ROOT/vsftpd/usr/sbin/vsftpd" "$ROOT/pure-ftpd/usr/sbin/pure-ftpd"; do
    if ldd "$bin" | grep -q "not found"; then
        echo "e2e install: $bin lacks libraries:" >&2
        ldd "$bin" | grep "not found" >&2
        exit 1
    fi
done

# PAM services of the unpacked servers (Debian's own files, which add
# /etc/ftpusers and pam_shells to common-auth).  An existing file stays.
for svc in vsftpd:vsftpd pure-ftpd:pure-ftpd proftpd:proftpd; do
    dir=${svc%%:*}
    file=${svc#*:}
    if [ ! -e "/etc/pam.d/$file" ] && [ -e "$ROOT/$dir/etc/pam.d/$file" ]; then
        cp "$ROOT/$dir/etc/pam.d/$file" "/etc/pam.d/$file"
    fi
done
# root must be refused by the FTP servers whatever its password.
if [ ! -e /etc/ftpusers ]; then
    printf '# /etc/ftpusers: users not allowed to log in via ftp\nroot\n' \
        >/etc/ftpusers
fi

# Test users: home folders are root-owned (the runner fills public_html
# for each run), /bin/sh is in /etc/shells for pam_shells and ProFTPD.
mkdir -p "$ROOT/home"
chmod 755 "$ROOT/home"
for u in $USERS; do
    if getent passwd "$u" >/dev/null; then
        gecos=$(getent passwd "$u" | cut -d: -f5)
        if [ "$gecos" != "$GECOS" ]; then
            echo "e2e install: user $u exists and was not created by this" \
                 "script (GECOS '$gecos'): not touching it" >&2
            exit 1
        fi
    else
        echo "e2e install: useradd $u" >&2
        useradd -M -d "$ROOT/home/$u" -s /bin/sh -c "$GECOS" "$u"
    fi
    home=$(getent passwd "$u" | cut -d: -f6)
    if [ "$home" != "$ROOT/home/$u" ]; then
        usermod -d "$ROOT/home/$u" "$u"
    fi
    mkdir -p "$ROOT/home/$u"
    chown root:root "$ROOT/home/$u"
    chmod 755 "$ROOT/home/$u"
    # Cheap, and puts back a password someone changed.
    echo "$u:$u-Secret1" | chpasswd
done
exit 0
