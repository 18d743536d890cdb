#include "core/docker/buildcontext.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QtConcurrent>

#include <archive.h>
#include <archive_entry.h>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

using bc::Error;
using bc::docker::BuildContext;
using bc::docker::BuildContextOptions;

namespace {

struct TarEntry
{
    QString name;
    int type = 0; // AE_IFREG, AE_IFDIR, AE_IFLNK
    int perm = 0;
    qint64 uid = -1;
    qint64 gid = -1;
    QString uname;
    QString gname;
    QByteArray data;
    QString link; // symlink target or hard link source
    bool hardlink = false;
};

QList<TarEntry> readTar(const QByteArray &tar)
{
    QList<TarEntry> out;
    struct archive *a = archive_read_new();
    archive_read_support_format_tar(a);
    if (archive_read_open_memory(a, tar.constData(), size_t(tar.size())) != ARCHIVE_OK)
        qFatal("cannot open tar: %s", archive_error_string(a));
    archive_entry *e = nullptr;
    while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
        TarEntry t;
        t.name = QString::fromUtf8(archive_entry_pathname_utf8(e));
        t.type = int(archive_entry_filetype(e));
        t.perm = int(archive_entry_perm(e));
        t.uid = archive_entry_uid(e);
        t.gid = archive_entry_gid(e);
        t.uname = QString::fromUtf8(archive_entry_uname(e));
        t.gname = QString::fromUtf8(archive_entry_gname(e));
        if (const char *h = archive_entry_hardlink(e)) {
            t.link = QString::fromUtf8(h);
            t.hardlink = true;
        } else if (const char *s = archive_entry_symlink(e)) {
            t.link = QString::fromUtf8(s);
        }
        char buf[8192];
        la_ssize_t n;
        while ((n = archive_read_data(a, buf, sizeof buf)) > 0)
            t.data.append(buf, n);
        out.append(t);
    }
    archive_read_free(a);
    return out;
}

QStringList names(const QList<TarEntry> &entries)
{
    QStringList n;
    for (const TarEntry &e : entries)
        n.append(e.name);
    return n;
}

const TarEntry *find(const QList<TarEntry> &entries, const QString &name)
{
    for (const TarEntry &e : entries) {
        if (e.name == name)
            return &e;
    }
    return nullptr;
}

void writeFile(const QString &path, const QByteArray &data, int perm = 0644)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size())
        qFatal("cannot write %s", qPrintable(path));
    f.close();
    ::chmod(QFile::encodeName(path).constData(), mode_t(perm));
}

QByteArray packToBytes(const BuildContextOptions &o, QString *dockerfileInTar, Error *error)
{
    auto r = BuildContext::pack(o, dockerfileInTar);
    if (!r) {
        *error = r.error();
        return {};
    }
    QIODevice *dev = r.value().get();
    if (dev->pos() != 0)
        qFatal("device not at 0");
    return dev->readAll();
}

} // namespace

