#include "core/infra/egressgrants.h"
#include "core/infra/egresssocketdirs.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

using namespace bc::infra;

// The grants directory (written by deploys, read by the proxy's reload hook) and the
// per-box socket directories the hook keeps in step with it.
class tst_EgressGrants : public QObject
{
    Q_OBJECT

    static bool makeSocket(const QString &path)
    {
        const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        const QByteArray p = QFile::encodeName(path);
        std::memcpy(addr.sun_path, p.constData(), size_t(p.size()));
        const bool ok = ::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0;
        ::close(fd);
        return ok;
    }

    static int modeOf(const QString &path)
    {
        struct stat st
        {
        };
        return ::lstat(QFile::encodeName(path).constData(), &st) == 0 ? int(st.st_mode & 07777)
                                                                      : -1;
    }

private slots:
    void writeReadRemove()
    {
        QTemporaryDir dir;
        const EgressGrants grants(dir.path());
        QVERIFY(grants.write({QStringLiteral("alice"), {QStringLiteral("anthropic")}}).ok());
        QVERIFY(grants
                    .write({QStringLiteral("bob"),
                            {QStringLiteral("resend"), QStringLiteral("anthropic")}})
                    .ok());
        auto alice = grants.read(QStringLiteral("alice"));
        QVERIFY(alice.ok() && alice->has_value());
        QCOMPARE((*alice)->upstreams, QStringList{QStringLiteral("anthropic")});
        auto none = grants.read(QStringLiteral("carol"));
        QVERIFY(none.ok() && !none->has_value());

        // Noise in the directory: ignored or reported, never fatal.
        QFile junk(dir.filePath(QStringLiteral(".alice.tmp")));
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.close();
        QFile broken(dir.filePath(QStringLiteral("dave")));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("{\"box\":\"dave\",\"upstreams\":\"all\"}");
        broken.close();
        QFile lying(dir.filePath(QStringLiteral("erin")));
        QVERIFY(lying.open(QIODevice::WriteOnly));
        lying.write(
            EgressGrants::toJsonText({QStringLiteral("alice"), {QStringLiteral("resend")}}));
        lying.close();
        QStringList warnings;
        auto all = grants.readAll(&warnings);
        QVERIFY(all.ok());
        QCOMPARE(all->size(), 2);
        QCOMPARE(all->at(0).box, QStringLiteral("alice"));
        QCOMPARE(all->at(1).box, QStringLiteral("bob"));
        QCOMPARE(warnings.size(), 2); // dave (bad upstreams) and erin (names another box)

        QVERIFY(grants.remove(QStringLiteral("alice")).ok());
        QVERIFY(grants.remove(QStringLiteral("alice")).ok()); // gone already: fine
        QVERIFY(!QFile::exists(grants.filePath(QStringLiteral("alice"))));
        QVERIFY(!grants.remove(QStringLiteral("../bob")).ok());
        QVERIFY(!EgressGrants(dir.filePath(QStringLiteral("missing"))).readAll().ok());
    }

