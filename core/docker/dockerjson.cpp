#include "core/docker/dockerjson.h"

#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include <locale.h>
#include <stdlib.h>

namespace bc::docker::json {

namespace {

const nlohmann::json *field(const nlohmann::json &j, const char *key)
{
    if (!j.is_object())
        return nullptr;
    auto it = j.find(key);
    if (it == j.end() || it->is_null())
        return nullptr;
    return &*it;
}

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

QDateTime dateTime(const nlohmann::json &j, const char *key)
{
    const QString text = str(j, key);
    if (text.isEmpty() || text.startsWith(QLatin1String("0001-01-01")))
        return {};
    return QDateTime::fromString(text, Qt::ISODateWithMs);
}

QStringList stringOrList(const nlohmann::json &j, const char *key)
{
    const nlohmann::json *f = field(j, key);
    if (!f)
        return {};
    if (f->is_string())
        return {qs(f->get<std::string>())};
    return strings(j, key);
}

} // namespace

QString str(const nlohmann::json &j, const char *key)
{
    const nlohmann::json *f = field(j, key);
    return f && f->is_string() ? qs(f->get<std::string>()) : QString();
}

qint64 integer(const nlohmann::json &j, const char *key)
{
    const nlohmann::json *f = field(j, key);
    if (!f)
        return 0;
    if (f->is_number_unsigned()) {
        const auto v = f->get<quint64>();
        return v > quint64(std::numeric_limits<qint64>::max()) ? std::numeric_limits<qint64>::max()
                                                               : qint64(v);
    }
    if (f->is_number_integer())
        return f->get<qint64>();
    if (f->is_number_float())
        return qint64(f->get<double>());
    return 0;
}

bool boolean(const nlohmann::json &j, const char *key)
{
    const nlohmann::json *f = field(j, key);
    return f && f->is_boolean() && f->get<bool>();
}

QStringList strings(const nlohmann::json &j, const char *key)
{
    QStringList out;
    const nlohmann::json *f = field(j, key);
    if (!f || !f->is_array())
        return out;
    for (const auto &v : *f)
        if (v.is_string())
            out << qs(v.get<std::string>());
    return out;
}

QMap<QString, QString> stringMap(const nlohmann::json &j, const char *key)
{
    QMap<QString, QString> out;
    const nlohmann::json *f = field(j, key);
    if (!f || !f->is_object())
        return out;
    for (auto it = f->begin(); it != f->end(); ++it)
        out.insert(qs(it.key()), it->is_string() ? qs(it->get<std::string>()) : qs(it->dump()));
    return out;
}

nlohmann::json toJson(const QMap<QString, QString> &map)
{
    nlohmann::json j = nlohmann::json::object();
    for (auto it = map.begin(); it != map.end(); ++it)
        j[it.key().toStdString()] = it.value().toStdString();
    return j;
}

ContainerSummary containerSummary(const nlohmann::json &j)
{
    ContainerSummary c;
    c.id = str(j, "Id");
    for (QString n : strings(j, "Names")) {
        if (n.startsWith(QLatin1Char('/')))
            n.remove(0, 1);
        c.names << n;
    }
    c.image = str(j, "Image");
    c.imageId = str(j, "ImageID");
    c.command = str(j, "Command");
    c.created = integer(j, "Created");
    c.state = str(j, "State");
    c.status = str(j, "Status");
    c.labels = stringMap(j, "Labels");
    if (const nlohmann::json *ports = field(j, "Ports"); ports && ports->is_array()) {
        for (const auto &p : *ports) {
            PortBinding b;
            b.ip = str(p, "IP");
            b.privatePort = int(integer(p, "PrivatePort"));
            b.publicPort = int(integer(p, "PublicPort"));
            b.type = str(p, "Type");
            c.ports << b;
        }
    }
    if (const nlohmann::json *ns = field(j, "NetworkSettings")) {
        if (const nlohmann::json *nets = field(*ns, "Networks"); nets && nets->is_object())
            for (auto it = nets->begin(); it != nets->end(); ++it)
                c.networks << qs(it.key());
    }
    return c;
}

namespace {

// What nlohmann's lexer accepts, read without its per-character std::string building: a
// string without escapes is handed on as a view of the body. Same grammar as
// nlohmann::json::sax_parse (strict; a leading UTF-8 BOM skipped; UTF-8 checked as RFC 3629
// has it; lone surrogates refused; a float that overflows refused), so the list accepts
// exactly the bodies the document parser does. The handler gets the events a nlohmann SAX
// handler would, with strings as views valid until the next string of the same kind.
template <typename Handler> class JsonScanner
{
public:
    JsonScanner(const char *begin, const char *end, Handler &handler)
        : m_p(reinterpret_cast<const unsigned char *>(begin))
        , m_end(reinterpret_cast<const unsigned char *>(end))
        , m_handler(handler)
    {}

    bool run()
    {
        if (m_end - m_p >= 3 && m_p[0] == 0xEF && m_p[1] == 0xBB && m_p[2] == 0xBF)
            m_p += 3;
        else if (m_p < m_end && *m_p == 0xEF)
            return false;
        std::vector<bool> inObject; // the open containers, innermost last
    value:
        skipSpace();
        if (m_p == m_end)
            return false;
        switch (*m_p) {
        case '{':
        case '[': {
            const bool object = *m_p++ == '{';
            if (!(object ? m_handler.start_object(std::size_t(-1))
                         : m_handler.start_array(std::size_t(-1))))
                return false;
            skipSpace();
            if (m_p < m_end && *m_p == (object ? '}' : ']')) {
                ++m_p;
                if (!(object ? m_handler.end_object() : m_handler.end_array()))
                    return false;
                goto after;
            }
            inObject.push_back(object);
            if (object)
                goto key;
            goto value;
        }
        case '"': {
            ++m_p;
            std::string_view text;
            bool ascii = true;
            if (!readString(m_valueScratch, &text, &ascii) || !m_handler.string(text, ascii))
                return false;
            goto after;
        }
        case 't':
            if (!literal("true") || !m_handler.boolean(true))
                return false;
            goto after;
        case 'f':
            if (!literal("false") || !m_handler.boolean(false))
                return false;
            goto after;
        case 'n':
            if (!literal("null") || !m_handler.null())
                return false;
            goto after;
        default:
            if (!number())
                return false;
            goto after;
        }
    key:
        skipSpace();
        if (m_p == m_end || *m_p != '"')
            return false;
        ++m_p;
        {
            std::string_view name;
            bool ascii = true;
            if (!readString(m_keyScratch, &name, &ascii) || !m_handler.key(name, ascii))
                return false;
        }
        skipSpace();
        if (m_p == m_end || *m_p != ':')
            return false;
        ++m_p;
        goto value;
    after:
        skipSpace();
        if (inObject.empty())
            return m_p == m_end;
        if (m_p == m_end)
            return false;
        if (*m_p == ',') {
            ++m_p;
            if (inObject.back())
                goto key;
            goto value;
        }
        if (*m_p != (inObject.back() ? '}' : ']'))
            return false;
        ++m_p;
        if (!(inObject.back() ? m_handler.end_object() : m_handler.end_array()))
            return false;
        inObject.pop_back();
        goto after;
    }

private:
    void skipSpace()
    {
        while (m_p < m_end && (*m_p == ' ' || *m_p == '\n' || *m_p == '\r' || *m_p == '\t'))
            ++m_p;
    }

    bool literal(std::string_view word)
    {
        if (std::size_t(m_end - m_p) < word.size() ||
            std::memcmp(m_p, word.data(), word.size()) != 0)
            return false;
        m_p += word.size();
        return true;
    }

    // One UTF-8 sequence at m_p whose lead byte is 0x80 or above, as RFC 3629 allows it.
    bool utf8Sequence()
    {
        const unsigned char c = *m_p;
        int more = 0;
        unsigned char lo = 0x80, hi = 0xBF; // range of the first continuation byte
        if (c >= 0xC2 && c <= 0xDF)
            more = 1;
        else if (c >= 0xE0 && c <= 0xEF) {
            more = 2;
            if (c == 0xE0)
                lo = 0xA0;
            else if (c == 0xED)
                hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            more = 3;
            if (c == 0xF0)
                lo = 0x90;
            else if (c == 0xF4)
                hi = 0x8F;
        } else {
            return false;
        }
        if (m_end - m_p <= more || m_p[1] < lo || m_p[1] > hi)
            return false;
        for (int i = 2; i <= more; ++i)
            if (m_p[i] < 0x80 || m_p[i] > 0xBF)
                return false;
        m_p += more + 1;
        return true;
    }

    int hex4()
    {
        if (m_end - m_p < 4)
            return -1;
        int v = 0;
        for (int i = 0; i < 4; ++i) {
            const unsigned char c = m_p[i];
            v <<= 4;
            if (c >= '0' && c <= '9')
                v |= c - '0';
            else if (c >= 'a' && c <= 'f')
                v |= c - 'a' + 10;
            else if (c >= 'A' && c <= 'F')
                v |= c - 'A' + 10;
            else
                return -1;
        }
        m_p += 4;
        return v;
    }

    static void appendUtf8(std::string &to, char32_t cp)
    {
        if (cp < 0x80) {
            to += char(cp);
        } else if (cp < 0x800) {
            to += char(0xC0 | (cp >> 6));
            to += char(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            to += char(0xE0 | (cp >> 12));
            to += char(0x80 | ((cp >> 6) & 0x3F));
            to += char(0x80 | (cp & 0x3F));
        } else {
            to += char(0xF0 | (cp >> 18));
            to += char(0x80 | ((cp >> 12) & 0x3F));
            to += char(0x80 | ((cp >> 6) & 0x3F));
            to += char(0x80 | (cp & 0x3F));
        }
    }

    // Marks the bytes among 8 that end a plain run: a quote, a backslash, a control character
    // or a byte of a multi-byte sequence. The lowest mark is exact (a borrow only runs
    // upwards), so it says where the first such byte is. Most of a list is IDs, hashes and
    // labels that run to the quote, and reading them a word at a time is most of the scan.
    static std::uint64_t stopBytes(const unsigned char *p)
    {
        constexpr std::uint64_t ones = 0x0101010101010101ULL;
        constexpr std::uint64_t highs = 0x8080808080808080ULL;
        std::uint64_t w;
        std::memcpy(&w, p, sizeof w);
        if constexpr (std::endian::native == std::endian::big)
            w = __builtin_bswap64(w); // the first byte in the lowest bits, as below
        const auto zeroes = [](std::uint64_t v) { return (v - ones) & ~v & highs; };
        return (w & highs) | zeroes(w ^ (ones * '"')) | zeroes(w ^ (ones * '\\')) |
               ((w - ones * 0x20) & ~w & highs);
    }

    // After the opening quote. *ascii stays true when the text is all ASCII.
    bool readString(std::string &scratch, std::string_view *text, bool *ascii)
    {
        const unsigned char *start = m_p;
        for (;;) {
            if (m_end - m_p >= 8) {
                const std::uint64_t stops = stopBytes(m_p);
                if (!stops) {
                    m_p += 8;
                    continue;
                }
                m_p += std::countr_zero(stops) / 8;
            } else if (m_p == m_end) {
                return false;
            }
            const unsigned char c = *m_p;
            if (c == '"') {
                *text = std::string_view(reinterpret_cast<const char *>(start),
                                         std::size_t(m_p - start));
                ++m_p;
                return true;
            }
            if (c == '\\')
                break;
            if (c < 0x20)
                return false;
            if (c < 0x80) {
                ++m_p;
            } else {
                *ascii = false;
                if (!utf8Sequence())
                    return false;
            }
        }
        // Escapes: the text is decoded into scratch.
        scratch.assign(reinterpret_cast<const char *>(start), std::size_t(m_p - start));
        for (;;) {
            if (m_p == m_end)
                return false;
            const unsigned char c = *m_p;
            if (c == '"') {
                ++m_p;
                *text = scratch;
                return true;
            }
            if (c < 0x20)
                return false;
            if (c >= 0x80) {
                *ascii = false;
                const unsigned char *from = m_p;
                if (!utf8Sequence())
                    return false;
                scratch.append(reinterpret_cast<const char *>(from), std::size_t(m_p - from));
                continue;
            }
            ++m_p;
            if (c != '\\') {
                scratch += char(c);
                continue;
            }
            if (m_p == m_end)
                return false;
            const unsigned char e = *m_p++;
            switch (e) {
            case '"':
            case '\\':
            case '/':
                scratch += char(e);
                break;
            case 'b':
                scratch += '\b';
                break;
            case 'f':
                scratch += '\f';
                break;
            case 'n':
                scratch += '\n';
                break;
            case 'r':
                scratch += '\r';
                break;
            case 't':
                scratch += '\t';
                break;
            case 'u': {
                int cp = hex4();
                if (cp < 0 || (cp >= 0xDC00 && cp <= 0xDFFF))
                    return false;
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    if (m_end - m_p < 2 || m_p[0] != '\\' || m_p[1] != 'u')
                        return false;
                    m_p += 2;
                    const int low = hex4();
                    if (low < 0xDC00 || low > 0xDFFF)
                        return false;
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                }
                if (cp >= 0x80)
                    *ascii = false;
                appendUtf8(scratch, char32_t(cp));
                break;
            }
            default:
                return false;
            }
        }
    }

    static bool digit(unsigned char c) { return c >= '0' && c <= '9'; }

    // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, typed as nlohmann types it: an
    // integer that fits (signed when negative) or else a double.
    bool number()
    {
        const unsigned char *start = m_p;
        const bool negative = *m_p == '-';
        if (negative)
            ++m_p;
        if (m_p == m_end || !digit(*m_p))
            return false;
        if (*m_p++ != '0')
            while (m_p < m_end && digit(*m_p))
                ++m_p;
        bool isFloat = false;
        if (m_p < m_end && *m_p == '.') {
            isFloat = true;
            ++m_p;
            if (m_p == m_end || !digit(*m_p))
                return false;
            while (m_p < m_end && digit(*m_p))
                ++m_p;
        }
        if (m_p < m_end && (*m_p == 'e' || *m_p == 'E')) {
            isFloat = true;
            ++m_p;
            if (m_p < m_end && (*m_p == '+' || *m_p == '-'))
                ++m_p;
            if (m_p == m_end || !digit(*m_p))
                return false;
            while (m_p < m_end && digit(*m_p))
                ++m_p;
        }
        const char *first = reinterpret_cast<const char *>(start);
        const char *last = reinterpret_cast<const char *>(m_p);
        if (!isFloat) {
            if (negative) {
                std::int64_t v = 0;
                if (std::from_chars(first, last, v).ec == std::errc())
                    return m_handler.number_integer(v);
            } else {
                std::uint64_t v = 0;
                if (std::from_chars(first, last, v).ec == std::errc())
                    return m_handler.number_unsigned(v);
            }
        }
        // strtod, as nlohmann reads floats (an underflow is zero or subnormal, an overflow
        // refused), but in the C locale whatever LC_NUMERIC the process runs with.
        static const locale_t cLocale = newlocale(LC_ALL_MASK, "C", locale_t(nullptr));
        const std::string text(first, last);
        const double v = strtod_l(text.c_str(), nullptr, cLocale);
        if (!std::isfinite(v))
            return false;
        return m_handler.number_float(v);
    }

    const unsigned char *m_p;
    const unsigned char *m_end;
    Handler &m_handler;
    std::string m_keyScratch;
    std::string m_valueScratch;
};

QString qstring(std::string_view text, bool ascii)
{
    return ascii ? QString::fromLatin1(text.data(), qsizetype(text.size()))
                 : QString::fromUtf8(text.data(), qsizetype(text.size()));
}

// Handler for the container list. Each open object or array pushes what it is; values
// inside anything not read (HostConfig, Mounts, a network's settings) fall into Skip.
class ContainerListSax
{
public:
    enum class At { Skip, Root, Container, Names, Labels, Ports, Port, NetSettings, Networks };