class tst_BuildContext final : public QObject
{
    Q_OBJECT
private slots:
    void packsTreeHonouringIgnore()
    {
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        const QString c = tmp.path() + u"/ctx";
        writeFile(c + u"/Dockerfile", "FROM scratch\nCOPY . /\n");
        writeFile(c + u"/app/main.c", "int main(){}\n", 0755);
        writeFile(c + u"/app/notes.tmp", "scratch");
        writeFile(c + u"/docs/guide.md", "guide");
        writeFile(c + u"/docs/README.md", "readme");
        writeFile(c + u"/secret.env", "TOKEN=x");
        writeFile(c + u"/build/out.o", "obj");
        writeFile(c + u"/caf\u00e9.txt"_qs, "unicode name");
        const QString longDir = c + u'/' + QString(60, u'd') + u'/' + QString(60, u'e');
        writeFile(longDir + u'/' + QString(50, u'f') + u".txt", "long");
        QDir().mkpath(c + u"/empty");
        QVERIFY(QFile::link(u"app/main.c"_qs, c + u"/link-to-main"));
        QVERIFY(QFile::link(u"/nonexistent/target"_qs, c + u"/dangling"));
        QVERIFY(::link(QFile::encodeName(c + u"/app/main.c").constData(),
                       QFile::encodeName(c + u"/app/hard.c").constData()) == 0);
        writeFile(c + u"/.dockerignore",
                  "# local junk\n*.tmp\n**/*.tmp\nsecret.env\n/build/\ndocs\n!docs/README.md\n");
        // A socket in the context is skipped, as the CLI does.
        const QByteArray sockPath = QFile::encodeName(c + u"/app/agent.sock");
        const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
        sockaddr_un addr = {};
        addr.sun_family = AF_UNIX;
        qstrncpy(addr.sun_path, sockPath.constData(), sizeof addr.sun_path);
        QVERIFY(::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0);

        QString dfName;
        Error err;
        const QByteArray tar = packToBytes({c, {}}, &dfName, &err);
        ::close(fd);
        QVERIFY2(!tar.isEmpty(), qPrintable(err.toString()));
        QCOMPARE(dfName, QStringLiteral("Dockerfile"));
        QCOMPARE(tar.size() % 512, 0);

        const QList<TarEntry> entries = readTar(tar);
        const QStringList n = names(entries);
        const QString longName =
            QString(60, u'd') + u'/' + QString(60, u'e') + u'/' + QString(50, u'f') + u".txt";
        // Sorted walk order; excluded directory "docs" is entered for its exception but
        // not sent itself; build/ and its content are skipped entirely.
        const QStringList expected{
            u".dockerignore"_qs,
            u"Dockerfile"_qs,
            u"app/"_qs,
            u"app/hard.c"_qs,
            u"app/main.c"_qs,
            u"caf\u00e9.txt"_qs,
            u"dangling"_qs,
            QString(60, u'd') + u'/',
            QString(60, u'd') + u'/' + QString(60, u'e') + u'/',
            longName,
            u"docs/README.md"_qs,
            u"empty/"_qs,
            u"link-to-main"_qs,
        };
        QCOMPARE(n, expected);

        for (const TarEntry &e : entries) {
            QCOMPARE(e.uid, 0);
            QCOMPARE(e.gid, 0);
            QVERIFY(e.uname.isEmpty());
            QVERIFY(e.gname.isEmpty());
        }
        QCOMPARE(find(entries, u"Dockerfile"_qs)->data, QByteArray("FROM scratch\nCOPY . /\n"));
        QCOMPARE(find(entries, u"Dockerfile"_qs)->perm, 0644);
        QCOMPARE(find(entries, u"app/"_qs)->type, int(AE_IFDIR));
        QCOMPARE(find(entries, u"empty/"_qs)->type, int(AE_IFDIR));
        QCOMPARE(find(entries, longName)->data, QByteArray("long"));
        QCOMPARE(find(entries, u"caf\u00e9.txt"_qs)->data, QByteArray("unicode name"));
        const TarEntry *link = find(entries, u"link-to-main"_qs);
        QCOMPARE(link->type, int(AE_IFLNK));
        QCOMPARE(link->link, QStringLiteral("app/main.c"));
        QCOMPARE(find(entries, u"dangling"_qs)->link, QStringLiteral("/nonexistent/target"));
        // main.c and hard.c are one inode: the first in walk order carries the data.
        const TarEntry *first = find(entries, u"app/hard.c"_qs);
        const TarEntry *second = find(entries, u"app/main.c"_qs);
        QCOMPARE(first->data, QByteArray("int main(){}\n"));
        QCOMPARE(first->perm, 0755);
        QVERIFY(second->hardlink);
        QCOMPARE(second->link, QStringLiteral("app/hard.c"));

        // The same tree gives the same bytes (modulo nothing: no random names here).
        Error err2;
        QCOMPARE(packToBytes({c, {}}, nullptr, &err2), tar);
    }

    void dockerfileAlwaysSent()
    {
        QTemporaryDir tmp;
        const QString c = tmp.path();
        writeFile(c + u"/sub/Dockerfile.dev", "FROM scratch\n");
        writeFile(c + u"/other.txt", "x");
        writeFile(c + u"/.dockerignore", "*\n");
        QString dfName;
        Error err;
        const QByteArray tar = packToBytes({c, u"sub/Dockerfile.dev"_qs}, &dfName, &err);
        QVERIFY2(!tar.isEmpty(), qPrintable(err.toString()));
        QCOMPARE(dfName, QStringLiteral("sub/Dockerfile.dev"));
        QCOMPARE(names(readTar(tar)), (QStringList{u".dockerignore"_qs, u"sub/Dockerfile.dev"_qs}));

        // Absolute path inside the context works the same.
        const QByteArray tar2 = packToBytes({c, c + u"/sub/Dockerfile.dev"}, &dfName, &err);
        QCOMPARE(dfName, QStringLiteral("sub/Dockerfile.dev"));
        QCOMPARE(names(readTar(tar2)), names(readTar(tar)));
    }

    void lowercaseDockerfileFallback()
    {
        QTemporaryDir tmp;
        writeFile(tmp.path() + u"/dockerfile", "FROM scratch\n");
        QString dfName;
        Error err;
        QVERIFY(!packToBytes({tmp.path(), {}}, &dfName, &err).isEmpty());
        QCOMPARE(dfName, QStringLiteral("dockerfile"));
    }

