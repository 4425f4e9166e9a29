/* Every parser descriptor, for registry.c and the tests. */
#ifndef FA_PARSERS_REGISTRY_H
#define FA_PARSERS_REGISTRY_H

#include "parser.h"

extern const struct fa_parser fa_parser_vsftpd;
extern const struct fa_parser fa_parser_vsftpd_syslog;
extern const struct fa_parser fa_parser_xferlog;
extern const struct fa_parser fa_parser_proftpd_systemlog;
extern const struct fa_parser fa_parser_proftpd_syslog;
extern const struct fa_parser fa_parser_proftpd_extended;
extern const struct fa_parser fa_parser_proftpd_sftplog;
extern const struct fa_parser fa_parser_combell;
extern const struct fa_parser fa_parser_openssh;
extern const struct fa_parser fa_parser_ionos_sftp;
extern const struct fa_parser fa_parser_pureftpd;
extern const struct fa_parser fa_parser_pureftpd_clf;
extern const struct fa_parser fa_parser_pureftpd_stats;
extern const struct fa_parser fa_parser_pureftpd_w3c;

#endif