    QList<ContainerSummary> out;
    bool rootNotArray = false;
    bool sawArray = false;

    // A label that is not a string (never from an engine) keeps its JSON text, as
    // stringMap does.
    bool null() { return element() && label("null"); }
    bool boolean(bool v) { return element() && label(v ? "true" : "false"); }
    bool number_integer(std::int64_t v) { return label(std::to_string(v)) && number(v); }
    bool number_unsigned(std::uint64_t v)
    {
        return label(std::to_string(v)) && number(v > quint64(std::numeric_limits<qint64>::max())
                                                      ? std::numeric_limits<qint64>::max()
                                                      : qint64(v));
    }
    bool number_float(double v) { return label(nlohmann::json(v).dump()) && number(qint64(v)); }

    bool string(std::string_view v, bool ascii)
    {
        if (m_stack.empty())
            return true;
        switch (m_stack.back()) {
        case At::Root:
        case At::Ports:
            element();
            break;
        case At::Container: {
            ContainerSummary &c = out.last();
            if (m_key == "Id")
                c.id = qstring(v, ascii);
            else if (m_key == "Image")
                c.image = m_image.get(v, ascii);
            else if (m_key == "ImageID")
                c.imageId = m_imageId.get(v, ascii);
            else if (m_key == "Command")
                c.command = m_command.get(v, ascii);
            else if (m_key == "State")
                c.state = m_state.get(v, ascii);
            else if (m_key == "Status")
                c.status = m_status.get(v, ascii);
            break;
        }
        case At::Names: {
            // The slash comes off the converted text: UTF-8 conversion drops a leading BOM.
            QString n = qstring(v, ascii);
            if (n.startsWith(QLatin1Char('/')))
                n.remove(0, 1);
            out.last().names << n;
            break;
        }
        case At::Labels: {
            // The engine writes a Go map: keys arrive sorted, so each goes in at the end.
            QMap<QString, QString> &l = out.last().labels;
            const std::size_t slot = std::size_t(l.size());
            if (m_labelValues.size() <= slot)
                m_labelValues.resize(slot + 1);
            l.insert(l.cend(), labelKey(slot), m_labelValues[slot].get(v, ascii));
            break;
        }
        case At::Port:
            if (m_key == "IP")
                out.last().ports.last().ip = qstring(v, ascii);
            else if (m_key == "Type")
                out.last().ports.last().type = qstring(v, ascii);
            break;
        default:
            break;
        }
        return true;
    }