    void dockerfileOutsideContext()
    {
        QTemporaryDir tmp;
        writeFile(tmp.path() + u"/build/Dockerfile", "FROM scratch\nCOPY a /a\n");
        writeFile(tmp.path() + u"/ctx/a", "A");
        QString dfName;
        Error err;
        const QByteArray tar =
            packToBytes({tmp.path() + u"/ctx", tmp.path() + u"/build/Dockerfile"}, &dfName, &err);
        QVERIFY2(!tar.isEmpty(), qPrintable(err.toString()));
        QVERIFY2(QRegularExpression(u"^\\.dockerfile\\.[0-9a-f]{20}$"_qs).match(dfName).hasMatch(),
                 qPrintable(dfName));
        const QList<TarEntry> entries = readTar(tar);
        QCOMPARE(names(entries), (QStringList{u"a"_qs, dfName, u".dockerignore"_qs}));
        QCOMPARE(find(entries, dfName)->data, QByteArray("FROM scratch\nCOPY a /a\n"));
        QCOMPARE(find(entries, dfName)->perm, 0600);
        QCOMPARE(find(entries, u".dockerignore"_qs)->data,
                 ".dockerignore\n" + dfName.toUtf8() + '\n');

        // With an existing .dockerignore, the random name is appended to it.
        writeFile(tmp.path() + u"/ctx/.dockerignore", "*.log");
        writeFile(tmp.path() + u"/ctx/x.log", "log");
        const QByteArray tar2 =
            packToBytes({tmp.path() + u"/ctx", u"../build/Dockerfile"_qs}, &dfName, &err);
        const QList<TarEntry> e2 = readTar(tar2);
        QCOMPARE(names(e2), (QStringList{u".dockerignore"_qs, u"a"_qs, dfName}));
        QCOMPARE(find(e2, u".dockerignore"_qs)->data, "*.log\n" + dfName.toUtf8() + '\n');
    }

    void errors()
    {
        QTemporaryDir tmp;
        Error err;
        QVERIFY(packToBytes({tmp.path() + u"/missing"_qs, {}}, nullptr, &err).isEmpty());
        QCOMPARE(err.kind(), Error::Kind::Io);
        QVERIFY(err.message().contains(u"missing"));

        QVERIFY(packToBytes({tmp.path(), {}}, nullptr, &err).isEmpty());
        QCOMPARE(err.kind(), Error::Kind::Io);
        QVERIFY2(err.message().contains(u"Dockerfile"), qPrintable(err.message()));

        writeFile(tmp.path() + u"/Dockerfile", "FROM scratch\n");
        writeFile(tmp.path() + u"/.dockerignore", "a[b\n");
        QVERIFY(packToBytes({tmp.path(), {}}, nullptr, &err).isEmpty());
        QCOMPARE(err.kind(), Error::Kind::Invalid);

        QFile::remove(tmp.path() + u"/.dockerignore");
        writeFile(tmp.path() + u"/file", "x");
        QVERIFY(packToBytes({tmp.path() + u"/file", {}}, nullptr, &err).isEmpty());
        QCOMPARE(err.kind(), Error::Kind::Io);

        if (::geteuid() != 0) {
            writeFile(tmp.path() + u"/unreadable", "x", 0);
            QVERIFY(packToBytes({tmp.path(), {}}, nullptr, &err).isEmpty());
            QCOMPARE(err.kind(), Error::Kind::Io);
            QVERIFY(err.message().contains(u"unreadable"));
        }
    }

    void runsOnWorkerThread()
    {
        QTemporaryDir tmp;
        writeFile(tmp.path() + u"/Dockerfile", "FROM scratch\n");
        for (int i = 0; i < 50; ++i)
            writeFile(tmp.path() + u"/f" + QString::number(i), QByteArray(1000 * i, 'x'));
        const BuildContextOptions o{tmp.path(), {}};
        // Several packs in parallel share nothing.
        QList<QFuture<bc::Result<std::shared_ptr<QIODevice>>>> futures;
        for (int i = 0; i < 4; ++i)
            futures.append(QtConcurrent::run([o, home = QThread::currentThread()] {
                auto r = BuildContext::pack(o, nullptr);
                if (r)
                    r.value()->moveToThread(home);
                return r;
            }));
        QByteArray first;
        for (auto &f : futures) {
            f.waitForFinished();
            auto r = f.result();
            QVERIFY(r.ok());
            std::shared_ptr<QIODevice> dev = r.value();
            QCOMPARE(dev->thread(), QThread::currentThread());
            const QByteArray bytes = dev->readAll();
            if (first.isEmpty())
                first = bytes;
            QCOMPARE(bytes, first);
        }
        QCOMPARE(readTar(first).size(), 51);
    }
};

QTEST_GUILESS_MAIN(tst_BuildContext)
#include "tst_buildcontext.moc"
