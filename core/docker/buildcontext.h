#pragma once

#include "core/result.h"

#include <QIODevice>
#include <QString>

#include <memory>

namespace bc::docker {

struct BuildContextOptions
{
    QString contextDir;
    // Relative to contextDir, or absolute; empty = "Dockerfile" (then "dockerfile").
    QString dockerfile;
};

// Writes a build context as the docker CLI does: a tar (PAX where needed) of contextDir
// honouring .dockerignore, owners 0:0 with empty names (the classic builder's cache key
// includes them, not mtimes), directories and symlinks included, hard links as links,
// sockets/FIFOs/devices skipped. A Dockerfile outside the context is added as
// `.dockerfile.<random>` and listed in the sent .dockerignore so that `COPY .` leaves
// it out.
//
// Meant for a worker thread (QtConcurrent::run): it does blocking file I/O and shares no
// state. The returned device is a temporary file positioned at 0 (removed when the last
// reference goes); it belongs to the calling thread, so a worker moves it (moveToThread)
// to the thread that will upload it before returning it.
class BuildContext
{
public:
    // dockerfileInTar (optional) receives the Dockerfile's name inside the tar, to pass
    // as the `dockerfile` build parameter.
    static Result<std::shared_ptr<QIODevice>> pack(const BuildContextOptions &o,
                                                   QString *dockerfileInTar);
};

} // namespace bc::docker
