#include "core/util/jsonwriter.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace bc {

namespace {

constexpr char Hex[] = "0123456789abcdef";

constexpr bool needsEscape(unsigned c)
{
    return c < 0x20 || c == '"' || c == '\\';
}

// Whether any of the 8 bytes in `w` is below 0x20, '"' or '\\' (bytes from 0x80 up are
// UTF-8 and pass as they are). Exact for "any", which is all the caller asks.
bool wordNeedsEscape(std::uint64_t w)
{
    constexpr std::uint64_t ones = 0x0101010101010101ULL;
    constexpr std::uint64_t high = 0x8080808080808080ULL;
    const auto zeroByte = [](std::uint64_t v) { return (v - ones) & ~v & high; };
    const std::uint64_t control = (w - ones * 0x20) & ~w & high;
    return (control | zeroByte(w ^ (ones * '"')) | zeroByte(w ^ (ones * '\\'))) != 0;
}

// The escape of a character that needs one, as nlohmann's dump() writes it.
std::string_view escapeOf(unsigned c, char (&u)[6])
{
    switch (c) {
    case '"':
        return "\\\"";
    case '\\':
        return "\\\\";
    case '\b':
        return "\\b";
    case '\f':
        return "\\f";
    case '\n':
        return "\\n";
    case '\r':
        return "\\r";
    case '\t':
        return "\\t";
    default:
        u[0] = '\\';
        u[1] = 'u';
        u[2] = '0';
        u[3] = '0';
        u[4] = Hex[c >> 4];
        u[5] = Hex[c & 0xf];
        return std::string_view(u, 6);
    }
}

// Copies the leading UTF-16 units of `in` that are printable ASCII needing no escape into
// `out` (one byte each); returns how many. Lists are almost all such text, so this is the
// one loop that sees nearly every character of a large output.
qsizetype copyPlainAscii(const char16_t *in, qsizetype n, char *out)
{
    qsizetype i = 0;
#ifdef __SSE2__
    // Signed 16-bit compares: units from 0x8000 up read as negative, so "< 0x20" also
    // catches them.
    const __m128i low = _mm_set1_epi16(0x20);
    const __m128i top = _mm_set1_epi16(0x7f);
    const __m128i quote = _mm_set1_epi16('"');
    const __m128i backslash = _mm_set1_epi16('\\');
    for (; i + 8 <= n; i += 8) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(in + i));
        const __m128i bad =
            _mm_or_si128(_mm_or_si128(_mm_cmplt_epi16(v, low), _mm_cmpgt_epi16(v, top)),
                         _mm_or_si128(_mm_cmpeq_epi16(v, quote), _mm_cmpeq_epi16(v, backslash)));
        if (_mm_movemask_epi8(bad) != 0)
            break;
        _mm_storel_epi64(reinterpret_cast<__m128i *>(out + i), _mm_packus_epi16(v, v));
    }
#endif
    for (; i < n; ++i) {
        const char16_t u = in[i];
        if (u >= 0x80 || needsEscape(u))
            break;
        out[i] = char(u);
    }
    return i;
}

} // namespace

void JsonWriter::reserve(std::size_t bytes)
{
    if (m_out.size() < bytes)
        m_out.resize(bytes);
}

std::string JsonWriter::take()
{
    m_out.resize(m_size);
    m_size = 0;
    return std::move(m_out);
}

void JsonWriter::grow(std::size_t bytes)
{
    m_out.resize(std::max(m_out.size() * 2, m_size + bytes + 256));
}

void JsonWriter::newline(std::size_t depth)
{
    if (m_indent < 0)
        return;
    const std::size_t n = depth * std::size_t(m_indent);
    char *out = room(n + 1);
    out[0] = '\n';
    std::memset(out + 1, ' ', n);
    m_size += n + 1;
}

void JsonWriter::beforeValue()
{
    if (m_afterKey) {
        m_afterKey = false;
        return;
    }
    if (m_counts.empty())
        return;
    if (m_counts.back()++ > 0)
        put(',');
    newline(m_counts.size());
}

void JsonWriter::afterKey()
{
    if (m_indent < 0)
        put(':');
    else
        put(std::string_view(": ", 2));
    m_afterKey = true;
}