    void strictParsing_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("not json") << QByteArray("box=alice");
        QTest::newRow("array") << QByteArray("[]");
        QTest::newRow("unknown key")
            << QByteArray(R"({"box":"a","upstreams":["anthropic"],"x":1})");
        QTest::newRow("no upstreams") << QByteArray(R"({"box":"a","upstreams":[]})");
        QTest::newRow("bad upstream") << QByteArray(R"({"box":"a","upstreams":["../x"]})");
        QTest::newRow("twice") << QByteArray(R"({"box":"a","upstreams":["x","x"]})");
        QTest::newRow("bad box") << QByteArray(R"({"box":"A/b","upstreams":["x"]})");
        QTest::newRow("number") << QByteArray(R"({"box":1,"upstreams":["x"]})");
    }

    void strictParsing()
    {
        QFETCH(QByteArray, text);
        QVERIFY(!EgressGrants::fromJsonText(text).ok());
    }

    void argumentsAndPolicyFilter()
    {
        auto g = EgressGrants::fromArgument(QStringLiteral("alice=anthropic,resend"));
        QVERIFY(g.ok());
        QCOMPARE(g->upstreams,
                 (QStringList{QStringLiteral("anthropic"), QStringLiteral("resend")}));
        for (const char *bad : {"alice", "=anthropic", "alice=", "Alice=x", "a=b,,b"})
            QVERIFY2(!EgressGrants::fromArgument(QString::fromLatin1(bad)).ok(), bad);
        QStringList warnings;
        const auto kept = EgressGrants::restrictTo(
            {{QStringLiteral("a"), {QStringLiteral("anthropic"), QStringLiteral("github")}},
             {QStringLiteral("b"), {QStringLiteral("github")}}},
            EgressPolicy::defaultPolicy(), &warnings);
        QCOMPARE(kept.size(), 1);
        QCOMPARE(kept.first().upstreams, QStringList{QStringLiteral("anthropic")});
        QCOMPARE(warnings.size(), 2);
    }

    void socketDirsFollowTheGrants()
    {
        QTemporaryDir tmp;
        const QString root = tmp.filePath(QStringLiteral("egress"));
        const int gid = int(::getegid());
        QStringList actions;
        QVERIFY(EgressSocketDirs::prepare(root,
                                          {{QStringLiteral("alice"), {QStringLiteral("anthropic")}},
                                           {QStringLiteral("bob"), {QStringLiteral("resend")}}},
                                          gid, &actions)
                    .ok());
        QCOMPARE(modeOf(root), 0750);
        QCOMPARE(modeOf(root + QStringLiteral("/alice")), 0750);
        QCOMPARE(modeOf(root + QStringLiteral("/bob")), 0750);

        // Sockets the proxy made; one for an upstream alice no longer has.
        QVERIFY(makeSocket(root + QStringLiteral("/alice/anthropic.sock")));
        QVERIFY(makeSocket(root + QStringLiteral("/alice/resend.sock")));
        QVERIFY(makeSocket(root + QStringLiteral("/bob/resend.sock")));
        struct stat before
        {
        };
        QVERIFY(::stat(QFile::encodeName(root + QStringLiteral("/alice")).constData(), &before) ==
                0);
        // Something that is not ours, in a root shared by mistake.
        QVERIFY(QDir().mkpath(root + QStringLiteral("/keep")));
        QFile file(root + QStringLiteral("/keep/data"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();

        actions.clear();
        QVERIFY(EgressSocketDirs::prepare(
                    root, {{QStringLiteral("alice"), {QStringLiteral("anthropic")}}}, gid, &actions)
                    .ok());
        // alice keeps her directory (same inode: it is mounted into her box).
        struct stat after
        {
        };
        QVERIFY(::stat(QFile::encodeName(root + QStringLiteral("/alice")).constData(), &after) ==
                0);
        QCOMPARE(after.st_ino, before.st_ino);
        QVERIFY(QFile::exists(root + QStringLiteral("/alice/anthropic.sock")));
        QVERIFY(!QFile::exists(root + QStringLiteral("/alice/resend.sock")));
        // bob lost his grant: his directory is gone; a foreign directory is left alone.
        QVERIFY(!QFile::exists(root + QStringLiteral("/bob")));
        QVERIFY(QFile::exists(root + QStringLiteral("/keep/data")));

        // A symlink in place of a box directory: that box is left out (the proxy would bind
        // elsewhere), the others are served.
        QVERIFY(QFile::link(tmp.path(), root + QStringLiteral("/carol")));
        QStringList failed;
        QVERIFY(
            EgressSocketDirs::prepare(root,
                                      {{QStringLiteral("carol"), {QStringLiteral("anthropic")}},
                                       {QStringLiteral("alice"), {QStringLiteral("anthropic")}}},
                                      gid, nullptr, &failed)
                .ok());
        QCOMPARE(failed, QStringList{QStringLiteral("carol")});
        QVERIFY(QFile::exists(root + QStringLiteral("/alice/anthropic.sock")));
        QVERIFY(!EgressSocketDirs::prepare(QStringLiteral("relative"), {}, gid).ok());
        QVERIFY(!EgressSocketDirs::prepare(QStringLiteral("/"), {}, gid).ok());
    }
};

QTEST_GUILESS_MAIN(tst_EgressGrants)
#include "tst_egressgrants.moc"
