/* ftpaudit: the command line. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "../analysis/detect.h"
#include "../parsers/parser.h"

static const char usage[] =
    "usage: ftpaudit COMMAND [options] PATH...\n"
    "\n"
    "Reads the logs FTP and SFTP servers write (vsftpd, ProFTPD, Pure-FTPd,\n"
    "OpenSSH, xferlog, hosting-provider formats; plain or gzip) and finds\n"
    "logins with stolen credentials and the files they changed.\n"
    "\n"
    "commands:\n"
    "  scan           find compromised accounts and the files to restore\n"
    "  parse          write the normalized events as NDJSON (ECS fields)\n"
    "  detect         show which log format each file is read as\n"
    "  list-formats   list the supported log formats\n"
    "  list-rules     list the detection rules with their default weights\n"
    "\n"
    "  ftpaudit COMMAND --help    options and examples of a command\n"
    "  ftpaudit --version         version\n";

static int list_rules(void)
{
    for (size_t i = 0; i < fa_rule_count(); i++) {
        const char *id, *name, *desc, *tech;
        int weight;
        fa_rule_info(i, &id, &name, &desc, &tech, &weight);
        printf("%-18s %3d  %-9s %s\n", id, weight, tech, desc);
    }
    return FA_EXIT_OK;
}

static int list_formats(void)
{
    const struct fa_parser *const *p = fa_parsers();
    for (size_t i = 0; p[i] != NULL; i++) {
        printf("%-20s %s\n", p[i]->name, p[i]->summary);
    }
    return FA_EXIT_OK;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return FA_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
        strcmp(cmd, "help") == 0) {
        fputs(usage, stdout);
        return FA_EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("ftpaudit %s\n", FA_VERSION);
        return FA_EXIT_OK;
    }
    if (strcmp(cmd, "list-rules") == 0) {
        return list_rules();
    }
    if (strcmp(cmd, "list-formats") == 0) {
        return list_formats();
    }
    if (strcmp(cmd, "parse") == 0) {
        return fa_cmd_parse(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "scan") == 0) {
        return fa_cmd_scan(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "detect") == 0) {
        return fa_cmd_detect(argc - 1, argv + 1);
    }
    fprintf(stderr, "ftpaudit: unknown command '%s'\n\n", cmd);
    fputs(usage, stderr);
    return FA_EXIT_USAGE;
}
