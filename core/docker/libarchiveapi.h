#pragma once

#include <QString>

#include <archive.h>
#include <archive_entry.h>

namespace bc::docker {

// The part of libarchive that writing a build context needs, resolved on first use.
// libarchive and the compression libraries it pulls in (nettle, lzma, zstd, lz4, bz2,
// xml2, acl) cost every boxctl start about 0.7 ms of dynamic loading; only `build` and
// deploys that build use them, so they are loaded then, not at start-up.
#define BC_LIBARCHIVE_FUNCTIONS(X)                                                                 \
    X(archive_write_new)                                                                           \
    X(archive_write_free)                                                                          \
    X(archive_write_set_format_pax_restricted)                                                     \
    X(archive_write_set_bytes_in_last_block)                                                       \
    X(archive_write_open)                                                                          \
    X(archive_write_header)                                                                        \
    X(archive_write_data)                                                                          \
    X(archive_write_close)                                                                         \
    X(archive_error_string)                                                                        \
    X(archive_set_error)                                                                           \
    X(archive_entry_new)                                                                           \
    X(archive_entry_free)                                                                          \
    X(archive_entry_set_pathname_utf8)                                                             \
    X(archive_entry_set_mode)                                                                      \
    X(archive_entry_set_uid)                                                                       \
    X(archive_entry_set_gid)                                                                       \
    X(archive_entry_set_mtime)                                                                     \
    X(archive_entry_set_size)                                                                      \
    X(archive_entry_set_symlink_utf8)                                                              \
    X(archive_entry_set_hardlink_utf8)

struct LibArchiveApi
{
#define BC_LIBARCHIVE_MEMBER(name) decltype(&::name) name = nullptr;
    BC_LIBARCHIVE_FUNCTIONS(BC_LIBARCHIVE_MEMBER)
#undef BC_LIBARCHIVE_MEMBER

    // The loaded table, or nullptr with *error saying which library or symbol is missing.
    // Thread-safe; loads once per process.
    static const LibArchiveApi *get(QString *error);
};

} // namespace bc::docker
