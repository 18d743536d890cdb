#pragma once

#include "core/result.h"

#include <QByteArrayView>
#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace bc::infra {

struct EgressLogEntry
{
    QDateTime time; // UTC
    QString box;
    QString upstream;
    QString method;
    QString path;         // as the box sent it (query removed), control characters replaced
    int status = 0;       // 0 when the proxy logged none
    bool allowed = false; // passed the policy and went upstream
};

// The egress proxies' request log (HAProxyConfigGenerator::logFormat(), the Envoy access
// log in the same shape): one line per request,
//   box-egress <unix time[.ms]> frontend=egress.<box>.<upstream> method=<M> status=<N>
//     verdict=<allowed|-> path=<path>
// possibly behind a syslog or journal prefix. The path is the box's text and the whole
// file may be written by anyone who can reach the proxy's stdout, so parsing trusts
// nothing: names must be valid box and upstream names, lines and paths are bounded, and
// anything else makes the line not an entry.
class EgressLog
{
public:
    static constexpr qsizetype MaxLineBytes = 16 * 1024;
    static constexpr qsizetype MaxPathChars = 2048;

    static std::optional<EgressLogEntry> parseLine(QByteArrayView line);
    // The newest `limit` entries of `box` (all boxes when empty), oldest first, reading at
    // most `maxBytes` from the end of the file. Io error when the file cannot be read.
    static Result<QList<EgressLogEntry>> readRecent(const QString &path, const QString &box,
                                                    int limit, qint64 maxBytes = 8 << 20);
};

} // namespace bc::infra