void JsonWriter::beginObject()
{
    beforeValue();
    put('{');
    m_counts.push_back(0);
}

void JsonWriter::endObject()
{
    const bool any = m_counts.back() > 0;
    m_counts.pop_back();
    if (any)
        newline(m_counts.size());
    put('}');
}

void JsonWriter::beginArray()
{
    beforeValue();
    put('[');
    m_counts.push_back(0);
}

void JsonWriter::endArray()
{
    const bool any = m_counts.back() > 0;
    m_counts.pop_back();
    if (any)
        newline(m_counts.size());
    put(']');
}

void JsonWriter::key(std::string_view name)
{
    beforeValue();
    escaped(name);
    afterKey();
}

void JsonWriter::key(QStringView name)
{
    beforeValue();
    escaped(name);
    afterKey();
}

void JsonWriter::plainKey(std::string_view name)
{
    beforeValue();
    char *out = room(name.size() + 2);
    out[0] = '"';
    std::memcpy(out + 1, name.data(), name.size());
    out[name.size() + 1] = '"';
    m_size += name.size() + 2;
    afterKey();
}

void JsonWriter::value(std::string_view text)
{
    beforeValue();
    escaped(text);
}

void JsonWriter::value(QStringView text)
{
    beforeValue();
    escaped(text);
}

void JsonWriter::value(std::int64_t number)
{
    beforeValue();
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, number).ptr;
    put(std::string_view(digits, std::size_t(end - digits)));
}

void JsonWriter::value(double number)
{
    beforeValue();
    // nlohmann's shortest round-trip form (and null for NaN/inf), as dump() prints it.
    put(nlohmann::json(number).dump());
}

void JsonWriter::value(bool flag)
{
    beforeValue();
    put(flag ? std::string_view("true") : std::string_view("false"));
}

void JsonWriter::null()
{
    beforeValue();
    put(std::string_view("null"));
}

void JsonWriter::escaped(std::string_view text)
{
    put('"');
    escapedBody(text);
    put('"');
}

void JsonWriter::escapedBody(std::string_view text)
{
    const char *data = text.data();
    const std::size_t n = text.size();
    std::size_t plain = 0; // start of the run not yet copied
    std::size_t i = 0;
    while (i < n) {
        if (i + 8 <= n) {
            std::uint64_t word;
            std::memcpy(&word, data + i, 8);
            if (!wordNeedsEscape(word)) {
                i += 8;
                continue;
            }
        }
        const auto c = static_cast<unsigned char>(data[i]);
        if (needsEscape(c)) {
            char u[6];
            put(std::string_view(data + plain, i - plain));
            put(escapeOf(c, u));
            plain = i + 1;
        }
        ++i;
    }
    put(std::string_view(data + plain, n - plain));
}

void JsonWriter::escaped(QStringView text)
{
    const auto *units = reinterpret_cast<const char16_t *>(text.utf16());
    const qsizetype n = text.size();
    // ASCII (nearly all text) is one byte a unit: room for the rest and the closing quote.
    put('"');
    qsizetype i = 0;
    while (i < n) {
        char *out = room(std::size_t(n - i) + 1);
        const qsizetype copied = copyPlainAscii(units + i, n - i, out);
        m_size += std::size_t(copied);
        i += copied;
        if (i == n)
            break;
        if (units[i] < 0x80) {
            char u[6];
            put(escapeOf(units[i], u));
            ++i;
            continue;
        }
        // From the first non-ASCII unit on, as QString::toUtf8 encodes it: all before it
        // is ASCII, so the cut splits no surrogate pair and the bytes are the same.
        const QByteArray rest = text.mid(i).toUtf8();
        escapedBody(std::string_view(rest.constData(), std::size_t(rest.size())));
        break;
    }
    put('"');
}

void JsonWriter::value(const QMap<QString, QString> &strings)
{
    beginObject();
    for (auto it = strings.cbegin(); it != strings.cend(); ++it) {
        key(it.key());
        value(it.value());
    }
    endObject();
}

void JsonWriter::value(const QStringList &strings)
{
    beginArray();
    for (const QString &s : strings)
        value(s);
    endArray();
}

} // namespace bc
