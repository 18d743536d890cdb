#include "core/docker/dockerignore.h"

#include <QTest>

using bc::docker::DockerIgnore;

class tst_DockerIgnore final : public QObject
{
    Q_OBJECT
private slots:
    void goPatternTable_data()
    {
        // Cases from moby/patternmatcher's TestMatches (Unix).
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("match");
        struct Row
        {
            const char *p;
            const char *f;
            bool m;
        };
        const Row rows[] = {
            {"**", "file", true},
            {"**", "file/", true},
            {"**/", "file", true},
            {"**", "dir/file", true},
            {"**/", "dir/file", true},
            {"**/**", "dir/file", true},
            {"dir/**", "dir/file", true},
            {"dir/**", "dir/dir2/file", true},
            {"**/dir2/*", "dir/dir2/file", true},
            {"**/dir2/**", "dir/dir2/dir3/file", true},
            {"**file", "file", true},
            {"**file", "dir/file", true},
            {"**/file", "dir/file", true},
            {"**file", "dir/dir/file", true},
            {"**/file", "dir/dir/file", true},
            {"**/file*", "dir/dir/file", true},
            {"**/file*", "dir/dir/file.txt", true},
            {"**/file*txt", "dir/dir/file.txt", true},
            {"**/file*.txt", "dir/dir/file.txt", true},
            {"**/file*.txt*", "dir/dir/file.txt", true},
            {"**/**/*.txt", "dir/dir/file.txt", true},
            {"**/**/*.txt2", "dir/dir/file.txt", false},
            {"**/*.txt", "file.txt", true},
            {"**/**/*.txt", "file.txt", true},
            {"a**/*.txt", "a/file.txt", true},
            {"a**/*.txt", "a/dir/file.txt", true},
            {"a**/*.txt", "a/dir/dir/file.txt", true},
            {"a/*.txt", "a/dir/file.txt", false},
            {"a/*.txt", "a/file.txt", true},
            {"a/*.txt**", "a/file.txt", true},
            {"a[b-d]e", "ae", false},
            {"a[b-d]e", "ace", true},
            {"a[b-d]e", "aae", false},
            {"a[^b-d]e", "aze", true},
            {".*", ".foo", true},
            {".*", "foo", false},
            {"abc.def", "abcdef", false},
            {"abc.def", "abc.def", true},
            {"abc.def", "abcZdef", false},
            {"abc?def", "abcZdef", true},
            {"abc?def", "abcdef", false},
            {"a\\\\", "a\\", true},
            {"**/foo/bar", "foo/bar", true},
            {"**/foo/bar", "dir/foo/bar", true},
            {"**/foo/bar", "dir/dir2/foo/bar", true},
            {"abc/**", "abc", false},
            {"abc/**", "abc/def", true},
            {"abc/**", "abc/def/ghi", true},
            {"**/.foo", ".foo", true},
            {"**/.foo", "bar.foo", false},
            {"a(b)c/def", "a(b)c/def", true},
            {"a(b)c/def", "a(b)c/xyz", false},
            {"a.|)$(}+{bc", "a.|)$(}+{bc", true},
            {"dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
             "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", true},
            {"dist/*.whl", "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", true},
            // Parent directories: a matching directory excludes what is below it.
            {"dir", "dir/a/b/c.txt", true},
            {"*/sub", "x/sub/file", true},
            {"*", "any/thing", true},
            {"a?c", "abc/x", true},
            {"a?c", "a/c", false},
            {"node_modules", "src/node_modules/x", false},
            {"**/node_modules", "src/node_modules/x", true},
            // Cleaning: leading "/" and "./", trailing "/", "//".
            {"/build/", "build/out.o", true},
            {"./tmp", "tmp", true},
            {"a//b", "a/b", true},
            {"a/./b/../c", "a/c", true},
            {"*.log", "x\n.log", true},  // Go classes match newlines too
            {"*.log", "x.log\n", false}, // but $ is end of text
        };
        for (const Row &r : rows) {
            QTest::addRow("%s ~ %s", r.p, r.f)
                << QString::fromUtf8(r.p) << QString::fromUtf8(r.f) << r.m;
        }
    }
    void goPatternTable()
    {
        QFETCH(QString, pattern);
        QFETCH(QString, path);
        QFETCH(bool, match);
        // No Dockerfile keeping here: use a name the patterns never match.
        const DockerIgnore ig = DockerIgnore::parse(pattern.toUtf8(), QStringLiteral("\x01"));
        QVERIFY2(ig.isValid(), qPrintable(ig.errorString()));
        QCOMPARE(ig.excludes(path, false), match);
    }

