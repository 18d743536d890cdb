#include "core/docker/libarchiveapi.h"

#include <QLibrary>

#include <mutex>

#ifndef BOX_LIBARCHIVE_SONAME
#error "BOX_LIBARCHIVE_SONAME must name the libarchive the headers belong to (set by CMake)"
#endif

namespace bc::docker {

const LibArchiveApi *LibArchiveApi::get(QString *error)
{
    static LibArchiveApi api;
    static QString loadError;
    static std::once_flag once;
    std::call_once(once, [] {
        // The soname the headers were built against: a different major version could have
        // other signatures behind the same names.
        QLibrary library(QStringLiteral(BOX_LIBARCHIVE_SONAME));
        if (!library.load()) {
            loadError = QStringLiteral("cannot load %1 (needed to pack build contexts): %2")
                            .arg(QStringLiteral(BOX_LIBARCHIVE_SONAME), library.errorString());
            return;
        }
        LibArchiveApi loaded;
        QStringList missing;
#define BC_LIBARCHIVE_RESOLVE(name)                                                                \
    loaded.name = reinterpret_cast<decltype(loaded.name)>(library.resolve(#name));                 \
    if (!loaded.name)                                                                              \
        missing << QStringLiteral(#name);
        BC_LIBARCHIVE_FUNCTIONS(BC_LIBARCHIVE_RESOLVE)
#undef BC_LIBARCHIVE_RESOLVE
        if (!missing.isEmpty()) {
            loadError = QStringLiteral("%1 lacks %2")
                            .arg(QStringLiteral(BOX_LIBARCHIVE_SONAME), missing.join(u", "));
            return;
        }
        // Never unloaded: the table points into it for the rest of the process.
        api = loaded;
    });
    if (!api.archive_write_new) {
        if (error)
            *error = loadError;
        return nullptr;
    }
    return &api;
}

} // namespace bc::docker
