/* A stand-in for socat in the busybox test image, which has no socat and no Unix-socket
 * client. It understands exactly the two addresses box-console's loopback forwarder uses:
 *   mini_socat TCP-LISTEN:<port>,bind=<ipv4>[,fork][,reuseaddr] UNIX-CONNECT:<path>
 * and, like socat with fork, serves each TCP connection in a child that opens the Unix
 * socket afresh (so a proxy restart that replaces the socket file is picked up).
 * Built statically by tst_isolation: cc -static -O2 -o socat mini_socat.c */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int relay(int a, int b)
{
    char buf[16384];
    int open_a = 1, open_b = 1;
    while (open_a || open_b) {
        struct pollfd p[2] = {{a, open_a ? POLLIN : 0, 0}, {b, open_b ? POLLIN : 0, 0}};
        if (poll(p, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            return 1;
        }
        for (int i = 0; i < 2; ++i) {
            int from = i == 0 ? a : b, to = i == 0 ? b : a;
            int *open = i == 0 ? &open_a : &open_b;
            if (!*open || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            ssize_t n = read(from, buf, sizeof buf);
            if (n <= 0) {
                *open = 0;
                shutdown(to, SHUT_WR);
                continue;
            }
            for (ssize_t off = 0; off < n;) {
                ssize_t w = write(to, buf + off, (size_t)(n - off));
                if (w <= 0)
                    return 1;
                off += w;
            }
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3 || strncmp(argv[1], "TCP-LISTEN:", 11) != 0 ||
        strncmp(argv[2], "UNIX-CONNECT:", 13) != 0) {
        fprintf(stderr, "usage: %s TCP-LISTEN:<port>,bind=<ip>[,...] UNIX-CONNECT:<path>\n", argv[0]);
        return 2;
    }
    int port = atoi(argv[1] + 11);
    const char *bind_ip = "127.0.0.1";
    char ipbuf[64] = {0};
    const char *b = strstr(argv[1], ",bind=");
    if (b) {
        b += 6;
        size_t len = strcspn(b, ",");
        if (len >= sizeof ipbuf)
            return 2;
        memcpy(ipbuf, b, len);
        bind_ip = ipbuf;
    }
    const char *path = argv[2] + 13;
    struct sockaddr_un ua;
    memset(&ua, 0, sizeof ua);
    ua.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof ua.sun_path)
        return 2;
    strcpy(ua.sun_path, path);

    signal(SIGCHLD, SIG_IGN); /* children are reaped automatically */
    int ls = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((unsigned short)port);
    if (inet_pton(AF_INET, bind_ip, &sa.sin_addr) != 1 ||
        bind(ls, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(ls, 64) != 0) {
        perror("listen");
        return 1;
    }
    for (;;) {
        int c = accept(ls, NULL, NULL);
        if (c < 0) {
            if (errno == EINTR)
                continue;
            perror("accept");
            return 1;
        }
        pid_t pid = fork();
        if (pid == 0) {
            close(ls);
            int u = socket(AF_UNIX, SOCK_STREAM, 0);
            if (connect(u, (struct sockaddr *)&ua, sizeof ua) != 0) {
                perror("connect");
                _exit(1);
            }
            _exit(relay(c, u));
        }
        close(c);
    }
}
