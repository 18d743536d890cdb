#include "core/util/jsonwriter.h"

#include <nlohmann/json.hpp>

namespace bc {

void JsonWriter::newline(std::size_t depth)
{
    if (m_indent < 0)
        return;
    m_out += '\n';
    m_out.append(depth * std::size_t(m_indent), ' ');
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
        m_out += ',';
    newline(m_counts.size());
}

void JsonWriter::beginObject()
{
    beforeValue();
    m_out += '{';
    m_counts.push_back(0);
}

void JsonWriter::endObject()
{
    const bool any = m_counts.back() > 0;
    m_counts.pop_back();
    if (any)
        newline(m_counts.size());
    m_out += '}';
}

void JsonWriter::beginArray()
{
    beforeValue();
    m_out += '[';
    m_counts.push_back(0);
}

void JsonWriter::endArray()
{
    const bool any = m_counts.back() > 0;
    m_counts.pop_back();
    if (any)
        newline(m_counts.size());
    m_out += ']';
}

void JsonWriter::key(std::string_view name)
{
    beforeValue();
    escaped(name);
    m_out += m_indent < 0 ? ":" : ": ";
    m_afterKey = true;
}

void JsonWriter::value(std::string_view text)
{
    beforeValue();
    escaped(text);
}

void JsonWriter::value(const QString &text)
{
    beforeValue();
    const QByteArray utf8 = text.toUtf8();
    escaped(std::string_view(utf8.constData(), std::size_t(utf8.size())));
}

void JsonWriter::value(std::int64_t number)
{
    beforeValue();
    m_out += std::to_string(number);
}

void JsonWriter::value(double number)
{
    beforeValue();
    // nlohmann's shortest round-trip form (and null for NaN/inf), as dump() prints it.
    m_out += nlohmann::json(number).dump();
}

void JsonWriter::value(bool flag)
{
    beforeValue();
    m_out += flag ? "true" : "false";
}

void JsonWriter::null()
{
    beforeValue();
    m_out += "null";
}

void JsonWriter::escaped(std::string_view text)
{
    static const char hex[] = "0123456789abcdef";
    m_out += '"';
    std::size_t plain = 0; // start of the run not yet copied
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        m_out.append(text.data() + plain, i - plain);
        plain = i + 1;
        switch (c) {
        case '"':
            m_out += "\\\"";
            break;
        case '\\':
            m_out += "\\\\";
            break;
        case '\b':
            m_out += "\\b";
            break;
        case '\f':
            m_out += "\\f";
            break;
        case '\n':
            m_out += "\\n";
            break;
        case '\r':
            m_out += "\\r";
            break;
        case '\t':
            m_out += "\\t";
            break;
        default:
            m_out += "\\u00";
            m_out += hex[c >> 4];
            m_out += hex[c & 0xf];
        }
    }
    m_out.append(text.data() + plain, text.size() - plain);
    m_out += '"';
}

} // namespace bc