    bool key(std::string_view k, bool ascii)
    {
        if (!m_stack.empty() && m_stack.back() == At::Networks)
            out.last().networks << m_network.get(k, ascii);
        m_key = k;
        m_keyAscii = ascii;
        return true;
    }

    bool start_object(std::size_t)
    {
        At next = At::Skip;
        if (m_stack.empty()) {
            rootNotArray = true;
            return false;
        }
        switch (m_stack.back()) {
        case At::Root:
            out.append(ContainerSummary());
            next = At::Container;
            break;
        case At::Container:
            if (m_key == "Labels")
                next = At::Labels;
            else if (m_key == "NetworkSettings")
                next = At::NetSettings;
            break;
        case At::Ports:
            out.last().ports.append(PortBinding());
            next = At::Port;
            break;
        case At::NetSettings:
            if (m_key == "Networks")
                next = At::Networks;
            break;
        default:
            break;
        }
        m_stack.push_back(next);
        return true;
    }

    bool start_array(std::size_t)
    {
        At next = At::Skip;
        if (m_stack.empty()) {
            next = At::Root;
            sawArray = true;
        } else if (m_stack.back() == At::Root || m_stack.back() == At::Ports) {
            element();
        } else if (m_stack.back() == At::Container && m_key == "Names")
            next = At::Names;
        else if (m_stack.back() == At::Container && m_key == "Ports")
            next = At::Ports;
        m_stack.push_back(next);
        return true;
    }

