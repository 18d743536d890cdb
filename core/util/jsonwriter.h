#pragma once

#include <QMap>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace bc {

// Writes JSON text straight into a byte string, for output built from typed records
// without a document tree in between. The text matches nlohmann::json::dump(indent) for
// the same values in the same key order (indent < 0: compact), so callers that write keys
// in sorted order print what a dump of an equivalent nlohmann object would.
class JsonWriter
{
public:
    explicit JsonWriter(int indent = -1)
        : m_indent(indent)
    {}

    void reserve(std::size_t bytes);

    void beginObject();
    void endObject();
    void beginArray();
    void endArray();
    void key(std::string_view name);
    void key(QStringView name);
    void key(const QString &name) { key(QStringView(name)); }
    // A literal key of the record's shape ("Command", "createdAt"): such names never need
    // escaping, and skipping the scan matters when a list writes thousands of them.
    template <std::size_t N> void key(const char (&name)[N])
    {
        plainKey(std::string_view(name, N - 1));
    }

    void value(std::string_view text);
    void value(QStringView text);
    void value(const QString &text) { value(QStringView(text)); }
    void value(const char *text) { value(std::string_view(text)); }
    void value(std::int64_t number);
    void value(int number) { value(std::int64_t(number)); }
    void value(double number);
    void value(bool flag);
    void null();
    // An object of string values in the map's order (labels), an array of strings.
    void value(const QMap<QString, QString> &strings);
    void value(const QStringList &strings);

    std::string text() const { return m_out.substr(0, m_size); }
    std::string take();

private:
    void beforeValue();
    void afterKey();
    void plainKey(std::string_view name);
    void newline(std::size_t depth);
    void escaped(std::string_view text);
    void escaped(QStringView text);
    void escapedBody(std::string_view text);

    char *room(std::size_t bytes)
    {
        if (m_out.size() - m_size < bytes)
            grow(bytes);
        return m_out.data() + m_size;
    }
    void grow(std::size_t bytes);
    void put(char c)
    {
        *room(1) = c;
        ++m_size;
    }
    void put(std::string_view bytes)
    {
        std::memcpy(room(bytes.size()), bytes.data(), bytes.size());
        m_size += bytes.size();
    }

    // Written up to m_size; the rest of the string is room, so that the hot paths store
    // bytes without std::string's per-append bookkeeping.
    std::string m_out;
    std::size_t m_size = 0;
    std::vector<int> m_counts; // elements written so far in each open container
    int m_indent;
    bool m_afterKey = false;
};

} // namespace bc
