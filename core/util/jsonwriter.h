#pragma once

#include <QString>

#include <cstdint>
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

    void reserve(std::size_t bytes) { m_out.reserve(bytes); }

    void beginObject();
    void endObject();
    void beginArray();
    void endArray();
    void key(std::string_view name);

    void value(std::string_view text);
    void value(const QString &text);
    void value(const char *text) { value(std::string_view(text)); }
    void value(std::int64_t number);
    void value(int number) { value(std::int64_t(number)); }
    void value(double number);
    void value(bool flag);
    void null();

    const std::string &text() const { return m_out; }
    std::string take() { return std::move(m_out); }

private:
    void beforeValue();
    void newline(std::size_t depth);
    void escaped(std::string_view text);

    std::string m_out;
    std::vector<int> m_counts; // elements written so far in each open container
    int m_indent;
    bool m_afterKey = false;
};

} // namespace bc