    bool end_object()
    {
        m_stack.pop_back();
        return true;
    }
    bool end_array()
    {
        m_stack.pop_back();
        return true;
    }

private:
    bool label(std::string_view text)
    {
        if (!m_stack.empty() && m_stack.back() == At::Labels) {
            QMap<QString, QString> &l = out.last().labels;
            l.insert(l.cend(), labelKey(std::size_t(l.size())), QString::fromLatin1(text));
        }
        return true;
    }

    // A value that is not an object where records are listed (containers, ports) still
    // counts as one, with nothing known.
    bool element()
    {
        if (!m_stack.empty() && m_stack.back() == At::Root)
            out.append(ContainerSummary());
        else if (!m_stack.empty() && m_stack.back() == At::Ports)
            out.last().ports.append(PortBinding());
        return true;
    }

    bool number(qint64 v)
    {
        if (m_stack.empty())
            return true;
        if (m_stack.back() == At::Root || m_stack.back() == At::Ports)
            return element();
        if (m_stack.back() == At::Container && m_key == "Created")
            out.last().created = v;
        else if (m_stack.back() == At::Port && m_key == "PrivatePort")
            out.last().ports.last().privatePort = int(v);
        else if (m_stack.back() == At::Port && m_key == "PublicPort")
            out.last().ports.last().publicPort = int(v);
        return true;
    }

