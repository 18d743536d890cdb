#pragma once

#include <QString>

namespace bc::security {

// Where a box's egress sockets live on the proxy host. Each box has a directory of its own
// below the proxy's socket root, holding one socket per upstream its spec lists; only that
// directory is mounted into the box, so a box cannot even see another box's sockets, and
// the proxy knows which box sent a request by the socket it arrived on.
class EgressLayout
{
public:
    // <root>/<box>; box names are validated DNS labels, so no path syntax can get in.
    static QString boxSocketDir(const QString &root, const QString &box);
    // <root>/<box>/<upstream>.sock
    static QString boxSocketPath(const QString &root, const QString &box, const QString &upstream);

    // Whether `root` can be the socket root on this host. The boxes' directories are made
    // by the proxy's reload hook, but the root must exist already: otherwise no proxy runs
    // here, and Docker would create a root-owned directory at the mount instead.
    enum class RootProblem { None, NotAbsolute, Missing, NotDirectory };
    static RootProblem checkRoot(const QString &root); // reads the file system
};

} // namespace bc::security