    void exceptionsLastMatchWins()
    {
        const DockerIgnore ig = DockerIgnore::parse("*.go\n!main.go\ndocs\n!docs/README.md\n"
                                                    "tmp\n!tmp\ntmp\n");
        QVERIFY(ig.hasExceptions());
        QVERIFY(ig.excludes(u"foo.go"_qs, false));
        QVERIFY(!ig.excludes(u"main.go"_qs, false));
        QVERIFY(ig.excludes(u"docs"_qs, true));
        QVERIFY(ig.excludes(u"docs/guide.md"_qs, false));
        QVERIFY(!ig.excludes(u"docs/README.md"_qs, false));
        QVERIFY(!ig.canSkipDirectory(u"docs"_qs));
        // Any exception naming the directory keeps the walk going, as in the CLI.
        QVERIFY(!ig.canSkipDirectory(u"tmp"_qs));
        QVERIFY(ig.excludes(u"tmp/x"_qs, false));
        QVERIFY(!ig.excludes(u"src/a.c"_qs, false));

        const DockerIgnore plain = DockerIgnore::parse("build\n");
        QVERIFY(!plain.hasExceptions());
        QVERIFY(plain.canSkipDirectory(u"build"_qs));
    }

    void buildFilesAlwaysKept()
    {
        const DockerIgnore all = DockerIgnore::parse("*\n");
        QVERIFY(all.excludes(u"src"_qs, true));
        QVERIFY(!all.excludes(u"Dockerfile"_qs, false));
        QVERIFY(!all.excludes(u".dockerignore"_qs, false));
        QVERIFY(all.patterns().contains(u"!Dockerfile"_qs));

        const DockerIgnore custom =
            DockerIgnore::parse("**\n", QStringLiteral("./build/Dockerfile.dev"));
        QVERIFY(!custom.excludes(u"build/Dockerfile.dev"_qs, false));
        QVERIFY(custom.excludes(u"build/other"_qs, false));
        QVERIFY(custom.excludes(u"Dockerfile"_qs, false)); // not the Dockerfile in use
        QVERIFY(!custom.canSkipDirectory(u"build"_qs));

        // Not ignored: nothing added.
        const DockerIgnore none = DockerIgnore::parse("*.tmp\n");
        QCOMPARE(none.patterns(), QStringList{u"*.tmp"_qs});
    }

    void fileSyntax()
    {
        const QByteArray file = "\xef\xbb\xbf# comment\r\n"
                                "\r\n"
                                "   spaced.txt   \r\n"
                                " # not a comment\n"
                                "!  kept.txt\n"
                                "/abs/path/\n"
                                "./rel\n";
        const DockerIgnore ig = DockerIgnore::parse(file);
        QVERIFY(ig.isValid());
        QCOMPARE(ig.patterns(), (QStringList{u"spaced.txt"_qs, u"# not a comment"_qs,
                                             u"!kept.txt"_qs, u"abs/path"_qs, u"rel"_qs}));
        QVERIFY(ig.excludes(u"spaced.txt"_qs, false));
        QVERIFY(ig.excludes(u"abs/path/x"_qs, false));
        QVERIFY(!ig.excludes(u"abs/other"_qs, false));
        QVERIFY(DockerIgnore::parse(QByteArray()).isEmpty());
        QVERIFY(!DockerIgnore::parse("").excludes(u"anything"_qs, false));
    }

    void invalidPatterns_data()
    {
        QTest::addColumn<QByteArray>("file");
        QTest::newRow("bang alone") << QByteArray("!\n");
        QTest::newRow("open class") << QByteArray("a[bc\n");
        QTest::newRow("open range") << QByteArray("a[b-]\n");
        QTest::newRow("trailing backslash") << QByteArray("abc\\\n");
    }
    void invalidPatterns()
    {
        QFETCH(QByteArray, file);
        const DockerIgnore ig = DockerIgnore::parse(file);
        QVERIFY(!ig.isValid());
        QVERIFY(!ig.errorString().isEmpty());
    }

    void cleanPathLikeGo_data()
    {
        QTest::addColumn<QString>("in");
        QTest::addColumn<QString>("out");
        QTest::newRow("empty") << QString() << u"."_qs;
        QTest::newRow("dot") << u"./"_qs << u"."_qs;
        QTest::newRow("root") << u"/"_qs << u"/"_qs;
        QTest::newRow("dotdot") << u"../a"_qs << u"../a"_qs;
        QTest::newRow("rooted dotdot") << u"/../a"_qs << u"/a"_qs;
        QTest::newRow("mixed") << u"a/b/../../../c//d/"_qs << u"../c/d"_qs;
        QTest::newRow("abs") << u"/x/./y/"_qs << u"/x/y"_qs;
    }
    void cleanPathLikeGo()
    {
        QFETCH(QString, in);
        QFETCH(QString, out);
        QCOMPARE(DockerIgnore::cleanPath(in), out);
    }
};

QTEST_GUILESS_MAIN(tst_DockerIgnore)
#include "tst_dockerignore.moc"
