/*
 * The little the C tests need from the operating system, for POSIX and for Windows (mingw, run
 * under Wine by scripts/test-windows): a GET to the simulator, a fresh temporary directory,
 * making a directory, a pause between polls, and running this program again as a child process
 * that can be killed. Everything else in the tests is standard C and odeme.h.
 */
#ifndef ODEME_TEST_COMPAT_H
#define ODEME_TEST_COMPAT_H

#if !defined(_WIN32) && !defined(_XOPEN_SOURCE)
#define _XOPEN_SOURCE 700 /* mkdtemp, nanosleep, kill under -std=c99 */
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <direct.h>
#include <io.h>
typedef SOCKET compat_socket;
#define COMPAT_BAD_SOCKET INVALID_SOCKET
#define compat_close_socket closesocket
/* A native path separator: the journal test builds C:\...\journal.sqlite3 with it. */
#define COMPAT_SEP "\\"
#else
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
typedef int compat_socket;
#define COMPAT_BAD_SOCKET (-1)
#define compat_close_socket close
#define COMPAT_SEP "/"
#endif

/* GET http://HOST:PORT/path (HOST:PORT from base_url) with HTTP/1.0; the body into buf.
 * Returns 0, or -1 when the URL is not http://IPv4:PORT, nothing answers or there is no body. */
static inline int compat_http_get(const char *base_url, const char *path, char *buf, size_t n) {
    char host[64];
    int port = 0;
    if (n == 0 || sscanf(base_url, "http://%63[^:]:%d", host, &port) != 2) return -1;
#ifdef _WIN32
    WSADATA wsa;
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) return -1;
#endif
    compat_socket fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd == COMPAT_BAD_SOCKET) return -1;
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short)port);
    if (inet_pton(AF_INET, host, &addr.sin_addr) != 1 || connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        compat_close_socket(fd);
        return -1;
    }
    char req[512];
    int len = snprintf(req, sizeof req, "GET %s HTTP/1.0\r\nHost: %s\r\nConnection: close\r\n\r\n", path, host);
    if (len <= 0 || (size_t)len >= sizeof req || send(fd, req, len, 0) != len) {
        compat_close_socket(fd);
        return -1;
    }
    size_t got = 0;
    for (;;) {
        int want = (int)(n - 1 - got > 65536 ? 65536 : n - 1 - got);
        if (want == 0) break;
        int r = (int)recv(fd, buf + got, want, 0);
        if (r <= 0) break;
        got += (size_t)r;
    }
    compat_close_socket(fd);
    buf[got] = 0;
    char *body = strstr(buf, "\r\n\r\n");
    if (!body) return -1;
    memmove(buf, body + 4, strlen(body + 4) + 1);
    return 0;
}

/* Creates a fresh directory under the system's temporary directory, named PREFIX-XXXXXX, and
 * writes its path into out with '/' separators (Windows accepts them, and they need no escaping
 * inside JSON text). Returns 0, or -1. */
static inline int compat_mkdtemp(char *out, size_t n, const char *prefix) {
#ifdef _WIN32
    char base[MAX_PATH + 1];
    DWORD len = GetTempPathA(sizeof base, base);
    if (len == 0 || len > MAX_PATH) return -1;
    for (unsigned attempt = 0; attempt < 100; attempt++) {
        int w = snprintf(out, n, "%s%s-%lu-%u", base, prefix, (unsigned long)GetCurrentProcessId(), attempt);
        if (w <= 0 || (size_t)w >= n) return -1;
        if (CreateDirectoryA(out, NULL)) {
            for (char *p = out; *p; p++)
                if (*p == '\\') *p = '/';
            return 0;
        }
        if (GetLastError() != ERROR_ALREADY_EXISTS) return -1;
    }
    return -1;
#else
    int w = snprintf(out, n, "/tmp/%s-XXXXXX", prefix);
    if (w <= 0 || (size_t)w >= n) return -1;
    return mkdtemp(out) ? 0 : -1;
#endif
}

/* mkdir PATH (a native path); 0 when it was made. */
static inline int compat_mkdir(const char *path) {
#ifdef _WIN32
    return CreateDirectoryA(path, NULL) ? 0 : -1;
#else
    return mkdir(path, 0700);
#endif
}

static inline void compat_sleep_ms(unsigned ms) {
#ifdef _WIN32
    Sleep(ms);
#else
    struct timespec ts;
    ts.tv_sec = (time_t)(ms / 1000);
    ts.tv_nsec = (long)(ms % 1000) * 1000000L;
    nanosleep(&ts, NULL);
#endif
}

/* This program, run again with three arguments, as a child process that compat_kill_child
 * can kill the hard way (TerminateProcess / SIGKILL: no handler, no clean-up runs). */
typedef struct {
#ifdef _WIN32
    HANDLE process;
#else
    pid_t pid;
#endif
} compat_child;

/* Exit code a killed child gets on Windows (TerminateProcess's argument); the child itself
 * never exits with it. */
#define COMPAT_KILLED_CODE 137

static inline int compat_spawn_self(compat_child *child, const char *argv0, const char *a, const char *b, const char *c) {
#ifdef _WIN32
    char exe[MAX_PATH + 1], cmd[4 * MAX_PATH];
    DWORD len = GetModuleFileNameA(NULL, exe, sizeof exe);
    (void)argv0;
    if (len == 0 || len > MAX_PATH) return -1;
    int w = snprintf(cmd, sizeof cmd, "\"%s\" \"%s\" \"%s\" \"%s\"", exe, a, b, c);
    if (w <= 0 || (size_t)w >= sizeof cmd) return -1;
    STARTUPINFOA si;
    PROCESS_INFORMATION pi;
    memset(&si, 0, sizeof si);
    si.cb = sizeof si;
    if (!CreateProcessA(exe, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) return -1;
    CloseHandle(pi.hThread);
    child->process = pi.hProcess;
    return 0;
#else
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        execl("/proc/self/exe", argv0, a, b, c, (char *)NULL);
        _exit(127);
    }
    child->pid = pid;
    return 0;
#endif
}

/* Kills the child and waits for it. Returns 1 when it died of the kill (it was still running),
 * 0 when it had exited by itself (*exit_code set), -1 on error. */
static inline int compat_kill_child(compat_child *child, int *exit_code) {
#ifdef _WIN32
    DWORD code = 0;
    TerminateProcess(child->process, COMPAT_KILLED_CODE);
    if (WaitForSingleObject(child->process, INFINITE) != WAIT_OBJECT_0 || !GetExitCodeProcess(child->process, &code)) {
        CloseHandle(child->process);
        return -1;
    }
    CloseHandle(child->process);
    *exit_code = (int)code;
    return code == COMPAT_KILLED_CODE ? 1 : 0;
#else
    int status = 0;
    kill(child->pid, SIGKILL);
    if (waitpid(child->pid, &status, 0) != child->pid) return -1;
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) return 1;
    *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return 0;
#endif
}

#endif /* ODEME_TEST_COMPAT_H */
