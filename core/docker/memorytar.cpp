#include "core/docker/memorytar.h"

#include "core/docker/libarchiveapi.h"

#include <QDateTime>
#include <QDir>

#include <cerrno>
#include <memory>
#include <sys/stat.h>

namespace bc::docker {

namespace {

la_ssize_t appendToBuffer(struct archive *, void *clientData, const void *buffer, size_t length)
{
    static_cast<QByteArray *>(clientData)
        ->append(static_cast<const char *>(buffer), qsizetype(length));
    return la_ssize_t(length);
}

bool isPlainName(const QString &name)
{
    return !name.isEmpty() && !name.startsWith(u'/') && !name.contains(QChar(0)) &&
           QDir::cleanPath(name) == name && name != u"." && name != u".." &&
           !name.startsWith(u"../");
}

} // namespace

Result<QByteArray> MemoryTar::pack(const QList<File> &files)
{
    QString libraryError;
    const LibArchiveApi *lib = LibArchiveApi::get(&libraryError);
    if (!lib)
        return Error(Error::Kind::Io, libraryError);
    for (const File &f : files) {
        if (!isPlainName(f.name))
            return Error(Error::Kind::Invalid,
                         QStringLiteral("tar entry name %1 is not a plain relative path")
                             .arg(f.name.left(100)));
    }

    QByteArray out;
    const auto freeArchive = [lib](struct archive *a) { lib->archive_write_free(a); };
    std::unique_ptr<struct archive, decltype(freeArchive)> a(lib->archive_write_new(), freeArchive);
    const auto archiveError = [&](const QString &what) {
        return Error(Error::Kind::Io,
                     QStringLiteral("%1: %2").arg(
                         what, QString::fromLocal8Bit(lib->archive_error_string(a.get()))));
    };
    lib->archive_write_set_format_pax_restricted(a.get());
    lib->archive_write_set_bytes_in_last_block(a.get(), 1);
    if (lib->archive_write_open(a.get(), &out, nullptr, appendToBuffer, nullptr) != ARCHIVE_OK)
        return archiveError(QStringLiteral("cannot start a tar"));

    const auto freeEntry = [lib](archive_entry *e) { lib->archive_entry_free(e); };
    const time_t now = time_t(QDateTime::currentSecsSinceEpoch());
    for (const File &f : files) {
        std::unique_ptr<archive_entry, decltype(freeEntry)> e(lib->archive_entry_new(), freeEntry);
        lib->archive_entry_set_pathname_utf8(e.get(), f.name.toUtf8().constData());
        lib->archive_entry_set_mode(e.get(), S_IFREG | (f.mode & 07777));
        lib->archive_entry_set_uid(e.get(), f.uid);
        lib->archive_entry_set_gid(e.get(), f.gid);
        lib->archive_entry_set_mtime(e.get(), now, 0);
        lib->archive_entry_set_size(e.get(), f.data.size());
        if (lib->archive_write_header(a.get(), e.get()) != ARCHIVE_OK)
            return archiveError(QStringLiteral("cannot add %1 to a tar").arg(f.name));
        if (!f.data.isEmpty() &&
            lib->archive_write_data(a.get(), f.data.constData(), size_t(f.data.size())) < 0)
            return archiveError(QStringLiteral("cannot add %1 to a tar").arg(f.name));
    }
    if (lib->archive_write_close(a.get()) != ARCHIVE_OK)
        return archiveError(QStringLiteral("cannot finish a tar"));
    a.reset();
    return out;
}

} // namespace bc::docker
