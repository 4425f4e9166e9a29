# bash completion for ftpaudit                             -*- shell-script -*-
#
# Installed as bash-completion/completions/ftpaudit (loaded on first use by
# the bash-completion package), or sourced by hand:
#     . docs/completion/ftpaudit.bash
# Works without bash-completion too; uses its _filedir when it is there.

# Log format names, asked of the ftpaudit being completed (so a build tree's
# binary offers its own list), else the list of this release.
_ftpaudit_formats()
{
    local bin=$1 names
    if [[ -n $bin ]] && type -P -- "$bin" >/dev/null 2>&1; then
        names=$("$bin" list-formats 2>/dev/null | while read -r n _; do
            printf '%s ' "$n"
        done)
    fi
    [[ -n $names ]] || names="vsftpd vsftpd-syslog xferlog proftpd-systemlog
        proftpd-syslog proftpd-extended proftpd-sftplog combell openssh
        ionos-sftp pureftpd pureftpd-clf pureftpd-stats pureftpd-w3c"
    printf '%s\n' "auto $names"
}

# File names (folders get a slash); $2, when given, is a glob the files
# must match (folders always match).
_ftpaudit_files()
{
    local cur=$1 glob=$2
    if declare -F _filedir >/dev/null; then
        if [[ -n $glob ]]; then
            _filedir "@(${glob#*.})"
        else
            _filedir
        fi
        return
    fi
    compopt -o filenames 2>/dev/null
    local IFS=$'\n' f
    COMPREPLY=()
    for f in $(compgen -f -- "$cur"); do
        if [[ -d $f || -z $glob || $f == $glob ]]; then
            COMPREPLY+=("$f")
        fi
    done
}

# IANA zone names from the zone database, one level at a time.
_ftpaudit_zones()
{
    local cur=$1 dir=/usr/share/zoneinfo IFS=$'\n' z
    [[ -d $dir ]] || return
    compopt -o nospace 2>/dev/null
    COMPREPLY=()
    for z in $(cd "$dir" && compgen -f -- "$cur"); do
        case $z in
            posix* | right* | *.tab | *.zi | leapseconds | SECURITY | \
                posixrules | localtime) continue ;;
        esac
        if [[ -d $dir/$z ]]; then
            COMPREPLY+=("$z/")
        else
            COMPREPLY+=("$z ")
        fi
    done
}

_ftpaudit()
{
    local cur prev cmd="" i
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD - 1]}
    # --option=value: bash splits the word at '=' (COMP_WORDBREAKS), so
    # "--format=js" arrives as "--format" "=" "js".
    if [[ $cur == = ]]; then
        cur=""
    elif [[ $prev == = && COMP_CWORD -ge 2 ]]; then
        prev=${COMP_WORDS[COMP_CWORD - 2]}
    fi

    # The subcommand: the first word that is not an option.
    for ((i = 1; i < COMP_CWORD; i++)); do
        if [[ ${COMP_WORDS[i]} != -* ]]; then
            cmd=${COMP_WORDS[i]}
            break
        fi
    done
    if [[ -z $cmd ]]; then
        COMPREPLY=($(compgen -W "scan parse detect list-formats list-rules
            --help --version" -- "$cur"))
        return
    fi

    # Values of options.
    case $prev in
        --format)
            [[ $cmd == scan ]] &&
                COMPREPLY=($(compgen -W "text json html ndjson ocsf" \
                    -- "$cur"))
            return
            ;;
        --fail-on)
            COMPREPLY=($(compgen -W "info low medium high critical" \
                -- "$cur"))
            return
            ;;
        --input-format)
            COMPREPLY=($(compgen -W "$(_ftpaudit_formats "$1")" -- "$cur"))
            return
            ;;
        --tz)
            _ftpaudit_zones "$cur"
            return
            ;;
        --geoip)
            _ftpaudit_files "$cur" "*.mmdb"
            return
            ;;
        --config)
            _ftpaudit_files "$cur" "*.json"
            return
            ;;
        --state | -o | --output)
            _ftpaudit_files "$cur"
            return
            ;;
        --proftpd-logformat | --mtime | --checkpoint)
            return # free text: a LogFormat, a date, seconds
            ;;
    esac

    local read_opts="--tz --input-format --proftpd-logformat --mtime -q
        --quiet -h --help"
    local opts
    case $cmd in
        scan)
            opts="$read_opts --geoip --no-geoip --config --format --events
                --state --checkpoint -o --output --fail-on"
            ;;
        parse)
            opts="$read_opts -o --output"
            ;;
        detect)
            opts=$read_opts
            ;;
        list-formats | list-rules)
            return # no arguments
            ;;
        *)
            return # unknown command: ftpaudit says so
            ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        return
    fi
    # Inputs: files, folders, or - for standard input.
    _ftpaudit_files "$cur"
    if [[ $cur == "" || $cur == - ]]; then
        COMPREPLY+=(-)
    fi
}

complete -F _ftpaudit ftpaudit
