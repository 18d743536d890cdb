#include "core/infra/egresslog.h"

#include "core/infra/egressgrants.h"

#include <QFile>
#include <QRegularExpression>

using namespace Qt::Literals::StringLiterals;

namespace bc::infra {

namespace {

constexpr QByteArrayView Marker = "box-egress ";

// "key=" followed by a value up to the next space.
std::optional<QByteArrayView> field(QByteArrayView &rest, QByteArrayView key)
{
    if (!rest.startsWith(key))
        return std::nullopt;
    rest = rest.sliced(key.size());
    const qsizetype sp = rest.indexOf(' ');
    const QByteArrayView value = sp < 0 ? rest : rest.first(sp);
    rest = sp < 0 ? QByteArrayView() : rest.sliced(sp + 1);
    return value;
}

bool isToken(QByteArrayView v, qsizetype max)
{
    if (v.isEmpty() || v.size() > max)
        return false;
    for (char c : v) {
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return false;
    }
    return true;
}

std::optional<QDateTime> parseTime(QByteArrayView v)
{
    // <seconds>[.<fraction>]; seconds bounded to keep QDateTime in range.
    const qsizetype dot = v.indexOf('.');
    const QByteArrayView secs = dot < 0 ? v : v.first(dot);
    const QByteArrayView frac = dot < 0 ? QByteArrayView() : v.sliced(dot + 1);
    if (secs.isEmpty() || secs.size() > 11 || frac.size() > 9)
        return std::nullopt;
    qint64 s = 0;
    for (char c : secs) {
        if (c < '0' || c > '9')
            return std::nullopt;
        s = s * 10 + (c - '0');
    }
    int ms = 0;
    for (qsizetype i = 0; i < frac.size(); ++i) {
        const char c = frac[i];
        if (c < '0' || c > '9')
            return std::nullopt;
        if (i < 3)
            ms = ms * 10 + (c - '0');
    }
    for (qsizetype i = frac.size(); i < 3 && !frac.isEmpty(); ++i)
        ms *= 10;
    return QDateTime::fromMSecsSinceEpoch(s * 1000 + ms, Qt::UTC);
}

} // namespace

std::optional<EgressLogEntry> EgressLog::parseLine(QByteArrayView line)
{
    if (line.size() > MaxLineBytes)
        return std::nullopt;
    while (!line.isEmpty() && (line.back() == '\n' || line.back() == '\r'))
        line.chop(1);
    // The marker at the start or after a space (a syslog or journal prefix).
    qsizetype at = 0;
    for (;;) {
        at = line.indexOf(Marker, at);
        if (at < 0)
            return std::nullopt;
        if (at == 0 || line[at - 1] == ' ')
            break;
        ++at;
    }
    QByteArrayView rest = line.sliced(at + Marker.size());
    const qsizetype sp = rest.indexOf(' ');
    if (sp <= 0)
        return std::nullopt;
    const auto time = parseTime(rest.first(sp));
    if (!time)
        return std::nullopt;
    rest = rest.sliced(sp + 1);

    const auto frontend = field(rest, "frontend=");
    const auto method = frontend ? field(rest, "method=") : std::nullopt;
    const auto status = method ? field(rest, "status=") : std::nullopt;
    const auto verdict = status ? field(rest, "verdict=") : std::nullopt;
    if (!verdict || !rest.startsWith("path="))
        return std::nullopt;
    const QByteArrayView path = rest.sliced(5);

    // frontend=egress.<box>.<upstream>: box names hold no dots, upstream names neither.
    const QList<QByteArray> parts = frontend->toByteArray().split('.');
    if (parts.size() != 3 || parts[0] != "egress")
        return std::nullopt;
    EgressLogEntry e;
    e.box = QString::fromLatin1(parts[1]);
    e.upstream = QString::fromLatin1(parts[2]);
    if (!EgressGrants::isBoxName(e.box) || !EgressGrants::check({e.box, {e.upstream}}).ok())
        return std::nullopt;
    // A request the proxy could not parse has no method ("-" or "<BADREQ>").
    if (isToken(*method, 32))
        e.method = QString::fromLatin1(*method);
    else
        e.method = u"-"_s;
    if (status->size() <= 3 && isToken(*status, 3)) {
        bool ok = false;
        const int n = status->toByteArray().toInt(&ok);
        e.status = ok && n >= 100 && n <= 599 ? n : 0;
    }
    e.allowed = *verdict == "allowed";
    e.time = *time;

    QString p = QString::fromUtf8(path.first(qMin(path.size(), MaxPathChars * 4)));
    if (p.size() > MaxPathChars)
        p = p.left(MaxPathChars) + u"…"_s;
    for (QChar &c : p) {
        if (c.category() == QChar::Other_Control || c.category() == QChar::Other_Format)
            c = u'\uFFFD';
    }
    const qsizetype q = p.indexOf(u'?');
    e.path = q < 0 ? p : p.left(q);
    return e;
}

Result<QList<EgressLogEntry>> EgressLog::readRecent(const QString &path, const QString &box,
                                                    int limit, qint64 maxBytes)
{
    QFile f(path);
    if (path.isEmpty())
        return Error(Error::Kind::Io, u"no egress log file is configured"_s);
    if (!f.open(QIODevice::ReadOnly))
        return Error(Error::Kind::Io,
                     u"cannot read the egress log %1: %2"_s.arg(path, f.errorString()));
    const qint64 size = f.size();
    const qint64 start = size > maxBytes ? size - maxBytes : 0;
    if (start > 0 && !f.seek(start))
        return Error(Error::Kind::Io, u"cannot read the egress log %1"_s.arg(path));
    const QByteArray data = f.read(size - start);
    QList<EgressLogEntry> out;
    qsizetype end = data.size();
    // From the end backwards: the newest entries are the ones asked for.
    while (end > 0 && (limit <= 0 || out.size() < limit)) {
        qsizetype begin = data.lastIndexOf('\n', end - 1);
        const qsizetype lineStart = begin < 0 ? 0 : begin + 1;
        // The first line of a window that starts mid-file is cut: skip it.
        if (begin < 0 && start > 0)
            break;
        const auto e = parseLine(QByteArrayView(data).sliced(lineStart, end - lineStart));
        if (e && (box.isEmpty() || e->box == box))
            out.prepend(*e);
        end = begin < 0 ? 0 : begin;
    }
    return out;
}

} // namespace bc::infra