    // The text last read for one field, and its QString. Containers of one fleet repeat
    // most of theirs (image, command, state, label keys, most label values): the same
    // text shares one QString instead of converting and allocating it again.
    struct Recent
    {
        std::string text;
        QString string;
        QString get(std::string_view v, bool ascii)
        {
            if (v != text || string.isNull()) {
                text.assign(v);
                string = qstring(v, ascii);
            }
            return string;
        }
    };

    // The label key being read, shared with the previous container's key at that place.
    QString labelKey(std::size_t slot)
    {
        if (m_labelKeys.size() <= slot)
            m_labelKeys.resize(slot + 1);
        return m_labelKeys[slot].get(m_key, m_keyAscii);
    }

    std::vector<At> m_stack;
    std::string_view m_key; // into the body or the scanner's key scratch
    bool m_keyAscii = true;
    Recent m_image, m_imageId, m_command, m_state, m_status, m_network;
    std::vector<Recent> m_labelKeys, m_labelValues;
};

} // namespace

Result<QList<ContainerSummary>> containerList(const QByteArray &body)
{
    ContainerListSax sax;
    // A container is about 1 KB of JSON: reserving avoids regrowing the list of records.
    sax.out.reserve(body.size() / 1024 + 1);
    const bool ok = JsonScanner(body.constBegin(), body.constEnd(), sax).run();
    if (sax.rootNotArray || (ok && !sax.sawArray))
        return Error(Error::Kind::Protocol, QStringLiteral("expected a JSON array"));
    if (!ok)
        return Error(Error::Kind::Protocol,
                     QStringLiteral("malformed JSON from the daemon (%1 bytes)").arg(body.size()));
    return std::move(sax.out);
}

ContainerInspect containerInspect(const nlohmann::json &j)
{
    ContainerInspect c;
    c.id = str(j, "Id");
    c.name = str(j, "Name");
    if (c.name.startsWith(QLatin1Char('/')))
        c.name.remove(0, 1);
    c.image = str(j, "Image");
    c.restartCount = int(integer(j, "RestartCount"));
    static const nlohmann::json empty = nlohmann::json::object();
    const nlohmann::json *state = field(j, "State");
    const nlohmann::json &s = state ? *state : empty;
    c.state = str(s, "Status");
    c.running = boolean(s, "Running");
    c.oomKilled = boolean(s, "OOMKilled");
    c.exitCode = int(integer(s, "ExitCode"));
    c.error = str(s, "Error");
    c.startedAt = dateTime(s, "StartedAt");
    c.finishedAt = dateTime(s, "FinishedAt");
    if (const nlohmann::json *health = field(s, "Health")) {
        c.health = str(*health, "Status");
        c.failingStreak = int(integer(*health, "FailingStreak"));
        if (const nlohmann::json *log = field(*health, "Log"); log && log->is_array()) {
            for (const auto &e : *log) {
                HealthLogEntry entry;
                entry.start = dateTime(e, "Start");
                entry.end = dateTime(e, "End");
                entry.exitCode = int(integer(e, "ExitCode"));
                entry.output = str(e, "Output");
                c.healthLog << entry;
            }
        }
    }
    if (const nlohmann::json *config = field(j, "Config")) {
        c.configImage = str(*config, "Image");
        c.tty = boolean(*config, "Tty");
        c.labels = stringMap(*config, "Labels");
    }
    if (const nlohmann::json *host = field(j, "HostConfig")) {
        c.memoryLimit = integer(*host, "Memory");
        c.nanoCpus = integer(*host, "NanoCpus");
        c.pidsLimit = integer(*host, "PidsLimit");
    }
    c.raw = j;
    return c;
}

ImageSummary imageSummary(const nlohmann::json &j)
{
    ImageSummary i;
    i.id = str(j, "Id");
    i.repoTags = strings(j, "RepoTags");
    i.created = integer(j, "Created");
    i.size = integer(j, "Size");
    i.labels = stringMap(j, "Labels");
    return i;
}

ImageInspect imageInspect(const nlohmann::json &j)
{
    ImageInspect i;
    i.id = str(j, "Id");
    i.repoTags = strings(j, "RepoTags");
    i.created = str(j, "Created");
    i.size = integer(j, "Size");
    if (const nlohmann::json *config = field(j, "Config")) {
        i.user = str(*config, "User");
        i.entrypoint = stringOrList(*config, "Entrypoint");
        i.cmd = stringOrList(*config, "Cmd");
        i.labels = stringMap(*config, "Labels");
        if (const nlohmann::json *hc = field(*config, "Healthcheck"))
            i.healthcheck = *hc;
    }
    i.raw = j;
    return i;
}

VolumeInfo volume(const nlohmann::json &j)
{
    VolumeInfo v;
    v.name = str(j, "Name");
    v.driver = str(j, "Driver");
    v.mountpoint = str(j, "Mountpoint");
    v.labels = stringMap(j, "Labels");
    v.createdAt = str(j, "CreatedAt");
    return v;
}

NetworkInfo network(const nlohmann::json &j)
{
    NetworkInfo n;
    n.id = str(j, "Id");
    n.name = str(j, "Name");
    n.driver = str(j, "Driver");
    n.internal = boolean(j, "Internal");
    n.attachable = boolean(j, "Attachable");
    n.labels = stringMap(j, "Labels");
    if (const nlohmann::json *cs = field(j, "Containers"); cs && cs->is_object())
        for (auto it = cs->begin(); it != cs->end(); ++it)
            n.containerIds << qs(it.key());
    n.raw = j;
    return n;
}

Event event(const nlohmann::json &j)
{
    Event e;
    e.type = str(j, "Type");
    e.action = str(j, "Action");
    if (e.action.isEmpty())
        e.action = str(j, "status"); // before API 1.22
    if (const nlohmann::json *actor = field(j, "Actor")) {
        e.actorId = str(*actor, "ID");
        e.attributes = stringMap(*actor, "Attributes");
    }
    if (e.actorId.isEmpty())
        e.actorId = str(j, "id");
    e.timeNano = integer(j, "timeNano");
    if (e.timeNano == 0)
        e.timeNano = integer(j, "time") * 1000000000LL;
    e.scope = str(j, "scope");
    return e;
}

VersionInfo version(const nlohmann::json &j)
{
    VersionInfo v;
    v.version = str(j, "Version");
    v.apiVersion = str(j, "ApiVersion");
    v.minApiVersion = str(j, "MinAPIVersion");
    v.os = str(j, "Os");
    v.arch = str(j, "Arch");
    v.kernelVersion = str(j, "KernelVersion");
    return v;
}

SystemInfo systemInfo(const nlohmann::json &j)
{
    SystemInfo s;
    s.name = str(j, "Name");
    s.serverVersion = str(j, "ServerVersion");
    s.containers = int(integer(j, "Containers"));
    s.containersRunning = int(integer(j, "ContainersRunning"));
    s.images = int(integer(j, "Images"));
    s.ncpu = int(integer(j, "NCPU"));
    s.memTotal = integer(j, "MemTotal");
    s.cgroupVersion = str(j, "CgroupVersion");
    s.operatingSystem = str(j, "OperatingSystem");
    s.securityOptions = strings(j, "SecurityOptions");
    return s;
}

BuildProgress buildProgress(const nlohmann::json &j)
{
    BuildProgress p;
    p.stream = str(j, "stream");
    p.status = str(j, "status");
    p.id = str(j, "id");
    if (const nlohmann::json *d = field(j, "progressDetail")) {
        p.current = integer(*d, "current");
        p.total = integer(*d, "total");
    }
    return p;
}

Result<nlohmann::json> parse(const QByteArray &body)
{
    nlohmann::json j = nlohmann::json::parse(body.constBegin(), body.constEnd(), nullptr, false);
    if (j.is_discarded())
        return Error(Error::Kind::Protocol,
                     QStringLiteral("malformed JSON from the daemon (%1 bytes)").arg(body.size()));
    return j;
}

} // namespace bc::docker::json
