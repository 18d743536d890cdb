#include "core/docker/buildcontext.h"

#include "core/docker/dockerignore.h"
#include "core/docker/libarchiveapi.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QRandomGenerator>
#include <QTemporaryFile>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace bc::docker {

namespace {

// Only called once build() has loaded the table.
const LibArchiveApi &lib()
{
    return *LibArchiveApi::get(nullptr);
}

Error ioError(const QString &what, int err)
{
    return Error(Error::Kind::Io, what + u": " + QString::fromLocal8Bit(std::strerror(err)));
}

la_ssize_t writeToFile(struct archive *a, void *clientData, const void *buffer, size_t length)
{
    auto *file = static_cast<QTemporaryFile *>(clientData);
    const qint64 n = file->write(static_cast<const char *>(buffer), qint64(length));
    if (n != qint64(length)) {
        lib().archive_set_error(a, EIO, "writing the build context to a temporary file failed: %s",
                                file->errorString().toLocal8Bit().constData());
        return -1;
    }
    return la_ssize_t(n);
}

struct ArchiveDeleter
{
    void operator()(struct archive *a) const { lib().archive_write_free(a); }
};
struct EntryDeleter
{
    void operator()(archive_entry *e) const { lib().archive_entry_free(e); }
};
using ArchivePtr = std::unique_ptr<struct archive, ArchiveDeleter>;
using EntryPtr = std::unique_ptr<archive_entry, EntryDeleter>;

class Packer
{
public:
    Packer(QString root, DockerIgnore ignore, struct archive *a)
        : m_root(std::move(root))
        , m_ignore(std::move(ignore))
        , m_archive(a)
    {}

    QByteArray extraIgnoreLine; // appended to the sent .dockerignore
    bool sawDockerIgnore = false;

    Result<void> walk(const QString &relDir);
    Result<void> addBytes(const QString &name, const QByteArray &data, int perm);

private:
    Result<void> addEntry(const QString &rel, const QByteArray &abs, const struct stat &st);
    Result<void> archiveError(const QString &rel)
    {
        return Error(Error::Kind::Io,
                     QStringLiteral("cannot add %1 to the build context: %2")
                         .arg(rel, QString::fromLocal8Bit(lib().archive_error_string(m_archive))));
    }
    EntryPtr baseEntry(const QString &rel, const struct stat &st);

