/*
 * The replay main() of a fuzz target, built when -Dfuzzing=none: runs the
 * target over its built-in seeds and over the files named on the command
 * line, so every `meson test` replays the fixtures and every crash found
 * so far.
 *
 *   fuzz_xxx [-s | -r] PATH...
 *
 * A PATH is a file or a directory, read recursively in name order.  After
 * -s the paths are log fixtures: only *.log files are taken, each expanded
 * by the target (fuzz_parse runs it once per parser); after -r (the
 * default) every file is one raw input as libFuzzer saved it (README* and
 * dot files are passed over).  Each input runs in a child process, so one
 * crash is reported with its file and the rest still run; FUZZ_NOFORK=1
 * runs them in-process (for a debugger).  Prints "N passed, M failed".
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fuzz.h"

/* Seconds one input may take before it counts as a hang. */
#define INPUT_TIMEOUT 60

static unsigned passed, failed;
static const char *current;    /* file being replayed, for messages */
static unsigned variant;       /* input number within that file */
static bool nofork;

static void run_one(const uint8_t *data, size_t size)
{
    variant++;
    if (nofork) {
        LLVMFuzzerTestOneInput(data, size);
        passed++;
        return;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        exit(2);
    }
    if (pid == 0) {
        alarm(INPUT_TIMEOUT);
        LLVMFuzzerTestOneInput(data, size);
        fflush(stdout);
        _exit(0);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            perror("waitpid");
            exit(2);
        }
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        passed++;
        return;
    }
    failed++;
    if (WIFSIGNALED(status)) {
        printf("FAIL %s (input %u, %zu bytes): %s\n", current, variant, size,
               WTERMSIG(status) == SIGALRM ? "timeout"
                                           : strsignal(WTERMSIG(status)));
    } else {
        printf("FAIL %s (input %u, %zu bytes): exit status %d\n", current,
               variant, size, WEXITSTATUS(status));
    }
}

static bool read_file(const char *path, uint8_t **data, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return false;
    }
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    size_t got;
    while (buf != NULL && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            cap *= 2;
            uint8_t *nb = realloc(buf, cap);
            if (nb == NULL) {
                free(buf);
                buf = NULL;
            }
            buf = nb;
        }
    }
    bool ok = buf != NULL && !ferror(f);
    fclose(f);
    if (!ok) {
        free(buf);
        return false;
    }
    *data = buf;
    *size = n;
    return true;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int replay_path(const char *path, bool fixtures, int depth);

static int replay_dir(const char *path, bool fixtures, int depth)
{
    DIR *dir = opendir(path);
    if (dir == NULL) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return -1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (e->d_name[0] == '.') {
            continue;
        }
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            names = realloc(names, cap * sizeof(*names));
            if (names == NULL) {
                abort();
            }
        }
        size_t len = strlen(path) + strlen(e->d_name) + 2;
        names[n] = malloc(len);
        if (names[n] == NULL) {
            abort();
        }
        snprintf(names[n], len, "%s/%s", path, e->d_name);
        n++;
    }
    closedir(dir);
    if (n > 0) {
        qsort(names, n, sizeof(*names), by_name);
    }
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        if (replay_path(names[i], fixtures, depth + 1) != 0) {
            rc = -1;
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

static int replay_path(const char *path, bool fixtures, int depth)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        return depth < 32 ? replay_dir(path, fixtures, depth) : 0;
    }
    if (!S_ISREG(st.st_mode)) {
        return 0;
    }
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (depth > 0 && (fixtures ? !ends_with(base, ".log")
                               : strncmp(base, "README", 6) == 0)) {
        return 0;
    }
    uint8_t *data;
    size_t size;
    if (!read_file(path, &data, &size)) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return -1;
    }
    current = path;
    variant = 0;
    if (fixtures) {
        fuzz_expand_fixture(path, data, size, run_one);
    } else {
        run_one(data, size);
    }
    free(data);
    return 0;
}

int main(int argc, char **argv)
{
    const char *nf = getenv("FUZZ_NOFORK");
    nofork = nf != NULL && *nf != '\0' && strcmp(nf, "0") != 0;
    int rc = 0;

    for (size_t i = 0; fuzz_builtin_seeds[i] != NULL; i++) {
        char label[32];
        snprintf(label, sizeof(label), "built-in seed %zu", i);
        current = label;
        variant = 0;
        const char *s = fuzz_builtin_seeds[i];
        fuzz_expand_fixture(NULL, (const uint8_t *)s, strlen(s), run_one);
    }
    current = NULL;

    bool fixtures = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-s") == 0) {
            fixtures = true;
        } else if (strcmp(argv[i], "-r") == 0) {
            fixtures = false;
        } else if (replay_path(argv[i], fixtures, 0) != 0) {
            rc = 1;
        }
    }
    printf("%u passed, %u failed\n", passed, failed);
    return failed > 0 || rc != 0 ? 1 : 0;
}
