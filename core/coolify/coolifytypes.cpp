#include "core/coolify/coolifytypes.h"

#include <QRegularExpression>

namespace bc::coolify {

std::optional<CoolifyVersion> CoolifyVersion::parse(const QString &text)
{
    // Lenient: the server sends "4.3.11" / "4.0.0-beta.420", the spec's example "v4.0.0".
    static const QRegularExpression re(
        QStringLiteral("^v?(\\d+)\\.(\\d+)(?:\\.(\\d+))?(?:-beta\\.(\\d+))?"),
        QRegularExpression::CaseInsensitiveOption);
    const QString trimmed = text.trimmed();
    const auto match = re.match(trimmed);
    if (!match.hasMatch())
        return std::nullopt;
    CoolifyVersion v;
    v.raw = trimmed;
    v.major = match.captured(1).toInt();
    v.minor = match.captured(2).toInt();
    v.patch = match.captured(3).toInt();
    v.beta = match.captured(4).isEmpty() ? -1 : match.captured(4).toInt();
    return v;
}

int CoolifyVersion::compare(const CoolifyVersion &other) const
{
    if (major != other.major)
        return major < other.major ? -1 : 1;
    if (minor != other.minor)
        return minor < other.minor ? -1 : 1;
    if (patch != other.patch)
        return patch < other.patch ? -1 : 1;
    if (beta == other.beta)
        return 0;
    if (beta < 0)
        return 1;
    if (other.beta < 0)
        return -1;
    return beta < other.beta ? -1 : 1;
}

bool CoolifyVersion::atLeast(int maj, int min, int pat, int betaN) const
{
    CoolifyVersion other;
    other.major = maj;
    other.minor = min;
    other.patch = pat;
    other.beta = betaN;
    return compare(other) >= 0;
}

CoolifyDeployment::Status CoolifyDeployment::parseStatus(const QString &text)
{
    const QString s = text.trimmed().toLower();
    if (s == QLatin1String("queued"))
        return Status::Queued;
    if (s == QLatin1String("in_progress"))
        return Status::InProgress;
    if (s == QLatin1String("finished"))
        return Status::Finished;
    if (s == QLatin1String("failed"))
        return Status::Failed;
    if (s == QLatin1String("cancelled-by-user"))
        return Status::CancelledByUser;
    return Status::Unknown;
}

} // namespace bc::coolify
