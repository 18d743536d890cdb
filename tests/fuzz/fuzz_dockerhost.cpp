// libFuzzer target for the docker CLI's host syntax (EndpointResolver::parseHost: -H,
// DOCKER_HOST, a context's endpoint). The input is the URL; a second run puts a known
// password into its authority. Never crashes; a parsed endpoint is self-consistent; the
// password never appears in an error (the message echoes the URL, redacted); an ssh
// endpoint's user and socket path carry no shell syntax.
#include "core/docker/endpointresolver.h"

#include <cstdio>
#include <cstdlib>

using bc::docker::EndpointResolver;
using bc::http::Endpoint;

namespace {

[[noreturn]] void fail(const char *what, const QString &detail = QString())
{
    std::fprintf(stderr, "fuzz_dockerhost: %s %s\n", what, qPrintable(detail));
    std::abort();
}

bool plain(const QString &text, QStringView extra)
{
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (!((u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9') ||
              extra.contains(c)))
            return false;
    }
    return true;
}

void check(const QString &url, const QString &secret)
{
    const auto r = EndpointResolver::parseHost(url, {});
    if (!r) {
        if (!secret.isEmpty() && r.error().toString().contains(secret))
            fail("password in error:", r.error().toString());
        return;
    }
    const Endpoint &e = r.value();
    switch (e.transport) {
    case Endpoint::Transport::Unix:
        if (e.socketPath.isEmpty())
            fail("unix endpoint without a socket path:", url);
        break;
    case Endpoint::Transport::Tcp:
        if (e.host.isEmpty() || e.port == 0)
            fail("tcp endpoint without host or port:", url);
        break;
    case Endpoint::Transport::Ssh:
        if (e.sshHost.isEmpty())
            fail("ssh endpoint without a host:", url);
        // The user and the socket path end up on ssh's command line and in the remote
        // shell's: nothing but a plain name and a plain absolute path get through.
        if (!e.sshRemoteSocket.isEmpty() &&
            (!e.sshRemoteSocket.startsWith(u'/') || !plain(e.sshRemoteSocket, u"._/-")))
            fail("ssh socket path with shell syntax:", url);
        if (e.sshUser.startsWith(u'-') || !plain(e.sshUser, u"._@-"))
            fail("ssh user with shell syntax:", url);
        break;
    }
    // What the console shows and stores for an endpoint must parse again.
    const auto again = EndpointResolver::parseHost(e.toUrl(), {});
    if (!again)
        fail("toUrl() does not parse again:", e.toUrl() + u" <- " + url);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 2048)
        return 0;
    const QString url = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    check(url, QString());
    const qsizetype scheme = url.indexOf(u"://");
    if (scheme >= 0) {
        const QString secret = QStringLiteral("Pw4f9Zq7xK");
        QString withPassword = url;
        withPassword.insert(scheme + 3, u"user:" + secret + u'@');
        check(withPassword, secret);
    }
    return 0;
}
