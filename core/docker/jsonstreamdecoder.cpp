#include "core/docker/jsonstreamdecoder.h"

namespace bc::docker {

namespace {

bool isSeparator(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\x1e';
}

bool startsScalar(char c)
{
    return c == '-' || (c >= '0' && c <= '9') || c == 't' || c == 'f' || c == 'n';
}

} // namespace

JsonStreamDecoder::JsonStreamDecoder(qint64 maxBuffered)
    : m_maxBuffered(maxBuffered)
{}

Error JsonStreamDecoder::fail(const QString &message)
{
    m_error = Error(Error::Kind::Protocol, message);
    m_buffer.clear();
    m_buffer.squeeze();
    m_start = m_scan = 0;
    return *m_error;
}

Result<void> JsonStreamDecoder::complete(qsizetype end, std::vector<nlohmann::json> &out)
{
    const char *begin = m_buffer.constData() + m_start;
    const char *stop = m_buffer.constData() + end;
    nlohmann::json value = nlohmann::json::parse(begin, stop, nullptr, false);
    if (value.is_discarded()) {
        // The bytes themselves stay out of the message: streams can carry build output.
        return fail(QStringLiteral("invalid JSON value of %1 bytes in stream").arg(stop - begin));
    }
    out.push_back(std::move(value));
    m_inValue = false;
    m_scalar = false;
    m_depth = 0;
    m_start = end;
    return {};
}

Result<void> JsonStreamDecoder::scan(std::vector<nlohmann::json> &out)
{
    const qsizetype size = m_buffer.size();
    qsizetype i = m_scan;
    while (i < size) {
        const char c = m_buffer.at(i);
        if (!m_inValue) {
            if (isSeparator(c)) {
                m_start = ++i;
                continue;
            }
            m_inValue = true;
            m_start = i;
            if (c == '{' || c == '[') {
                m_depth = 1;
            } else if (c == '"') {
                m_inString = true;
                m_depth = 0;
            } else if (startsScalar(c)) {
                m_scalar = true;
            } else {
                return fail(QStringLiteral("unexpected byte 0x%1 between JSON values")
                                .arg(uint(uchar(c)), 2, 16, QLatin1Char('0')));
            }
            ++i;
            continue;
        }
        if (m_inString) {
            if (m_escape) {
                m_escape = false;
            } else if (c == '\\') {
                m_escape = true;
            } else if (c == '"') {
                m_inString = false;
                if (m_depth == 0) {
                    if (auto r = complete(i + 1, out); !r)
                        return r;
                }
            }
            ++i;
            continue;
        }
        if (m_scalar) {
            // A literal ends at the first delimiter, which is then scanned again as the
            // start of whatever follows.
            if (isSeparator(c) || c == '{' || c == '[' || c == '"') {
                if (auto r = complete(i, out); !r)
                    return r;
                continue;
            }
            ++i;
            continue;
        }
        switch (c) {
        case '"':
            m_inString = true;
            break;
        case '{':
        case '[':
            // The parser itself copes with deep nesting, but a hostile stream should not
            // get to build a million-level document.
            if (++m_depth > MaxDepth)
                return fail(
                    QStringLiteral("JSON value nested deeper than %1 levels").arg(MaxDepth));
            break;
        case '}':
        case ']':
            if (--m_depth == 0) {
                if (auto r = complete(i + 1, out); !r)
                    return r;
            }
            break;
        default:
            break;
        }
        ++i;
    }
    m_scan = i;
    return {};
}

Result<std::vector<nlohmann::json>> JsonStreamDecoder::feed(const QByteArray &chunk)
{
    if (m_error)
        return *m_error;
    std::vector<nlohmann::json> out;
    m_buffer.append(chunk);
    if (auto r = scan(out); !r)
        return r.error();
    // Completed values are cut off the front once per chunk, not once per value, so a
    // chunk holding thousands of small events costs one memmove.
    const qsizetype drop = m_inValue ? m_start : m_buffer.size();
    if (drop > 0) {
        m_buffer.remove(0, drop);
        m_start -= drop;
        m_scan -= drop;
    }
    if (m_buffer.size() > m_maxBuffered) {
        return fail(QStringLiteral("JSON value in stream exceeds %1 bytes").arg(m_maxBuffered));
    }
    return out;
}

bool JsonStreamDecoder::hasPartial() const
{
    return m_inValue;
}

Result<void> JsonStreamDecoder::finish()
{
    if (m_error)
        return *m_error;
    if (m_inValue && m_scalar && !m_inString) {
        auto r = complete(m_buffer.size(), m_trailing);
        m_buffer.clear();
        m_start = m_scan = 0;
        return r;
    }
    if (m_inValue)
        return fail(QStringLiteral("stream ended inside a JSON value (%1 bytes buffered)")
                        .arg(m_buffer.size() - m_start));
    return {};
}

std::vector<nlohmann::json> JsonStreamDecoder::takeTrailing()
{
    return std::exchange(m_trailing, {});
}

} // namespace bc::docker
