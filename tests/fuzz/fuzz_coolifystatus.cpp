// libFuzzer target for bc::coolify::CoolifyStatus::parse: never crashes, keeps the raw text,
// maps anything whose first word is not a known state to Unknown (with unknown health), and
// is insensitive to case and surrounding white space.
#include "core/coolify/coolifystatus.h"

#include <QStringList>

#include <cstdio>
#include <cstdlib>

using bc::coolify::CoolifyStatus;

namespace {

[[noreturn]] void fail(const char *what, const QString &text)
{
    std::fprintf(stderr, "fuzz_coolifystatus: %s for %s\n", what,
                 QString::fromLatin1(text.toUtf8().toPercentEncoding()).toLocal8Bit().constData());
    std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const CoolifyStatus s = CoolifyStatus::parse(text);
    if (s.raw != text)
        fail("raw not kept", text);
    if (s.state == CoolifyStatus::State::Unknown && s.health != CoolifyStatus::Health::Unknown)
        fail("unknown state with a health", text);
    (void)CoolifyStatus::stateName(s.state);
    (void)CoolifyStatus::healthName(s.health);

    // A known state means the text really starts with that word (after trim and lower case).
    if (s.state != CoolifyStatus::State::Unknown) {
        const QString name = CoolifyStatus::stateName(s.state);
        if (!text.trimmed().toLower().startsWith(name))
            fail("state not at the start", text);
    }
    // Unknown forms: nothing that does not contain a state word may parse to a known state.
    static const QStringList states{
        QStringLiteral("running"),  QStringLiteral("starting"), QStringLiteral("restarting"),
        QStringLiteral("degraded"), QStringLiteral("paused"),   QStringLiteral("exited"),
        QStringLiteral("created"),  QStringLiteral("dead"),     QStringLiteral("removing")};
    bool mentions = false;
    for (const QString &st : states)
        mentions = mentions || text.contains(st, Qt::CaseInsensitive);
    if (!mentions && s.state != CoolifyStatus::State::Unknown)
        fail("known state without a state word", text);

    // Case and surrounding white space do not matter (toUpper is not used: it does not
    // round-trip, e.g. dotless i upper-cases to I).
    const CoolifyStatus padded =
        CoolifyStatus::parse(QStringLiteral("  ") + text + QStringLiteral("\t"));
    const CoolifyStatus lower = CoolifyStatus::parse(text.toLower());
    for (const CoolifyStatus &o : {padded, lower}) {
        if (o.state != s.state || o.health != s.health || o.excluded != s.excluded)
            fail("case or white space changed the result", text);
    }
    return 0;
}