    QString m_root;
    DockerIgnore m_ignore;
    struct archive *m_archive;
    QHash<QPair<dev_t, ino_t>, QString> m_hardlinks;
};

EntryPtr Packer::baseEntry(const QString &rel, const struct stat &st)
{
    EntryPtr e(lib().archive_entry_new());
    lib().archive_entry_set_pathname_utf8(e.get(), rel.toUtf8().constData());
    lib().archive_entry_set_mode(e.get(), st.st_mode & (S_IFMT | 07777));
    lib().archive_entry_set_uid(e.get(), 0);
    lib().archive_entry_set_gid(e.get(), 0);
    // Whole seconds keep the headers plain ustar unless a name needs PAX.
    lib().archive_entry_set_mtime(e.get(), st.st_mtime, 0);
    return e;
}

Result<void> Packer::addBytes(const QString &name, const QByteArray &data, int perm)
{
    struct stat st = {};
    st.st_mode = S_IFREG | perm;
    st.st_mtime = time_t(QDateTime::currentSecsSinceEpoch());
    EntryPtr e = baseEntry(name, st);
    lib().archive_entry_set_size(e.get(), data.size());
    if (lib().archive_write_header(m_archive, e.get()) != ARCHIVE_OK)
        return archiveError(name);
    if (!data.isEmpty() &&
        lib().archive_write_data(m_archive, data.constData(), size_t(data.size())) < 0)
        return archiveError(name);
    return {};
}

Result<void> Packer::addEntry(const QString &rel, const QByteArray &abs, const struct stat &st)
{
    EntryPtr e = baseEntry(rel, st);
    if (S_ISDIR(st.st_mode)) {
        if (lib().archive_write_header(m_archive, e.get()) != ARCHIVE_OK)
            return archiveError(rel);
        return {};
    }
    if (S_ISLNK(st.st_mode)) {
        QByteArray target(qMax<qsizetype>(st.st_size, 255) + 1, '\0');
        const ssize_t n = ::readlink(abs.constData(), target.data(), size_t(target.size()));
        if (n < 0)
            return ioError(QStringLiteral("cannot read symlink %1").arg(rel), errno);
        target.truncate(n);
        lib().archive_entry_set_symlink_utf8(e.get(), target.constData());
        if (lib().archive_write_header(m_archive, e.get()) != ARCHIVE_OK)
            return archiveError(rel);
        return {};
    }
    // Regular file.
    if (st.st_nlink > 1) {
        const auto key = qMakePair(st.st_dev, st.st_ino);
        const auto it = m_hardlinks.constFind(key);
        if (it != m_hardlinks.constEnd()) {
            lib().archive_entry_set_hardlink_utf8(e.get(), it->toUtf8().constData());
            lib().archive_entry_set_size(e.get(), 0);
            if (lib().archive_write_header(m_archive, e.get()) != ARCHIVE_OK)
                return archiveError(rel);
            return {};
        }
        m_hardlinks.insert(key, rel);
    }
    const bool isIgnoreFile = rel == u".dockerignore" && !extraIgnoreLine.isEmpty();
    const int fd = ::open(abs.constData(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return ioError(QStringLiteral("cannot read %1 from the build context").arg(rel), errno);
    struct Closer
    {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    if (isIgnoreFile) {
        QFile f;
        if (!f.open(fd, QIODevice::ReadOnly))
            return Error(Error::Kind::Io, QStringLiteral("cannot read %1").arg(rel));
        sawDockerIgnore = true;
        return addBytes(rel, f.readAll() + '\n' + extraIgnoreLine + '\n', int(st.st_mode & 07777));
    }
    lib().archive_entry_set_size(e.get(), st.st_size);
    if (lib().archive_write_header(m_archive, e.get()) != ARCHIVE_OK)
        return archiveError(rel);
    static constexpr qint64 ChunkSize = 256 * 1024;
    QByteArray buffer(ChunkSize, Qt::Uninitialized);
    qint64 left = st.st_size;
    while (left > 0) {
        const ssize_t n = ::read(fd, buffer.data(), size_t(qMin(left, ChunkSize)));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return ioError(QStringLiteral("cannot read %1 from the build context").arg(rel), errno);
        }
        if (n == 0) {
            // The header promised st_size bytes: a file that shrank cannot be sent as is.
            return Error(Error::Kind::Io,
                         QStringLiteral("%1 changed while the build context was written").arg(rel));
        }
        if (lib().archive_write_data(m_archive, buffer.constData(), size_t(n)) < 0)
            return archiveError(rel);
        left -= n;
    }
    return {};
}

Result<void> Packer::walk(const QString &relDir)
{
    const QString absDir = relDir.isEmpty() ? m_root : m_root + u'/' + relDir;
    const QByteArray absDirBytes = QFile::encodeName(absDir);
    DIR *dir = ::opendir(absDirBytes.constData());
    if (!dir) {
        return ioError(QStringLiteral("cannot read directory %1 of the build context")
                           .arg(relDir.isEmpty() ? QStringLiteral(".") : relDir),
                       errno);
    }
    // Byte order, like Go's filepath.Walk, so the same tree always gives the same tar.
    std::vector<QByteArray> names;
    errno = 0;
    while (const dirent *d = ::readdir(dir)) {
        if (std::strcmp(d->d_name, ".") != 0 && std::strcmp(d->d_name, "..") != 0)
            names.emplace_back(d->d_name);
    }
    const int readErr = errno;
    ::closedir(dir);
    if (readErr != 0)
        return ioError(QStringLiteral("cannot list directory %1").arg(relDir), readErr);
    std::sort(names.begin(), names.end());

    for (const QByteArray &name : names) {
        const QString qname = QFile::decodeName(name);
        const QString rel = relDir.isEmpty() ? qname : relDir + u'/' + qname;
        const QByteArray abs = absDirBytes + '/' + name;
        struct stat st;
        if (::lstat(abs.constData(), &st) != 0)
            return ioError(QStringLiteral("cannot stat %1 in the build context").arg(rel), errno);
        const bool isDir = S_ISDIR(st.st_mode);
        if (m_ignore.excludes(rel, isDir)) {
            // An excluded directory is still entered when an exception may re-include
            // something below it; the directory entry itself is not sent.
            if (isDir && !m_ignore.canSkipDirectory(rel)) {
                if (auto r = walk(rel); !r)
                    return r;
            }
            continue;
        }
        if (!isDir && !S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode))
            continue; // sockets, FIFOs, devices: the CLI skips sockets; the rest is useless
        if (auto r = addEntry(rel, abs, st); !r)
            return r;
        if (isDir) {
            if (auto r = walk(rel); !r)
                return r;
        }
    }
    return {};
}

QString randomSuffix()
{
    // stringid.GenerateRandomID()[:20]: 20 hex digits.
    QString s;
    auto *rng = QRandomGenerator::system();
    for (int i = 0; i < 20; ++i)
        s += QLatin1Char("0123456789abcdef"[rng->bounded(16)]);
    return s;
}

} // namespace

Result<std::shared_ptr<QIODevice>> BuildContext::pack(const BuildContextOptions &o,
                                                      QString *dockerfileInTar)
{
    if (o.contextDir.isEmpty())
        return Error(Error::Kind::Invalid, QStringLiteral("no build context directory given"));
    const QFileInfo ctxInfo(o.contextDir);
    if (!ctxInfo.exists())
        return Error(Error::Kind::Io,
                     QStringLiteral("build context %1 does not exist").arg(o.contextDir));
    if (!ctxInfo.isDir())
        return Error(Error::Kind::Io,
                     QStringLiteral("build context %1 is not a directory").arg(o.contextDir));
    // The CLI resolves symlinks in the context path before relating the Dockerfile to it.
    const QString root = ctxInfo.canonicalFilePath();

    QString dockerfilePath;
    if (o.dockerfile.isEmpty()) {
        dockerfilePath = root + u"/Dockerfile";
        if (!QFileInfo::exists(dockerfilePath) && QFileInfo::exists(root + u"/dockerfile"))
            dockerfilePath = root + u"/dockerfile";
    } else {
        dockerfilePath =
            QDir::isAbsolutePath(o.dockerfile) ? o.dockerfile : root + u'/' + o.dockerfile;
    }
    const QFileInfo dfInfo(dockerfilePath);
    if (!dfInfo.exists() || !dfInfo.isFile()) {
        return Error(
            Error::Kind::Io,
            QStringLiteral("cannot locate Dockerfile %1").arg(QDir::cleanPath(dockerfilePath)));
    }
    const QString dfCanonical = dfInfo.canonicalFilePath();
    const QString relDockerfile = QDir(root).relativeFilePath(dfCanonical);
    const bool outside = relDockerfile == u".." || relDockerfile.startsWith(u"../") ||
                         QDir::isAbsolutePath(relDockerfile);

    QByteArray ignoreContents;
    QFile ignoreFile(root + u"/.dockerignore");
    if (ignoreFile.exists()) {
        if (!ignoreFile.open(QIODevice::ReadOnly)) {
            return Error(Error::Kind::Io,
                         QStringLiteral("cannot read %1: %2")
                             .arg(ignoreFile.fileName(), ignoreFile.errorString()));
        }
        ignoreContents = ignoreFile.readAll();
    }
    DockerIgnore ignore = DockerIgnore::parse(ignoreContents, outside ? QString() : relDockerfile);
    if (!ignore.isValid())
        return Error(Error::Kind::Invalid, ignore.errorString());

    QString libraryError;
    if (!LibArchiveApi::get(&libraryError))
        return Error(Error::Kind::Io, libraryError);
    auto file = std::make_shared<QTemporaryFile>(QDir::tempPath() + u"/box-build-XXXXXX.tar");
    if (!file->open()) {
        return Error(Error::Kind::Io, QStringLiteral("cannot create a temporary file for the "
                                                     "build context: %1")
                                          .arg(file->errorString()));
    }

    ArchivePtr a(lib().archive_write_new());
    lib().archive_write_set_format_pax_restricted(a.get());
    // No padding of the last block to 10 KiB: the daemon reads to the end markers anyway.
    lib().archive_write_set_bytes_in_last_block(a.get(), 1);
    if (lib().archive_write_open(a.get(), file.get(), nullptr, writeToFile, nullptr) !=
        ARCHIVE_OK) {
        return Error(Error::Kind::Io,
                     QStringLiteral("cannot start the build context tar: %1")
                         .arg(QString::fromLocal8Bit(lib().archive_error_string(a.get()))));
    }

    Packer packer(root, ignore, a.get());
    QString nameInTar = relDockerfile;
    QByteArray outsideDockerfile;
    if (outside) {
        QFile df(dfCanonical);
        if (!df.open(QIODevice::ReadOnly)) {
            return Error(
                Error::Kind::Io,
                QStringLiteral("cannot read Dockerfile %1: %2").arg(dfCanonical, df.errorString()));
        }
        outsideDockerfile = df.readAll();
        nameInTar = u".dockerfile." + randomSuffix();
        packer.extraIgnoreLine = nameInTar.toUtf8();
    }
    if (auto r = packer.walk(QString()); !r)
        return r.error();
    if (outside) {
        if (auto r = packer.addBytes(nameInTar, outsideDockerfile, 0600); !r)
            return r.error();
        if (!packer.sawDockerIgnore) {
            if (auto r = packer.addBytes(QStringLiteral(".dockerignore"),
                                         ".dockerignore\n" + packer.extraIgnoreLine + '\n', 0600);
                !r)
                return r.error();
        }
    }
    if (lib().archive_write_close(a.get()) != ARCHIVE_OK) {
        return Error(Error::Kind::Io,
                     QStringLiteral("cannot finish the build context tar: %1")
                         .arg(QString::fromLocal8Bit(lib().archive_error_string(a.get()))));
    }
    a.reset();
    if (!file->flush() || !file->seek(0)) {
        return Error(
            Error::Kind::Io,
            QStringLiteral("cannot rewind the build context: %1").arg(file->errorString()));
    }
    if (dockerfileInTar)
        *dockerfileInTar = nameInTar;
    return std::shared_ptr<QIODevice>(file);
}

} // namespace bc::docker
